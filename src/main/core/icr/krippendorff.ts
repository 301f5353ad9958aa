import { categoriesUsed, undefinedBecause, value, type Stat } from './stat';

/**
 * Krippendorff's alpha from the coincidence matrix (Krippendorff 2011, "Computing
 * Krippendorff's Alpha-Reliability"): α = 1 − D_o / D_e with
 *   D_o = Σ_ck o_ck δ²_ck / n,   D_e = Σ_ck n_c n_k δ²_ck / (n (n − 1)),
 * n_c the coincidence marginals and n the pairable values. Only units with two or more codes
 * contribute (the coincidence matrix is built that way, see tally.ts). Ordered metrics use
 * the declared order: ranks 1..q for interval and ratio, and for ordinal the rank-based
 * metric δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)², so an unused category adds no distance.
 */
export const ALPHA_METRICS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;
export type AlphaMetric = (typeof ALPHA_METRICS)[number];

export function krippendorffAlpha(coincidence: ArrayLike<number>, q: number, metric: AlphaMetric): Stat {
  const marginals = new Float64Array(q);
  let n = 0;
  for (let c = 0; c < q; c++) {
    for (let k = 0; k < q; k++) marginals[c]! += coincidence[c * q + k]!;
    n += marginals[c]!;
  }
  if (n === 0) return undefinedBecause("Krippendorff's alpha is undefined: no unit has two codes");
  if (categoriesUsed(marginals) < 2) {
    return undefinedBecause("Krippendorff's alpha is undefined: the expected disagreement is 0 (every compared code is the same category)");
  }
  // Cumulative marginals make the ordinal metric O(1) per cell.
  const cumulative = new Float64Array(q + 1);
  for (let c = 0; c < q; c++) cumulative[c + 1] = cumulative[c]! + marginals[c]!;
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < q; c++) {
    for (let k = 0; k < q; k++) {
      if (c === k) continue;
      const d = delta2(metric, c, k, marginals, cumulative);
      observed += coincidence[c * q + k]! * d;
      expected += marginals[c]! * marginals[k]! * d;
    }
  }
  return value(1 - ((n - 1) * observed) / expected);
}

function delta2(metric: AlphaMetric, c: number, k: number, marginals: Float64Array, cumulative: Float64Array): number {
  switch (metric) {
    case 'nominal':
      return 1;
    case 'ordinal': {
      const lo = Math.min(c, k);
      const hi = Math.max(c, k);
      const d = cumulative[hi + 1]! - cumulative[lo]! - (marginals[c]! + marginals[k]!) / 2;
      return d * d;
    }
    case 'interval':
      return (c - k) * (c - k);
    case 'ratio': {
      // Ranks are 1..q: index + 1.
      const d = (c - k) / (c + k + 2);
      return d * d;
    }
  }
}
