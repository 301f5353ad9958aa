import type { JobSummary } from '../../shared/jobs';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function formatEta(job: JobSummary): string {
  const eta = job.progress.etaS;
  if (job.status !== 'running' || eta === null || job.progress.fraction >= 1) return '';
  if (eta < 60) return `about ${Math.ceil(eta)} s left`;
  return `about ${Math.ceil(eta / 60)} min left`;
}

export const isActive = (job: JobSummary) => job.status === 'queued' || job.status === 'running';
export const canResume = (job: JobSummary) =>
  job.resumable && (job.status === 'interrupted' || job.status === 'failed' || job.status === 'cancelled');
