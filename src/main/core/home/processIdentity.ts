import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What tells one process apart from a later one that was given the same pid: its start time
 * where the platform says it (Linux: field 22 of /proc/PID/stat, clock ticks since boot; other
 * Unix: `ps -o lstart=`, to the second), else its program name (Windows: `tasklist`). A lock
 * records its owner's identity, so a successor can tell "the owner is alive" from "an unrelated
 * process now holds that pid" (pid reuse after a crash). undefined: the platform cannot say.
 */
export function processIdentity(pid: number, platform: NodeJS.Platform = process.platform): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (platform === 'linux') return linuxStartTime(pid);
  if (platform === 'win32') return windowsImageName(pid);
  return psStartTime(pid);
}

/** Parses a /proc/PID/stat line: the command (field 2) is in parentheses and may hold spaces or ')'. */
export function startTimeFromStat(stat: string): string | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
  const ticks = fields[19];
  return ticks && /^\d+$/.test(ticks) ? `linux:${ticks}` : undefined;
}

function linuxStartTime(pid: number): string | undefined {
  try {
    return startTimeFromStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

function psStartTime(pid: number): string | undefined {
  const out = run('ps', ['-o', 'lstart=', '-p', String(pid)]);
  return out ? `ps:${out}` : undefined;
}

function windowsImageName(pid: number): string | undefined {
  // Our own image name needs no child process (opening a home should not wait for tasklist).
  if (pid === process.pid) return `name:${path.basename(process.execPath).toLowerCase()}`;
  const out = run('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH']);
  const name = out && /^"([^"]+)"/.exec(out)?.[1];
  return name ? `name:${name.toLowerCase()}` : undefined;
}

function run(command: string, args: string[]): string | undefined {
  try {
    const result = spawnSync(command, args, { encoding: 'utf8', timeout: 2000, windowsHide: true });
    const out = result.status === 0 ? result.stdout.trim() : '';
    return out || undefined;
  } catch {
    return undefined;
  }
}
