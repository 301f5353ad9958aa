import { FramelabError } from '../../../shared/errors';

/**
 * Benjamini–Hochberg q-values for a family of p-values (the pairwise interaction screen):
 * q_(i) = min over j ≥ i of p_(j)·m/j, capped at 1 — statsmodels'
 * `multipletests(p, method='fdr_bh')[1]`. Returned in the input order.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1))
      throw new FramelabError(
        'INVALID_INPUT',
        `p-value ${i + 1} of the family is ${p}; Benjamini–Hochberg needs every p between 0 and 1 (leave out models that failed).`,
      );
  });
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(m);
  let running = Infinity;
  for (let rank = m; rank >= 1; rank--) {
    const { p, i } = order[rank - 1]!;
    running = Math.min(running, (p * m) / rank);
    q[i] = Math.min(1, running);
  }
  return q;
}
