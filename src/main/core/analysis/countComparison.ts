import { FramelabError } from '../../../shared/errors';
import type { CountComparisonRow } from '../../../shared/analysis';
import type { Coefficient } from './inference';

/**
 * Log-OLS (the main spec on log1p(outcome)) against the count model (NB2) of the same outcome,
 * term by term: does the effect point the same way, and is it significant in both or in
 * neither? Agreement means a conclusion does not hinge on the transformation of the outcome.
 *
 * - Terms: those in both models, in the OLS order, except `Intercept` (the two intercepts are
 *   on different scales and not a finding) and NB's `alpha` (not a predictor).
 * - sameDirection: the signs of the estimates are equal (an estimate of exactly 0 only
 *   agrees with another 0).
 * - sameSignificance: p < threshold in both, or in neither (threshold 0.05 by default; the
 *   p-values are each model's own: HC-robust z for OLS as configured, Wald z for NB).
 * - A count model that did not converge yields no rows: its estimates are not estimates, and
 *   the caller reports it as not converged instead of comparing it.
 */

export interface CountComparisonOptions {
  /** Significance threshold for both models (default 0.05). */
  threshold?: number;
}

const SKIPPED = new Set(['Intercept', 'alpha']);

export function compareCountModels(
  outcome: string,
  ols: { coefficients: readonly Coefficient[] },
  countModel: { coefficients: readonly Coefficient[]; converged: boolean },
  options: CountComparisonOptions = {},
): CountComparisonRow[] {
  const threshold = options.threshold ?? 0.05;
  if (!(threshold > 0 && threshold < 1))
    throw new FramelabError(
      'INVALID_INPUT',
      `The significance threshold for the count-model comparison must be between 0 and 1; got ${threshold}.`,
    );
  if (!countModel.converged) return [];
  const byTerm = new Map(countModel.coefficients.map((c) => [c.term, c]));
  const rows: CountComparisonRow[] = [];
  for (const o of ols.coefficients) {
    const c = byTerm.get(o.term);
    if (!c || SKIPPED.has(o.term)) continue;
    rows.push({
      outcome,
      term: o.term,
      olsEstimate: o.estimate,
      olsP: o.p,
      nbEstimate: c.estimate,
      nbP: c.p,
      sameDirection: Math.sign(o.estimate) === Math.sign(c.estimate),
      sameSignificance: o.p < threshold === c.p < threshold,
    });
  }
  return rows;
}
