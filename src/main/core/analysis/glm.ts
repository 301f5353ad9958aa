import { FramelabError } from '../../../shared/errors';
import type { Design } from './design';
import { logGamma } from './distributions';
import { coefficientTable, DEFAULT_CONFIDENCE, type Coefficient, type Reference } from './inference';
import { applyQt, invertUpper, multiply, rFactor, sequentialQr, solveUpper, timesOwnTranspose } from './linalg';

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
  if (bad >= 0) throw new FramelabError('INVALID_INPUT', `The ${model} needs non-negative counts, but model row ${bad + 1} has ${y[bad]}; build the design with count: true to have the table row named.`);
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

/** One weighted least-squares solve: β minimizing Σ w(z − xβ)², and the QR of √w·X. */
function weightedLeastSquares(x: Float64Array, n: number, p: number, w: Float64Array, z: Float64Array) {
  const xw = new Float64Array(n * p);
  const sw = w.map(Math.sqrt);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) xw[j * n + i] = x[j * n + i]! * sw[i]!;
  const qr = sequentialQr(xw, n, p);
  if (qr.dependent.length) return null;
  const r = rFactor(qr);
  const beta = solveUpper(r, p, applyQt(qr, z.map((v, i) => v * sw[i]!)));
  return { beta, r };
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
  let params: Float64Array = new Float64Array(p);
  let converged = false;
  let iterations = 0;
  for (let it = 1; it <= maxIterations; it++) {
    iterations = it;
    const z = eta.map((e, i) => e + (y[i]! - mu[i]!) / mu[i]!);
    const step = weightedLeastSquares(x, n, p, mu, z);
    if (!step) throw new FramelabError('INVALID_INPUT', 'The Poisson model\'s weighted design became singular (a predictor separates the zero counts); check the predictors for perfect separation.');
    let next = step.beta;
    let nextEta = multiply(x, n, p, next);
    let nextMu = nextEta.map(Math.exp);
    let nextDeviance = poissonDeviance(y, nextMu);
    // Step halving while the deviance is not finite (an overflowing μ), as R's glm.fit does.
    for (let h = 0; h < 30 && !Number.isFinite(nextDeviance) && it > 1; h++) {
      next = next.map((b, j) => (b + params[j]!) / 2);
      nextEta = multiply(x, n, p, next);
      nextMu = nextEta.map(Math.exp);
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
  const weighted = weightedLeastSquares(x, n, p, mu, eta);
  const cov = weighted ? timesOwnTranspose(invertUpper(weighted.r, p), p) : new Float64Array(p * p).fill(NaN);
  const reference: Reference = { kind: 'z' };
  const llf = poissonLogLikelihood(y, mu);
  let pearsonChi2 = 0;
  for (let i = 0; i < n; i++) pearsonChi2 += (y[i]! - mu[i]!) ** 2 / mu[i]!;
  return {
    family: 'poisson', names: [...names], n, p, dfResid: n - p, params, cov, reference,
    coefficients: coefficientTable(names, params, cov, reference, options.confidence ?? DEFAULT_CONFIDENCE),
    mu, llf, aic: -2 * llf + 2 * p, bic: -2 * llf + Math.log(n) * p, deviance, pearsonChi2, converged, iterations,
  };
}
