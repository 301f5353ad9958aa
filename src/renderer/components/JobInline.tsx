import { itemErrors } from '../../shared/jobOutcome';
import type { JobSummary } from '../../shared/jobs';
import { useStore } from '../store';
import { formatEta, isActive } from './format';
import { JobStatusBadge } from './JobRow';

/**
 * The job a form just started, shown next to its button: progress while it runs, then how it
 * ended — with the failed items named when it finished with errors (a corrupt video among
 * good ones), so the person sees them where they acted, not only in the job's log.
 */
export function JobInline({ jobId, describeErrors }: { jobId: string | null; describeErrors?: (job: JobSummary) => string[] }) {
  const job = useStore((s) => (jobId ? s.jobs[jobId] : undefined));
  if (!job) return null;
  const errors = itemErrors(job);
  const lines = errors > 0 ? (describeErrors?.(job) ?? []) : [];
  return (
    <div className="job-inline small" role="status" data-testid="job-inline" data-status={job.status}>
      <JobStatusBadge job={job} />{' '}
      {isActive(job) ? (
        <span>
          {job.progress.stage || 'Starting…'} {Math.round(job.progress.fraction * 100)}% {formatEta(job)}
        </span>
      ) : job.error && job.status !== 'succeeded' ? (
        <span className={job.status === 'cancelled' ? 'muted' : 'bad'}>{job.error.message}</span>
      ) : null}
      {lines.length > 0 && (
        <ul className="job-inline-errors">
          {lines.slice(0, 5).map((l) => (
            <li key={l}>{l}</li>
          ))}
          {lines.length > 5 && <li className="muted">and {lines.length - 5} more (see the job's log)</li>}
        </ul>
      )}
    </div>
  );
}
