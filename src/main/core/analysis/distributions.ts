/**
 * The special functions and distributions the regression models need for p-values and
 * confidence intervals: normal, Student t and chi-square tails and quantiles, log-gamma,
 * digamma and trigamma. Accurate to about 1e-13 relative against scipy (test/analysis/
 * distributions.test.ts); no dependency, because a p-value is part of the result and its
 * precision should not depend on a package's choices.
 *
 * Tails are computed directly (sf), never as 1 − cdf, so that p = 1e-30 stays 1e-30.
 */

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Lanczos (g = 7, n = 9) coefficients: Γ to ~1e-15 relative for x ≥ 1/2. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (the only arguments the models use). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  // Below 1/2 the Lanczos sum loses accuracy: Γ(x) = Γ(x + 1) / x.
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  // From 10 on, Stirling's series (one log, one division) is as accurate and several times
  // cheaper than the Lanczos sum; the NB2 likelihood calls this twice per row per evaluation.
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + stirlingCorrection(x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** log Γ(x) − ((x − ½)·log x − x + ½·log 2π) for x ≥ 10: Stirling's correction series. */
function stirlingCorrection(x: number): number {
  const r = 1 / (x * x);
  return (1 / x) * (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r * (1 / 1188 - r * (691 / 360360))))));
}

/**
 * log B(a, b) without the cancellation of log Γ(a) + log Γ(b) − log Γ(a + b) when an argument
 * is large (the t tail with ν = 15000 needs log B(7500, ½)): the large parts are combined
 * analytically and only Stirling's small corrections are subtracted (as R's lbeta does).
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return -0.5 * Math.log(q) + 0.5 * Math.log(2 * Math.PI) + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

/** ψ(x) = d/dx log Γ(x), x > 0: recurrence up to x ≥ 15, then the asymptotic series. */
export function digamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`digamma needs x > 0, got ${x}`);
  let shift = 0;
  while (x < 15) {
    shift -= 1 / x;
    x += 1;
  }
  const r = 1 / (x * x);
  const series = r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r * (1 / 132 - r * (691 / 32760))))));
  return shift + Math.log(x) - 0.5 / x - series;
}

/** ψ′(x), x > 0: recurrence up to x ≥ 15, then the asymptotic series. */
export function trigamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`trigamma needs x > 0, got ${x}`);
  let shift = 0;
  while (x < 15) {
    shift += 1 / (x * x);
    x += 1;
  }
  const r = 1 / (x * x);
  const series = 1 / x + r / 2 + (r / x) * (1 / 6 - r * (1 / 30 - r * (1 / 42 - r * (1 / 30 - r * (5 / 66 - r * (691 / 2730))))));
  return shift + series;
}

/** t − log(1 + t), by its series near 0 where the subtraction would cancel. */
function linearMinusLog1p(t: number): number {
  if (Math.abs(t) > 0.1) return t - Math.log1p(t);
  let term = t;
  let sum = 0;
  for (let k = 2; k < 60; k++) {
    term *= -t;
    const next = sum - term / k;
    if (next === sum) break;
    sum = next;
  }
  return sum;
}

/**
 * exp(−x + a·log x − log Γ(a)): the common factor of both incomplete-gamma branches. For
 * large a the three terms are huge and nearly cancel; Stirling's form leaves only
 * −a·(t − log(1 + t)) with t = (x − a)/a, which loses nothing.
 */
function gammaPrefactor(a: number, x: number): number {
  if (a >= 10) {
    const t = (x - a) / a;
    return Math.exp(-a * linearMinusLog1p(t) + 0.5 * Math.log(a) - 0.5 * Math.log(2 * Math.PI) - stirlingCorrection(a));
  }
  const lg = a === 0.5 ? LOG_SQRT_PI : logGamma(a);
  return Math.exp(-x + a * Math.log(x) - lg);
}

/** Series for P(a, x), good for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * gammaPrefactor(a, x);
}

/** Continued fraction (modified Lentz) for Q(a, x), good for x ≥ a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return gammaPrefactor(a, x) * h;
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** Regularized lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** erfc(x), accurate in the far tail (erfc(x) = Q(1/2, x²) for x ≥ 0). */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  return gammaQ(0.5, x * x);
}

export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** P(Z > x). */
export function normalSf(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** Φ⁻¹(p): Abramowitz & Stegun 26.2.23 as the start, then Halley steps on the exact cdf. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile needs 0 ≤ p ≤ 1, got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const lower = p < 0.5;
  const q = lower ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(q));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  // Halley on the lower tail (both Φ(x) and q are small there, so their difference is exact).
  for (let i = 0; i < 6; i++) {
    const e = normalCdf(x) - q;
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    const step = u / (1 + 0.5 * x * u);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(x)) break;
  }
  return lower ? x : -x;
}

/** Continued fraction for the incomplete beta (Numerical Recipes' betacf, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b). `y` is 1 − x when the caller can compute it without
 * cancellation (the t tail passes t²/(ν + t²) for 1 − ν/(ν + t²)).
 */
export function incompleteBeta(x: number, a: number, b: number, y = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  // log x near x = 1 is taken as log1p(−y): with a = 7500 the difference is visible.
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const logFront = a * logX + b * logY - logBeta(a, b);
  const front = Math.exp(logFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** P(T > t) for Student's t with `df` degrees of freedom. */
export function studentTSf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTSf needs df > 0, got ${df}`);
  if (t === 0) return 0.5;
  const t2 = t * t;
  const tail = 0.5 * incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t > 0 ? tail : 1 - tail;
}

export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

export function studentTPdf(t: number, df: number): number {
  // 1/(√ν·B(ν/2, ½)) is the normalising constant; logBeta keeps it exact for large ν.
  const logDensity = -0.5 * Math.log(df) - logBeta(df / 2, 0.5) - ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(logDensity);
}

/** The t quantile: Newton on the exact cdf from the normal quantile, kept inside a bracket. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`studentTQuantile needs 0 ≤ p ≤ 1, got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile needs df > 0, got ${df}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  // Cauchy: tan(π(p − ½)) = −1/tan(πp), without the cancellation near p = 0.
  if (df === 1) return -1 / Math.tan(Math.PI * p);
  // Lower tail: solve studentTSf(-x) = p for x < 0, i.e. work with the upper tail of |x|.
  const z = -normalQuantile(p);
  let x = z + (z * z * z + z) / (4 * df);
  let low = 0;
  let high = Infinity;
  for (let i = 0; i < 200; i++) {
    const sf = studentTSf(x, df);
    if (sf > p) low = x;
    else high = x;
    let next = x + (sf - p) / studentTPdf(x, df);
    if (!(next > low && next < high)) next = Number.isFinite(high) ? (low + high) / 2 : 2 * x + 1;
    if (Math.abs(next - x) <= 1e-15 * Math.abs(x)) {
      x = next;
      break;
    }
    x = next;
  }
  return -x;
}

/** P(X > x) for chi-square with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareSf needs df > 0, got ${df}`);
  return gammaQ(df / 2, x / 2);
}
