import { expect } from 'vitest';

/** |actual − expected| ≤ tol · max(|expected|, floor): relative, with an absolute floor for values near 0. */
export function expectRelative(actual: number, expected: number, tol: number, label: string, floor = 1e-300): void {
  const scale = Math.max(Math.abs(expected), floor);
  const error = Math.abs(actual - expected) / scale;
  expect(error, `${label}: got ${actual}, expected ${expected} (relative error ${error.toExponential(2)})`).toBeLessThanOrEqual(tol);
}

/** Each entry of `actual` against `expected` (same length), relative with `tol`. */
export function expectAllRelative(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  label: string,
  floor = 1e-300,
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectRelative(actual[i]!, expected[i]!, tol, `${label}[${i}]`, floor);
}
