import { undefinedBecause, value, type Stat } from './stat';

/**
 * Cohen's kappa and weighted kappa for exactly two coders, from their pair table (q × q,
 * rows the first coder's codes, columns the second's) over the units both coded. Weighted
 * kappa uses the declared order's ranks: disagreement weights |i − j| (linear) or (i − j)²
 * (quadratic), κ_w = 1 − Σ v_ij O_ij / Σ v_ij E_ij, E_ij = r_i c_j / n — the same as the
 * agreement-weight form with w_ij = 1 − v_ij / v_max.
 */
export type KappaWeights = 'linear' | 'quadratic';

function marginals(table: ArrayLike<number>, q: number) {
  const rows = new Float64Array(q);
  const cols = new Float64Array(q);
  let n = 0;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      const x = table[i * q + j]!;
      rows[i]! += x;
      cols[j]! += x;
      n += x;
    }
  }
  return { rows, cols, n };
}

/** Why a kappa is undefined on this table, or null when it is defined. */
function degenerate(rows: Float64Array, cols: Float64Array, n: number, what: string): string | null {
  if (n === 0) return `${what} is undefined: no unit was coded by both coders`;
  for (let c = 0; c < rows.length; c++) {
    if (rows[c] === n && cols[c] === n) return `${what} is undefined: expected agreement is 1 (both coders used a single category)`;
  }
  return null;
}

export function cohenKappa(table: ArrayLike<number>, q: number): Stat {
  const { rows, cols, n } = marginals(table, q);
  const why = degenerate(rows, cols, n, "Cohen's kappa");
  if (why) return undefinedBecause(why);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < q; c++) {
    observed += table[c * q + c]!;
    expected += rows[c]! * cols[c]!;
  }
  observed /= n;
  expected /= n * n;
  return value((observed - expected) / (1 - expected));
}

export function weightedKappa(table: ArrayLike<number>, q: number, weights: KappaWeights): Stat {
  const what = `${weights === 'linear' ? 'Linearly' : 'Quadratically'} weighted kappa`;
  if (q < 2) return undefinedBecause(`${what} is undefined: it needs at least two ordered categories`);
  const { rows, cols, n } = marginals(table, q);
  const why = degenerate(rows, cols, n, what);
  if (why) return undefinedBecause(why);
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      if (i === j) continue;
      const v = weights === 'linear' ? Math.abs(i - j) : (i - j) * (i - j);
      observed += v * table[i * q + j]!;
      expected += (v * rows[i]! * cols[j]!) / n;
    }
  }
  return value(1 - observed / expected);
}

/** The pair table as whole counts, one row per category of the first coder. */
export function confusionMatrix(table: ArrayLike<number>, q: number): number[][] {
  return Array.from({ length: q }, (_, i) => Array.from({ length: q }, (_, j) => table[i * q + j]!));
}

/**
 * Per-category agreement from the coincidence matrix: of the pairable values in category c,
 * the share whose pair partner is also c (o_cc / n_c). For two coders it is the specific
 * agreement 2·n_cc / (row_c + col_c).
 */
export function perCategoryAgreement(coincidence: ArrayLike<number>, q: number): { values: number; agreement: number | null }[] {
  return Array.from({ length: q }, (_, c) => {
    let n = 0;
    for (let k = 0; k < q; k++) n += coincidence[c * q + k]!;
    return { values: n, agreement: n > 0 ? coincidence[c * q + c]! / n : null };
  });
}
