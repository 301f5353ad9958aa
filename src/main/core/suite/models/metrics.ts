/**
 * Regression metrics of the horizon suite (docs/reference.md §5): RMSE / MAE / R² on the log target,
 * RMSE / MAE in raw views (expm1 of both), and Spearman's rank correlation. R² is sklearn's
 * r2_score (1 − SSres/SStot); Spearman uses average ranks for ties, like scipy.
 */
export interface Metrics {
  n: number;
  rmse_log: number;
  mae_log: number;
  r2_log: number;
  rmse_raw: number;
  mae_raw: number;
  spearman: number;
}

export const METRIC_NAMES = ['rmse_log', 'mae_log', 'r2_log', 'rmse_raw', 'mae_raw', 'spearman'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
/** Metrics where larger is better; the leaderboard sorts these descending. */
export const HIGHER_IS_BETTER: ReadonlySet<MetricName> = new Set(['r2_log', 'spearman']);

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

export function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s / a.length);
}

export function mae(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const m = mean(yTrue);
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    res += (yTrue[i]! - yPred[i]!) ** 2;
    tot += (yTrue[i]! - m) ** 2;
  }
  // sklearn: a constant truth gives 1 for a perfect prediction, 0 otherwise.
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

/** Ranks 1..n, ties get the average of their positions (scipy.stats.rankdata "average"). */
export function averageRanks(xs: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: xs.length }, (_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const ranks = new Float64Array(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && xs[order[j + 1]!] === xs[order[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = r;
    i = j + 1;
  }
  return ranks;
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  // A constant side has no defined correlation (scipy returns nan too).
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/** How the target was transformed before fitting: the model's space → views undoes it. */
export type TargetTransform = 'log1p' | 'none';

/**
 * The metrics in the model's space (`*_log`: log1p(views) for the lab's log1p target, the
 * target itself with `none`) and in views (`*_raw`: expm1 undoes log1p; `none` is views already).
 */
export function regressionMetrics(yLogTrue: ArrayLike<number>, yLogPred: ArrayLike<number>, transform: TargetTransform = 'log1p'): Metrics {
  const toViews = transform === 'log1p' ? Math.expm1 : (v: number) => v;
  const rawTrue = Array.from(yLogTrue, toViews);
  const rawPred = Array.from(yLogPred, toViews);
  return {
    n: yLogTrue.length,
    rmse_log: rmse(yLogTrue, yLogPred),
    mae_log: mae(yLogTrue, yLogPred),
    r2_log: r2(yLogTrue, yLogPred),
    rmse_raw: rmse(rawTrue, rawPred),
    mae_raw: mae(rawTrue, rawPred),
    spearman: spearman(yLogTrue, yLogPred),
  };
}

export type Intervals = Record<MetricName, { lo: number; hi: number }>;

/**
 * Percentile bootstrap 95% intervals: rows resampled with replacement (seeded mulberry32),
 * every metric recomputed per resample; NaN resamples (e.g. a constant Spearman side) are
 * skipped.
 */
export function bootstrapIntervals(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  resamples: number,
  random: () => number,
  transform: TargetTransform = 'log1p',
): Intervals {
  const n = yTrue.length;
  const draws: Record<MetricName, number[]> = { rmse_log: [], mae_log: [], r2_log: [], rmse_raw: [], mae_raw: [], spearman: [] };
  const t = new Float64Array(n);
  const p = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random() * n);
      t[i] = yTrue[k]!;
      p[i] = yPred[k]!;
    }
    const m = regressionMetrics(t, p, transform);
    for (const name of METRIC_NAMES) if (!Number.isNaN(m[name])) draws[name].push(m[name]);
  }
  const quantile = (xs: number[], q: number) => {
    if (!xs.length) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const pos = (s.length - 1) * q;
    const lo = Math.floor(pos);
    return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
  };
  return Object.fromEntries(
    METRIC_NAMES.map((name) => [name, { lo: quantile(draws[name], 0.025), hi: quantile(draws[name], 0.975) }]),
  ) as Intervals;
}
