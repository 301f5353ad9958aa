import type { CountComparisonRow, CountModel, Overdispersion } from '../../../shared/analysis';
import { fmt, fmtP } from './format';

const FAMILY: Record<CountModel['family'], string> = { poisson: 'Poisson', negbin: 'NB2', zinb: 'Zero-inflated NB' };

/**
 * The count models of one outcome: overdispersion diagnostics, each model's fit with its
 * convergence (a model that did not converge is marked and kept out of comparisons), and
 * whether log-OLS and NB agree on each term's direction and significance.
 */
export function CountSection({
  overdispersion,
  models,
  agreement,
}: {
  overdispersion: Overdispersion | undefined;
  models: CountModel[];
  agreement: CountComparisonRow[];
}) {
  if (!overdispersion && !models.length) return null;
  const disagree = agreement.filter((r) => !r.sameDirection || !r.sameSignificance);
  return (
    <section className="card" aria-labelledby="analysis-count-title">
      <h3 id="analysis-count-title">Count models</h3>
      {overdispersion && (
        <p className="small" data-testid="analysis-overdispersion">
          Raw counts: mean {fmt(overdispersion.mean, 1)}, variance {fmt(overdispersion.variance, 1)}, variance/mean{' '}
          <strong>{fmt(overdispersion.ratio, 1)}</strong>, zeros {(100 * overdispersion.zeroShare).toFixed(1)}% · LR test of α = 0:{' '}
          {overdispersion.lrStatistic === null
            ? 'not available (a fit did not converge)'
            : `χ² ${fmt(overdispersion.lrStatistic, 1)}, p ${fmtP(overdispersion.lrP)}`}
        </p>
      )}
      <table className="table" data-testid="analysis-count-models">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Converged</th>
            <th scope="col" className="num">
              n
            </th>
            <th scope="col" className="num">
              α
            </th>
            <th scope="col" className="num">
              Log-likelihood
            </th>
            <th scope="col" className="num">
              AIC
            </th>
            <th scope="col" className="num">
              Pseudo-R²
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.family} className={m.converged ? '' : 'not-converged'}>
              <th scope="row">{FAMILY[m.family]}</th>
              <td>{m.converged ? 'yes' : <span className="bad">no: {m.problem}</span>}</td>
              <td className="num">{m.n.toLocaleString()}</td>
              <td className="num">{fmt(m.alpha, 4)}</td>
              <td className="num">{fmt(m.llf, 1)}</td>
              <td className="num">{fmt(m.aic, 1)}</td>
              <td className="num">{fmt(m.pseudoR2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {agreement.length > 0 && (
        <details>
          <summary data-testid="analysis-agreement">
            Log-OLS vs NB: {agreement.length - disagree.length} of {agreement.length} terms agree on direction and significance
            {disagree.length ? `; ${disagree.map((r) => r.term).join(', ')} ${disagree.length === 1 ? 'does' : 'do'} not` : ''}
          </summary>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Term</th>
                <th scope="col" className="num">
                  OLS
                </th>
                <th scope="col" className="num">
                  p
                </th>
                <th scope="col" className="num">
                  NB
                </th>
                <th scope="col" className="num">
                  p
                </th>
                <th scope="col">Agree</th>
              </tr>
            </thead>
            <tbody>
              {agreement.map((r) => (
                <tr key={r.term}>
                  <td className="mono">{r.term}</td>
                  <td className="num">{fmt(r.olsEstimate, 4)}</td>
                  <td className="num">{fmtP(r.olsP)}</td>
                  <td className="num">{fmt(r.nbEstimate, 4)}</td>
                  <td className="num">{fmtP(r.nbP)}</td>
                  <td>{r.sameDirection && r.sameSignificance ? 'yes' : !r.sameDirection ? 'no: direction' : 'no: significance'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
