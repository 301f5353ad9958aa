import type { PreferenceModelSummary } from '../../../../shared/preferenceWorkflow';
import { fixed, formatDate, kindLabel } from './format';
import { TrainForm } from './TrainForm';
import { activateModel, type TrainOptions } from '../../../store/preferenceActions';
import { MaeVerdict, R2Verdict } from './Verdict';

/**
 * Every preference model, oldest first: what it is, what it learned from, how good it is on the
 * spec's thresholds, its lineage and notes; Activate is explicit, with the spec's advice beside
 * it (the advice is offered, not applied). Below, the form for a new version.
 */
export function VersionsSection({
  models,
  eligible,
  training,
  onTrain,
}: {
  models: PreferenceModelSummary[];
  eligible: number;
  training: boolean;
  onTrain: (options: TrainOptions) => void;
}) {
  return (
    <div className="pm-versions" data-testid="pm-versions">
      {models.length === 0 ? (
        <p className="empty">No preference model yet. Train the first one below (the spec: Ridge at 200 ratings).</p>
      ) : (
        <div className="pm-scroll">
          <table className="table pm-table pm-versions-table" data-testid="pm-versions-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Kind</th>
                <th scope="col">Created</th>
                <th scope="col" className="num">
                  Ratings
                </th>
                <th scope="col" className="num">
                  CV MAE ± sd
                </th>
                <th scope="col" className="num">
                  RMSE
                </th>
                <th scope="col" className="num">
                  R²
                </th>
                <th scope="col" className="num">
                  Features
                </th>
                <th scope="col">Parent</th>
                <th scope="col">Notes</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} data-model={m.id} data-active={m.active} className={m.active ? 'selected' : ''}>
                  <td className="mono-id">{m.id}</td>
                  <td>
                    {kindLabel(m.kind)}
                    <div className="small muted">
                      top {m.options.top}
                      {m.options.prune !== null && `, prune ${m.options.prune}`}
                    </div>
                  </td>
                  <td>{formatDate(m.createdAt)}</td>
                  <td className="num">{m.trainingRatings}</td>
                  <td className="num">
                    {fixed(m.metrics.cv_mae)} ± {fixed(m.metrics.cv_mae_std)}
                    <div>
                      <MaeVerdict metrics={m.metrics} />
                    </div>
                  </td>
                  <td className="num">{fixed(m.metrics.rmse)}</td>
                  <td className="num">
                    {fixed(m.metrics.r2)}
                    <div>
                      <R2Verdict metrics={m.metrics} />
                    </div>
                  </td>
                  <td className="num">{m.features}</td>
                  <td className="mono-id small">{m.parentId ?? '—'}</td>
                  <td className="pm-notes-cell">{m.notes || <span className="muted">—</span>}</td>
                  <td className="pm-activate-cell">
                    {m.active ? (
                      <span className="badge badge-succeeded">active</span>
                    ) : (
                      <button
                        type="button"
                        className={m.advice.activate ? 'primary' : ''}
                        onClick={() => void activateModel(m.id)}
                        aria-label={`Activate ${m.id}`}
                      >
                        Activate
                      </button>
                    )}
                    <div className={`small ${m.advice.activate ? 'good' : 'muted'}`} title={m.advice.reason}>
                      {m.advice.activate ? 'advised' : 'not advised'}: {m.advice.reason}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="small muted">
        Thresholds (spec §6.2, 0–1 scale): MAE below 0.15 ready, 0.15–0.20 acceptable, above 0.20 not ready; R² above 0.6 ready, 0.4–0.6
        acceptable, below 0.4 not ready. A model is advised when it is the first at ≥ 200 ratings with MAE below 0.20, or its CV MAE beats
        the active one's by more than its fold sd.
      </p>
      <TrainForm eligible={eligible} training={training} onTrain={onTrain} />
    </div>
  );
}
