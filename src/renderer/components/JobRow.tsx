import { jobStatusLabel } from '../../shared/jobOutcome';
import type { JobSummary } from '../../shared/jobs';
import { cancelJob, pauseJob, resumeJob } from '../store/actions';
import { canResume, formatEta, isActive } from './format';
import { ProgressBar } from './ProgressBar';

/** One job: title, status, live progress, and the action that fits its state. */
export function JobRow({ job, onOpen }: { job: JobSummary; onOpen?: (id: string) => void }) {
  return (
    <li className={`job job-${job.status}`} data-testid="job-row" data-job-id={job.id} data-status={job.status}>
      <div className="job-head">
        <button type="button" className="link" onClick={() => onOpen?.(job.id)} disabled={!onOpen}>
          {job.title}
        </button>
        <JobStatusBadge job={job} />
      </div>
      {isActive(job) && (
        <>
          <ProgressBar fraction={job.progress.fraction} label={`${job.title} progress`} />
          <div className="job-meta">
            <span>{job.progress.stage || 'Waiting to start…'}</span>
            <span>
              {Math.round(job.progress.fraction * 100)}% {formatEta(job)}
            </span>
          </div>
        </>
      )}
      {job.error && job.status !== 'succeeded' && job.status !== 'cancelled' && <p className="job-error">{job.error.message}</p>}
      <JobActions job={job} />
    </li>
  );
}

/** Pause (resumable jobs) and cancel while a job runs, resume when it can: the same buttons wherever a job is shown. */
export function JobActions({ job }: { job: JobSummary }) {
  return (
    <div className="job-actions">
      {isActive(job) && job.resumable && (
        <button type="button" onClick={() => void pauseJob(job.id)} disabled={job.progress.stage === 'Pausing…'}>
          Pause
        </button>
      )}
      {isActive(job) && (
        <button type="button" onClick={() => void cancelJob(job.id)}>
          Cancel
        </button>
      )}
      {canResume(job) && (
        <button type="button" onClick={() => void resumeJob(job.id)}>
          Resume
        </button>
      )}
    </div>
  );
}

/**
 * A job's status as every screen shows it: a paused job (stored as cancelled with the code
 * PAUSED) reads "paused", never "cancelled"; a finished job with failed items reads
 * "succeeded with N errors" (see jobOutcome.ts).
 */
export function JobStatusBadge({ job, testId }: { job: Pick<JobSummary, 'kind' | 'status' | 'result' | 'error'>; testId?: string }) {
  const { key, label } = jobStatusLabel(job);
  return (
    <span className={`badge badge-${key}`} data-testid={testId}>
      {label}
    </span>
  );
}
