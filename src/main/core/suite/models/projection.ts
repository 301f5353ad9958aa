import os from 'node:os';
import { loadTrainingAddon, type TrainingAddon } from '../../../../../native/index';
import { loadNativeAddon } from '../../../../../native/loader';
import { FramelabError } from '../../../../shared/errors';
import { appRoot } from '../../appRoot';

/**
 * The gbdt model's "learned 128-d projection of the embedding" (issue 10): PCA fitted on the
 * training rows only (so nothing about val/test rows shapes the features), i.e. the training
 * embeddings are centred on their mean and projected onto the top-k principal axes, as
 * sklearn's `PCA(n_components=k, svd_solver="full")` does. Trees split on a few hundred
 * dense columns far better than on 1,536 raw ones, and PCA is deterministic and leakage-safe.
 *
 * Computed in float64: the covariance XcᵀXc (d×d) — or, when there are fewer training rows
 * than dimensions, the Gram matrix XcXcᵀ (n×n), whose eigenvectors u give the axes
 * Xcᵀu/√λ — is built with the addon's gram() and decomposed with its symEig()
 * (LibTorch → LAPACK). Sign convention (like sklearn ≥ 1.5's svd_flip on the components):
 * each axis's entry of largest magnitude is positive, so a fit is reproducible bit for bit.
 * k = min(128, d, n − 1), and axes whose variance is below 1e-12 of the largest are dropped
 * (a rank-deficient training set has no well-defined direction there). An embedding of at
 * most 128 dimensions is used as it is (`identity`).
 */
export const PROJECTION_DIM = 128;

export type ProjectionState =
  | { kind: 'identity'; inputDim: number; outputDim: number }
  | {
      kind: 'pca';
      inputDim: number;
      outputDim: number;
      /** Training-row mean of each embedding dimension (d). */
      mean: number[];
      /** k × d row-major, like sklearn's `components_`. */
      components: number[];
      /** Variance along each axis (ddof 1), like sklearn's `explained_variance_`. */
      explainedVariance: number[];
    };

export function fitProjection(embeddings: Float64Array, d: number, rows: readonly number[], maxDim = PROJECTION_DIM): ProjectionState {
  if (d <= maxDim) return { kind: 'identity', inputDim: d, outputDim: d };
  const n = rows.length;
  if (n < 2) throw new FramelabError('INVALID_INPUT', `the embedding projection needs at least 2 training rows; got ${n}.`);
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += embeddings[r * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const xc = new Float64Array(n * d);
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) xc[i * d + j] = embeddings[r * d + j]! - mean[j]!;
  });
  const addon = loadTrainingAddon(appRoot());
  const threads = os.availableParallelism();
  const wide = n < d; // fewer rows than dimensions: decompose the n×n Gram matrix instead
  const m = wide ? n : d;
  const { values, vectors } = addon.symEig(addon.gram(xc, n, d, wide, threads), m, threads);
  const top = values[m - 1]!;
  const k = Math.min(maxDim, d, n - 1);
  const components: number[] = [];
  const explainedVariance: number[] = [];
  for (let c = 0; c < k; c++) {
    const col = m - 1 - c; // eigenvalues ascend
    const lambda = values[col]!;
    if (!(lambda > top * 1e-12)) break;
    const axis = new Float64Array(d);
    if (wide) {
      // v = Xcᵀu / √λ
      const s = Math.sqrt(lambda);
      for (let i = 0; i < n; i++) {
        const u = vectors[i * m + col]! / s;
        if (u === 0) continue;
        for (let j = 0; j < d; j++) axis[j]! += xc[i * d + j]! * u;
      }
    } else {
      for (let j = 0; j < d; j++) axis[j] = vectors[j * m + col]!;
    }
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(axis[j]!) > Math.abs(axis[big]!)) big = j;
    const sign = axis[big]! < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) components.push(sign * axis[j]!);
    explainedVariance.push(lambda / (n - 1));
  }
  return { kind: 'pca', inputDim: d, outputDim: explainedVariance.length, mean: Array.from(mean), components, explainedVariance };
}

const componentCache = new WeakMap<object, Float64Array>();

/** Rows per native product: bounds the centred copy (4,096 × 1,536 float64 ≈ 50 MB). */
const CHUNK_ROWS = 4096;

/**
 * The projected embeddings of `rows` (rows × outputDim, row-major): (x − mean)·componentsᵀ,
 * through the addon's float64 BLAS (mmT) when it has it, else a JS loop (`native: false`
 * forces the loop; tests hold both to sklearn).
 */
export function projectRows(
  state: ProjectionState,
  embeddings: Float64Array,
  d: number,
  rows: readonly number[],
  native = true,
): Float64Array {
  if (d !== state.inputDim)
    throw new FramelabError('INVALID_INPUT', `the embeddings have ${d} dimensions; the projection was fitted on ${state.inputDim}.`);
  const k = state.outputDim;
  const out = new Float64Array(rows.length * k);
  if (state.kind === 'identity') {
    rows.forEach((r, i) => out.set(embeddings.subarray(r * d, (r + 1) * d), i * k));
    return out;
  }
  let comps = componentCache.get(state);
  if (!comps) componentCache.set(state, (comps = Float64Array.from(state.components)));
  const mmT = native ? nativeMmT() : null;
  if (mmT) {
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const chunk = rows.slice(start, start + CHUNK_ROWS);
      const centred = new Float64Array(chunk.length * d);
      chunk.forEach((r, i) => {
        for (let j = 0; j < d; j++) centred[i * d + j] = embeddings[r * d + j]! - state.mean[j]!;
      });
      out.set(mmT(centred, comps, chunk.length, d, k), start * k);
    }
    return out;
  }
  const centred = new Float64Array(d);
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) centred[j] = embeddings[r * d + j]! - state.mean[j]!;
    for (let c = 0; c < k; c++) {
      let s = 0;
      const base = c * d;
      for (let j = 0; j < d; j++) s += centred[j]! * comps[base + j]!;
      out[i * k + c] = s;
    }
  });
  return out;
}

function nativeMmT(): ((a: Float64Array, b: Float64Array, n: number, k: number, m: number) => Float64Array) | null {
  const status = loadNativeAddon(appRoot());
  const addon = status.available ? (status.addon as Partial<TrainingAddon>) : null;
  if (!addon || typeof addon.mmT !== 'function') return null;
  const threads = os.availableParallelism();
  return (a, b, n, k, m) => addon.mmT!(a, b, n, k, m, threads);
}

/**
 * projectRows with a memo per embeddings array: scoring the same rows again (permutation
 * importance re-scores val once per feature) reuses their projections; a permuted embeddings
 * array is a new array and is projected afresh.
 */
export function memoProjector(state: ProjectionState, d: number): (embeddings: Float64Array, rows: readonly number[]) => Float64Array {
  const memo = new WeakMap<Float64Array, { values: Float64Array; done: Uint8Array }>();
  const k = state.outputDim;
  return (embeddings, rows) => {
    const n = embeddings.length / d;
    let entry = memo.get(embeddings);
    if (!entry) memo.set(embeddings, (entry = { values: new Float64Array(n * k), done: new Uint8Array(n) }));
    const missing = [...new Set(rows.filter((r) => !entry!.done[r]))];
    if (missing.length) {
      const fresh = projectRows(state, embeddings, d, missing);
      missing.forEach((r, i) => {
        entry!.values.set(fresh.subarray(i * k, (i + 1) * k), r * k);
        entry!.done[r] = 1;
      });
    }
    const out = new Float64Array(rows.length * k);
    rows.forEach((r, i) => out.set(entry!.values.subarray(r * k, (r + 1) * k), i * k));
    return out;
  };
}
