import { useEffect, useState } from 'react';
import type { FinetuneRunView } from '../../../shared/finetuneRuns';
import type { JobSummary } from '../../../shared/jobs';
import { ProgressBar } from '../../components/ProgressBar';
import { JobActions, JobStatusBadge } from '../../components/JobRow';
import { formatEta, formatTime, isActive } from '../../components/format';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { ComparisonPage } from './ComparisonPage';
import { CV_LABEL } from './format';
import { LossChart } from './LossChart';
import { getFinetuneRun } from '../../store/finetuneActions';

/**
 * One fine-tune run. Its data is refetched whenever the job's row changes (a `job.updated`
 * event moves the job in the store: every epoch reports progress after saving its losses),
 * never on a timer.
 */
export function RunView({ jobId }: { jobId: string }) {
  const liveJob = useStore((s) => s.jobs[jobId]);
  const updatedAt = liveJob?.updatedAt;
  const [view, setView] = useState<FinetuneRunView | null>(null);

  useEffect(() => {
    let current = true;
    getFinetuneRun({ jobId }).then((v) => current && setView(v), notifyError);
    return () => {
      current = false;
    };
  }, [jobId, updatedAt]);

  if (!view || view.job.id !== jobId) return <p className="loading">Loading…</p>;
  // The store's copy is the freshest (events land there first).
  const job = liveJob && liveJob.updatedAt > view.job.updatedAt ? liveJob : view.job;
  const { params } = view;
  return (
    <section className="run-view" aria-label="Fine-tune run" data-testid="run-view" data-job-id={jobId} data-status={job.status}>
      <header className="screen-head">
        <h2>
          {params.baseModel} → {view.newModelId ?? '?'}
        </h2>
        <JobStatusBadge job={job} testId="run-status" />
      </header>
      <p className="small muted">
        Gold snapshot <span className="mono">{params.goldSnapshotId}</span> · {CV_LABEL[params.cv]} · {params.recipe.optimizer}, lr{' '}
        {params.recipe.lr}, batch {params.recipe.batchSize}, up to {params.recipe.maxEpochs} epochs (patience {params.recipe.patience}),{' '}
        {params.recipe.classWeights === 'inverse_frequency' ? 'inverse-frequency class weights' : 'no class weights'}, seed{' '}
        {params.recipe.seed} · started {formatTime(job.startedAt ?? job.createdAt)}
      </p>
      <JobActions job={job} />
      {job.error && job.status !== 'succeeded' && (
        <p className={job.status === 'cancelled' ? 'muted' : 'bad'} role="status" data-testid="run-error">
          {job.error.message}
        </p>
      )}
      {job.status !== 'succeeded' && <Live view={view} job={job} />}
      {job.status === 'succeeded' && view.result && <ComparisonPage view={view} />}
      {job.status === 'succeeded' && view.state && (
        <details className="card">
          <summary>Loss curves</summary>
          <LossChart state={view.state} maxEpochs={params.recipe.maxEpochs} />
        </details>
      )}
    </section>
  );
}

/** Where the run is: fold i of N, epoch, current loss, ETA, and the loss curves so far. */
function Live({ view, job }: { view: FinetuneRunView; job: JobSummary }) {
  const { state, plan, params } = view;
  const position = whereIs(view);
  const lastLoss = state?.current?.epochs.at(-1)?.loss;
  return (
    <article className="card live" data-testid="live">
      {isActive(job) && (
        <>
          <p className="small muted" data-testid="live-plan">
            {plan.map((p) => `${p.folds} ${CV_LABEL[p.cv]} folds`).join(', then ')}, then {view.newModelId ?? 'the new version'} on every
            gold frame if it is better.
          </p>
          <dl className="live-figures">
            <div className="row">
              <dt>Fold</dt>
              <dd data-testid="live-fold">
                {position.kind === 'fold'
                  ? `${position.fold} of ${position.folds} (${CV_LABEL[position.cv]})`
                  : position.kind === 'final'
                    ? `cross-validation done (${plan.map((p) => `${p.folds} ${CV_LABEL[p.cv]}`).join(', ')}); training ${view.newModelId} on every gold frame`
                    : 'not started'}
              </dd>
            </div>
            <div className="row">
              <dt>Epoch</dt>
              <dd data-testid="live-epoch">
                {state?.current ? `${state.current.epochs.length} of at most ${params.recipe.maxEpochs}` : '—'}
              </dd>
            </div>
            <div className="row">
              <dt>Loss</dt>
              <dd data-testid="live-loss">{lastLoss === undefined ? '—' : lastLoss.toFixed(4)}</dd>
            </div>
            <div className="row">
              <dt>Time left</dt>
              <dd>{formatEta(job) || '—'}</dd>
            </div>
          </dl>
          <ProgressBar fraction={job.progress.fraction} label="Fine-tune progress" />
          <p className="small muted" data-testid="live-stage">
            {job.progress.stage || 'Waiting to start…'}
          </p>
        </>
      )}
      {state ? (
        <LossChart state={state} maxEpochs={params.recipe.maxEpochs} />
      ) : (
        !isActive(job) && <p className="muted">No epoch finished before the run stopped.</p>
      )}
    </article>
  );
}

type Position = { kind: 'fold'; cv: 'loo' | 'video'; fold: number; folds: number } | { kind: 'final' } | { kind: 'none' };

/** The fold in training (from the checkpoint), or the next one, or the final run once every fold is done. */
function whereIs({ state, plan }: FinetuneRunView): Position {
  if (!state) return { kind: 'none' };
  const finished = (cv: string) => Object.values(state.folds).filter((f) => f.cv === cv).length;
  if (state.current) {
    const folds = plan.find((p) => p.cv === state.current!.cv)?.folds ?? 0;
    return { kind: 'fold', cv: state.current.cv, fold: finished(state.current.cv) + 1, folds };
  }
  const next = plan.find((p) => finished(p.cv) < p.folds);
  return next ? { kind: 'fold', cv: next.cv, fold: finished(next.cv) + 1, folds: next.folds } : { kind: 'final' };
}
