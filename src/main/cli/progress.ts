import type { JobSummary } from '../../shared/jobs';

/** One updating line on stderr for a running job (plain lines when stderr is not a terminal). */
export function progressPrinter(enabled: boolean): { update(job: JobSummary): void; end(): void } {
  const tty = process.stderr.isTTY;
  let last = '';
  return {
    update(job) {
      if (!enabled) return;
      const pct = `${Math.round(job.progress.fraction * 100)}`.padStart(3);
      const eta =
        job.status === 'running' && job.progress.fraction < 1 && job.progress.etaS !== null
          ? `, about ${Math.ceil(job.progress.etaS)} s left`
          : '';
      const line = `[${pct}%] ${job.title}: ${job.progress.stage || job.status}${eta}`;
      if (line === last) return;
      last = line;
      process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    },
    end() {
      if (enabled && tty && last) process.stderr.write('\n');
    },
  };
}
