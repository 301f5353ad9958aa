import { FramelabError } from '../../../shared/errors';
import type { Design } from './design';
import { coefficientTable, DEFAULT_CONFIDENCE, type Coefficient, type Reference } from './inference';
import {
  applyQt,
  invertUpper,
  multiply,
  rFactor,
  sandwich,
  sequentialQr,
  solveUpper,
  thinQ,
  timesOwnTranspose,
  weightedGram,
  type Qr,
  type SequentialQr,
} from './linalg';

/**
 * Ordinary least squares by Householder QR, with the covariance types statsmodels offers and
 * every summary figure computed as statsmodels computes it (RegressionResults), so that a
 * number in Framelab's table is the number in the lab's notebook.
 */

/**
 * Covariance of the estimates. With e the residuals, h the leverages (diagonal of the hat
 * matrix) and B = (XᵀX)⁻¹:
 * - nonrobust: s²·B with s² = Σe²/(n − p);
 * - HC0: B·Xᵀ·diag(e²)·X·B (White);
 * - HC1: HC0 · n/(n − p);
 * - HC2: B·Xᵀ·diag(e²/(1 − h))·X·B;
 * - HC3: B·Xᵀ·diag(e²/(1 − h)²)·X·B (MacKinnon & White; the lab's default).
 * statsmodels then tests nonrobust coefficients with t(n − p) and robust ones with z.
 */
export type CovType = 'nonrobust' | 'HC0' | 'HC1' | 'HC2' | 'HC3';
export const COV_TYPES: readonly CovType[] = ['nonrobust', 'HC0', 'HC1', 'HC2', 'HC3'];

export interface OlsResult {
  names: string[];
  n: number;
  /** Number of coefficients (the design has full rank, so also the rank). */
  p: number;
  dfResid: number;
  /** p − 1 with an intercept, p without (statsmodels' df_model). */
  dfModel: number;
  params: Float64Array;
  /** p × p, column-major, of the chosen type. */
  cov: Float64Array;
  covType: CovType;
  reference: Reference;
  coefficients: Coefficient[];
  fitted: Float64Array;
  residuals: Float64Array;
  /** Leverages h_i (diagonal of X(XᵀX)⁻¹Xᵀ). */
  leverage: Float64Array;
  ssr: number;
  /** s² = SSR/(n − p). */
  scale: number;
  /** Centered R² with an intercept, uncentered without (as statsmodels). */
  r2: number;
  adjR2: number;
  llf: number;
  aic: number;
  bic: number;
}

export interface OlsOptions {
  cov?: CovType;
  confidence?: number;
}

export function fitOls(
  design: Pick<Design, 'x' | 'y' | 'n' | 'p' | 'names' | 'hasIntercept'> & { qr?: SequentialQr },
  options: OlsOptions = {},
): OlsResult {
  const { x, y, n, p, names, hasIntercept } = design;
  const covType = options.cov ?? 'HC3';
  if (!COV_TYPES.includes(covType))
    throw new FramelabError('INVALID_INPUT', `Unknown standard-error type "${covType}"; use one of ${COV_TYPES.join(', ')}.`);
  const qr = design.qr ?? sequentialQr(x, n, p);
  if (qr.dependent.length)
    throw new FramelabError(
      'INVALID_INPUT',
      `The design is singular (column "${names[qr.dependent[0]!.column]}" is a linear combination of the others).`,
    );
  const { r, rInv, q, leverage } = projection(qr);
  const qty = applyQt(qr, y);
  const params = solveUpper(r, p, qty);
  const fitted = multiply(x, n, p, params);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = y[i]! - fitted[i]!;

  let ssr = 0;
  for (const e of residuals) ssr += e * e;
  const dfResid = n - p;
  const scale = ssr / dfResid;
  let tss = 0;
  if (hasIntercept) {
    let mean = 0;
    for (const v of y) mean += v;
    mean /= n;
    for (const v of y) tss += (v - mean) * (v - mean);
  } else {
    for (const v of y) tss += v * v;
  }
  const r2 = 1 - ssr / tss;
  const kConstant = hasIntercept ? 1 : 0;
  const adjR2 = 1 - ((n - kConstant) / dfResid) * (1 - r2);
  const llf = -(n / 2) * Math.log(2 * Math.PI) - (n / 2) * Math.log(ssr / n) - n / 2;
  const aic = -2 * llf + 2 * p;
  const bic = -2 * llf + Math.log(n) * p;

  const cov = covariance(covType, { rInv, q, n, p, residuals, leverage, scale });
  const reference: Reference = covType === 'nonrobust' ? { kind: 't', df: dfResid } : { kind: 'z' };
  const coefficients = coefficientTable(names, params, cov, reference, options.confidence ?? DEFAULT_CONFIDENCE);
  return {
    names: [...names],
    n,
    p,
    dfResid,
    dfModel: p - kConstant,
    params,
    cov,
    covType,
    reference,
    coefficients,
    fitted,
    residuals,
    leverage,
    ssr,
    scale,
    r2,
    adjR2,
    llf,
    aic,
    bic,
  };
}

/**
 * The parts of a fit that depend on X alone. (XᵀX)⁻¹ = R⁻¹R⁻ᵀ; X(XᵀX)⁻¹Xᵀ = QQᵀ, so the
 * leverages are h_i = ‖Q_i‖² and XᵀΩX = Rᵀ(QᵀΩQ)R. Kept per factorization, so that models
 * sharing a design (the same right-hand side for another outcome; see DesignCache) compute
 * them once; they go when the factorization does.
 */
interface Projection {
  r: Float64Array;
  rInv: Float64Array;
  q: Float64Array;
  leverage: Float64Array;
}

const projections = new WeakMap<Qr, Projection>();

function projection(qr: Qr): Projection {
  const known = projections.get(qr);
  if (known) return known;
  const { n, p } = qr;
  const r = rFactor(qr);
  const q = thinQ(qr);
  const leverage = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const cj = j * n;
    for (let i = 0; i < n; i++) leverage[i]! += q[cj + i]! * q[cj + i]!;
  }
  const made = { r, rInv: invertUpper(r, p), q, leverage };
  projections.set(qr, made);
  return made;
}

function covariance(
  type: CovType,
  f: { rInv: Float64Array; q: Float64Array; n: number; p: number; residuals: Float64Array; leverage: Float64Array; scale: number },
): Float64Array {
  const { rInv, q, n, p, residuals, leverage, scale } = f;
  if (type === 'nonrobust') return timesOwnTranspose(rInv, p).map((v) => v * scale);
  const omega = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e2 = residuals[i]! ** 2;
    omega[i] = type === 'HC2' ? e2 / (1 - leverage[i]!) : type === 'HC3' ? e2 / (1 - leverage[i]!) ** 2 : e2;
  }
  // Meat in Q's coordinates: M = QᵀΩQ; then cov = R⁻¹·M·R⁻ᵀ.
  const cov = sandwich(rInv, weightedGram(q, n, p, omega), p);
  if (type === 'HC1') {
    const factor = n / (n - p);
    for (let i = 0; i < cov.length; i++) cov[i]! *= factor;
  }
  return cov;
}
