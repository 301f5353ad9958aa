import { SE_TYPES, type AnalysisColumn } from '../../../shared/analysis';
import { useStore } from '../../store';
import { withRole, type AnalysisDraft } from '../../store/analysisDraft';

/** A row of variable pickers (a focal set or a PDP pair), each from `options`. */
function Picks({
  label,
  values,
  options,
  onChange,
}: {
  label: string;
  values: string[];
  options: string[];
  onChange: (v: string[]) => void;
}) {
  return (
    <span className="analysis-picks">
      {values.map((v, i) => (
        <select
          key={i}
          aria-label={`${label}, variable ${i + 1}`}
          value={v}
          onChange={(e) => onChange(values.map((x, k) => (k === i ? e.target.value : x)))}
        >
          {!options.includes(v) && <option value={v}>{v || '—'}</option>}
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ))}
    </span>
  );
}

/**
 * The models a run fits: the theory-driven focal sets (three-way or two-way), the exploratory
 * pairwise screen, standard errors, centring, count models, gradient boosting with its PDP
 * pairs, LASSO and the cross-validation folds. Defaults are the lab's (HC3, not centred, 5 folds, 20 × 20 grid).
 */
export function ModelsCard({ columns }: { columns: AnalysisColumn[] }) {
  const draft = useStore((s) => s.analysisDraft);
  const setDraft = useStore((s) => s.setAnalysisDraft);
  const predictors = withRole(columns, draft.roles, 'predictor');
  const pdpOptions = [...predictors, ...withRole(columns, draft.roles, 'control')];
  const check = (key: keyof AnalysisDraft, label: string, hint?: string) => (
    <label className="check">
      <input type="checkbox" aria-label={label} checked={draft[key] as boolean} onChange={(e) => setDraft({ [key]: e.target.checked })} />{' '}
      {label}
      {hint && <span className="muted small"> — {hint}</span>}
    </label>
  );
  const number = (key: keyof AnalysisDraft, label: string, min: number, max: number, step = 1) => (
    <label>
      {label}
      <input
        type="number"
        aria-label={label}
        min={min}
        max={max}
        step={step}
        value={draft[key] as number}
        onChange={(e) => e.target.value !== '' && setDraft({ [key]: Math.min(max, Math.max(min, Number(e.target.value))) })}
      />
    </label>
  );
  const firstThree = predictors.slice(0, 3);
  return (
    <article className="card" aria-labelledby="analysis-models-title">
      <h2 id="analysis-models-title">Models</h2>
      <section aria-label="Focal interactions" className="analysis-focal">
        <h3>Focal interactions (theory-driven)</h3>
        <p className="muted small">
          Each set gets every lower-order term and its highest one (a*b*c), with the other predictors and the controls, for every outcome.
        </p>
        {draft.focal.map((group, i) => (
          <div key={i} className="analysis-focal-row">
            <Picks
              label={`Focal set ${i + 1}`}
              values={group}
              options={predictors}
              onChange={(g) => setDraft({ focal: draft.focal.map((x, k) => (k === i ? g : x)) })}
            />
            {group.length === 3 ? (
              <button type="button" onClick={() => setDraft({ focal: draft.focal.map((x, k) => (k === i ? x.slice(0, 2) : x)) })}>
                Make two-way
              </button>
            ) : (
              <button
                type="button"
                onClick={() =>
                  setDraft({ focal: draft.focal.map((x, k) => (k === i ? [...x, predictors.find((p) => !x.includes(p)) ?? ''] : x)) })
                }
              >
                Make three-way
              </button>
            )}
            <button
              type="button"
              aria-label={`Remove focal set ${i + 1}`}
              onClick={() => setDraft({ focal: draft.focal.filter((_, k) => k !== i) })}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={predictors.length < 2}
          onClick={() => setDraft({ focal: [...draft.focal, firstThree.length === 3 ? firstThree : firstThree.slice(0, 2)] })}
        >
          + Focal set
        </button>
      </section>
      <div className="analysis-options">
        <fieldset>
          <legend>Log-OLS</legend>
          {check('pairwise', 'Pairwise screen', 'exploratory: every predictor pair, BH q-values')}
          <label>
            Standard errors
            <select aria-label="Standard errors" value={draft.se} onChange={(e) => setDraft({ se: e.target.value as AnalysisDraft['se'] })}>
              {SE_TYPES.map((s) => (
                <option key={s} value={s}>
                  {s}
                  {s === 'HC3' ? ' (default)' : ''}
                </option>
              ))}
            </select>
          </label>
          {check('center', 'Mean-centre focal predictors')}
          {number('slopesP', 'Simple slopes for focal terms with p below', 0.001, 1, 0.01)}
        </fieldset>
        <fieldset>
          <legend>Count models</legend>
          {check('countModels', 'Count models', 'Poisson and NB2 on the raw counts')}
          {draft.countModels && check('zinb', 'Zero-inflated NB for every outcome', 'always fitted where NB does not converge')}
        </fieldset>
        <fieldset>
          <legend>Prediction</legend>
          {check('gbm', 'Gradient boosting', 'XGBoost, K-fold CV R², partial dependence')}
          {draft.gbm && number('gbmFolds', 'GBM folds', 2, 20)}
          {draft.gbm && number('grid', 'PDP grid (points per axis)', 3, 100)}
          {check('lasso', 'LASSO', 'standardized, α by inner CV')}
          {number('cvFolds', 'Cross-validation folds (OLS, LASSO)', 2, 20)}
          {number('seed', 'Seed', 0, 2 ** 31 - 1)}
        </fieldset>
      </div>
      {draft.gbm && (
        <section aria-label="Partial dependence pairs" className="analysis-focal">
          <h3>Partial dependence pairs</h3>
          <p className="muted small">
            A 2-D surface for each pair over the 5th–95th percentiles; every focal triple also gets its three sliced surfaces.
          </p>
          {draft.pdpPairs.map((pair, i) => (
            <div key={i} className="analysis-focal-row">
              <Picks
                label={`PDP pair ${i + 1}`}
                values={pair}
                options={pdpOptions}
                onChange={(p) => setDraft({ pdpPairs: draft.pdpPairs.map((x, k) => (k === i ? (p as [string, string]) : x)) })}
              />
              <button
                type="button"
                aria-label={`Remove PDP pair ${i + 1}`}
                onClick={() => setDraft({ pdpPairs: draft.pdpPairs.filter((_, k) => k !== i) })}
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            disabled={pdpOptions.length < 2}
            onClick={() => setDraft({ pdpPairs: [...draft.pdpPairs, [pdpOptions[0]!, pdpOptions[1]!]] })}
          >
            + PDP pair
          </button>
        </section>
      )}
    </article>
  );
}
