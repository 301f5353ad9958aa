import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESAMPLES,
  drawResampleIndices,
  pairedBootstrap,
  pairedBootstrapWithIndices,
  percentile,
  percentileInterval,
} from '../../src/main/core/finetune/bootstrap';
import { mulberry32 } from '../../src/main/core/random';

const PAIRS = {
  trueLabels: [0, 1, 2, 2, 1, 0, 0, 2, 1, 0],
  v7: [0, 0, 0, 0, 0, 0, 0, 2, 1, 0],
  v8: [0, 1, 2, 0, 1, 0, 1, 2, 1, 0],
  classCount: 3,
};

describe('paired bootstrap (oracle checks in oracles.test.ts)', () => {
  it('draws resample indices row by row from one mulberry32 stream, the same for the same seed', () => {
    const rows = drawResampleIndices(7, 50, 42);
    const random = mulberry32(42);
    for (const row of rows) for (const i of row) expect(i).toBe(Math.floor(random() * 7));
    expect(drawResampleIndices(7, 50, 42)).toEqual(rows);
    expect(drawResampleIndices(7, 50, 43)).not.toEqual(rows);
    expect(drawResampleIndices(1, 3, 1)).toEqual([Int32Array.of(0), Int32Array.of(0), Int32Array.of(0)]);
    expect(() => drawResampleIndices(0, 10, 1)).toThrow(/at least one held-out prediction/);
    expect(() => drawResampleIndices(5, 0, 1)).toThrow(/at least one resample/);
  });

  it('percentiles interpolate linearly like np.percentile; 95% is exactly [2.5, 97.5]', () => {
    expect(percentile([4, 1, 3, 2], 25)).toBe(1.75);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    expect(percentile([7], 2.5)).toBe(7);
    const hundred = Array.from({ length: 101 }, (_, i) => 100 - i);
    // (1 − 0.95) / 2 is 0.025000000000000022: the interval must not use it.
    expect(percentileInterval(hundred)).toEqual([2.5, 97.5]);
    expect(percentileInterval(hundred, 0.9)).toEqual([5, 95]);
    expect(() => percentileInterval(hundred, 1)).toThrow(/between 0 and 1/);
  });

  it('the seeded bootstrap is the explicit one on drawResampleIndices(n, B, seed); B defaults to 2000', () => {
    const seeded = pairedBootstrap(PAIRS, { seed: 9 });
    expect(seeded.resamples).toBe(DEFAULT_RESAMPLES);
    expect(seeded.seed).toBe(9);
    const explicit = pairedBootstrapWithIndices(PAIRS, drawResampleIndices(10, DEFAULT_RESAMPLES, 9));
    expect(seeded).toEqual({ ...explicit, seed: 9 });
    const [lo, hi] = seeded.intervals.accuracy;
    expect(lo).toBeLessThanOrEqual(0.3);
    expect(hi).toBeGreaterThanOrEqual(0.3);
    expect(lo).toBeLessThan(hi);
  });

  it('identical models give deltas of exactly 0; a single frame gives one possible delta', () => {
    const same = pairedBootstrap({ ...PAIRS, v8: PAIRS.v7 }, { seed: 1, resamples: 300 });
    expect(same.deltas.accuracy.every((d) => d === 0)).toBe(true);
    expect(same.intervals).toEqual({ accuracy: [0, 0], macroF1: [0, 0] });
    const one = pairedBootstrap({ trueLabels: [1], v7: [0], v8: [1], classCount: 2 }, { seed: 1, resamples: 50 });
    expect(one.intervals).toEqual({ accuracy: [1, 1], macroF1: [0.5, 0.5] });
  });

  it('refuses resample indices outside the frames', () => {
    expect(() => pairedBootstrapWithIndices(PAIRS, [[0, 10]])).toThrow(/Resample 0 draws index 10; indices run from 0 to 9/);
    expect(() => pairedBootstrapWithIndices(PAIRS, [[]])).toThrow(/Resample 0 is empty/);
  });
});
