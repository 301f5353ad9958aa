import type { PreferenceTrainResult } from '../../../../shared/preferenceWorkflow';
import { JobActions, JobStatusBadge } from '../../../components/JobRow';
import { ProgressBar } from '../../../components/ProgressBar';
import { formatEta, isActive } from '../../../components/format';
import { useJob } from '../../../store/useJob';
import { kindLabel } from './format';
import { activateModel } from '../../../store/preferenceActions';
import { MetricFigures } from './Verdict';

/**
 * A preference.train job from start to result: live progress and stage with cancel while it
 * runs; then the new version, its metrics with the spec's verdicts, the activation advice and
 * an Activate button (offered, never applied on its own); or the failure as the core wrote it.
 */
export function TrainJobCard({ jobId, activeId, onClose }: { jobId: string; activeId: string | null; onClose: () => void }) {
  const job = useJob(jobId);

  if (!job) return <p className="loading">Loading…</p>;
  const result = job.status === 'succeeded' ? (job.result as PreferenceTrainResult | null) : null;
  return (
    <article className="card pm-train" aria-label="Training" data-testid="train-job" data-status={job.status}>
      <header className="pm-card-head">
        <h3>{result ? `Trained ${result.model}` : 'Training a preference model'}</h3>
        <JobStatusBadge job={job} testId="train-job-status" />
        {!isActive(job) && (
          <button type="button" className="pm-close" onClick={onClose} aria-label="Close the training result">
            ×
          </button>
        )}
      </header>
      {isActive(job) && (
        <>
          <ProgressBar fraction={job.progress.fraction} label="Training progress" />
          <p className="small muted" data-testid="train-job-stage">
            {job.progress.stage || (job.status === 'running' ? 'Starting…' : 'Waiting to start…')} {formatEta(job)}
          </p>
        </>
      )}
      <JobActions job={job} />
      {job.error && (
        <p className={job.status === 'cancelled' ? 'muted' : 'bad'} role="status" data-testid="train-job-error">
          {job.error.message}
        </p>
      )}
      {result && <TrainResult result={result} activeId={activeId} />}
    </article>
  );
}

function TrainResult({ result, activeId }: { result: PreferenceTrainResult; activeId: string | null }) {
  const isActiveModel = activeId === result.model;
  return (
    <div className="pm-train-result" data-testid="train-result" data-model={result.model}>
      <p>
        {kindLabel(result.kind)} on {result.ratings} ratings · {result.features} features
        {result.parent && <> · parent {result.parent}</>}
      </p>
      <MetricFigures metrics={result.metrics} />
      <p className={result.advice.activate ? 'good' : 'muted'} data-testid="train-advice">
        Advice: {result.advice.activate ? 'activate' : 'keep the current model'} — {result.advice.reason}
      </p>
      {result.notes.length > 0 && (
        <ul className="notes small muted">
          {result.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {isActiveModel ? (
        <p className="good">Active: new scores use {result.model}.</p>
      ) : (
        <button type="button" className={result.advice.activate ? 'primary' : ''} onClick={() => void activateModel(result.model)}>
          Activate {result.model}
        </button>
      )}
    </div>
  );
}
