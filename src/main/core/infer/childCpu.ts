/**
 * CPU time an ffmpeg child spent, for the job's accounting of where a run's time goes (a
 * decoder's wall time mixes decoding with waiting on a full pipe). A child that exits reports
 * it itself (`-benchmark`: "bench: utime=…s stime=…s rtime=…s"); one stopped early, once it
 * served every sampled time, is read from /proc just before the kill (Linux; elsewhere it is
 * not counted, and the log says CPU figures are lower bounds).
 */
import fs from 'node:fs';

const BENCH = /^bench: utime=([\d.]+)s stime=([\d.]+)s/;

/** user + system ms of a `-benchmark` line, or null when the line is not one. */
export function benchCpuMs(line: string): number | null {
  const m = BENCH.exec(line.trim());
  return m ? Math.round((Number(m[1]) + Number(m[2])) * 1000) : null;
}

/** Clock ticks per second of /proc's utime/stime (USER_HZ: 100 on every Linux Node runs on). */
const USER_HZ = 100;

/** user + system ms of a running process from /proc/PID/stat, or null when it cannot be read. */
export function procCpuMs(pid: number | undefined): number | null {
  if (!pid || process.platform !== 'linux') return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15 of the whole line
    return Number.isFinite(ticks) ? Math.round((ticks * 1000) / USER_HZ) : null;
  } catch {
    return null;
  }
}
