import type { JobSummary } from '../../shared/jobs';

/** The runs still going, each a link to its live view: "<verb> now: <stage> (<percent>%)". */
export function RunningJobs({
  jobs,
  label,
  verb,
  onOpen,
}: {
  jobs: JobSummary[];
  label: string;
  verb: string;
  onOpen(jobId: string): void;
}) {
  if (jobs.length === 0) return null;
  return (
    <ul className="plain" aria-label={label}>
      {jobs.map((j) => (
        <li key={j.id}>
          <button type="button" className="linklike" onClick={() => onOpen(j.id)}>
            {verb} now: {j.progress.stage || 'queued'} ({Math.round(j.progress.fraction * 100)}%)
          </button>
        </li>
      ))}
    </ul>
  );
}
