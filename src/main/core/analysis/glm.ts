import { FramelabError } from '../../../shared/errors';
import type { Design } from './design';
import { logGamma } from './distributions';
import { coefficientTable, DEFAULT_CONFIDENCE, type Coefficient, type Reference } from './inference';
import {
  cholesky,
  choleskySolve,
  invertUpper,
  multiply,
  rFactor,
  sequentialQr,
  timesOwnTranspose,
  transposeTimes,
  weightedGram,
} from './linalg';

/**
 * Poisson GLM (log link) by iteratively reweighted least squares, as statsmodels'
 * `GLM(y, X, family=Poisson()).fit()`: same start (μ = (y + ȳ)/2), each step a weighted
 * least-squares fit by QR, z statistics with normal p, AIC = −2·llf + 2p.
 *
 * Convergence is judged on the deviance relative to its size (|Δdev| / (|dev| + 0.1) < tol,
 * R's glm rule) rather than statsmodels' absolute 1e-8: view counts give deviances near 1e9,
 * where an absolute 1e-8 is below floating-point resolution and would never be reached.
 * The covariance is (XᵀWX)⁻¹ at the final estimates.
 */

export type CountDesign = Pick<Design, 'x' | 'y' | 'n' | 'p' | 'names'>;

export interface GlmOptions {
  maxIterations?: number;
  tolerance?: number;
  confidence?: number;
}

export interface PoissonResult {
  family: 'poisson';
  names: string[];
  n: number;
  p: number;
  dfResid: number;
  params: Float64Array;
  cov: Float64Array;
  reference: Reference;
  coefficients: Coefficient[];
  mu: Float64Array;
  llf: number;
  aic: number;
  /** −2·llf + p·log n (statsmodels' `bic_llf`). */
  bic: number;
  deviance: number;
  pearsonChi2: number;
  converged: boolean;
  iterations: number;
}

/** Counts must be non-negative and finite for a count likelihood (design's `count: true` checks whole numbers). */
export function checkCounts(y: Float64Array, model: string): void {
  const bad = y.findIndex((v) => !(v >= 0 && Number.isFinite(v)));
  if (bad >= 0)
    throw new FramelabError(
      'INVALID_INPUT',
      `The ${model} needs non-negative counts, but model row ${bad + 1} has ${y[bad]}; build the design with count: true to have the table row named.`,
    );
}

export function poissonLogLikelihood(y: Float64Array, mu: Float64Array): number {
  let llf = 0;
  for (let i = 0; i < y.length; i++) llf += (y[i]! > 0 ? y[i]! * Math.log(mu[i]!) : 0) - mu[i]! - logGamma(y[i]! + 1);
  return llf;
}

export function poissonDeviance(y: Float64Array, mu: Float64Array): number {
  let dev = 0;
  for (let i = 0; i < y.length; i++) dev += 2 * ((y[i]! > 0 ? y[i]! * Math.log(y[i]! / mu[i]!) : 0) - (y[i]! - mu[i]!));
  return dev;
}

/** QR of √w·X: its R gives (XᵀWX)⁻¹ = R⁻¹R⁻ᵀ without squaring X's condition number. */
function weightedR(x: Float64Array, n: number, p: number, w: Float64Array): Float64Array | null {
  const xw = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) xw[j * n + i] = x[j * n + i]! * Math.sqrt(w[i]!);
  const qr = sequentialQr(xw, n, p);
  return qr.dependent.length ? null : rFactor(qr);
}

function expOf(eta: Float64Array): Float64Array {
  const mu = new Float64Array(eta.length);
  for (let i = 0; i < eta.length; i++) mu[i] = Math.exp(eta[i]!);
  return mu;
}

const SINGULAR =
  "The Poisson model's weighted design became singular (a predictor separates the zero counts); check the predictors for perfect separation.";

/**
 * The IRLS step from (β, μ) as a Newton increment: β + (XᵀWX)⁻¹Xᵀ(y − μ) with W = diag(μ)
 * (the same β as the weighted least-squares fit of the working response for the log link).
 * The first step has no β yet (statsmodels starts from μ alone): it solves for β whole from
 * the working response z = η + (y − μ)/μ. Solved through the Cholesky factor of XᵀWX: the
 * increments shrink as the fit converges, so the squared condition number costs no accuracy
 * at the estimate, and it is a fraction of a QR's work per step.
 */
function irlsStep(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  mu: Float64Array,
  eta: Float64Array,
  beta: Float64Array | null,
): Float64Array {
  const l = cholesky(weightedGram(x, n, p, mu), p);
  if (!l) throw new FramelabError('INVALID_INPUT', SINGULAR);
  if (beta === null) {
    const wz = new Float64Array(n);
    for (let i = 0; i < n; i++) wz[i] = mu[i]! * eta[i]! + (y[i]! - mu[i]!);
    return choleskySolve(l, p, transposeTimes(x, n, p, wz));
  }
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = y[i]! - mu[i]!;
  const delta = choleskySolve(l, p, transposeTimes(x, n, p, residual));
  return beta.map((b, j) => b + delta[j]!);
}

export function fitPoisson(design: CountDesign, options: GlmOptions = {}): PoissonResult {
  const { x, y, n, p, names } = design;
  checkCounts(y, 'Poisson model');
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  let ybar = 0;
  for (const v of y) ybar += v;
  ybar /= n;
  let mu: Float64Array = y.map((v) => (v + ybar) / 2);
  let eta: Float64Array = mu.map(Math.log);
  let deviance = poissonDeviance(y, mu);
  let params: Float64Array | null = null;
  let converged = false;
  let iterations = 0;
  for (let it = 1; it <= maxIterations; it++) {
    iterations = it;
    let next = irlsStep(x, y, n, p, mu, eta, params);
    let nextEta = multiply(x, n, p, next);
    let nextMu = expOf(nextEta);
    let nextDeviance = poissonDeviance(y, nextMu);
    // Step halving while the deviance is not finite (an overflowing μ), as R's glm.fit does.
    for (let h = 0; h < 30 && !Number.isFinite(nextDeviance) && params; h++) {
      const previous = params;
      next = next.map((b, j) => (b + previous[j]!) / 2);
      nextEta = multiply(x, n, p, next);
      nextMu = expOf(nextEta);
      nextDeviance = poissonDeviance(y, nextMu);
    }
    if (!Number.isFinite(nextDeviance)) break;
    const change = Math.abs(nextDeviance - deviance) / (Math.abs(nextDeviance) + 0.1);
    params = next;
    eta = nextEta;
    mu = nextMu;
    deviance = nextDeviance;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  params ??= new Float64Array(p).fill(NaN);
  const r = weightedR(x, n, p, mu);
  const cov = r ? timesOwnTranspose(invertUpper(r, p), p) : new Float64Array(p * p).fill(NaN);
  const reference: Reference = { kind: 'z' };
  const llf = poissonLogLikelihood(y, mu);
  let pearsonChi2 = 0;
  for (let i = 0; i < n; i++) pearsonChi2 += (y[i]! - mu[i]!) ** 2 / mu[i]!;
  return {
    family: 'poisson',
    names: [...names],
    n,
    p,
    dfResid: n - p,
    params,
    cov,
    reference,
    coefficients: coefficientTable(names, params, cov, reference, options.confidence ?? DEFAULT_CONFIDENCE),
    mu,
    llf,
    aic: -2 * llf + 2 * p,
    bic: -2 * llf + Math.log(n) * p,
    deviance,
    pearsonChi2,
    converged,
    iterations,
  };
}
