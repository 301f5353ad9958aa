import os from 'node:os';
import { loadNativeAddon } from '../../../../../native/loader';
import type { TrainingAddon } from '../../../../../native/index';
import { FramelabError } from '../../../../shared/errors';
import { appRoot } from '../../appRoot';
import { cholesky, choleskySolve } from '../../analysis/linalg';
import { fitPipeline, transform, type Matrix, type PipelineState } from './preprocess';
import type { FeatureSource } from '../data/suiteData';
import { kFold } from '../data/splits';

/**
 * Ridge regression with an intercept, as sklearn's Ridge(fit_intercept=True) solves it:
 * centre X and y on the training rows, solve (XᵀX + αI)w = Xᵀy (or the n×n kernel form when
 * there are more columns than rows — same solution, smaller system), intercept = ȳ − x̄·w.
 * Float64 throughout, Cholesky (the system is symmetric positive definite for α > 0).
 */
export interface RidgeFit {
  alpha: number;
  coef: Float64Array;
  intercept: number;
}

/** The lab's grid (docs/reference.md §5: 0.1 … 100), half-decade steps. */
export const DEFAULT_ALPHAS = [0.1, 0.3, 1, 3, 10, 30, 100];

/** Solves A x = b for symmetric positive definite A (n×n; symmetric, so row- or column-major alike). */
function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = cholesky(a, n);
  if (!l) throw new FramelabError('INTERNAL', 'Ridge: the system is not positive definite (alpha must be > 0).');
  return choleskySolve(l, n, b);
}

type GramFn = (x: Float64Array, n: number, p: number, outer: boolean) => Float64Array;
type SolveFn = (a: Float64Array, b: Float64Array, m: number) => Float64Array;
let gramFn: GramFn | null | undefined;
let solveFn: SolveFn | null = null;

/**
 * XᵀX / XXᵀ through the LibTorch addon (BLAS, float64) when it is built, else null and the
 * JS loops below do it. Results agree to rounding (different summation order).
 */
function nativeGram(): GramFn | null {
  if (gramFn === undefined) {
    gramFn = null;
    if (process.env.FRAMELAB_SUITE_JS_GRAM !== '1') {
      const status = loadNativeAddon(appRoot());
      const addon = status.available ? (status.addon as TrainingAddon) : null;
      if (addon && typeof addon.gram === 'function') {
        const threads = os.availableParallelism();
        gramFn = (x, n, p, outer) => addon.gram(x, n, p, outer, threads);
        if (typeof addon.solveSpd === 'function') solveFn = (a, b, m) => addon.solveSpd(a, b, m, threads);
      }
    }
  }
  return gramFn;
}

/** Forces the JS loops (true) or re-detects the addon (false); tests hold both paths to sklearn. */
export function useJsGram(on: boolean): void {
  gramFn = on ? null : undefined;
  solveFn = null;
}

/** The native solve when the addon is in use, else the JS Cholesky. */
function solveSystem(a: Float64Array, b: Float64Array, m: number): Float64Array {
  nativeGram();
  return solveFn ? solveFn(a, b, m) : solveSpd(a, b, m);
}

function columnMeans(x: Matrix): Float64Array {
  const { rows: n, cols: p, data } = x;
  const m = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const r = i * p;
    for (let j = 0; j < p; j++) m[j]! += data[r + j]!;
  }
  for (let j = 0; j < p; j++) m[j]! /= n;
  return m;
}

/** Centred X plus the means; the Gram form is built once and reused per alpha. */
interface Prepared {
  xc: Float64Array;
  xMean: Float64Array;
  yc: Float64Array;
  yMean: number;
  n: number;
  p: number;
  /** XcᵀXc (p×p) or XcXcᵀ (n×n), whichever is smaller. */
  gram: Float64Array;
  primal: boolean;
  /** Xcᵀyc (primal only). */
  xty: Float64Array;
}

/**
 * Centres X and y and builds the normal equations. `owned`: x.data is a scratch matrix the
 * caller will not read again (a fresh transform), so it is centred in place instead of
 * copied — at 10,000 × 1,536 that copy was 120 MB per fit. Xcᵀyc is accumulated in the same
 * pass as the centring.
 */
function prepare(x: Matrix, y: Float64Array, owned = false): Prepared {
  const { rows: n, cols: p } = x;
  const xMean = columnMeans(x);
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  const yc = Float64Array.from(y, (v) => v - yMean);
  const primal = p <= n;
  const xc = owned ? x.data : new Float64Array(x.data);
  const xty = new Float64Array(primal ? p : 0);
  for (let i = 0; i < n; i++) {
    const r = i * p;
    const yi = yc[i]!;
    if (primal) {
      for (let j = 0; j < p; j++) {
        const v = xc[r + j]! - xMean[j]!;
        xc[r + j] = v;
        xty[j]! += v * yi;
      }
    } else {
      for (let j = 0; j < p; j++) xc[r + j]! -= xMean[j]!;
    }
  }
  const fast = nativeGram();
  return { xc, xMean, yc, yMean, n, p, gram: fast ? fast(xc, n, p, !primal) : jsGram(xc, n, p, primal), primal, xty };
}

/** XcᵀXc (primal) or XcXcᵀ (dual) in plain JS, the fallback when the addon is not built. */
function jsGram(xc: Float64Array, n: number, p: number, primal: boolean): Float64Array {
  if (primal) {
    const gram = new Float64Array(p * p);
    for (let i = 0; i < n; i++) {
      const r = i * p;
      for (let a = 0; a < p; a++) {
        const va = xc[r + a]!;
        if (va === 0) continue;
        const ga = a * p;
        for (let b = a; b < p; b++) gram[ga + b]! += va * xc[r + b]!;
      }
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) gram[a * p + b] = gram[b * p + a]!;
    return gram;
  }
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += xc[i * p + j]! * xc[k * p + j]!;
      gram[i * n + k] = s;
      gram[k * n + i] = s;
    }
  }
  return gram;
}

function solve(prep: Prepared, alpha: number): RidgeFit {
  const { n, p, gram, primal } = prep;
  const m = primal ? p : n;
  const a = new Float64Array(gram);
  for (let i = 0; i < m; i++) a[i * m + i]! += alpha;
  let coef: Float64Array;
  if (primal) coef = solveSystem(a, prep.xty, p);
  else {
    const dual = solveSystem(a, prep.yc, n);
    coef = new Float64Array(p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) coef[j]! += prep.xc[i * p + j]! * dual[i]!;
  }
  let intercept = prep.yMean;
  for (let j = 0; j < p; j++) intercept -= prep.xMean[j]! * coef[j]!;
  return { alpha, coef, intercept };
}

export function fitRidge(x: Matrix, y: Float64Array, alpha: number, owned = false): RidgeFit {
  if (x.rows !== y.length) throw new FramelabError('INTERNAL', `Ridge: ${x.rows} rows but ${y.length} targets.`);
  return solve(prepare(x, y, owned), alpha);
}

/** Fits every alpha on one prepared system (one Gram matrix, one solve per alpha). `owned`: see prepare. */
export function fitRidgeGrid(x: Matrix, y: Float64Array, alphas: readonly number[], owned = false): RidgeFit[] {
  const prep = prepare(x, y, owned);
  return alphas.map((alpha) => solve(prep, alpha));
}

export function predictRidge(fit: RidgeFit, x: Matrix): Float64Array {
  return predictRidgeMany([fit], x)[0]!;
}

/** Predictions of several fits in one pass over X (each row is read once for all of them). */
export function predictRidgeMany(fits: readonly RidgeFit[], x: Matrix): Float64Array[] {
  const { rows: n, cols: p, data } = x;
  const out = fits.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const r = i * p;
    for (let f = 0; f < fits.length; f++) {
      const coef = fits[f]!.coef;
      let s = fits[f]!.intercept;
      for (let j = 0; j < p; j++) s += data[r + j]! * coef[j]!;
      out[f]![i] = s;
    }
  }
  return out;
}

export interface RidgePipelineModel {
  pipeline: PipelineState;
  ridge: RidgeFit;
  /** Mean validation MSE per alpha from the inner CV (the choice is auditable). */
  cvMse: { alpha: number; mse: number }[];
}

/**
 * Ridge inside the preprocessing pipeline, alpha chosen by inner K-fold CV on the training
 * rows (in their order, no shuffle) where each inner fold refits the pipeline on its own
 * training part — sklearn's GridSearchCV(Pipeline, {"ridge__alpha": grid}, cv=KFold(k),
 * scoring="neg_mean_squared_error"): the lowest mean MSE wins, the first on ties; then the
 * pipeline and Ridge are refitted on all training rows.
 */
export function fitRidgePipeline(
  src: FeatureSource,
  trainRows: readonly number[],
  y: Float64Array,
  features: { numeric: readonly string[]; categorical: readonly string[] },
  opts: { alphas?: readonly number[]; innerK?: number } = {},
): RidgePipelineModel {
  const alphas = opts.alphas ?? DEFAULT_ALPHAS;
  const k = Math.min(opts.innerK ?? 5, trainRows.length);
  const totals = new Float64Array(alphas.length);
  for (const fold of kFold(trainRows.length, k)) {
    const fitRows = fold.train.map((i) => trainRows[i]!);
    const testRows = fold.test.map((i) => trainRows[i]!);
    const pipe = fitPipeline(src, fitRows, features.numeric, features.categorical);
    // The transformed matrices are scratch: centred in place, no copies.
    const fits = fitRidgeGrid(
      transform(pipe, src, fitRows),
      Float64Array.from(fitRows, (r) => y[r]!),
      alphas,
      true,
    );
    const preds = predictRidgeMany(fits, transform(pipe, src, testRows));
    preds.forEach((pred, a) => {
      let se = 0;
      testRows.forEach((r, i) => (se += (pred[i]! - y[r]!) ** 2));
      totals[a]! += se / testRows.length;
    });
  }
  const cvMse = alphas.map((alpha, a) => ({ alpha, mse: totals[a]! / k }));
  let best = 0;
  for (let a = 1; a < alphas.length; a++) if (cvMse[a]!.mse < cvMse[best]!.mse) best = a;
  const pipeline = fitPipeline(src, trainRows, features.numeric, features.categorical);
  const ridge = fitRidge(
    transform(pipeline, src, trainRows),
    Float64Array.from(trainRows, (r) => y[r]!),
    alphas[best]!,
    true,
  );
  return { pipeline, ridge, cvMse };
}

export function predictRidgePipeline(model: RidgePipelineModel, src: FeatureSource, rows: readonly number[]): Float64Array {
  return predictRidge(model.ridge, transform(model.pipeline, src, rows));
}
