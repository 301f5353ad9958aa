import { FramelabError } from '../../../shared/errors';
import type { ComparisonMetric, HeldOutPrediction, ModelComparison } from '../../../shared/finetune';
import { DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, pairedBootstrap } from './bootstrap';
import { decide } from './decision';
import { mcnemarExact, discordantFrames } from './mcnemar';
import { checkPredictions, classificationMetrics } from './metrics';

export { mergeComparisonFile, readComparisonFile } from './comparisonFile';

/**
 * The honest v7 → v8 comparison for one dimension, from the held-out predictions of the
 * cross-validation (v7 scored on each held-out frame as is, v8 trained without it): both
 * models' metrics, the deltas with paired bootstrap intervals, which frames v8 fixed and
 * which it broke, McNemar's exact test on those, and the save decision with its reason.
 *
 * The frames are put in frameId order first, so the bootstrap's resamples — and so the
 * intervals — depend on the seed and the frames, not on the order the folds finished in.
 * McNemar tests right/wrong per frame, i.e. accuracy; it is reported whichever metric decides.
 */
export interface CompareOptions {
  predictions: readonly HeldOutPrediction[];
  /** Class names in the models' output order; labels and predictions index into it. */
  classes: readonly string[];
  metric?: ComparisonMetric;
  seed: number;
  resamples?: number;
  confidence?: number;
  /** Save v8 only when the decision metric's interval lies above no change. */
  requireSignificant?: boolean;
}

/** The class every prediction names, or null when they vary. */
function onlyClass(predicted: readonly number[], classes: readonly string[]): string | null {
  return predicted.length > 1 && predicted.every((c) => c === predicted[0]) ? (classes[predicted[0]!] ?? null) : null;
}

function checkProbabilities(probs: readonly number[] | undefined, classCount: number, which: string, frameId: string): void {
  if (probs === undefined) return;
  if (probs.length !== classCount || !probs.every(Number.isFinite)) {
    throw new FramelabError(
      'INVALID_INPUT',
      `Frame "${frameId}": ${which} should hold ${classCount} finite probabilities, one per class; it has ${probs.length}.`,
    );
  }
}

function sortedByFrame(predictions: readonly HeldOutPrediction[]): HeldOutPrediction[] {
  const sorted = [...predictions].sort((a, b) => (a.frameId < b.frameId ? -1 : a.frameId > b.frameId ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.frameId === sorted[i - 1]!.frameId) {
      throw new FramelabError('INVALID_INPUT', `Frame "${sorted[i]!.frameId}" has two held-out predictions; each frame is held out once.`);
    }
  }
  return sorted;
}

export function compareModels(options: CompareOptions): ModelComparison {
  const { classes, seed } = options;
  const metric = options.metric ?? 'macro_f1';
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!Number.isInteger(seed)) throw new FramelabError('INVALID_INPUT', `The bootstrap seed must be a whole number; got ${seed}.`);
  if (new Set(classes).size !== classes.length)
    throw new FramelabError('INVALID_INPUT', `Class names must be distinct; got ${classes.join(', ')}.`);
  const predictions = sortedByFrame(options.predictions);
  for (const p of predictions) {
    checkProbabilities(p.v7Probs, classes.length, 'v7Probs', p.frameId);
    checkProbabilities(p.v8Probs, classes.length, 'v8Probs', p.frameId);
  }
  const trueLabels = predictions.map((p) => p.trueLabel);
  const v7 = predictions.map((p) => p.v7Pred);
  const v8 = predictions.map((p) => p.v8Pred);
  checkPredictions(trueLabels, v7, classes.length);
  checkPredictions(trueLabels, v8, classes.length);

  const metrics = { v7: classificationMetrics(trueLabels, v7, classes), v8: classificationMetrics(trueLabels, v8, classes) };
  const deltas = { accuracy: metrics.v8.accuracy - metrics.v7.accuracy, macroF1: metrics.v8.macroF1 - metrics.v7.macroF1 };
  const boot = pairedBootstrap({ trueLabels, v7, v8, classCount: classes.length }, { seed, resamples, confidence });
  const { fixed, regressed } = discordantFrames(trueLabels, v7, v8);
  const mcnemar = mcnemarExact(regressed.length, fixed.length);
  const key = metric === 'macro_f1' ? 'macroF1' : 'accuracy';
  const decision = decide({
    metric,
    v7: metrics.v7[key],
    v8: metrics.v8[key],
    interval: boot.intervals[key],
    confidence,
    p: mcnemar.p,
    requireSignificant: options.requireSignificant,
    oneClass: { v7: onlyClass(v7, classes), v8: onlyClass(v8, classes) },
  });

  return {
    n: predictions.length,
    classes: [...classes],
    metrics,
    deltas,
    intervals: boot.intervals,
    bootstrap: { resamples, seed, confidence, method: 'paired percentile, linear interpolation (np.percentile default)' },
    fixed: fixed.map((i) => predictions[i]!.frameId),
    regressed: regressed.map((i) => predictions[i]!.frameId),
    mcnemar,
    decision,
    predictions,
  };
}
