import { useEffect, useState } from 'react';
import type { SuiteRunResult } from '../../../shared/suite';
import type { SuiteLiveCurves } from '../../../shared/suiteViews';
import { JobActions, JobStatusBadge } from '../../components/JobRow';
import { ProgressBar } from '../../components/ProgressBar';
import { formatEta, isActive } from '../../components/format';
import { notifyError } from '../../store/notifyError';
import { useJob } from '../../store/useJob';
import { CurvesChart } from './charts';
import { RunDetail } from './RunDetail';
import { suiteLiveCurves } from '../../store/suiteActions';

/**
 * A suite.run job while it trains: progress, the stage (model, epoch), cancel, and the
 * neural models' curves so far. The curves are refetched whenever the job's row changes
 * (every epoch reports progress), never on a timer. Once the job succeeds, its run opens here.
 */
export function LiveRun({ jobId }: { jobId: string }) {
  const job = useJob(jobId);
  const [curves, setCurves] = useState<SuiteLiveCurves | null>(null);

  const updatedAt = job?.updatedAt;
  useEffect(() => {
    let current = true;
    suiteLiveCurves({ jobId }).then((c) => current && setCurves(c), notifyError);
    return () => {
      current = false;
    };
  }, [jobId, updatedAt]);

  if (!job) return <p className="loading">Loading…</p>;
  const result = job.status === 'succeeded' ? (job.result as SuiteRunResult | null) : null;
  const liveNames = Object.keys(curves?.curves ?? {});
  return (
    <section className="suite-live" aria-label="Suite run" data-testid="live-run" data-status={job.status}>
      <article className="card">
        <header className="screen-head">
          <h2>Suite run</h2>
          <JobStatusBadge job={job} testId="live-status" />
        </header>
        <JobActions job={job} />
        {isActive(job) && (
          <>
            <ProgressBar fraction={job.progress.fraction} label="Suite progress" />
            <p className="small muted" data-testid="live-stage">
              {job.progress.stage || 'Waiting to start…'} {formatEta(job)}
            </p>
          </>
        )}
        {job.error && job.status !== 'succeeded' && (
          <p className={job.status === 'cancelled' ? 'muted' : 'bad'} role="status" data-testid="live-error">
            {job.error.message}
          </p>
        )}
        {!result &&
          (liveNames.length ? (
            <div className="suite-curves">
              {liveNames.map((name) => (
                <CurvesChart key={name} name={name} points={curves!.curves[name]!} />
              ))}
            </div>
          ) : (
            isActive(job) && (
              <p className="small muted">
                Curves appear here while a neural model trains (the linear models and baselines fit in one step).
              </p>
            )
          ))}
      </article>
      {result && <RunDetail runId={result.runId} />}
    </section>
  );
}
