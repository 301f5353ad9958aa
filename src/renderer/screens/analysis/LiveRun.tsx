import type { AnalysisRunResult } from '../../../shared/analysis';
import { JobActions, JobStatusBadge } from '../../components/JobRow';
import { ProgressBar } from '../../components/ProgressBar';
import { formatEta, isActive } from '../../components/format';
import { useJob } from '../../store/useJob';
import { RunDetail } from './RunDetail';

/**
 * An analysis.run job while it fits: progress per model, the stage, cancel; the failure's
 * message (naming the column, row or collinear terms) when it fails; the run once it succeeds.
 */
export function LiveRun({ jobId }: { jobId: string }) {
  const job = useJob(jobId);

  if (!job) return <p className="loading">Loading…</p>;
  const result = job.status === 'succeeded' ? (job.result as AnalysisRunResult | null) : null;
  if (result) return <RunDetail runId={result.runId} />;
  return (
    <article className="card" aria-label="Analysis run" data-testid="analysis-live" data-status={job.status}>
      <header className="screen-head">
        <h2>Analysis run</h2>
        <JobStatusBadge job={job} testId="analysis-live-status" />
      </header>
      <JobActions job={job} />
      {isActive(job) && (
        <>
          <ProgressBar fraction={job.progress.fraction} label="Analysis progress" />
          <p className="small muted" data-testid="analysis-live-stage">
            {job.progress.stage || (job.status === 'running' ? 'Starting…' : 'Waiting to start…')} {formatEta(job)}
          </p>
        </>
      )}
      {job.error && (
        <p className={job.status === 'cancelled' ? 'muted' : 'bad'} role="status" data-testid="analysis-live-error">
          {job.error.message}
        </p>
      )}
    </article>
  );
}
