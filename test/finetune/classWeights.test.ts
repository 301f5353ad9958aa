import { describe, expect, it } from 'vitest';
import { classWeights } from '../../src/main/core/finetune/classWeights';
import { leaveOneOutFolds } from '../../src/main/core/finetune/folds';
import { FramelabError } from '../../src/shared/errors';

describe('inverse-frequency class weights', () => {
  it('is n / (k · n_c) over the k classes present, and averages 1 over the training frames', () => {
    // 6 frames: class 0 ×3, class 1 ×2, class 2 ×1, class 3 absent → k = 3.
    const labels = [0, 1, 0, 2, 1, 0];
    const w = classWeights(labels, 4);
    expect(w).toEqual([6 / 9, 6 / 6, 6 / 3, 0]);
    expect(labels.reduce((sum, y) => sum + w[y]!, 0) / labels.length).toBeCloseTo(1, 15);
  });

  it('gives weight 0, not Infinity, to a class the fold has no frame of (it holds the only example out)', () => {
    const gold = [0, 0, 0, 1, 1, 2].map((label, i) => ({ frameId: `f${i}`, videoId: `v${i}`, label }));
    const fold = leaveOneOutFolds(gold).find((f) => f.id === 'loo:f5')!;
    const w = classWeights(
      fold.train.map((i) => gold[i]!.label),
      3,
    );
    expect(w).toEqual([5 / 6, 5 / 4, 0]);
    expect(w.every(Number.isFinite)).toBe(true);
    expect(classWeights([2, 2], 3)).toEqual([0, 0, 1]);
  });

  it('refuses labels outside the classes and an empty fold', () => {
    expect(() => classWeights([0, 3], 3)).toThrow(/class index from 0 to 2; item 1 is 3/);
    expect(() => classWeights([0, 0.5], 3)).toThrow(FramelabError);
    expect(() => classWeights([], 3)).toThrow(/at least one training label/);
  });
});
