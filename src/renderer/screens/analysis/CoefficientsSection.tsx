import { useMemo, useState } from 'react';
import type { OlsModel } from '../../../shared/analysis';
import { coefficientPlot, modelLabel, pairwiseScreenPlot } from '../../../shared/plots';
import { Figure } from './Figure';
import { fmt, fmtP, stars } from './format';

/** One model's coefficients as a table: estimate, SE, the statistic statsmodels reports, p, 95% CI. */
function CoefficientTable({ model }: { model: OlsModel }) {
  return (
    <table className="table analysis-coefs" data-testid="analysis-coef-table">
      <thead>
        <tr>
          <th scope="col">Term</th>
          <th scope="col" className="num">
            Estimate
          </th>
          <th scope="col" className="num">
            SE ({model.se})
          </th>
          <th scope="col" className="num">
            {model.statName}
          </th>
          <th scope="col" className="num">
            p
          </th>
          <th scope="col" className="num">
            95% CI
          </th>
        </tr>
      </thead>
      <tbody>
        {model.coefficients.map((c) => (
          <tr key={c.term} className={c.p < 0.05 ? 'significant' : ''}>
            <td className="mono">{c.term}</td>
            <td className="num">
              {fmt(c.estimate, 4)}
              <span className="stars">{stars(c.p)}</span>
            </td>
            <td className="num">{fmt(c.se, 4)}</td>
            <td className="num">{fmt(c.stat, 2)}</td>
            <td className="num">{fmtP(c.p)}</td>
            <td className="num">
              [{fmt(c.ciLow, 3)}, {fmt(c.ciHigh, 3)}]
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The log-OLS models of one outcome: pick main or a focal model to see its coefficient plot,
 * fit figures and table; the pairwise screen below it, labelled exploratory everywhere.
 */
export function CoefficientsSection({ models }: { models: OlsModel[] }) {
  const theory = models.filter((m) => m.spec !== 'pairwise');
  const pairwise = models.filter((m) => m.spec === 'pairwise');
  const [picked, setPicked] = useState(0);
  const model = theory[Math.min(picked, theory.length - 1)];
  const plot = useMemo(() => (model ? coefficientPlot([model], { theme: 'inherit' }) : null), [model]);
  const screen = useMemo(() => (pairwise.length ? pairwiseScreenPlot(pairwise, { theme: 'inherit' }) : null), [pairwise]);
  const ranked = [...pairwise].filter((m) => m.interaction).sort((a, b) => (a.interaction!.q ?? 1) - (b.interaction!.q ?? 1));
  return (
    <>
      <section className="card" aria-labelledby="analysis-coef-title">
        <header className="screen-head">
          <h3 id="analysis-coef-title">Log-OLS coefficients</h3>
          <div role="tablist" aria-label="Model" className="tabs small-tabs">
            {theory.map((m, i) => (
              <button
                key={modelLabel(m)}
                type="button"
                role="tab"
                aria-selected={model === m}
                className={model === m ? 'active' : ''}
                onClick={() => setPicked(i)}
              >
                {modelLabel(m)}
              </button>
            ))}
          </div>
        </header>
        {model && (
          <>
            <p className="small" data-testid="analysis-model-fit">
              log(1 + outcome), n = {model.n.toLocaleString()} ({model.dropped.toLocaleString()} rows dropped for missing values) · R²{' '}
              {fmt(model.r2)} · adj. R² {fmt(model.adjR2)} · AIC {fmt(model.aic, 1)} · SE {model.se}
            </p>
            <div className="analysis-split">
              {plot && <Figure svg={plot} testId="analysis-coef-plot" />}
              <CoefficientTable model={model} />
            </div>
          </>
        )}
      </section>
      {pairwise.length > 0 && (
        <section className="card exploratory" aria-labelledby="analysis-pairwise-title">
          <h3 id="analysis-pairwise-title">
            Pairwise screen <span className="badge badge-warn">exploratory</span>
          </h3>
          <p className="small muted">
            Every predictor pair, one model each; q-values are Benjamini–Hochberg across this outcome’s screen. A lead to follow up, not a
            finding.
          </p>
          <div className="analysis-split">
            {screen && <Figure svg={screen} testId="analysis-pairwise-plot" />}
            <table className="table" data-testid="analysis-pairwise-table">
              <thead>
                <tr>
                  <th scope="col">Interaction</th>
                  <th scope="col" className="num">
                    Estimate
                  </th>
                  <th scope="col" className="num">
                    p
                  </th>
                  <th scope="col" className="num">
                    q (BH)
                  </th>
                </tr>
              </thead>
              <tbody>
                {ranked.map((m) => {
                  const c = m.coefficients.find((x) => x.term === m.interaction!.term);
                  return (
                    <tr key={m.interaction!.term} className={(m.interaction!.q ?? 1) < 0.05 ? 'significant' : ''}>
                      <td className="mono">{m.interaction!.term}</td>
                      <td className="num">{fmt(c?.estimate, 4)}</td>
                      <td className="num">{fmtP(m.interaction!.p)}</td>
                      <td className="num">{fmtP(m.interaction!.q)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
