import { useMemo, useState } from 'react';
import type { GbmResult, PdpGrid } from '../../../shared/analysis';
import { pdpHeatmap } from '../../../shared/plots';
import { Figure } from './Figure';
import { fmt } from './format';

const QUANTILES = ['Q25', 'Q50', 'Q75'] as const;
const keyOf = (g: PdpGrid) => `${g.x.name} × ${g.y.name}${g.slice ? ` | ${g.slice.name}` : ''}`;

/**
 * Gradient boosting of one outcome: its cross-validated R² by fold, and the partial
 * dependence surfaces as contour heatmaps: pick a pair; a three-way view has a slice selector
 * (the third variable at Q25 / Q50 / Q75).
 */
export function PdpSection({ gbm, grids }: { gbm: GbmResult | undefined; grids: PdpGrid[] }) {
  const views = [...new Set(grids.map(keyOf))];
  const [view, setView] = useState(0);
  const [quantile, setQuantile] = useState<(typeof QUANTILES)[number]>('Q50');
  const key = views[Math.min(view, views.length - 1)];
  const inView = grids.filter((g) => keyOf(g) === key);
  const grid = inView.find((g) => !g.slice || g.slice.quantile === quantile) ?? inView[0];
  const svg = useMemo(() => (grid ? pdpHeatmap(grid, { theme: 'inherit' }) : null), [grid]);
  if (!gbm && !grids.length) return null;
  return (
    <section className="card" aria-labelledby="analysis-gbm-title">
      <h3 id="analysis-gbm-title">Gradient boosting and partial dependence</h3>
      {gbm && (
        <p className="small" data-testid="analysis-gbm-cv">
          XGBoost on log(1 + outcome): {gbm.folds}-fold cross-validated R² <strong>{fmt(gbm.cvR2)}</strong> (folds:{' '}
          {gbm.foldR2.map((r) => fmt(r, 2)).join(', ')}), n = {gbm.n.toLocaleString()}
        </p>
      )}
      {views.length > 0 && (
        <>
          <div className="analysis-pdp-pickers">
            <label>
              Surface
              <select aria-label="PDP surface" value={Math.min(view, views.length - 1)} onChange={(e) => setView(Number(e.target.value))}>
                {views.map((v, i) => (
                  <option key={v} value={i}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
            {grid?.slice && (
              <div role="radiogroup" aria-label="Slice" className="tabs small-tabs">
                {QUANTILES.map((q) => (
                  <button
                    key={q}
                    type="button"
                    role="radio"
                    aria-checked={quantile === q}
                    className={quantile === q ? 'active' : ''}
                    onClick={() => setQuantile(q)}
                  >
                    {grid.slice!.name} {q}
                  </button>
                ))}
              </div>
            )}
          </div>
          {svg && <Figure svg={svg} testId="analysis-pdp-plot" />}
          {grid && <p className="muted small">The numbers behind it: {grid.file} in the run folder.</p>}
        </>
      )}
    </section>
  );
}
