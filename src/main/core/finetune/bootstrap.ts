import { FramelabError } from '../../../shared/errors';
import { mulberry32 } from '../random';
import { accuracyOf, checkPredictions, createTally, macroF1Of, tallyInto } from './metrics';

/**
 * Paired bootstrap of v8 − v7 over the held-out predictions. Each resample draws n frames with
 * replacement and scores both models on the same draw, so the interval reflects the pairing
 * (the frames both models find easy or hard) instead of two independent noises.
 *
 * The interval is the percentile interval with numpy's default (linear) interpolation:
 * np.percentile(deltas, [2.5, 97.5]) for 95% — R's quantile type 7.
 */
export interface PairedPredictions {
  trueLabels: readonly number[];
  v7: readonly number[];
  v8: readonly number[];
  classCount: number;
}

export type Interval = [number, number];

export interface BootstrapDeltas {
  /** Per resample, v8 − v7. */
  accuracy: Float64Array;
  macroF1: Float64Array;
}

export interface PairedBootstrap {
  resamples: number;
  seed: number | null;
  confidence: number;
  deltas: BootstrapDeltas;
  intervals: { accuracy: Interval; macroF1: Interval };
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_CONFIDENCE = 0.95;

/**
 * `resamples` rows of n indices in [0, n), drawn row by row from one mulberry32(seed) stream:
 * index = floor(random() · n). The same (n, resamples, seed) gives the same rows everywhere.
 */
export function drawResampleIndices(n: number, resamples: number, seed: number): Int32Array[] {
  if (!Number.isInteger(n) || n < 1)
    throw new FramelabError('INVALID_INPUT', `The bootstrap needs at least one held-out prediction; got ${n}.`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new FramelabError('INVALID_INPUT', `The bootstrap needs at least one resample; got ${resamples}.`);
  const random = mulberry32(seed);
  return Array.from({ length: resamples }, () => {
    const row = new Int32Array(n);
    for (let i = 0; i < n; i++) row[i] = Math.floor(random() * n);
    return row;
  });
}

/** v8 − v7 in accuracy and macro-F1 (labels = range(C)) on each given resample. */
export function bootstrapDeltas(pairs: PairedPredictions, indices: readonly ArrayLike<number>[]): BootstrapDeltas {
  const { trueLabels, v7, v8, classCount } = pairs;
  checkPredictions(trueLabels, v7, classCount);
  checkPredictions(trueLabels, v8, classCount);
  const accuracy = new Float64Array(indices.length);
  const macroF1 = new Float64Array(indices.length);
  const old = createTally(classCount);
  const now = createTally(classCount);
  indices.forEach((row, r) => {
    for (let k = 0; k < row.length; k++) {
      const i = row[k]!;
      if (!Number.isInteger(i) || i < 0 || i >= trueLabels.length) {
        throw new FramelabError('INVALID_INPUT', `Resample ${r} draws index ${i}; indices run from 0 to ${trueLabels.length - 1}.`);
      }
    }
    if (row.length === 0) throw new FramelabError('INVALID_INPUT', `Resample ${r} is empty.`);
    tallyInto(old, trueLabels, v7, row);
    tallyInto(now, trueLabels, v8, row);
    accuracy[r] = accuracyOf(now) - accuracyOf(old);
    macroF1[r] = macroF1Of(now) - macroF1Of(old);
  });
  return { accuracy, macroF1 };
}

/** np.percentile(values, q) with the default linear interpolation; q in percent, 0..100. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new FramelabError('INVALID_INPUT', 'A percentile of no values is undefined.');
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * (q / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The central percentile interval: [p(50 − 50·conf), p(50 + 50·conf)], e.g. [2.5, 97.5]. */
export function percentileInterval(values: ArrayLike<number>, confidence = DEFAULT_CONFIDENCE): Interval {
  if (!(confidence > 0 && confidence < 1))
    throw new FramelabError('INVALID_INPUT', `Confidence must be between 0 and 1; got ${confidence}.`);
  // In percent first, as numpy is called: (100 − 95) / 2 = 2.5 exactly, where (1 − 0.95) / 2 is not 0.025.
  const central = confidence * 100;
  return [percentile(values, (100 - central) / 2), percentile(values, (100 + central) / 2)];
}

/** The paired bootstrap on explicit resamples (a test can hand the same ones to numpy). */
export function pairedBootstrapWithIndices(
  pairs: PairedPredictions,
  indices: readonly ArrayLike<number>[],
  confidence = DEFAULT_CONFIDENCE,
): PairedBootstrap {
  const deltas = bootstrapDeltas(pairs, indices);
  return {
    resamples: indices.length,
    seed: null,
    confidence,
    deltas,
    intervals: { accuracy: percentileInterval(deltas.accuracy, confidence), macroF1: percentileInterval(deltas.macroF1, confidence) },
  };
}

/** The paired bootstrap on resamples drawn from the seed (drawResampleIndices). */
export function pairedBootstrap(
  pairs: PairedPredictions,
  options: { seed: number; resamples?: number; confidence?: number },
): PairedBootstrap {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const indices = drawResampleIndices(pairs.trueLabels.length, resamples, options.seed);
  return { ...pairedBootstrapWithIndices(pairs, indices, options.confidence), seed: options.seed };
}
