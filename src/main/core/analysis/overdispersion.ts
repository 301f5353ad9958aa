/**
 * Overdispersion diagnostics of a count outcome over a model's rows: a Poisson variable has
 * variance = mean, so variance/mean far above 1 (the lab's views: about 9.4 million) is why
 * NB, not Poisson, is the count model; the share of zeros says whether a zero-inflated model
 * is worth trying (shares: about 24%).
 */
export interface Overdispersion {
  n: number;
  mean: number;
  /** Sample variance (ddof 1), as pandas' .var(). */
  variance: number;
  /** variance / mean; null when the mean is 0. */
  ratio: number | null;
  zeroShare: number;
}

export function overdispersion(y: ArrayLike<number>): Overdispersion {
  const n = y.length;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    sum += y[i]!;
    if (y[i] === 0) zeros++;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i]! - mean) ** 2;
  const variance = n > 1 ? ss / (n - 1) : NaN;
  return { n, mean, variance, ratio: mean > 0 ? variance / mean : null, zeroShare: zeros / n };
}
