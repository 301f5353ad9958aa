import { FramelabError } from '../../../shared/errors';

/**
 * McNemar's exact test for two models scored on the same frames. Only the discordant frames
 * carry information: b = v7 right and v8 wrong (regressed), c = v7 wrong and v8 right (fixed).
 * Under "no difference" each discordant frame is a fair coin, so the two-sided p-value is
 * min(1, 2·P(X ≤ min(b, c))) with X ~ Binomial(b + c, 1/2); p = 1 when b + c = 0. For p = 1/2
 * this equals scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue.
 *
 * The tail is summed exactly in integers (BigInt binomial coefficients) and divided by 2^n
 * once, so it keeps full relative precision even when it is far below 1e-300.
 */
export interface McNemarResult {
  /** v7 right, v8 wrong. */
  b: number;
  /** v7 wrong, v8 right. */
  c: number;
  p: number;
}

/** x · 2^e without overflow or underflow in the intermediate power. */
function scaleByPowerOfTwo(x: number, e: number): number {
  let out = x;
  let rest = e;
  while (rest !== 0) {
    const step = Math.max(-1000, Math.min(1000, rest));
    out *= 2 ** step;
    rest -= step;
  }
  return out;
}

/** sum / 2^n as a double, rounded from the exact integers. */
function ratioToPowerOfTwo(sum: bigint, n: number): number {
  const bits = sum.toString(2).length;
  const shift = Math.max(0, bits - 64);
  // The top 64 bits in [2^63, 2^64): scaled to [0.5, 1), then by 2^(bits − n).
  const top = Number(sum >> BigInt(shift)) / 2 ** Math.min(bits, 64);
  return scaleByPowerOfTwo(top, bits - n);
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2), exactly summed. */
export function binomialHalfCdf(k: number, n: number): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k))
    throw new FramelabError('INVALID_INPUT', `Binomial tail needs whole numbers; got k = ${k}, n = ${n}.`);
  if (k < 0) return 0;
  if (k >= n) return 1;
  let term = 1n;
  let sum = 1n;
  for (let i = 0; i < k; i++) {
    term = (term * BigInt(n - i)) / BigInt(i + 1);
    sum += term;
  }
  return ratioToPowerOfTwo(sum, n);
}

export function mcnemarExact(b: number, c: number): McNemarResult {
  for (const [name, v] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new FramelabError('INVALID_INPUT', `McNemar's ${name} is a count of frames; got ${v}.`);
  }
  const n = b + c;
  const p = n === 0 ? 1 : Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
  return { b, c, p };
}

/** Indices of the discordant frames: fixed (v7 wrong, v8 right) and regressed (v7 right, v8 wrong). */
export function discordantFrames(
  yTrue: readonly number[],
  v7: readonly number[],
  v8: readonly number[],
): { fixed: number[]; regressed: number[] } {
  const fixed: number[] = [];
  const regressed: number[] = [];
  for (let i = 0; i < yTrue.length; i++) {
    const old = v7[i] === yTrue[i];
    const now = v8[i] === yTrue[i];
    if (!old && now) fixed.push(i);
    else if (old && !now) regressed.push(i);
  }
  return { fixed, regressed };
}
