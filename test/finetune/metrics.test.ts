import { describe, expect, it } from 'vitest';
import {
  accuracyOf,
  classificationMetrics,
  confusionMatrix,
  createTally,
  macroF1Of,
  tallyInto,
} from '../../src/main/core/finetune/metrics';
import { FramelabError } from '../../src/shared/errors';

const CLASSES = ['1st person', '2nd person', '3rd person', 'no person'];

describe('classification metrics (sklearn semantics; oracle checks in oracles.test.ts)', () => {
  it('all predictions the same class: only that class scores, the others are 0 (zero_division=0)', () => {
    const m = classificationMetrics([0, 1, 2, 3, 2, 1], [0, 0, 0, 0, 0, 0], CLASSES);
    expect(m.accuracy).toBe(1 / 6);
    expect(m.perClass[0]).toEqual({ class: '1st person', precision: 1 / 6, recall: 1, f1: 2 / 7, support: 1 });
    expect(m.perClass.slice(1).map((s) => [s.precision, s.recall, s.f1])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(m.macroF1).toBeCloseTo(2 / 7 / 4, 15);
    expect(m.confusion).toEqual([
      [1, 0, 0, 0],
      [2, 0, 0, 0],
      [2, 0, 0, 0],
      [1, 0, 0, 0],
    ]);
  });

  it('a class never predicted has precision 0 and recall 0; rows are true classes, columns predicted', () => {
    const m = classificationMetrics([0, 1, 2, 2, 1], [0, 1, 1, 1, 0], CLASSES.slice(0, 3));
    expect(m.confusion).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 2, 0],
    ]);
    expect(m.perClass.map((s) => s.f1)).toEqual([2 / 3, (2 * (1 / 3) * (1 / 2)) / (1 / 3 + 1 / 2), 0]);
    expect(m.perClass[2]).toMatchObject({ precision: 0, recall: 0, support: 2 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0.4) / 3, 15);
    expect(m.accuracy).toBe(0.4);
  });

  it('macro-F1 averages over all C classes: a class absent from y_true and y_pred counts as 0', () => {
    // n = 1 and right: sklearn's default (labels from the data) would say 1; labels=range(C) says 1/3.
    const one = classificationMetrics([2], [2], ['a', 'b', 'c']);
    expect(one).toMatchObject({ n: 1, accuracy: 1, macroF1: 1 / 3 });
    expect(one.perClass.map((s) => s.support)).toEqual([0, 0, 1]);
    expect(classificationMetrics([2], [0], ['a', 'b', 'c'])).toMatchObject({ accuracy: 0, macroF1: 0 });
    // Class 3 predicted but never true: precision 0 (a false positive), recall 0 (no support).
    const m = classificationMetrics([0, 1, 1, 0, 2], [0, 1, 3, 0, 2], CLASSES);
    expect(m.perClass[3]).toEqual({ class: 'no person', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.macroF1).toBeCloseTo((1 + 2 / 3 + 1 + 0) / 4, 15);
  });

  it("macroF1Present averages over the classes in y_true ∪ y_pred only (scikit-learn's default, the lab's number)", () => {
    // n = 1 and right: labels=range(C) says 1/3, the present-classes variant 1.
    expect(classificationMetrics([2], [2], ['a', 'b', 'c'])).toMatchObject({ macroF1: 1 / 3, macroF1Present: 1 });
    // Class 3 predicted but never true counts (F1 0); classes absent from both do not.
    const m = classificationMetrics([0, 1, 1, 0], [0, 1, 3, 0], CLASSES);
    expect(m.macroF1).toBeCloseTo((1 + 2 / 3 + 0 + 0) / 4, 15);
    expect(m.macroF1Present).toBeCloseTo((1 + 2 / 3 + 0) / 3, 15);
  });

  it('a tally over resample indices counts repeated frames again', () => {
    const t = tallyInto(createTally(2), [0, 1, 1], [0, 0, 1], [2, 2, 1]);
    expect(t).toMatchObject({ n: 3, correct: 2 });
    expect(accuracyOf(t)).toBe(2 / 3);
    expect(macroF1Of(t)).toBeCloseTo((0 + 0.8) / 2, 15);
  });

  it('refuses mismatched, empty or out-of-range labels', () => {
    expect(() => classificationMetrics([0, 1], [0], CLASSES)).toThrow(/2 true labels but 1 predictions/);
    expect(() => classificationMetrics([], [], CLASSES)).toThrow(/at least one held-out prediction/);
    expect(() => confusionMatrix([0, 4], [0, 0], 4)).toThrow(/true label must be a class index from 0 to 3; item 1 is 4/);
    expect(() => confusionMatrix([0, 1], [0, -1], 4)).toThrow(FramelabError);
    expect(() => classificationMetrics([0], [0], [])).toThrow(/at least one class/);
  });
});
