import { FramelabError } from '../../../shared/errors';
import { kFold, type Fold } from '../suite/data/splits';
import { coordinateDescentGram } from './coordinateDescent';
import { checkFolds, DEFAULT_CV_FOLDS, DEFAULT_CV_SEED, pickRows, r2Score } from './crossValidation';
import type { Design } from './design';
import { transposeTimes, weightedGram } from './linalg';

/**
 * LASSO on standardized predictors with α chosen by K-fold CV, as
 * `make_pipeline(StandardScaler(), LassoCV(cv=folds, n_alphas=100, eps=1e-3))` in sklearn:
 *
 * - The estimator fitted on a set of rows S: standardize every column on S (mean, population
 *   SD; a constant column keeps scale 1, as StandardScaler), then LassoCV on S: the α grid
 *   from S (α_max = max|Zᵀy_c|/|S|, 100 values geometric down to eps·α_max), for each inner
 *   fold a warm-started path on its training rows (centred on them, the intercept unpenalized),
 *   the mean test MSE over folds per α, the α with the lowest mean MSE (the largest on a tie),
 *   and a refit on all of S at that α. Objective (1/2m)‖y − Zβ − b‖² + α‖β‖₁.
 * - The scaling inside the inner CV is S's, not each inner training set's: that is what
 *   "standardize, then LassoCV" does, and it uses only the predictors of S — never y, never a
 *   row outside S — so it leaks nothing into the α choice about the rows the estimator is
 *   later scored on. Refitting the scaler per inner fold (a Pipeline inside GridSearchCV) is a
 *   different estimator; we follow the lab's notebook form.
 * - Train R²: the estimator fitted on all rows, scored on them (in-sample).
 * - CV R²: nested. Each outer fold fits the whole estimator — scaler, α grid, inner CV, refit —
 *   on its training rows only and predicts its held-out rows; R² over all out-of-fold
 *   predictions. No held-out row touches its own prediction's scaling, α or coefficients.
 *
 * Folds: `kFold(n, k, seed)` for the all-rows fit and for the outer loop; inside outer fold f
 * the inner folds are `kFold(|train|, k, seed)` over that training set's positions.
 *
 * Input: the numeric model matrix of a `Design` (predictors, controls, category dummies)
 * without its `Intercept` column, which the LASSO replaces by its own unpenalized intercept.
 */

export interface LassoOptions {
  /** K for the inner and outer folds (default 5, the config's `lasso.folds`). */
  folds?: number;
  seed?: number;
  nAlphas?: number;
  eps?: number;
  /**
   * Coordinate-descent sweeps per fit (sklearn's max_iter; default 10,000, not sklearn's
   * 1000: on 15,000 rows the focal models' correlated a·b·c columns need more at the small-α
   * end of the path, where sklearn stops unconverged and warns). Wherever sklearn converges
   * the limit does not change the result.
   */
  maxIterations?: number;
  /** sklearn's tol (default 1e-4): the duality gap must fall below tol·‖y_c‖². */
  tolerance?: number;
}

export interface LassoMatrix {
  /** m × p, column-major, no intercept column. */
  x: Float64Array;
  n: number;
  p: number;
  names: string[];
}

/** The standardized-scale estimator fitted on one set of rows. */
export interface LassoFit {
  names: string[];
  n: number;
  /** The α grid, descending (LassoCV's `alphas_`). */
  alphas: Float64Array;
  /** msePath[a][f]: test MSE of fold f at alphas[a] (LassoCV's `mse_path_`). */
  msePath: Float64Array[];
  /** Mean over folds per α. */
  meanMse: Float64Array;
  /** The chosen α (LassoCV's `alpha_`). */
  alpha: number;
  /** Coefficients per SD of each column (LassoCV's `coef_` on the scaled matrix). */
  coef: Float64Array;
  /** Intercept on the standardized scale (LassoCV's `intercept_`). */
  intercept: number;
  /** The scaler (StandardScaler's `mean_`, `scale_`). */
  mean: Float64Array;
  scale: Float64Array;
  /** Coefficients per unit of each original column: coef / scale. */
  coefOriginal: Float64Array;
  /** Intercept for the original columns: intercept − Σ coef·mean/scale. */
  interceptOriginal: number;
  /** Columns with a non-zero coefficient. */
  selected: string[];
  /** Coordinate-descent fits (path points and refit) that hit maxIterations. */
  unconverged: number;
  fits: number;
}

export interface LassoResult {
  /** Fitted on every row (α by CV on kFold(n, k, seed)). */
  fit: LassoFit;
  /** In-sample R² of `fit`. */
  trainR2: number;
  /** Nested cross-validated R² over all out-of-fold predictions. */
  cvR2: number;
  foldR2: number[];
  folds: number;
  n: number;
  oof: Float64Array;
  foldOf: Int32Array;
  /** The α each outer fold chose on its own training rows. */
  outerAlphas: number[];
  /** False when some coordinate-descent fit stopped at the sweep limit. */
  converged: boolean;
  problem: string | null;
}

export const LASSO_DEFAULTS = { nAlphas: 100, eps: 1e-3, maxIterations: 10_000, tolerance: 1e-4 } as const;

/** numpy's eps for float64: StandardScaler's near-constant test uses it. */
const EPS = 2.220446049250313e-16;
/** numpy's float64 `resolution` (1e-15): LassoCV's floor for a degenerate α grid. */
const RESOLUTION = 1e-15;

/** The design's matrix without the intercept column (the LASSO fits its own). */
export function lassoMatrix(design: Pick<Design, 'x' | 'n' | 'p' | 'names'>): LassoMatrix {
  const keep = design.names.map((_, j) => j).filter((j) => design.names[j] !== 'Intercept');
  if (keep.length === 0) throw new FramelabError('INVALID_INPUT', 'The LASSO needs at least one predictor besides the intercept.');
  const { n } = design;
  const x = new Float64Array(n * keep.length);
  keep.forEach((j, k) => x.set(design.x.subarray(j * n, j * n + n), k * n));
  return { x, n, p: keep.length, names: keep.map((j) => design.names[j]!) };
}

interface Scaler {
  mean: Float64Array;
  scale: Float64Array;
}

/** StandardScaler: mean and population SD per column; near-constant columns get scale 1. */
function fitScaler(m: LassoMatrix): Scaler {
  const { x, n, p } = m;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const c = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += x[c + i]!;
    const mu = s / n;
    // Two-pass variance with the correction term, as sklearn's _incremental_mean_and_var.
    let ss = 0;
    let corr = 0;
    for (let i = 0; i < n; i++) {
      const d = x[c + i]! - mu;
      ss += d * d;
      corr += d;
    }
    const variance = (ss - (corr * corr) / n) / n;
    const constant = variance <= n * EPS * variance + (n * mu * EPS) ** 2;
    mean[j] = mu;
    scale[j] = constant ? 1 : Math.sqrt(variance);
  }
  return { mean, scale };
}

function applyScaler(m: LassoMatrix, s: Scaler): Float64Array {
  const { x, n, p } = m;
  const z = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) z[j * n + i] = (x[j * n + i]! - s.mean[j]!) / s.scale[j]!;
  return z;
}

/** Columns and y centred on the given rows, with their offsets (sklearn's _preprocess_data). */
function centred(z: Float64Array, y: Float64Array, n: number, p: number, rows: readonly number[]) {
  const m = rows.length;
  const zc = pickRows(z, n, p, rows);
  const offsets = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += zc[j * m + i]!;
    offsets[j] = s / m;
    for (let i = 0; i < m; i++) zc[j * m + i]! -= offsets[j]!;
  }
  let yOffset = 0;
  for (const r of rows) yOffset += y[r]!;
  yOffset /= m;
  const yc = Float64Array.from(rows, (r) => y[r]! - yOffset);
  return { zc, yc, offsets, yOffset, m };
}

/** LassoCV's grid: α_max = max|Z_cᵀy_c|/m, then `nAlphas` values geometric down to eps·α_max. */
export function alphaGrid(zc: Float64Array, yc: Float64Array, m: number, p: number, nAlphas: number, eps: number): Float64Array {
  const xy = transposeTimes(zc, m, p, yc);
  let alphaMax = 0;
  for (const v of xy) alphaMax = Math.max(alphaMax, Math.abs(v));
  alphaMax /= m;
  if (alphaMax <= RESOLUTION) return new Float64Array(nAlphas).fill(RESOLUTION);
  // numpy.logspace: 10^linspace(log10(eps·α_max), log10(α_max)), last point exactly the stop.
  const start = Math.log10(alphaMax * eps);
  const stop = Math.log10(alphaMax);
  const step = (stop - start) / (nAlphas - 1);
  const grid = new Float64Array(nAlphas);
  for (let i = 0; i < nAlphas; i++) {
    const exponent = i === nAlphas - 1 ? stop : i * step + start;
    grid[nAlphas - 1 - i] = Math.pow(10, exponent);
  }
  return grid;
}

interface Settings {
  nAlphas: number;
  eps: number;
  maxIterations: number;
  tolerance: number;
}

/**
 * `make_pipeline(StandardScaler(), LassoCV(cv=folds))` fitted on the rows of `matrix`
 * (folds index those rows).
 */
export function fitLassoCv(
  matrix: LassoMatrix,
  y: Float64Array,
  folds: readonly Fold[],
  options: Omit<LassoOptions, 'folds' | 'seed'> = {},
): LassoFit {
  const settings: Settings = { ...LASSO_DEFAULTS, ...definedOnly(options) };
  const { n, p, names } = matrix;
  checkFolds(folds, n, 'LASSO cross-validation');
  const scaler = fitScaler(matrix);
  const z = applyScaler(matrix, scaler);
  const all = Array.from({ length: n }, (_, i) => i);
  const whole = centred(z, y, n, p, all);
  const alphas = alphaGrid(whole.zc, whole.yc, n, p, settings.nAlphas, settings.eps);
  let unconverged = 0;
  let fits = 0;

  const msePath = Array.from({ length: alphas.length }, () => new Float64Array(folds.length));
  folds.forEach((fold, f) => {
    const t = centred(z, y, n, p, fold.train);
    const gram = weightedGram(t.zc, t.m, p);
    const q = transposeTimes(t.zc, t.m, p, t.yc);
    let yNorm2 = 0;
    for (const v of t.yc) yNorm2 += v * v;
    const w = new Float64Array(p);
    for (let a = 0; a < alphas.length; a++) {
      // Warm start: w carries the solution at the previous (larger) α.
      const cd = coordinateDescentGram(w, alphas[a]! * t.m, gram, q, yNorm2, p, settings.maxIterations, settings.tolerance);
      fits++;
      if (!cd.converged) unconverged++;
      let intercept = t.yOffset;
      for (let j = 0; j < p; j++) intercept -= t.offsets[j]! * w[j]!;
      let sse = 0;
      for (const r of fold.test) {
        let pred = intercept;
        for (let j = 0; j < p; j++) pred += z[j * n + r]! * w[j]!;
        sse += (pred - y[r]!) ** 2;
      }
      msePath[a]![f] = sse / fold.test.length;
    }
  });
  const meanMse = Float64Array.from(msePath, (row) => row.reduce((s, v) => s + v, 0) / row.length);
  let best = 0;
  for (let a = 1; a < meanMse.length; a++) if (meanMse[a]! < meanMse[best]!) best = a;
  const alpha = alphas[best]!;

  // The refit on every row at the chosen α, from zero. sklearn refits with the dense solver
  // (precompute=False); the Gram solver makes the same sweeps in exact arithmetic — so it
  // stops at the same sweep — at O(p²) instead of O(n·p) per sweep, which matters on 15,000
  // rows with correlated interaction columns (thousands of sweeps at a small α).
  const coef = new Float64Array(p);
  let yNorm2 = 0;
  for (const v of whole.yc) yNorm2 += v * v;
  const cd = coordinateDescentGram(
    coef,
    alpha * n,
    weightedGram(whole.zc, n, p),
    transposeTimes(whole.zc, n, p, whole.yc),
    yNorm2,
    p,
    settings.maxIterations,
    settings.tolerance,
  );
  fits++;
  if (!cd.converged) unconverged++;
  let intercept = whole.yOffset;
  for (let j = 0; j < p; j++) intercept -= whole.offsets[j]! * coef[j]!;
  const coefOriginal = coef.map((c, j) => c / scaler.scale[j]!);
  let interceptOriginal = intercept;
  for (let j = 0; j < p; j++) interceptOriginal -= coefOriginal[j]! * scaler.mean[j]!;
  return {
    names: [...names],
    n,
    alphas,
    msePath,
    meanMse,
    alpha,
    coef,
    intercept,
    mean: scaler.mean,
    scale: scaler.scale,
    coefOriginal,
    interceptOriginal,
    selected: names.filter((_, j) => coef[j] !== 0),
    unconverged,
    fits,
  };
}

/** Predictions of a fitted estimator for rows of an original-scale matrix (all rows by default). */
export function predictLasso(fit: LassoFit, matrix: LassoMatrix, rows?: readonly number[]): Float64Array {
  const { x, n, p } = matrix;
  const at = rows ?? Array.from({ length: n }, (_, i) => i);
  return Float64Array.from(at, (r) => {
    let s = fit.intercept;
    for (let j = 0; j < p; j++) s += ((x[j * n + r]! - fit.mean[j]!) / fit.scale[j]!) * fit.coef[j]!;
    return s;
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkSettings(options: LassoOptions, n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new FramelabError('INVALID_INPUT', `The LASSO needs a whole number of folds ≥ 2; got ${k}.`);
  // Nested CV: each outer training set (≈ n(k−1)/k rows) is split into k inner folds of ≥ 2 rows.
  const smallestOuterTrain = n - Math.ceil(n / k);
  if (n < 2 * k || smallestOuterTrain < 2 * k) {
    throw new FramelabError(
      'INVALID_INPUT',
      `The LASSO's nested ${k}-fold cross-validation needs at least ${2 * k} rows in every outer training set; the model has ${n} complete rows. Use fewer folds.`,
    );
  }
  const { nAlphas, eps, maxIterations, tolerance } = options;
  if (nAlphas !== undefined && !(Number.isInteger(nAlphas) && nAlphas >= 2))
    throw new FramelabError('INVALID_INPUT', `The LASSO's α grid needs at least 2 values; got nAlphas=${nAlphas}.`);
  if (eps !== undefined && !(eps > 0 && eps < 1))
    throw new FramelabError('INVALID_INPUT', `The LASSO's eps (smallest α / largest α) must be in (0, 1); got ${eps}.`);
  if (maxIterations !== undefined && !(Number.isInteger(maxIterations) && maxIterations >= 1))
    throw new FramelabError('INVALID_INPUT', `The LASSO's maxIterations must be a whole number ≥ 1; got ${maxIterations}.`);
  if (tolerance !== undefined && !(tolerance > 0))
    throw new FramelabError('INVALID_INPUT', `The LASSO's tolerance must be positive; got ${tolerance}.`);
}

/** The Analysis figures: the all-rows fit with its train R², and the nested CV R². */
export function lassoAnalysis(design: Pick<Design, 'x' | 'y' | 'n' | 'p' | 'names'>, options: LassoOptions = {}): LassoResult {
  const matrix = lassoMatrix(design);
  const { y, n } = design;
  const k = options.folds ?? DEFAULT_CV_FOLDS;
  const seed = options.seed ?? DEFAULT_CV_SEED;
  checkSettings(options, n, k);
  const cd = { nAlphas: options.nAlphas, eps: options.eps, maxIterations: options.maxIterations, tolerance: options.tolerance };
  const outer = kFold(n, k, seed);
  const fit = fitLassoCv(matrix, y, outer, cd);
  const trainR2 = r2Score(y, predictLasso(fit, matrix));

  const oof = new Float64Array(n);
  const foldOf = new Int32Array(n);
  const outerAlphas: number[] = [];
  let unconverged = fit.unconverged;
  let fits = fit.fits;
  outer.forEach((fold, f) => {
    const train: LassoMatrix = { ...matrix, x: pickRows(matrix.x, n, matrix.p, fold.train), n: fold.train.length };
    const inner = fitLassoCv(
      train,
      Float64Array.from(fold.train, (r) => y[r]!),
      kFold(fold.train.length, k, seed),
      cd,
    );
    outerAlphas.push(inner.alpha);
    unconverged += inner.unconverged;
    fits += inner.fits;
    const pred = predictLasso(inner, matrix, fold.test);
    fold.test.forEach((r, i) => {
      oof[r] = pred[i]!;
      foldOf[r] = f;
    });
  });
  const maxIterations = options.maxIterations ?? LASSO_DEFAULTS.maxIterations;
  return {
    fit,
    trainR2,
    cvR2: r2Score(y, oof),
    foldR2: outer.map((fold) => r2Score(y, oof, fold.test)),
    folds: k,
    n,
    oof,
    foldOf,
    outerAlphas,
    converged: unconverged === 0,
    problem:
      unconverged === 0
        ? null
        : `${unconverged} of ${fits} coordinate-descent fits stopped at ${maxIterations} sweeps with the duality gap above the tolerance; raise maxIterations`,
  };
}
