import { FramelabError } from '../../../shared/errors';
import { cooperation, type AnalysisReporter } from './cooperate';
import { rowMajorF32, type GbmMatrix, type GbmModel } from './gbm';
import { parseXgboostJson, treeGridAverage } from './gbmTrees';

/**
 * 2-D partial dependence of a fitted GBM, as sklearn's
 * `partial_dependence(est, X, [(a, b)], method="brute", kind="average", grid_resolution=20,
 * percentiles=(0.05, 0.95))`: for each grid point (gₐ, g_b), a and b are set to it in every row
 * of X, the model predicts, and the predictions are averaged. The three-way view fixes a third
 * variable c at its Q25/Q50/Q75 in every row first.
 *
 * Two ways to the same numbers, bit for bit: `trees` (default) walks XGBoost's trees once per
 * row with the whole grid (gbmTrees.ts: ~2.4 s of one core for 15,000 rows × 20 × 20 × 300
 * trees), `brute` asks XGBoost to predict the 400 modified copies of X in chunks (~12.6 s of
 * one core for the same case), which is the definition itself and the cross-check.
 */

export type SliceQuantile = 'Q25' | 'Q50' | 'Q75';
export const SLICE_QUANTILES: readonly { label: SliceQuantile; q: number }[] = [
  { label: 'Q25', q: 25 },
  { label: 'Q50', q: 50 },
  { label: 'Q75', q: 75 },
];

/** PdpGrid of src/shared/analysis.ts without `outcome` and `file` (the pipeline adds them). */
export interface Pdp2d {
  x: { name: string; values: number[] };
  y: { name: string; values: number[] };
  slice: { name: string; quantile: SliceQuantile; value: number } | null;
  /** values[i][j]: the average prediction at (x.values[i], y.values[j]). */
  values: number[][];
}

export interface PdpOptions {
  /** Grid points per axis (sklearn's grid_resolution); default 20. */
  grid?: number;
  /** The grid's ends as quantiles of each feature; default [0.05, 0.95]. */
  percentiles?: readonly [number, number];
  method?: 'trees' | 'brute';
  reporter?: AnalysisReporter;
}

/** np.percentile(values, q) with the default linear method (q in 0–100), numpy's own lerp. */
export function percentileLinear(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return lerp(sorted[lo]!, sorted[hi]!, pos - lo);
}

/** numpy's _lerp: a + (b − a)·t, computed from b's side when t ≥ ½ so that t = 1 gives b exactly. */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/**
 * scipy.stats.mstats.mquantiles(values, prob=[p]) with its defaults (alphap = betap = 0.4,
 * Cunnane plotting positions). sklearn (≤ 1.8) builds the PDP grid's ends with it, not with
 * np.percentile: the P5/P95 of a grid differ slightly from np.percentile's.
 */
export function mquantile(sorted: ArrayLike<number>, p: number, alphap = 0.4, betap = 0.4): number {
  const n = sorted.length;
  if (n === 1) return sorted[0]!;
  const m = alphap + p * (1 - alphap - betap);
  const aleph = n * p + m;
  const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
  const gamma = Math.min(Math.max(aleph - k, 0), 1);
  return (1 - gamma) * sorted[k - 1]! + gamma * sorted[k]!;
}

/** np.linspace(start, stop, num): start + i·step, the last point exactly stop. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

/**
 * sklearn's _grid_from_X for one feature: its sorted unique values when it has fewer than
 * `resolution` of them, else `resolution` equally spaced points between its mquantiles at the
 * two percentiles (an error when those are np.allclose, as sklearn).
 */
export function pdpAxis(
  values: ArrayLike<number>,
  resolution: number,
  percentiles: readonly [number, number] = [0.05, 0.95],
  name = 'the feature',
): number[] {
  if (!Number.isInteger(resolution) || resolution < 2)
    throw new FramelabError('INVALID_INPUT', `the partial dependence grid needs a whole number of points ≥ 2; got ${resolution}.`);
  const [p0, p1] = percentiles;
  if (!(p0 >= 0 && p1 <= 1 && p0 < p1))
    throw new FramelabError('INVALID_INPUT', `partial dependence percentiles must satisfy 0 ≤ low < high ≤ 1; got [${p0}, ${p1}].`);
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) throw new FramelabError('INVALID_INPUT', `partial dependence over ${name} needs at least one row.`);
  const uniques: number[] = [];
  for (const v of sorted) if (uniques.length === 0 || v !== uniques[uniques.length - 1]) uniques.push(v);
  if (uniques.length < resolution) return uniques;
  const lo = mquantile(sorted, p0);
  const hi = mquantile(sorted, p1);
  // np.allclose(lo, hi): |lo − hi| ≤ 1e-8 + 1e-5·|hi|.
  if (Math.abs(lo - hi) <= 1e-8 + 1e-5 * Math.abs(hi)) {
    throw new FramelabError(
      'INVALID_INPUT',
      `partial dependence over ${name}: its ${100 * p0}th and ${100 * p1}th percentiles are both ${hi}, so there is no range to draw; choose another variable.`,
    );
  }
  return linspace(lo, hi, resolution);
}

function featureIndex(x: GbmMatrix, model: GbmModel, name: string): number {
  if (model.names.length !== x.names.length || model.names.some((m, j) => m !== x.names[j])) {
    throw new FramelabError(
      'INVALID_INPUT',
      `partial dependence: the model was trained on columns [${model.names.join(', ')}]; the data has [${x.names.join(', ')}].`,
    );
  }
  const j = x.names.indexOf(name);
  if (j < 0)
    throw new FramelabError('INVALID_INPUT', `partial dependence: "${name}" is not one of the GBM's columns (${x.names.join(', ')}).`);
  return j;
}

/** The data once in XGBoost's layout, shared by the slices of a three-way view. */
interface Prepared {
  x: GbmMatrix;
  rows: Float32Array;
  n: number;
  p: number;
}

function prepare(x: GbmMatrix): Prepared {
  // The same rule as the fit: complete rows only (see gbm.ts).
  x.columns.forEach((col, j) => {
    const i = col.findIndex((v) => !Number.isFinite(v));
    if (i >= 0)
      throw new FramelabError(
        'INVALID_INPUT',
        `partial dependence: column "${x.names[j]}" has a missing or non-finite value (${col[i]}) at row ${i + 1}; pass the model's complete rows.`,
      );
  });
  return { x, rows: rowMajorF32(x), n: x.columns[0]?.length ?? 0, p: x.columns.length };
}

/** Rows per XGBoost predict call in the brute method: 2¹⁶ rows (~3 MB; ~0.3 s of one core for 300 trees). */
const BRUTE_CHUNK_ROWS = 1 << 16;

async function bruteGrid(
  model: GbmModel,
  d: Prepared,
  ia: number,
  ga: number[],
  ib: number,
  gb: number[],
  fixed: Map<number, number>,
  step: (f: number) => Promise<void>,
): Promise<Float64Array> {
  const points = ga.length * gb.length;
  const perChunk = Math.max(1, Math.floor(BRUTE_CHUNK_ROWS / d.n));
  const out = new Float64Array(points);
  for (let start = 0; start < points; start += perChunk) {
    const count = Math.min(perChunk, points - start);
    const chunk = new Float32Array(count * d.n * d.p);
    for (let g = 0; g < count; g++) {
      const base = g * d.n * d.p;
      chunk.set(d.rows, base);
      const va = ga[Math.floor((start + g) / gb.length)]!;
      const vb = gb[(start + g) % gb.length]!;
      for (let i = 0; i < d.n; i++) {
        const row = base + i * d.p;
        chunk[row + ia] = va;
        chunk[row + ib] = vb;
        for (const [f, v] of fixed) chunk[row + f] = v;
      }
    }
    const pred = model.predictRowMajor(chunk, count * d.n);
    for (let g = 0; g < count; g++) {
      let sum = 0;
      for (let i = 0; i < d.n; i++) sum += pred[g * d.n + i]!;
      out[start + g] = sum / d.n;
    }
    await step((start + count) / points);
  }
  return out;
}

async function grid2d(
  model: GbmModel,
  d: Prepared,
  pair: readonly [string, string],
  slice: Pdp2d['slice'],
  opts: PdpOptions,
  progress: (fraction: number) => Promise<void>,
): Promise<Pdp2d> {
  const [a, b] = pair;
  if (a === b) throw new FramelabError('INVALID_INPUT', `partial dependence needs two different variables; got "${a}" twice.`);
  const ia = featureIndex(d.x, model, a);
  const ib = featureIndex(d.x, model, b);
  const resolution = opts.grid ?? 20;
  const percentiles = opts.percentiles ?? [0.05, 0.95];
  const ga = pdpAxis(d.x.columns[ia]!, resolution, percentiles, `"${a}"`);
  const gb = pdpAxis(d.x.columns[ib]!, resolution, percentiles, `"${b}"`);
  const fixed = new Map<number, number>();
  if (slice) fixed.set(featureIndex(d.x, model, slice.name), slice.value);
  let flat: Float64Array;
  if ((opts.method ?? 'trees') === 'trees') {
    const trees = parseXgboostJson(model.save('json'));
    flat = await treeGridAverage(trees, d.rows, d.n, d.p, { feature: ia, values: ga }, { feature: ib, values: gb }, fixed, (rows) =>
      progress(rows / d.n),
    );
  } else {
    flat = await bruteGrid(model, d, ia, ga, ib, gb, fixed, progress);
  }
  const values = ga.map((_, i) => Array.from(flat.subarray(i * gb.length, (i + 1) * gb.length)));
  return { x: { name: a, values: ga }, y: { name: b, values: gb }, slice, values };
}

/** The 2-D partial dependence of `model` over `pair` on the rows of x (the model's training rows). */
export async function partialDependence2d(
  model: GbmModel,
  x: GbmMatrix,
  pair: readonly [string, string],
  opts: PdpOptions = {},
): Promise<Pdp2d> {
  const step = cooperation(opts.reporter);
  const out = await grid2d(model, prepare(x), pair, null, opts, (f) => step(f, `partial dependence ${pair[0]} × ${pair[1]}`));
  opts.reporter?.progress(1, `partial dependence ${pair[0]} × ${pair[1]}`);
  return out;
}

/**
 * The three-way view of [a, b, c]: c set to its 25th, 50th and 75th percentile (np.percentile,
 * linear, over the rows of x) in every row, and the 2-D partial dependence over (a, b) at each.
 * The (a, b) grid comes from the rows as they are, so the three panels share their axes.
 */
export async function threeWayPdp(
  model: GbmModel,
  x: GbmMatrix,
  triple: readonly [string, string, string],
  opts: PdpOptions = {},
): Promise<Pdp2d[]> {
  const [a, b, c] = triple;
  if (new Set(triple).size !== 3)
    throw new FramelabError('INVALID_INPUT', `a three-way view needs three different variables; got [${triple.join(', ')}].`);
  const ic = featureIndex(x, model, c);
  const d = prepare(x);
  const step = cooperation(opts.reporter);
  const out: Pdp2d[] = [];
  for (const [s, { label, q }] of SLICE_QUANTILES.entries()) {
    const slice = { name: c, quantile: label, value: percentileLinear(x.columns[ic]!, q) };
    out.push(
      await grid2d(model, d, [a, b], slice, opts, (f) =>
        step((s + f) / SLICE_QUANTILES.length, `partial dependence ${a} × ${b} at ${c} ${label}`),
      ),
    );
  }
  opts.reporter?.progress(1, `partial dependence ${a} × ${b} by ${c}`);
  return out;
}
