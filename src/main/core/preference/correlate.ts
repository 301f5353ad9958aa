import { FramelabError } from '../../../shared/errors';
import type {
  CorrelationReport,
  ExpectedCheck,
  ExpectedCorrelation,
  FeatureCorrelation,
  FeaturePipeline,
  SignificanceTier,
} from '../../../shared/preferenceModel';
import { studentTSf } from '../analysis/distributions';
import { benjaminiHochberg } from '../analysis/multipleTesting';
import type { TypeOptions } from './featureTypes';
import type { FlatTable } from './flatten';
import { fitFeaturePipeline, transformTable, type Matrix } from './normalize';

/**
 * Correlations of each feature, as the model sees it (normalized, missing values filled), with
 * the owner's `overall` (the spec's §4): Pearson r and its two-sided p as scipy.stats.pearsonr
 * gives them, Benjamini–Hochberg q over the family, the spec's tiers, the top 20 each way,
 * and the spec's expected correlations (§4.2) checked.
 *
 * A constant feature (one value on every row, as scipy tests it) has no r: r, p and q are
 * null (never NaN: the result is JSON) and the tier is none; it is left out of the BH family.
 */
export interface Pearson {
  r: number | null;
  p: number | null;
}

function allEqual(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** Pearson r (null when either side is constant), as scipy: centred, over the product of norms, clipped to [−1, 1]. */
export function pearsonR(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n !== y.length) throw new FramelabError('INVALID_INPUT', `Pearson r needs two series of the same length; got ${n} and ${y.length}.`);
  if (n < 2) throw new FramelabError('INVALID_INPUT', `Pearson r needs at least 2 rows; got ${n}.`);
  if (allEqual(x) || allEqual(y)) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
  return Math.max(-1, Math.min(1, r));
}

/** r and the two-sided p of H0: ρ = 0 from Student's t with n − 2 df (scipy's pearsonr; n = 2 gives p = 1, as scipy). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): Pearson {
  const r = pearsonR(x, y);
  if (r === null) return { r: null, p: null };
  const df = x.length - 2;
  // scipy: two points are perfectly correlated, the sign from their order, p = 1.
  if (df === 0) return { r: Math.sign(x[1]! - x[0]!) * Math.sign(y[1]! - y[0]!), p: 1 };
  if (Math.abs(r) === 1) return { r, p: 0 };
  // (1 − r)(1 + r) keeps 1 − r² accurate when |r| is near 1.
  const t = r * Math.sqrt(df / ((1 - r) * (1 + r)));
  return { r, p: Math.min(1, 2 * studentTSf(Math.abs(t), df)) };
}

/** The spec's §4.1 tiers. */
export function significanceTier(r: number | null, p: number | null): SignificanceTier {
  if (r === null || p === null) return 'none';
  const a = Math.abs(r);
  if (a >= 0.5 && p < 0.01) return 'high';
  if (a >= 0.3 && p < 0.05) return 'medium';
  if (a >= 0.15 && p < 0.1) return 'low';
  return 'none';
}

/** Column j of a row-major matrix. */
export function column(x: Matrix, j: number): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) out[i] = x.data[i * x.cols + j]!;
  return out;
}

/** r, p, BH q and tier of every column against y, in column order. */
export function correlateColumns(
  x: Matrix,
  names: readonly string[],
  coverage: readonly number[],
  y: ArrayLike<number>,
): FeatureCorrelation[] {
  if (x.rows !== y.length) throw new FramelabError('INVALID_INPUT', `correlations: ${x.rows} rows of features but ${y.length} ratings.`);
  const stats = names.map((_, j) => pearson(column(x, j), y));
  const family = stats.flatMap((s, j) => (s.p === null ? [] : [j]));
  const q = benjaminiHochberg(family.map((j) => stats[j]!.p!));
  const qOf = new Map(family.map((j, k) => [j, q[k]!]));
  return names.map((feature, j) => ({
    feature,
    r: stats[j]!.r,
    p: stats[j]!.p,
    q: qOf.get(j) ?? null,
    tier: significanceTier(stats[j]!.r, stats[j]!.p),
    coverage: coverage[j]!,
  }));
}

/** The spec's §4.2 list (the owner's known preferences): the default, editable in the app. */
export const DEFAULT_EXPECTED_CORRELATIONS: readonly ExpectedCorrelation[] = [
  { feature: 'script.replicability.score', direction: 'positive' },
  { feature: 'script.humor.comedyTiming', direction: 'positive' },
  { feature: 'standalone.worksWithoutContext', direction: 'positive' },
  { feature: 'comedyStyle.contrastMechanism.present', direction: 'positive' },
  { feature: 'flexibility.swappableCore', direction: 'positive' },
  { feature: 'script.structure.payoffStrength', direction: 'positive' },
  { feature: 'trends.memeDependent', direction: 'negative' },
  { feature: 'trends.usesPremadeSound', direction: 'negative' },
  { feature: 'casting.actingSkillRequired', direction: 'negative' },
  { feature: 'production.shotComplexity', direction: 'negative' },
  { feature: 'audio.soundEffects_count', direction: 'negative' },
  { feature: 'flexibility.industryLock', direction: 'negative' },
  { feature: 'casting.attractivenessDependency', direction: 'negative' },
];

/** Significance for the expected list: p below this (the spec's "medium" level). */
export const EXPECTED_ALPHA = 0.05;

/** Each expected correlation: confirmed (p < .05, expected sign), opposite (p < .05, other sign), not significant, or absent (with why). */
export function checkExpected(
  features: readonly FeatureCorrelation[],
  pipeline: FeaturePipeline,
  expected: readonly ExpectedCorrelation[],
): ExpectedCheck[] {
  const byName = new Map(features.map((f) => [f.feature, f]));
  return expected.map((e) => {
    const f = byName.get(e.feature);
    if (!f) {
      const dropped = pipeline.dropped.find((d) => d.key === e.feature);
      const levels = pipeline.features.filter((x) => x.key === e.feature && x.kind === 'categorical').length;
      const note = dropped
        ? `dropped: ${dropped.detail}`
        : levels
          ? `a string key: one-hot as ${levels} columns ${e.feature}=<value>, not one number`
          : 'no analysis has this key';
      return { ...e, status: 'absent' as const, r: null, p: null, q: null, tier: 'none' as const, note };
    }
    if (f.r === null || f.p === null)
      return {
        ...e,
        status: 'not significant' as const,
        r: null,
        p: null,
        q: null,
        tier: f.tier,
        note: 'constant on every rated video: no correlation',
      };
    const sameSign = e.direction === 'positive' ? f.r > 0 : f.r < 0;
    const significant = f.p < EXPECTED_ALPHA;
    const status = !significant ? ('not significant' as const) : sameSign ? ('confirmed' as const) : ('opposite' as const);
    const note = significant
      ? `p ${f.p < 0.001 ? '< 0.001' : `= ${f.p.toFixed(3)}`} (q = ${f.q!.toPrecision(2)})`
      : `p = ${f.p.toFixed(3)} ≥ ${EXPECTED_ALPHA}`;
    return { ...e, status, r: f.r, p: f.p, q: f.q, tier: f.tier, note };
  });
}

export interface CorrelateOptions extends TypeOptions {
  expected?: readonly ExpectedCorrelation[];
  /** How many strongest positive and negative to list (default 20). */
  top?: number;
}

function byStrength(a: FeatureCorrelation, b: FeatureCorrelation): number {
  if (a.r === null || b.r === null) return a.r === null ? (b.r === null ? cmp(a.feature, b.feature) : 1) : -1;
  return Math.abs(b.r) - Math.abs(a.r) || cmp(a.feature, b.feature);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Checks the ratings against the rows: same count, every one a finite number. */
export function checkRatings(values: ArrayLike<number>, rows: number, what: string): void {
  if (values.length !== rows)
    throw new FramelabError(
      'INVALID_INPUT',
      `${what}: ${values.length} ratings for ${rows} analyses; give one per analysis, in the same order.`,
    );
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new FramelabError('INVALID_INPUT', `${what}: rating ${i + 1} is ${values[i]}; every rating used must be a number (0–10).`);
  }
}

/**
 * The correlation report over every rated analysis: the pipeline fitted on all of them (the
 * features as a model trained on all of them would see them), r with `overall`.
 */
export function correlatePreferences(table: FlatTable, overall: ArrayLike<number>, opts: CorrelateOptions = {}): CorrelationReport {
  const n = table.rows.length;
  checkRatings(overall, n, 'correlations');
  if (n < 3) throw new FramelabError('INVALID_INPUT', `correlations need at least 3 rated analyses (a p-value needs n − 2 ≥ 1); got ${n}.`);
  const rows = Array.from({ length: n }, (_, i) => i);
  const pipeline = fitFeaturePipeline(table, rows, opts);
  const x = transformTable(pipeline, table, rows);
  const features = correlateColumns(
    x,
    pipeline.features.map((f) => f.name),
    pipeline.features.map((f) => f.coverage),
    overall,
  ).sort(byStrength);
  const top = opts.top ?? 20;
  return {
    ratings: n,
    features,
    topPositive: features.filter((f) => f.r !== null && f.r > 0).slice(0, top),
    topNegative: features.filter((f) => f.r !== null && f.r < 0).slice(0, top),
    expected: checkExpected(features, pipeline, opts.expected ?? DEFAULT_EXPECTED_CORRELATIONS),
    dropped: pipeline.dropped,
    mixed: pipeline.mixed,
  };
}
