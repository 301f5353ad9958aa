import { FramelabError } from '../../../shared/errors';
import { checkCounts, type CountDesign } from './glm';
import { coefficientTable, DEFAULT_CONFIDENCE, type Coefficient, type Reference } from './inference';
import { cholesky, choleskyInverse } from './linalg';
import { fitNegativeBinomial, logAlphaScale, nb2Constants, nb2Terms, newtonDirection, type NegBinResult } from './negbin';

/**
 * Zero-inflated NB2 with a logit inflation model, as statsmodels'
 * `ZeroInflatedNegativeBinomialP(y, X, exog_infl=None, inflation='logit', p=2)`:
 * a row is a structural zero with probability π = logistic(zᵀγ), otherwise an NB2 count with
 * mean μ = exp(xᵀβ) and variance μ + αμ². Parameters in statsmodels' order and names:
 * `inflate_const` (or `inflate_<name>` for each inflation column), the count terms, `alpha`.
 *
 * Log-likelihood per row, with f₀ = (1 + αμ)^(−1/α) the NB probability of 0:
 *   y = 0: log(π + (1 − π)·f₀) = logaddexp(s, log f₀) − softplus(s), s = zᵀγ;
 *   y > 0: log(1 − π) + log NB(y) = −softplus(s) + log NB(y).
 * The score and Hessian are analytic (q = logistic(s − log f₀), the posterior probability
 * that a zero is structural, carries the mixing); statsmodels differentiates its ZINB
 * log-likelihood numerically for the Hessian, so SEs agree to the finite-difference error.
 *
 * Optimizer: Newton on (γ, β, log α) with step halving and a Levenberg shift, from the NB2 fit
 * (its β and α) and γ set to the share of excess zeros, logit((z₀ − f̄₀)/(1 − f̄₀)) clipped to
 * [0.01, 0.9] (z₀ the observed share of zeros, f̄₀ the NB's mean probability of 0).
 * statsmodels starts from a Nelder–Mead NB fit and γ = 0 (π = ½), from where its Newton can
 * fail outright; its BFGS gets there, slowly. Converged when the Newton decrement < 1e-10
 * after a full step. Boundaries are reported, not passed off as fits: α → 0 (the counts are
 * Poisson apart from the zeros) and π → 0 on every row (no excess zeros: the NB model is
 * the model).
 *
 * SEs: inverse of −H in (γ, β, α) at the estimate (α on its natural scale, as statsmodels).
 * AIC = −2·llf + 2k and BIC = −2·llf + k·log n with k = every parameter (inflation, count
 * terms, α). statsmodels 0.13.5 counts only the count terms (its ZI results use
 * df_model + 1), so its `aic` is 2·(k_inflate + 1) lower than ours.
 */

/** Extra columns for the inflation model (default: an intercept only). */
export interface InflationDesign {
  /** n × q, column-major. */
  x: Float64Array;
  q: number;
  /** Column names; the parameters are named `inflate_<name>`. */
  names: string[];
}

export interface ZinbOptions {
  inflation?: InflationDesign;
  maxIterations?: number;
  confidence?: number;
  /** The NB2 fit of the same design (start values), if the caller has it. */
  negbin?: NegBinResult;
}

export interface ZinbResult {
  family: 'zinb';
  /** Every parameter in statsmodels' order: inflate_*, the count terms, alpha. */
  names: string[];
  n: number;
  /** Count-part columns. */
  p: number;
  /** Inflation columns. */
  q: number;
  params: Float64Array;
  /** Covariance of `params` (α on its natural scale), column-major. */
  cov: Float64Array;
  reference: Reference;
  /** Wald rows for every parameter, statsmodels' order (as its summary). */
  table: Coefficient[];
  /** The count part's rows (the terms of the design). */
  coefficients: Coefficient[];
  /** The inflation part's rows (`inflate_*`). */
  inflation: Coefficient[];
  alpha: number;
  alphaSe: number;
  llf: number;
  aic: number;
  bic: number;
  converged: boolean;
  iterations: number;
  problem: string | null;
}

const INTERCEPT_ONLY = (n: number): InflationDesign => ({ x: new Float64Array(n).fill(1), q: 1, names: ['const'] });

/** log(1 + eˢ) without overflow. */
function softplus(s: number): number {
  return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
}

function logistic(s: number): number {
  if (s >= 0) return 1 / (1 + Math.exp(-s));
  const e = Math.exp(s);
  return e / (1 + e);
}

/**
 * Log-likelihood, gradient and Hessian in statsmodels' parametrization (γ, β, α) — α on its
 * natural scale, last. Gradient length k = q + p + 1; Hessian k × k column-major.
 */
export function zinbLogLikelihood(design: CountDesign, inflation: InflationDesign, params: ArrayLike<number>) {
  const { x, y, n, p } = design;
  const { q } = inflation;
  const z = inflation.x;
  const k = q + p + 1;
  const ia = k - 1;
  const alpha = params[ia]!;
  const constants = nb2Constants(alpha);
  const gradient = new Float64Array(k);
  const hessian = new Float64Array(k * k);
  const u = new Float64Array(q + p);
  let llf = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < q; j++) {
      u[j] = z[j * n + i]!;
      s += u[j]! * params[j]!;
    }
    let eta = 0;
    for (let j = 0; j < p; j++) {
      u[q + j] = x[j * n + i]!;
      eta += u[q + j]! * params[q + j]!;
    }
    const nb = nb2Terms(y[i]!, eta, constants);
    const pi = logistic(s);
    // Per-row derivatives by block: s = zᵀγ, η = xᵀβ, and α.
    let gS: number,
      gEta: number,
      gAlpha: number,
      hSS: number,
      hSEta: number,
      hSAlpha: number,
      hEtaEta: number,
      hEtaAlpha: number,
      hAlphaAlpha: number;
    if (y[i]! > 0) {
      llf += -softplus(s) + nb.llf;
      gS = -pi;
      hSS = -pi * (1 - pi);
      hSEta = 0;
      hSAlpha = 0;
      gEta = nb.dEta;
      gAlpha = nb.dAlpha;
      hEtaEta = nb.dEtaEta;
      hEtaAlpha = nb.dEtaAlpha;
      hAlphaAlpha = nb.dAlphaAlpha;
    } else {
      // nb at y = 0 is log f₀ and its derivatives.
      const l0 = nb.llf;
      const top = Math.max(s, l0);
      llf += top + Math.log1p(Math.exp(-Math.abs(s - l0))) - softplus(s);
      const post = logistic(s - l0);
      const mix = post * (1 - post);
      gS = post - pi;
      hSS = mix - pi * (1 - pi);
      hSEta = -mix * nb.dEta;
      hSAlpha = -mix * nb.dAlpha;
      gEta = (1 - post) * nb.dEta;
      gAlpha = (1 - post) * nb.dAlpha;
      hEtaEta = (1 - post) * nb.dEtaEta + mix * nb.dEta * nb.dEta;
      hEtaAlpha = (1 - post) * nb.dEtaAlpha + mix * nb.dEta * nb.dAlpha;
      hAlphaAlpha = (1 - post) * nb.dAlphaAlpha + mix * nb.dAlpha * nb.dAlpha;
    }
    for (let a = 0; a < q + p; a++) {
      const inflateA = a < q;
      gradient[a]! += (inflateA ? gS : gEta) * u[a]!;
      hessian[ia * k + a]! += (inflateA ? hSAlpha : hEtaAlpha) * u[a]!;
      for (let b = 0; b <= a; b++) {
        const c = inflateA ? hSS : b < q ? hSEta : hEtaEta;
        if (c !== 0) hessian[b * k + a]! += c * u[a]! * u[b]!;
      }
    }
    gradient[ia]! += gAlpha;
    hessian[ia * k + ia]! += hAlphaAlpha;
  }
  for (let a = 0; a < k - 1; a++) {
    for (let b = 0; b < a; b++) hessian[a * k + b] = hessian[b * k + a]!;
    hessian[a * k + ia] = hessian[ia * k + a]!;
  }
  return { llf, gradient, hessian };
}

/** Below these the fit has reached a boundary of the parameter space (see the file comment). */
const ALPHA_FLOOR = 1e-8;
const PI_FLOOR = 1e-8;

function largestPi(inflation: InflationDesign, n: number, gamma: ArrayLike<number>): number {
  let top = -Infinity;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < inflation.q; j++) s += inflation.x[j * n + i]! * gamma[j]!;
    top = Math.max(top, s);
  }
  return logistic(top);
}

/** Start values: the NB fit for (β, α); γ from the share of zeros the NB does not explain. */
function startValues(design: CountDesign, inflation: InflationDesign, nb: NegBinResult): Float64Array {
  const { x, y, n, p } = design;
  const { q } = inflation;
  const usable = nb.params.every(Number.isFinite) && Number.isFinite(nb.alpha) && nb.alpha > ALPHA_FLOOR;
  const beta = usable ? nb.params : new Float64Array(p);
  const alpha = usable ? nb.alpha : 1;
  if (!usable) {
    let ybar = 0;
    for (const v of y) ybar += v;
    ybar /= n;
    // Without a usable NB fit: a constant mean on the intercept column, if there is one.
    const intercept = design.names.indexOf('Intercept');
    if (intercept >= 0) beta[intercept] = Math.log(Math.max(ybar, 1e-3));
  }
  let zeros = 0;
  let f0 = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] === 0) zeros++;
    let eta = 0;
    for (let j = 0; j < p; j++) eta += x[j * n + i]! * beta[j]!;
    f0 += Math.exp(-Math.log1p(alpha * Math.exp(eta)) / alpha);
  }
  const z0 = zeros / n;
  const p0 = f0 / n;
  const pi0 = Math.min(0.9, Math.max(0.01, (z0 - p0) / (1 - p0)));
  const start = new Float64Array(q + p + 1);
  const constant = inflation.names.findIndex((_, j) => inflation.x.subarray(j * n, j * n + n).every((v) => v === 1));
  if (constant >= 0) start[constant] = Math.log(pi0 / (1 - pi0));
  start.set(beta, q);
  start[q + p] = alpha;
  return start;
}

function maximize(design: CountDesign, inflation: InflationDesign, start: Float64Array, maxIterations: number) {
  const { n } = design;
  const k = start.length;
  const ia = k - 1;
  // Work on θ = (γ, β, log α); `point` holds α on its natural scale for the likelihood.
  let theta = Float64Array.from(start);
  theta[ia] = Math.log(start[ia]!);
  const natural = (t: Float64Array) => {
    const v = Float64Array.from(t);
    v[ia] = Math.exp(t[ia]!);
    return v;
  };
  let current = zinbLogLikelihood(design, inflation, natural(theta));
  let converged = false;
  let problem: string | null = null;
  let iterations = 0;
  for (let it = 1; it <= maxIterations; it++) {
    iterations = it;
    const { g, h } = logAlphaScale(current.gradient, current.hessian, k, Math.exp(theta[ia]!));
    const delta = newtonDirection(g, h, k);
    let decrement = 0;
    for (let i = 0; i < k; i++) decrement += g[i]! * delta[i]!;
    let step = 1;
    let accepted = false;
    for (let half = 0; half < 60; half++) {
      const next = theta.map((v, j) => v + step * delta[j]!);
      const trial = zinbLogLikelihood(design, inflation, natural(next));
      if (Number.isFinite(trial.llf) && trial.llf >= current.llf - 1e-12 * Math.abs(current.llf)) {
        theta = next;
        current = trial;
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (Math.exp(theta[ia]!) < ALPHA_FLOOR) {
      problem = `α fell below ${ALPHA_FLOOR}: apart from the excess zeros the counts show no overdispersion, so the estimate is on the boundary α = 0 (a zero-inflated Poisson model)`;
      break;
    }
    if (largestPi(inflation, n, theta) < PI_FLOOR) {
      problem = `the zero-inflation probability fell below ${PI_FLOOR} on every row: the counts have no more zeros than the NB model predicts, so the estimate is on the boundary π = 0 (use the NB model)`;
      break;
    }
    if (!accepted) {
      problem = 'no step along the Newton direction increased the log-likelihood';
      break;
    }
    if (decrement < 1e-10 && step === 1) {
      converged = true;
      break;
    }
  }
  if (!converged && !problem) problem = `no convergence in ${maxIterations} Newton iteration${maxIterations === 1 ? '' : 's'}`;
  return { params: natural(theta), current, converged, iterations, problem };
}

export function fitZeroInflatedNegativeBinomial(design: CountDesign, options: ZinbOptions = {}): ZinbResult {
  const { y, n, p, names } = design;
  checkCounts(y, 'zero-inflated negative binomial model');
  if (!y.some((v) => v === 0))
    throw new FramelabError(
      'INVALID_INPUT',
      "The zero-inflated NB model needs zero counts, and this outcome has none over the model's rows; use the NB model.",
    );
  const inflation = options.inflation ?? INTERCEPT_ONLY(n);
  if (inflation.x.length !== n * inflation.q || inflation.names.length !== inflation.q) {
    throw new FramelabError(
      'INVALID_INPUT',
      `The inflation design must have ${n} rows (the count model's) and one name per column; it has ${inflation.x.length / Math.max(inflation.q, 1)} rows and ${inflation.names.length} names for ${inflation.q} columns.`,
    );
  }
  const nb = options.negbin ?? fitNegativeBinomial(design);
  const fit = maximize(design, inflation, startValues(design, inflation, nb), options.maxIterations ?? 200);
  const q = inflation.q;
  const k = q + p + 1;
  const l = cholesky(
    fit.current.hessian.map((v) => -v),
    k,
  );
  const cov = l ? choleskyInverse(l, k) : new Float64Array(k * k).fill(NaN);
  const problem = fit.problem ?? (l ? null : 'the Hessian at the estimate is not negative definite');
  const allNames = [...inflation.names.map((c) => `inflate_${c}`), ...names, 'alpha'];
  const reference: Reference = { kind: 'z' };
  const table = coefficientTable(allNames, fit.params, cov, reference, options.confidence ?? DEFAULT_CONFIDENCE);
  const llf = fit.current.llf;
  return {
    family: 'zinb',
    names: allNames,
    n,
    p,
    q,
    params: fit.params,
    cov,
    reference,
    table,
    coefficients: table.slice(q, q + p),
    inflation: table.slice(0, q),
    alpha: fit.params[k - 1]!,
    alphaSe: Math.sqrt(cov[(k - 1) * k + (k - 1)]!),
    llf,
    aic: -2 * llf + 2 * k,
    bic: -2 * llf + Math.log(n) * k,
    converged: fit.converged && problem === null,
    iterations: fit.iterations,
    problem,
  };
}

export interface ZinbDecision {
  fit: boolean;
  /** Why it is fitted (for the run's log and the count diagnostics), null when it is not. */
  reason: string | null;
}

/**
 * Whether an outcome gets a ZINB fit: when the config asks (`zinb: true`), or when its NB
 * fit did not converge (then ZINB is the count model that may describe the data — the excess
 * zeros are a common reason NB fails). `negbin` null: NB was not fitted (or threw).
 */
export function zinbDecision(requested: boolean, negbin: Pick<NegBinResult, 'converged' | 'problem'> | null): ZinbDecision {
  if (requested) return { fit: true, reason: 'asked for in the config (zinb: true)' };
  if (negbin && !negbin.converged) return { fit: true, reason: `the NB model did not converge (${negbin.problem ?? 'no reason given'})` };
  return { fit: false, reason: null };
}
