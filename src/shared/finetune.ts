import { z } from 'zod';

/**
 * Fine-tuning's contract: how a new model version (v8) compares with the one it started from
 * (v7) on the same held-out frames, one entry per dimension in `v8_comparison.json`. The
 * figures come from src/main/core/finetune/comparison.ts; the fine-tune job adds the
 * provenance (config, gold snapshot, models, folds, time).
 */

/** Leave-one-out over frames, or leave-one-video-out. */
export const CvKind = z.enum(['loo', 'video']);
export type CvKind = z.infer<typeof CvKind>;

/** The metric the save decision uses. */
export const ComparisonMetric = z.enum(['macro_f1', 'accuracy']);
export type ComparisonMetric = z.infer<typeof ComparisonMetric>;

const int = z.number().int();
const count = int.min(0);
const Interval = z.tuple([z.number(), z.number()]);

/** One held-out frame: its true class and each model's prediction (class indices). */
export const HeldOutPrediction = z.object({
  frameId: z.string().min(1),
  videoId: z.string(),
  trueLabel: count,
  v7Pred: count,
  v8Pred: count,
  /** Class probabilities, in the order of `classes`, when the job kept them. */
  v7Probs: z.array(z.number()).optional(),
  v8Probs: z.array(z.number()).optional(),
});
export type HeldOutPrediction = z.infer<typeof HeldOutPrediction>;

export const ClassScores = z.object({
  class: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: count,
});

/** scikit-learn semantics: macro-F1 over all classes (labels=range(C), zero_division=0). */
export const ModelMetrics = z.object({
  n: count,
  accuracy: z.number(),
  macroF1: z.number(),
  perClass: z.array(ClassScores),
  /** confusion[true][predicted], in the order of `classes`. */
  confusion: z.array(z.array(count)),
});
export type ModelMetrics = z.infer<typeof ModelMetrics>;

/** What the held-out predictions say: computed, never entered by hand. */
export const ModelComparison = z.object({
  /** Held-out frames compared. */
  n: count,
  classes: z.array(z.string()),
  metrics: z.object({ v7: ModelMetrics, v8: ModelMetrics }),
  /** v8 − v7. */
  deltas: z.object({ accuracy: z.number(), macroF1: z.number() }),
  /** Paired bootstrap percentile intervals of the deltas. */
  intervals: z.object({ accuracy: Interval, macroF1: Interval }),
  bootstrap: z.object({
    resamples: int.min(1),
    seed: int,
    confidence: z.number(),
    /** How the interval was read off the resampled deltas. */
    method: z.literal('paired percentile, linear interpolation (np.percentile default)'),
  }),
  /** Frame ids, sorted: v7 wrong → v8 right. */
  fixed: z.array(z.string()),
  /** Frame ids, sorted: v7 right → v8 wrong. */
  regressed: z.array(z.string()),
  /** Exact McNemar on the discordant frames: b = regressed, c = fixed. */
  mcnemar: z.object({ b: count, c: count, p: z.number() }),
  decision: z.object({
    save: z.boolean(),
    metric: ComparisonMetric,
    /** One plain sentence: the metric, both values, the delta, its interval and p. */
    reason: z.string(),
  }),
  /** Every held-out frame, sorted by frameId: what the figures above were computed from. */
  predictions: z.array(HeldOutPrediction),
});
export type ModelComparison = z.infer<typeof ModelComparison>;

export const ModelRef = z.object({ id: z.string().min(1), sha256: z.string() });
export type ModelRef = z.infer<typeof ModelRef>;

/** One dimension's entry in v8_comparison.json: the comparison plus the job's provenance. */
export const ComparisonEntry = ModelComparison.extend({
  /** The training configuration (learning rate, epochs, frozen layers, class weights, …). */
  config: z.record(z.string(), z.unknown()),
  goldSnapshotId: z.string().min(1),
  baseModel: ModelRef,
  /** The saved v8; null when the comparison decided not to save it. */
  newModel: ModelRef.nullable(),
  /** Where the annotations behind the gold set came from; its shape is not settled yet. */
  annotationsSource: z.unknown(),
  cv: CvKind,
  /** Number of cross-validation folds. */
  folds: int.min(1),
  createdAt: z.string(),
}).refine((entry) => (entry.newModel !== null) === entry.decision.save, {
  message: 'newModel is the saved v8: present exactly when decision.save is true.',
  path: ['newModel'],
});
export type ComparisonEntry = z.infer<typeof ComparisonEntry>;
