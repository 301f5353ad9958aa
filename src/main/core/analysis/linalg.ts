/**
 * The dense linear algebra the models need, on column-major Float64Arrays (column j of an
 * n × p matrix is data[j*n .. j*n + n)): Householder QR, triangular solves and inverses,
 * Cholesky. Householder QR rather than the normal equations, because interaction columns
 * (a·b·c next to a, b, c) make X'X badly conditioned, and the normal equations square that.
 */

/** A QR factorization X = Q·R of an n × p matrix of full column rank. */
export interface Qr {
  n: number;
  p: number;
  /** Householder vectors below the diagonal (v[k] = 1 implied), R on and above it. */
  packed: Float64Array;
  /** Householder scalars: H_k = I − tau[k]·v_k·v_kᵀ. */
  tau: Float64Array;
}

/** Result of a column-by-column QR that skips columns lying in the span of earlier ones. */
export interface SequentialQr extends Qr {
  /** Columns (in input order) that were independent: the ones the factorization holds. */
  independent: number[];
  /** Each dependent column with its coefficients on the independent columns before it. */
  dependent: { column: number; combination: { column: number; coefficient: number }[] }[];
}

/**
 * A column whose part orthogonal to the earlier columns is smaller than this fraction of its
 * own norm is treated as a linear combination of them. 1e-9 means the column is explained to
 * R² > 1 − 1e-18 by the others: no real predictor comes near, while rounding of an exact
 * combination stays around 1e-15.
 */
export const DEPENDENCE_TOLERANCE = 1e-9;

function columnNorm(a: Float64Array, offset: number, from: number, to: number): number {
  // The plain sum of squares when it is safely inside the double range (almost always; it has
  // no division per element), else a scaled sum (as LAPACK's dnrm2) so that huge or tiny
  // columns neither overflow nor underflow.
  let plain = 0;
  for (let i = from; i < to; i++) plain += a[offset + i]! * a[offset + i]!;
  if (plain > 1e-280 && plain < 1e280) return Math.sqrt(plain);
  let scale = 0;
  let ssq = 1;
  for (let i = from; i < to; i++) {
    const v = a[offset + i]!;
    if (v !== 0) {
      const abs = Math.abs(v);
      if (scale < abs) {
        ssq = 1 + ssq * (scale / abs) * (scale / abs);
        scale = abs;
      } else {
        ssq += (abs / scale) * (abs / scale);
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Householder QR processing columns left to right; a column (nearly) in the span of the
 * earlier independent columns is not factorized but recorded with the combination that
 * reproduces it, so that a singular design can name its collinear terms.
 */
export function sequentialQr(x: Float64Array, n: number, p: number, tolerance = DEPENDENCE_TOLERANCE): SequentialQr {
  const a = Float64Array.from(x);
  const tau: number[] = [];
  const independent: number[] = [];
  const dependent: SequentialQr['dependent'] = [];
  let r = 0;
  for (let j = 0; j < p; j++) {
    const cj = j * n;
    const original = columnNorm(x, cj, 0, n);
    const remaining = columnNorm(a, cj, r, n);
    if (r >= n || remaining <= tolerance * original || original === 0) {
      dependent.push({ column: j, combination: combinationOf(a, n, independent, r, cj) });
      continue;
    }
    // LAPACK dlarfg: β = −sign(x₀)·‖x‖, v = x/(x₀ − β) with v₀ = 1, τ = (β − x₀)/β.
    const x0 = a[cj + r]!;
    const beta = x0 >= 0 ? -remaining : remaining;
    const t = (beta - x0) / beta;
    const scale = 1 / (x0 - beta);
    for (let i = r + 1; i < n; i++) a[cj + i]! *= scale;
    a[cj + r] = beta;
    // Apply H = I − τ v vᵀ to the columns on the right (including the dependent ones still to come).
    for (let k = j + 1; k < p; k++) {
      const ck = k * n;
      let w = a[ck + r]!;
      for (let i = r + 1; i < n; i++) w += a[cj + i]! * a[ck + i]!;
      w *= t;
      a[ck + r]! -= w;
      for (let i = r + 1; i < n; i++) a[ck + i]! -= w * a[cj + i]!;
    }
    tau.push(t);
    independent.push(j);
    r++;
  }
  // Pack the independent columns into an n × r matrix.
  const packed = new Float64Array(n * r);
  independent.forEach((col, k) => packed.set(a.subarray(col * n, col * n + n), k * n));
  return { n, p: r, packed, tau: Float64Array.from(tau), independent, dependent };
}

/** Coefficients c with column ≈ Σ c_k·X[independent_k]: back-substitution on R's leading block. */
function combinationOf(
  a: Float64Array,
  n: number,
  independent: number[],
  r: number,
  cj: number,
): { column: number; coefficient: number }[] {
  const c = new Float64Array(r);
  for (let i = r - 1; i >= 0; i--) {
    let s = a[cj + i]!;
    for (let k = i + 1; k < r; k++) s -= a[independent[k]! * n + i]! * c[k]!;
    c[i] = s / a[independent[i]! * n + i]!;
  }
  return independent.map((column, k) => ({ column, coefficient: c[k]! }));
}

/** Householder QR of a matrix the caller knows to have full column rank. */
export function householderQr(x: Float64Array, n: number, p: number): Qr {
  const qr = sequentialQr(x, n, p);
  if (qr.dependent.length) throw new Error(`householderQr: column ${qr.dependent[0]!.column} is a linear combination of the others`);
  return qr;
}

/** Qᵀ·y (length n; its first p entries are the coordinates on Q's columns). */
export function applyQt(qr: Qr, y: Float64Array): Float64Array {
  const { n, p, packed, tau } = qr;
  const out = Float64Array.from(y);
  for (let k = 0; k < p; k++) {
    const ck = k * n;
    let w = out[k]!;
    for (let i = k + 1; i < n; i++) w += packed[ck + i]! * out[i]!;
    w *= tau[k]!;
    out[k]! -= w;
    for (let i = k + 1; i < n; i++) out[i]! -= w * packed[ck + i]!;
  }
  return out;
}

/** Q's first p columns (n × p, column-major): backward accumulation of the reflectors. */
export function thinQ(qr: Qr): Float64Array {
  const { n, p, packed, tau } = qr;
  const q = new Float64Array(n * p);
  for (let j = 0; j < p; j++) q[j * n + j] = 1;
  for (let k = p - 1; k >= 0; k--) {
    const ck = k * n;
    for (let j = k; j < p; j++) {
      const cj = j * n;
      let w = q[cj + k]!;
      for (let i = k + 1; i < n; i++) w += packed[ck + i]! * q[cj + i]!;
      w *= tau[k]!;
      q[cj + k]! -= w;
      for (let i = k + 1; i < n; i++) q[cj + i]! -= w * packed[ck + i]!;
    }
  }
  return q;
}

/** R's upper triangle as a p × p column-major matrix. */
export function rFactor(qr: Qr): Float64Array {
  const { n, p, packed } = qr;
  const r = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i <= j; i++) r[j * p + i] = packed[j * n + i]!;
  return r;
}

/** Solves R·x = b for upper-triangular R (p × p, column-major). */
export function solveUpper(r: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from({ length: p }, (_, i) => b[i]!);
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < p; k++) s -= r[k * p + i]! * x[k]!;
    x[i] = s / r[i * p + i]!;
  }
  return x;
}

/** R⁻¹ for upper-triangular R (p × p, column-major); upper triangular itself. */
export function invertUpper(r: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const e = new Float64Array(p);
    e[j] = 1;
    const col = solveUpper(r, p, e);
    inv.set(col, j * p);
  }
  return inv;
}

/** A·Aᵀ for a p × p column-major A (e.g. R⁻¹R⁻ᵀ = (XᵀX)⁻¹). */
export function timesOwnTranspose(a: Float64Array, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += a[k * p + i]! * a[k * p + j]!;
      out[j * p + i] = s;
      out[i * p + j] = s;
    }
  }
  return out;
}

/** A·M·Aᵀ for p × p column-major A and symmetric M (the sandwich of the robust covariances). */
export function sandwich(a: Float64Array, m: Float64Array, p: number): Float64Array {
  const am = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < p; k++) {
      const mkj = m[j * p + k]!;
      if (mkj === 0) continue;
      for (let i = 0; i < p; i++) am[j * p + i]! += a[k * p + i]! * mkj;
    }
  }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += am[k * p + i]! * a[k * p + j]!;
      out[j * p + i] = s;
      out[i * p + j] = s;
    }
  }
  return out;
}

/**
 * Cholesky factor L (lower, column-major) of a symmetric positive-definite p × p matrix, or
 * null when it is not positive definite (the caller decides what that means).
 */
export function cholesky(a: Float64Array, p: number): Float64Array | null {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j]!;
    for (let k = 0; k < j; k++) d -= l[k * p + j]! * l[k * p + j]!;
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[j * p + i]!;
      for (let k = 0; k < j; k++) s -= l[k * p + i]! * l[k * p + j]!;
      l[j * p + i] = s / ljj;
    }
  }
  return l;
}

/** Solves A·x = b given A's Cholesky factor L. */
export function choleskySolve(l: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[k * p + i]! * y[k]!;
    y[i] = s / l[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < p; k++) s -= l[i * p + k]! * y[k]!;
    y[i] = s / l[i * p + i]!;
  }
  return y;
}

/** A⁻¹ from A's Cholesky factor. */
export function choleskyInverse(l: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const e = new Float64Array(p);
    e[j] = 1;
    inv.set(choleskySolve(l, p, e), j * p);
  }
  return inv;
}

/**
 * values[rows[i]] for each i. A plain loop: `Float64Array.from(rows, fn)` goes through the
 * iterator protocol and was most of the time of building a 15,000-row design.
 */
export function gather(values: ArrayLike<number>, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

/** Xᵀ·v for an n × p column-major X (length p). */
export function transposeTimes(x: Float64Array, n: number, p: number, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const cj = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += x[cj + i]! * v[i]!;
    out[j] = s;
  }
  return out;
}

/**
 * XᵀWX (p × p, column-major, symmetric) for W = diag(w), or XᵀX without weights. Four columns
 * per pass over the rows: each weighted value is loaded once for four products (1.5× faster
 * than one dot product at a time at n = 15,000).
 */
export function weightedGram(x: Float64Array, n: number, p: number, w?: ArrayLike<number>): Float64Array {
  const g = new Float64Array(p * p);
  const wa = new Float64Array(n);
  for (let a = 0; a < p; a++) {
    const ca = a * n;
    for (let i = 0; i < n; i++) wa[i] = w ? x[ca + i]! * w[i]! : x[ca + i]!;
    let b = 0;
    for (; b + 3 <= a; b += 4) {
      const c0 = b * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < n; i++) {
        const v = wa[i]!;
        s0 += v * x[c0 + i]!;
        s1 += v * x[c1 + i]!;
        s2 += v * x[c2 + i]!;
        s3 += v * x[c3 + i]!;
      }
      g[a * p + b] = g[b * p + a] = s0;
      g[a * p + b + 1] = g[(b + 1) * p + a] = s1;
      g[a * p + b + 2] = g[(b + 2) * p + a] = s2;
      g[a * p + b + 3] = g[(b + 3) * p + a] = s3;
    }
    for (; b <= a; b++) {
      const cb = b * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += wa[i]! * x[cb + i]!;
      g[a * p + b] = s;
      g[b * p + a] = s;
    }
  }
  return g;
}

/** X·b for an n × p column-major X. */
export function multiply(x: Float64Array, n: number, p: number, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const bj = b[j]!;
    if (bj === 0) continue;
    const cj = j * n;
    for (let i = 0; i < n; i++) out[i]! += x[cj + i]! * bj;
  }
  return out;
}

/** Lᵀ·M·L-style quadratic form: l·C·l for a p-vector l and p × p column-major C. */
export function quadraticForm(c: Float64Array, p: number, l: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < p; j++) {
    const lj = l[j]!;
    if (lj === 0) continue;
    let inner = 0;
    for (let i = 0; i < p; i++) inner += c[j * p + i]! * l[i]!;
    s += lj * inner;
  }
  return s;
}
