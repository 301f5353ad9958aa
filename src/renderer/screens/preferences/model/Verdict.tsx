import type { ModelMetrics } from '../../../../shared/preferenceModel';
import { fixed, MAE_LABEL, MAE_RULE, MAE_TONE, R2_LABEL, R2_RULE, R2_TONE } from './format';

/** A metric with the spec's verdict beside it (ready / acceptable / not ready), the rule in its tooltip. */
export function MaeVerdict({ metrics, which = 'cv_mae' }: { metrics: ModelMetrics; which?: 'cv_mae' | 'mae' }) {
  const status = metrics.status[which];
  return (
    <span className={`verdict verdict-${MAE_TONE[status]}`} title={MAE_RULE} data-verdict={MAE_LABEL[status]}>
      {MAE_LABEL[status]}
    </span>
  );
}

export function R2Verdict({ metrics, which = 'r2' }: { metrics: ModelMetrics; which?: 'r2' | 'cv_r2' }) {
  const status = metrics.status[which];
  return (
    <span className={`verdict verdict-${R2_TONE[status]}`} title={R2_RULE} data-verdict={R2_LABEL[status]}>
      {R2_LABEL[status]}
    </span>
  );
}

/** The four figures a model is judged by, each with its verdict. */
export function MetricFigures({ metrics }: { metrics: ModelMetrics }) {
  return (
    <dl className="pm-metrics">
      <div className="row">
        <dt>CV MAE</dt>
        <dd>
          <span className="num">
            {fixed(metrics.cv_mae)} ± {fixed(metrics.cv_mae_std)}
          </span>{' '}
          <MaeVerdict metrics={metrics} />
        </dd>
      </div>
      <div className="row">
        <dt>Hold-out MAE</dt>
        <dd>
          <span className="num">{fixed(metrics.mae)}</span> <MaeVerdict metrics={metrics} which="mae" />
        </dd>
      </div>
      <div className="row">
        <dt>RMSE</dt>
        <dd className="num">{fixed(metrics.rmse)}</dd>
      </div>
      <div className="row">
        <dt>R²</dt>
        <dd>
          <span className="num">{fixed(metrics.r2)}</span> <R2Verdict metrics={metrics} />
        </dd>
      </div>
    </dl>
  );
}
