/**
 * The benchmarks' timing helpers, so each figure is taken the same way: a median (numpy's, the
 * one the suite's preprocessing uses) and the median wall time of repeated calls.
 */
import { median } from '../src/main/core/suite/models/preprocess';

export { median };

/** The wall time of one call of `fn`, ms. */
export function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The median wall time of `repeats` calls of `fn`, ms; `warmUp` runs it once first, untimed (JIT, first-touch allocations). */
export function medianMs(repeats: number, fn: () => void, { warmUp = false } = {}): number {
  if (warmUp) fn();
  return median(Array.from({ length: repeats }, () => timeMs(fn)));
}
