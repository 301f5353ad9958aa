import { FramelabError } from '../../../shared/errors';
import { checkLabels } from './labels';

/**
 * Classification metrics with scikit-learn's semantics, so the lab's numbers and these agree:
 * accuracy_score, and precision/recall/F1 as precision_recall_fscore_support(labels=range(C),
 * zero_division=0) computes them.
 *
 * Macro-F1 averages over all C classes of the model (labels=range(C)), not over the classes
 * that happen to occur in y_true ∪ y_pred (sklearn's default). A fixed set of classes is what
 * makes two models, and two bootstrap resamples, comparable: with the default, a class that
 * only v8 predicts would count in v8's average and not in v7's, and a resample that misses a
 * class would average over fewer. The price: a class with no held-out frame scores 0 for
 * every model (it has no true positive), which lowers both models' macro-F1 alike.
 *
 * `macroF1Present` is the lab's number beside it, for comparison with what the lab reported:
 * f1_score(average='macro') with scikit-learn's default labels=None (the classes in
 * y_true ∪ y_pred). It is reported, never used to decide or bootstrapped, for the reason above.
 */
export interface ClassScores {
  class: string;
  /** tp / (tp + fp); 0 when the class was never predicted (zero_division=0). */
  precision: number;
  /** tp / (tp + fn); 0 when the class never occurs in y_true. */
  recall: number;
  /** 2·P·R / (P + R); 0 when P + R = 0. */
  f1: number;
  /** Frames whose true label is this class. */
  support: number;
}

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Macro-F1 over the classes present in y_true ∪ y_pred (scikit-learn's default), for comparison only. */
  macroF1Present: number;
  perClass: ClassScores[];
  /** confusion[true][predicted]: rows are true classes, columns predicted ones. */
  confusion: number[][];
}

/** Per-class counts a metric needs; reused across bootstrap resamples without allocating. */
export interface Tally {
  n: number;
  correct: number;
  /** Per class: true positives, frames predicted as it, frames truly of it. */
  truePositive: Float64Array;
  predicted: Float64Array;
  actual: Float64Array;
}

export function createTally(classCount: number): Tally {
  return {
    n: 0,
    correct: 0,
    truePositive: new Float64Array(classCount),
    predicted: new Float64Array(classCount),
    actual: new Float64Array(classCount),
  };
}

/** Fills `into` from the frames at `indices` (repeats count again), or from all frames. */
export function tallyInto(
  into: Tally,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  indices: ArrayLike<number> | null = null,
): Tally {
  into.n = 0;
  into.correct = 0;
  into.truePositive.fill(0);
  into.predicted.fill(0);
  into.actual.fill(0);
  const count = indices === null ? yTrue.length : indices.length;
  for (let k = 0; k < count; k++) {
    const i = indices === null ? k : indices[k]!;
    const t = yTrue[i]!;
    const p = yPred[i]!;
    into.actual[t]!++;
    into.predicted[p]!++;
    if (t === p) {
      into.truePositive[t]!++;
      into.correct++;
    }
  }
  into.n = count;
  return into;
}

export function accuracyOf(t: Tally): number {
  return t.correct / t.n;
}

function scores(tp: number, predicted: number, actual: number): { precision: number; recall: number; f1: number } {
  const precision = predicted > 0 ? tp / predicted : 0;
  const recall = actual > 0 ? tp / actual : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

export function macroF1Of(t: Tally): number {
  const classCount = t.actual.length;
  let sum = 0;
  for (let c = 0; c < classCount; c++) sum += scores(t.truePositive[c]!, t.predicted[c]!, t.actual[c]!).f1;
  return sum / classCount;
}

/** Macro-F1 over the classes that occur in y_true or y_pred (f1_score's labels=None). */
export function macroF1PresentOf(t: Tally): number {
  let sum = 0;
  let present = 0;
  for (let c = 0; c < t.actual.length; c++) {
    if (t.actual[c]! === 0 && t.predicted[c]! === 0) continue;
    sum += scores(t.truePositive[c]!, t.predicted[c]!, t.actual[c]!).f1;
    present++;
  }
  return present ? sum / present : 0;
}

/** Checks a pair of label vectors; both must hold class indices and be equally long. */
export function checkPredictions(yTrue: readonly number[], yPred: readonly number[], classCount: number): void {
  if (yTrue.length !== yPred.length) {
    throw new FramelabError('INVALID_INPUT', `There are ${yTrue.length} true labels but ${yPred.length} predictions; they must pair up.`);
  }
  if (yTrue.length === 0) throw new FramelabError('INVALID_INPUT', 'Metrics need at least one held-out prediction.');
  checkLabels(yTrue, classCount, 'true label');
  checkLabels(yPred, classCount, 'predicted label');
}

export function confusionMatrix(yTrue: readonly number[], yPred: readonly number[], classCount: number): number[][] {
  checkPredictions(yTrue, yPred, classCount);
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < yTrue.length; i++) matrix[yTrue[i]!]![yPred[i]!]!++;
  return matrix;
}

export function classificationMetrics(
  yTrue: readonly number[],
  yPred: readonly number[],
  classes: readonly string[],
): ClassificationMetrics {
  const confusion = confusionMatrix(yTrue, yPred, classes.length);
  const t = tallyInto(createTally(classes.length), yTrue, yPred);
  return {
    n: t.n,
    accuracy: accuracyOf(t),
    macroF1: macroF1Of(t),
    macroF1Present: macroF1PresentOf(t),
    perClass: classes.map((name, c) => ({
      class: name,
      ...scores(t.truePositive[c]!, t.predicted[c]!, t.actual[c]!),
      support: t.actual[c]!,
    })),
    confusion,
  };
}
