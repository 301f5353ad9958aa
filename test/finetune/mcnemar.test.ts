import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, discordantFrames, mcnemarExact } from '../../src/main/core/finetune/mcnemar';

describe("McNemar's exact test (oracle checks in oracles.test.ts)", () => {
  it("gives the lab's v7 → v8 runs their p-values: 4 fixed / 0 regressed, 5 fixed / 1 regressed", () => {
    // docs/reference.md §2: POV 4 folds fixed, 0 regressions; distance 5 fixed, 1 regression.
    expect(mcnemarExact(0, 4)).toEqual({ b: 0, c: 4, p: 2 / 16 });
    expect(mcnemarExact(1, 5)).toEqual({ b: 1, c: 5, p: (2 * (1 + 6)) / 64 });
  });

  it('is symmetric in b and c, 1 without discordant frames, and capped at 1', () => {
    expect(mcnemarExact(0, 0).p).toBe(1);
    expect(mcnemarExact(0, 1).p).toBe(1);
    expect(mcnemarExact(3, 3).p).toBe(1);
    expect(mcnemarExact(2, 3).p).toBe(1);
    expect(mcnemarExact(5, 0).p).toBe(mcnemarExact(0, 5).p);
    expect(mcnemarExact(0, 5).p).toBe(1 / 16);
  });

  it('keeps full relative precision far into the tail (no underflow of 2^-n on the way)', () => {
    expect(binomialHalfCdf(0, 1000)).toBe(2 ** -1000);
    expect(mcnemarExact(0, 1000).p).toBe(2 ** -999);
    expect(binomialHalfCdf(0, 1074)).toBe(2 ** -1074); // the smallest double
    expect(binomialHalfCdf(1, 1100)).toBe(0); // below it: 0, not NaN
    expect(binomialHalfCdf(2, 4)).toBe(11 / 16);
    expect(binomialHalfCdf(-1, 4)).toBe(0);
    expect(binomialHalfCdf(4, 4)).toBe(1);
    // The two halves of a symmetric binomial: P(X ≤ 499) + P(X ≥ 501) + P(X = 500) = 1.
    const mid = binomialHalfCdf(500, 1000) - binomialHalfCdf(499, 1000);
    expect(2 * binomialHalfCdf(499, 1000) + mid).toBeCloseTo(1, 14);
  });

  it('refuses counts that are not whole and non-negative', () => {
    expect(() => mcnemarExact(-1, 2)).toThrow(/b is a count of frames; got -1/);
    expect(() => mcnemarExact(1, 2.5)).toThrow(/c is a count of frames; got 2.5/);
  });

  it('finds the fixed and regressed frames', () => {
    const truth = [0, 1, 2, 0, 1];
    expect(discordantFrames(truth, [0, 0, 2, 1, 1], [1, 1, 2, 0, 1])).toEqual({ fixed: [1, 3], regressed: [0] });
    expect(discordantFrames(truth, truth, truth)).toEqual({ fixed: [], regressed: [] });
  });
});
