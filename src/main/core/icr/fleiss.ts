import { categoriesUsed, undefinedBecause, value, type Stat } from './stat';
import type { Aggregate } from './tally';

/**
 * Fleiss' kappa and Gwet's AC1 with irrCAC's convention for missing codes (Gwet, Handbook of
 * Inter-Rater Reliability; R package irrCAC): the observed agreement p_a is averaged over
 * units with at least two codes; the category shares π_c = mean over units with at least one
 * code of n_uc / n_u. Fleiss: p_e = Σ π_c². Gwet's AC1: p_e = Σ π_c (1 − π_c) / (q − 1), over
 * the q declared categories (an unused one counts). κ = (p_a − p_e) / (1 − p_e).
 */
function shares(agg: Aggregate): Float64Array {
  const pi = new Float64Array(agg.q);
  for (let c = 0; c < agg.q; c++) pi[c] = agg.shareSums[c]! / agg.coded;
  return pi;
}

export function fleissKappa(agg: Aggregate): Stat {
  if (agg.compared === 0) return undefinedBecause("Fleiss' kappa is undefined: no unit has two codes");
  const pi = shares(agg);
  if (categoriesUsed(pi) < 2)
    return undefinedBecause("Fleiss' kappa is undefined: chance agreement is 1 (every code is the same category)");
  let pe = 0;
  for (let c = 0; c < agg.q; c++) pe += pi[c]! * pi[c]!;
  const pa = agg.agreementSum / agg.compared;
  return value((pa - pe) / (1 - pe));
}

export function gwetAC1(agg: Aggregate): Stat {
  if (agg.q < 2) return undefinedBecause("Gwet's AC1 is undefined: it needs at least two categories");
  if (agg.compared === 0) return undefinedBecause("Gwet's AC1 is undefined: no unit has two codes");
  const pi = shares(agg);
  let pe = 0;
  for (let c = 0; c < agg.q; c++) pe += pi[c]! * (1 - pi[c]!);
  pe /= agg.q - 1;
  const pa = agg.agreementSum / agg.compared;
  return value((pa - pe) / (1 - pe));
}
