import { FramelabError } from '../../../shared/errors';
import { kFold, type Fold } from '../suite/data/splits';
import type { Design } from './design';
import { applyQt, gather, sequentialQr, solveUpper, rFactor } from './linalg';

/**
 * K-fold cross-validated R² of an OLS design: each fold's model is fitted by QR on the other
 * folds' rows and predicts its own rows; the headline CV R² is computed once over every
 * out-of-fold prediction, 1 − Σ(y − ŷ_oof)² / Σ(y − ȳ)², with ȳ the mean of all rows (as
 * sklearn's `r2_score(y, cross_val_predict(...))`); the per-fold R² are over each test fold.
 *
 * A training set can be rank-deficient where the whole design is not: a category level seen
 * only in one fold leaves its dummy all zero in the other folds' training rows. Such a column
 * gets coefficient 0 in that fold, and its held-out rows are predicted without it. For an
 * all-zero column this is exactly the minimum-norm least-squares fit (sklearn's
 * `LinearRegression`, numpy's `lstsq`), since any weight on a zero column only adds norm.
 * A column that is a non-trivial combination of the others in the training rows only is
 * dropped too (the later column, as the QR meets it) — the basic solution, which differs from
 * the minimum-norm one on held-out rows that break the combination; each such column is
 * named per fold in `rankDeficient`, so the run can say so.
 */

export interface OlsCvOptions {
  /** K (default 5, the config's `cvFolds`). */
  folds?: number;
  /** Seed of `kFold`'s shuffle (default 42, the config's `seed`). */
  seed?: number;
  /** Explicit folds (partition of 0..n−1), overriding `folds`/`seed` — for tests and nested use. */
  foldList?: readonly Fold[];
}

export interface OlsCvResult {
  /** R² over all out-of-fold predictions. */
  cvR2: number;
  /** R² of each test fold against its own mean. */
  foldR2: number[];
  folds: number;
  n: number;
  /** Out-of-fold prediction of every row. */
  oof: Float64Array;
  /** The fold that predicted each row. */
  foldOf: Int32Array;
  /** Folds whose training rows could not identify some columns (coefficient 0 there). */
  rankDeficient: { fold: number; columns: string[] }[];
}

export const DEFAULT_CV_FOLDS = 5;
export const DEFAULT_CV_SEED = 42;

/**
 * R² of `pred` against `y` over `rows` (all rows when omitted), centred on those rows' mean.
 * A constant y gives 1 for a perfect prediction and 0 otherwise, as sklearn's `r2_score`.
 */
export function r2Score(y: ArrayLike<number>, pred: ArrayLike<number>, rows?: ArrayLike<number>): number {
  const m = rows ? rows.length : y.length;
  const at = (i: number) => (rows ? rows[i]! : i);
  let mean = 0;
  for (let i = 0; i < m; i++) mean += y[at(i)]!;
  mean /= m;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < m; i++) {
    const r = at(i);
    sse += (y[r]! - pred[r]!) ** 2;
    sst += (y[r]! - mean) ** 2;
  }
  if (sst === 0) return sse === 0 ? 1 : 0;
  return 1 - sse / sst;
}

/** The rows of a column-major n × p matrix picked by `rows`, as a new rows.length × p matrix. */
export function pickRows(x: Float64Array, n: number, p: number, rows: readonly number[]): Float64Array {
  const m = rows.length;
  const out = new Float64Array(m * p);
  for (let j = 0; j < p; j++) {
    const from = j * n;
    const to = j * m;
    for (let i = 0; i < m; i++) out[to + i] = x[from + rows[i]!]!;
  }
  return out;
}

/** Checks that explicit folds partition 0..n−1 with non-empty train and test sets. */
export function checkFolds(folds: readonly Fold[], n: number, what: string): void {
  const seen = new Uint8Array(n);
  folds.forEach((fold, f) => {
    if (fold.test.length === 0 || fold.train.length === 0)
      throw new FramelabError('INVALID_INPUT', `${what}: fold ${f + 1} has an empty training or test set.`);
    for (const r of fold.test) {
      if (!(Number.isInteger(r) && r >= 0 && r < n))
        throw new FramelabError('INVALID_INPUT', `${what}: fold ${f + 1} names row ${r}, outside 0..${n - 1}.`);
      if (seen[r])
        throw new FramelabError(
          'INVALID_INPUT',
          `${what}: row ${r} is in more than one test fold; the test folds must partition the rows.`,
        );
      seen[r] = 1;
    }
  });
  const missing = seen.indexOf(0);
  if (missing >= 0)
    throw new FramelabError('INVALID_INPUT', `${what}: row ${missing} is in no test fold; the test folds must partition the rows.`);
}

/** Folds from the options (explicit or kFold), with the row counts every fold needs. */
export function resolveFolds(n: number, options: OlsCvOptions, what: string, minTrain: number): Fold[] {
  const k = options.foldList ? options.foldList.length : (options.folds ?? DEFAULT_CV_FOLDS);
  if (!Number.isInteger(k) || k < 2) throw new FramelabError('INVALID_INPUT', `${what} needs a whole number of folds ≥ 2; got ${k}.`);
  // Every test fold needs two rows for its own R² to mean anything.
  if (n < 2 * k)
    throw new FramelabError(
      'INVALID_INPUT',
      `${what} with ${k} folds needs at least ${2 * k} complete rows (2 per fold); the model has ${n}. Use fewer folds.`,
    );
  const folds = options.foldList ? [...options.foldList] : kFold(n, k, options.seed ?? DEFAULT_CV_SEED);
  if (options.foldList) checkFolds(folds, n, what);
  const smallest = Math.min(...folds.map((f) => f.train.length));
  if (smallest < minTrain) {
    throw new FramelabError(
      'INVALID_INPUT',
      `${what}: a training set of ${smallest} rows cannot fit ${minTrain - 1} coefficients; it needs more rows than coefficients in every fold. Use fewer folds or a smaller model.`,
    );
  }
  return folds;
}

/**
 * OLS on the training rows by Householder QR; columns the training rows cannot identify get
 * coefficient 0 (see the file comment). Returns the coefficients and the dropped columns.
 */
export function fitOlsRows(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  rows: readonly number[],
): { beta: Float64Array; dropped: number[] } {
  const m = rows.length;
  const xt = pickRows(x, n, p, rows);
  const yt = gather(y, rows);
  const qr = sequentialQr(xt, m, p);
  const coef = solveUpper(rFactor(qr), qr.p, applyQt(qr, yt));
  const beta = new Float64Array(p);
  qr.independent.forEach((col, k) => (beta[col] = coef[k]!));
  return { beta, dropped: qr.dependent.map((d) => d.column) };
}

export function crossValidateOls(design: Pick<Design, 'x' | 'y' | 'n' | 'p' | 'names'>, options: OlsCvOptions = {}): OlsCvResult {
  const { x, y, n, p, names } = design;
  const folds = resolveFolds(n, options, 'Cross-validated R² of the OLS model', p + 1);
  const oof = new Float64Array(n);
  const foldOf = new Int32Array(n);
  const rankDeficient: OlsCvResult['rankDeficient'] = [];
  folds.forEach((fold, f) => {
    const { beta, dropped } = fitOlsRows(x, y, n, p, fold.train);
    if (dropped.length) rankDeficient.push({ fold: f, columns: dropped.map((j) => names[j]!) });
    for (const r of fold.test) {
      let s = 0;
      for (let j = 0; j < p; j++) s += x[j * n + r]! * beta[j]!;
      oof[r] = s;
      foldOf[r] = f;
    }
  });
  return {
    cvR2: r2Score(y, oof),
    foldR2: folds.map((fold) => r2Score(y, oof, fold.test)),
    folds: folds.length,
    n,
    oof,
    foldOf,
    rankDeficient,
  };
}
