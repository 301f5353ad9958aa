import { normalQuantile, normalSf, studentTQuantile, studentTSf } from './distributions';

/**
 * Wald inference for one estimate: the statistic, its two-sided p and the confidence
 * interval, against Student's t with the residual df or the standard normal — the same
 * reference statsmodels uses for the model (t for OLS with nonrobust errors; z for the
 * heteroskedasticity-robust types and for GLM and discrete models).
 */
export type Reference = { kind: 't'; df: number } | { kind: 'z' };

export interface Coefficient {
  term: string;
  estimate: number;
  se: number;
  stat: number;
  p: number;
  ciLow: number;
  ciHigh: number;
}

export const DEFAULT_CONFIDENCE = 0.95;

/** Two-sided p of a Wald statistic. */
export function twoSidedP(stat: number, reference: Reference): number {
  const tail = reference.kind === 't' ? studentTSf(Math.abs(stat), reference.df) : normalSf(Math.abs(stat));
  return Math.min(1, 2 * tail);
}

/** The critical value for a two-sided interval of the given confidence. */
export function criticalValue(reference: Reference, confidence = DEFAULT_CONFIDENCE): number {
  const upper = 1 - (1 - confidence) / 2;
  return reference.kind === 't' ? studentTQuantile(upper, reference.df) : normalQuantile(upper);
}

export function wald(term: string, estimate: number, se: number, reference: Reference, confidence = DEFAULT_CONFIDENCE): Coefficient {
  const stat = estimate / se;
  const q = criticalValue(reference, confidence);
  return { term, estimate, se, stat, p: twoSidedP(stat, reference), ciLow: estimate - q * se, ciHigh: estimate + q * se };
}

/** One row per coefficient, SEs from the covariance matrix's diagonal (p × p, column-major). */
export function coefficientTable(
  names: readonly string[],
  params: ArrayLike<number>,
  cov: Float64Array,
  reference: Reference,
  confidence = DEFAULT_CONFIDENCE,
): Coefficient[] {
  const p = names.length;
  return names.map((term, j) => wald(term, params[j]!, Math.sqrt(cov[j * p + j]!), reference, confidence));
}
