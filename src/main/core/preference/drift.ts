import { FramelabError } from '../../../shared/errors';
import type { FeatureDrift, PreferenceModel } from '../../../shared/preferenceModel';
import type { FlatTable } from './flatten';
import { modelMatrix } from './model';

/**
 * Population stability index of a feature between the rows a model was trained on
 * (expected) and newer rows (actual), for the spec's retraining trigger (drift > 0.1):
 *
 *   PSI = Σ over bins (a − e) · ln(a / e)
 *
 * with e and a the shares of training and newer values in each bin. Bins: the training
 * values' deciles (numpy's default linear quantiles at 0.1 … 0.9) as edges, each bin closed on
 * the right, (−∞, q.1], (q.1, q.2], …, (q.9, ∞); edges that coincide (a 0/1 or few-valued
 * feature) are merged, so such a feature has fewer bins (`bins` says how many). A share of 0
 * would make the log infinite: it counts as `epsilon` (1e-4) instead; the shares are not
 * renormalised. The values are the model's view of the feature (normalized, missing filled).
 */
export const PSI_BINS = 10;
export const PSI_EPSILON = 1e-4;
/** The spec's §9 trigger: drift above this calls for a retrain. */
export const DRIFT_THRESHOLD = 0.1;

/** numpy.quantile(sorted, q) with the default linear method (numpy's lerp, so values match bit for bit). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (!n) throw new FramelabError('INVALID_INPUT', 'a quantile of no values is undefined.');
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const t = h - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

export interface PsiResult {
  psi: number;
  /** Upper edges of the bins (the last is +∞ and not listed). */
  edges: number[];
  expected: number[];
  actual: number[];
}

function finiteValues(values: ArrayLike<number>, what: string): number[] {
  const out = Array.from(values);
  out.forEach((v, i) => {
    if (!Number.isFinite(v))
      throw new FramelabError('INVALID_INPUT', `PSI: ${what} value ${i + 1} is ${v}; every value must be a finite number.`);
  });
  return out;
}

/** Bin index: how many edges lie strictly below the value (right-closed bins). */
function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function populationStabilityIndex(
  trainValues: ArrayLike<number>,
  newValues: ArrayLike<number>,
  opts: { bins?: number; epsilon?: number } = {},
): PsiResult {
  const bins = opts.bins ?? PSI_BINS;
  const eps = opts.epsilon ?? PSI_EPSILON;
  const train = finiteValues(trainValues, 'training').sort((a, b) => a - b);
  const actualValues = finiteValues(newValues, 'newer');
  if (!train.length || !actualValues.length)
    throw new FramelabError(
      'INVALID_INPUT',
      `PSI needs values on both sides; got ${train.length} training and ${actualValues.length} newer.`,
    );
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = quantileSorted(train, k / bins);
    if (!edges.length || e !== edges[edges.length - 1]) edges.push(e);
  }
  const share = (values: readonly number[]) => {
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const v of values) counts[binOf(edges, v)]!++;
    return counts.map((c) => c / values.length);
  };
  const expected = share(train);
  const actual = share(actualValues);
  let psi = 0;
  for (let b = 0; b < expected.length; b++) {
    const e = Math.max(expected[b]!, eps);
    const a = Math.max(actual[b]!, eps);
    psi += (a - e) * Math.log(a / e);
  }
  return { psi, edges, expected, actual };
}

/**
 * PSI of the model's features between training rows and newer rows of a table (both as the
 * model sees them), strongest first; `features` limits it (default: every selected feature).
 */
export function featureDrift(
  model: PreferenceModel,
  table: FlatTable,
  trainRows: readonly number[],
  newRows: readonly number[],
  features?: readonly string[],
): FeatureDrift[] {
  const names = model.selected.map((s) => s.feature);
  const wanted = features ?? names;
  const unknown = wanted.filter((f) => !names.includes(f));
  if (unknown.length)
    throw new FramelabError(
      'INVALID_INPUT',
      `the model does not use ${unknown.map((u) => JSON.stringify(u)).join(', ')}; drift is measured on its features.`,
    );
  const a = modelMatrix(model, table, trainRows);
  const b = modelMatrix(model, table, newRows);
  const col = (m: typeof a, j: number) => Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]!);
  return wanted
    .map((feature) => {
      const j = names.indexOf(feature);
      const res = populationStabilityIndex(col(a, j), col(b, j));
      return { feature, psi: res.psi, bins: res.expected.length, drifted: res.psi > DRIFT_THRESHOLD };
    })
    .sort((x, y) => y.psi - x.psi);
}
