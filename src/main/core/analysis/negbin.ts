import { chiSquareSf, digamma, logGamma, trigamma } from './distributions';
import { checkCounts, fitPoisson, type CountDesign, type PoissonResult } from './glm';
import { coefficientTable, DEFAULT_CONFIDENCE, type Coefficient, type Reference } from './inference';
import { cholesky, choleskyInverse, choleskySolve, multiply, transposeTimes, weightedGram } from './linalg';

/**
 * NB2 negative binomial regression (variance μ + αμ², log link) with α by maximum
 * likelihood, as statsmodels' `NegativeBinomial(y, X, loglike_method='nb2').fit()`.
 *
 * Optimizer: Newton–Raphson with the analytic gradient and Hessian on (β, log α) — log α
 * keeps α positive without constraints — with step halving on the log-likelihood and a
 * Levenberg shift when the Hessian is not negative definite far from the optimum. Start:
 * the Poisson estimates and statsmodels' moment estimate of α (at least 0.05). Newton
 * rather than statsmodels' default BFGS: BFGS stops after 35 iterations whether or not it
 * has converged; Newton reaches the maximum to machine precision in a handful of steps.
 *
 * As statsmodels: SEs from the inverse of the negative Hessian in (β, α) at the estimate
 * (so α's SE is on the α scale), z statistics with normal p, AIC = −2·llf + 2(p + 1),
 * McFadden pseudo-R² against the intercept-only NB model.
 */

export interface NegBinOptions {
  maxIterations?: number;
  confidence?: number;
  /** Also fit the intercept-only model for llnull and pseudo-R² (needs an intercept column). */
  nullModel?: boolean;
  /** The Poisson fit of the same design, if the caller has it (the start values). */
  poisson?: PoissonResult;
}

export interface NegBinResult {
  family: 'negbin';
  names: string[];
  n: number;
  p: number;
  params: Float64Array;
  alpha: number;
  alphaSe: number;
  /** (p + 1) × (p + 1) covariance of (β, α), column-major. */
  cov: Float64Array;
  reference: Reference;
  coefficients: Coefficient[];
  llf: number;
  aic: number;
  bic: number;
  llnull: number | null;
  /** McFadden: 1 − llf/llnull. */
  pseudoR2: number | null;
  converged: boolean;
  iterations: number;
  /** Why it did not converge, in words, when it did not. */
  problem: string | null;
}

/** The parts of the NB2 terms that depend on α alone: computed once per evaluation, not per row. */
export interface Nb2Constants {
  alpha: number;
  r: number;
  logAlpha: number;
  logGammaR: number;
  digammaR: number;
  trigammaR: number;
}

export function nb2Constants(alpha: number): Nb2Constants {
  const r = 1 / alpha;
  return { alpha, r, logAlpha: Math.log(alpha), logGammaR: logGamma(r), digammaR: digamma(r), trigammaR: trigamma(r) };
}

/** Per-observation pieces of the NB2 log-likelihood and its derivatives at (η, α) (zinb.ts reuses them). */
export function nb2Terms(y: number, eta: number, c: Nb2Constants) {
  const { alpha, r } = c;
  const mu = Math.exp(eta);
  const am = alpha * mu;
  const l1p = Math.log1p(am);
  const llf = logGamma(y + r) - c.logGammaR - logGamma(y + 1) - r * l1p + (y > 0 ? y * (c.logAlpha + eta - l1p) : 0);
  const dEta = (y - mu) / (1 + am);
  const psiDiff = c.digammaR - digamma(y + r) + l1p;
  const dAlpha = psiDiff / (alpha * alpha) + (y - mu) / (alpha * (1 + am));
  const dEtaEta = (-mu * (1 + alpha * y)) / ((1 + am) * (1 + am));
  const dEtaAlpha = (mu * (mu - y)) / ((1 + am) * (1 + am));
  const dAlphaAlpha =
    (-2 * psiDiff) / (alpha * alpha * alpha) +
    (trigamma(y + r) - c.trigammaR) / (alpha * alpha * alpha * alpha) +
    mu / (alpha * alpha * (1 + am)) -
    ((y - mu) * (1 + 2 * am)) / (alpha * (1 + am)) ** 2;
  return { llf, dEta, dAlpha, dEtaEta, dEtaAlpha, dAlphaAlpha };
}

/**
 * Log-likelihood, gradient and Hessian in (β, α) — the parametrization statsmodels reports
 * its score and Hessian in. Gradient length p + 1; Hessian (p + 1)², column-major.
 */
export function nb2LogLikelihood(design: CountDesign, beta: ArrayLike<number>, alpha: number) {
  const { x, y, n, p } = design;
  const k = p + 1;
  const c = nb2Constants(alpha);
  const eta = multiply(x, n, p, beta);
  // Per-row derivatives in η, then the β parts as products with X's columns (XᵀWX form).
  const dEta = new Float64Array(n);
  const dEtaEta = new Float64Array(n);
  const dEtaAlpha = new Float64Array(n);
  let llf = 0;
  let dAlpha = 0;
  let dAlphaAlpha = 0;
  for (let i = 0; i < n; i++) {
    const t = nb2Terms(y[i]!, eta[i]!, c);
    llf += t.llf;
    dEta[i] = t.dEta;
    dEtaEta[i] = t.dEtaEta;
    dEtaAlpha[i] = t.dEtaAlpha;
    dAlpha += t.dAlpha;
    dAlphaAlpha += t.dAlphaAlpha;
  }
  const gradient = new Float64Array(k);
  gradient.set(transposeTimes(x, n, p, dEta));
  gradient[p] = dAlpha;
  const hessian = new Float64Array(k * k);
  const betaBlock = weightedGram(x, n, p, dEtaEta);
  for (let j = 0; j < p; j++) hessian.set(betaBlock.subarray(j * p, j * p + p), j * k);
  const cross = transposeTimes(x, n, p, dEtaAlpha);
  for (let a = 0; a < p; a++) {
    hessian[p * k + a] = cross[a]!;
    hessian[a * k + p] = cross[a]!;
  }
  hessian[p * k + p] = dAlphaAlpha;
  return { llf, gradient, hessian };
}

/** The same in (β, θ = log α): g_θ = α·g_α, H_θθ = α²·H_αα + α·g_α, H_βθ = α·H_βα (α the last of k parameters). */
export function logAlphaScale(g: Float64Array, h: Float64Array, k: number, alpha: number): { g: Float64Array; h: Float64Array } {
  const p = k - 1;
  const gt = Float64Array.from(g);
  const ht = Float64Array.from(h);
  gt[p] = alpha * g[p]!;
  for (let a = 0; a < p; a++) {
    ht[p * k + a] = alpha * h[p * k + a]!;
    ht[a * k + p] = alpha * h[a * k + p]!;
  }
  ht[p * k + p] = alpha * alpha * h[p * k + p]! + alpha * g[p]!;
  return { g: gt, h: ht };
}

/** Solves (−H + λI)·δ = g, raising λ until the matrix is positive definite. */
export function newtonDirection(g: Float64Array, h: Float64Array, k: number): Float64Array {
  const negH = h.map((v) => -v);
  let lambda = 0;
  const maxDiag = Math.max(...Array.from({ length: k }, (_, i) => Math.abs(negH[i * k + i]!)), 1e-12);
  for (let attempt = 0; attempt < 40; attempt++) {
    const shifted = Float64Array.from(negH);
    for (let i = 0; i < k; i++) shifted[i * k + i]! += lambda;
    const l = cholesky(shifted, k);
    if (l) return choleskySolve(l, k, g);
    lambda = lambda === 0 ? 1e-8 * maxDiag : lambda * 10;
  }
  return g.map((v) => v / maxDiag);
}

/** statsmodels' starting α for nb2: mean of ((y − μ)²/μ − 1)/μ over the residual df, at least 0.05. */
function momentAlpha(y: Float64Array, mu: Float64Array, dfResid: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += ((y[i]! - mu[i]!) ** 2 / mu[i]! - 1) / mu[i]!;
  return Math.max(0.05, s / dfResid);
}

/** Below this α the NB2 model has become the Poisson model: the maximum is on the boundary. */
const ALPHA_FLOOR = 1e-8;

function maximize(design: CountDesign, start: Float64Array, alpha0: number, maxIterations: number) {
  const { p } = design;
  const k = p + 1;
  let beta = Float64Array.from(start);
  let theta = Math.log(alpha0);
  let current = nb2LogLikelihood(design, beta, Math.exp(theta));
  let converged = false;
  let problem: string | null = null;
  let iterations = 0;
  for (let it = 1; it <= maxIterations; it++) {
    iterations = it;
    const alpha = Math.exp(theta);
    const { g, h } = logAlphaScale(current.gradient, current.hessian, k, alpha);
    const delta = newtonDirection(g, h, k);
    let decrement = 0;
    for (let i = 0; i < k; i++) decrement += g[i]! * delta[i]!;
    let step = 1;
    let accepted = false;
    for (let half = 0; half < 60; half++) {
      const nb = beta.map((b, j) => b + step * delta[j]!);
      const nt = theta + step * delta[p]!;
      const trial = nb2LogLikelihood(design, nb, Math.exp(nt));
      if (Number.isFinite(trial.llf) && trial.llf >= current.llf - 1e-12 * Math.abs(current.llf)) {
        beta = nb;
        theta = nt;
        current = trial;
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (Math.exp(theta) < ALPHA_FLOOR) {
      problem = `α fell below ${ALPHA_FLOOR}: the counts show no overdispersion, so the estimate is on the boundary α = 0 (use the Poisson model)`;
      break;
    }
    if (!accepted) {
      problem = 'no step along the Newton direction increased the log-likelihood';
      break;
    }
    // A full step from a point this close to the maximum leaves an error of order decrement².
    if (decrement < 1e-10 && step === 1) {
      converged = true;
      break;
    }
  }
  if (!converged && !problem) problem = `no convergence in ${maxIterations} Newton iteration${maxIterations === 1 ? '' : 's'}`;
  return { beta, alpha: Math.exp(theta), current, converged, iterations, problem };
}

export function fitNegativeBinomial(design: CountDesign & { hasIntercept?: boolean }, options: NegBinOptions = {}): NegBinResult {
  const { y, n, p, names } = design;
  checkCounts(y, 'negative binomial model');
  const maxIterations = options.maxIterations ?? 100;
  const poisson = options.poisson ?? fitPoisson(design);
  const fit = maximize(design, poisson.params, momentAlpha(y, poisson.mu, n - p), maxIterations);
  const k = p + 1;
  const l = cholesky(
    fit.current.hessian.map((v) => -v),
    k,
  );
  const cov = l ? choleskyInverse(l, k) : new Float64Array(k * k).fill(NaN);
  const problem = fit.problem ?? (l ? null : 'the Hessian at the estimate is not negative definite');
  const reference: Reference = { kind: 'z' };
  const llf = fit.current.llf;
  let llnull: number | null = null;
  if (options.nullModel && design.hasIntercept) {
    let ybar = 0;
    for (const v of y) ybar += v;
    ybar /= n;
    const ones = { x: new Float64Array(n).fill(1), y, n, p: 1, names: ['Intercept'] };
    const start = Float64Array.of(Math.log(ybar));
    const mu = new Float64Array(n).fill(ybar);
    const nullFit = maximize(ones, start, momentAlpha(y, mu, n - 1), maxIterations);
    llnull = nullFit.converged ? nullFit.current.llf : null;
  }
  return {
    family: 'negbin',
    names: [...names],
    n,
    p,
    params: fit.beta,
    alpha: fit.alpha,
    alphaSe: Math.sqrt(cov[p * k + p]!),
    cov,
    reference,
    coefficients: coefficientTable(names, fit.beta, squareBlock(cov, k, p), reference, options.confidence ?? DEFAULT_CONFIDENCE),
    llf,
    aic: -2 * llf + 2 * (p + 1),
    bic: -2 * llf + Math.log(n) * (p + 1),
    llnull,
    pseudoR2: llnull === null ? null : 1 - llf / llnull,
    converged: fit.converged && problem === null,
    iterations: fit.iterations,
    problem,
  };
}

/** The leading p × p block of a k × k column-major matrix. */
function squareBlock(m: Float64Array, k: number, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) out[j * p + i] = m[j * k + i]!;
  return out;
}

export interface OverdispersionLrTest {
  statistic: number;
  /** Boundary-corrected: ½·P(χ²₁ > LR) (χ̄²₀₁). */
  p: number;
  /** The naive χ²₁ p, for comparison with tools that report it. */
  pChi2: number;
}

/**
 * Likelihood-ratio test of α = 0 (Poisson) against NB2. α = 0 lies on the boundary of the
 * parameter space, so LR is not χ²₁ under the null but a 50:50 mixture of a point mass at 0
 * and χ²₁ (Self & Liang 1987): p = ½·P(χ²₁ > LR), Stata's "chibar2(01)". statsmodels has
 * no such test (its generic LR test would use χ²₁, twice as large a p); the corrected p is
 * the one reported, the naive one is kept beside it. Both models must be fitted to the same
 * rows; a slightly negative LR from rounding is 0.
 */
export function lrTestAlphaZero(poissonLlf: number, negbinLlf: number): OverdispersionLrTest {
  const statistic = Math.max(0, 2 * (negbinLlf - poissonLlf));
  const pChi2 = chiSquareSf(statistic, 1);
  return { statistic, p: statistic === 0 ? 1 : 0.5 * pChi2, pChi2 };
}
