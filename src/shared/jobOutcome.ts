import { isPaused, type JobSummary } from './jobs';

/**
 * How a job ended, in the words every screen uses. A job that finished but failed some of its
 * items (a corrupt video among good ones, a video inference could not read) is "succeeded
 * with N errors": calling it plain "succeeded" would hide the failures in its log.
 */

/** Items that failed inside a job that itself finished (0 for kinds without per-item failures). */
export function itemErrors(job: Pick<JobSummary, 'kind' | 'status' | 'result'>): number {
  if (job.status !== 'succeeded' || !job.result || typeof job.result !== 'object') return 0;
  const errors = (job.result as { errors?: unknown }).errors;
  if (job.kind === 'media.import' && Array.isArray(errors)) return errors.length;
  if (job.kind === 'infer.run' && typeof errors === 'number') return errors;
  return 0;
}

export type JobStatusKey = JobSummary['status'] | 'paused' | 'partial';

/** The status as shown, and the key its badge is styled by. */
export function jobStatusLabel(job: Pick<JobSummary, 'kind' | 'status' | 'result' | 'error'>): { key: JobStatusKey; label: string } {
  if (isPaused(job)) return { key: 'paused', label: 'paused' };
  const errors = itemErrors(job);
  if (errors > 0) return { key: 'partial', label: `succeeded with ${errors} ${errors === 1 ? 'error' : 'errors'}` };
  return { key: job.status, label: job.status };
}
