import { z } from 'zod';
import { StagedModel } from './models';

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
  /**
   * Macro-F1 over the classes present in y_true ∪ y_pred (scikit-learn's default labels=None, as
   * the lab reported it), for comparison only: it never decides. Absent in comparisons saved before.
   */
  macroF1Present: z.number().optional(),
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

// ---------------------------------------------------------------------------------------------
// The fine-tune job: what the lead asks for, what it reports while it runs, what it returns.

export const CV_CHOICES = ['loo', 'video', 'both'] as const;

/** The lab's small-data recipe (docs/reference.md §2); every value editable and recorded. */
export const FinetuneRecipe = z.object({
  optimizer: z.enum(['adam', 'adamw', 'sgd']).default('adam'),
  lr: z.number().positive().max(1).default(1e-5),
  weightDecay: z.number().min(0).default(0),
  momentum: z.number().min(0).max(1).default(0.9),
  batchSize: int.min(1).max(512).default(8),
  maxEpochs: int.min(1).max(1000).default(15),
  /** Early stopping: epochs without a lower training loss before stopping. */
  patience: int.min(1).default(3),
  classWeights: z.enum(['inverse_frequency', 'none']).default('inverse_frequency'),
  seed: int.default(42),
  /** Intra-op threads for LibTorch and ONNX Runtime; 0 = all cores. */
  threads: int.min(0).default(0),
});
export type FinetuneRecipe = z.infer<typeof FinetuneRecipe>;

export const FinetuneParams = z.object({
  goldSnapshotId: z.string().min(1),
  /** The model fine-tuning starts from, e.g. pov@v7; its dimension must be the snapshot's. */
  baseModel: z.string().min(1),
  cv: z.enum(CV_CHOICES).default('loo'),
  /** The new version's name; default the base's number + 1 (v7 → v8). */
  version: z
    .string()
    .regex(/^v[0-9]+[a-z0-9_.-]*$/)
    .optional(),
  metric: ComparisonMetric.default('macro_f1'),
  /** Save v8 only when its gain's interval lies above no change (default: any gain, the lab's rule). */
  requireSignificant: z.boolean().default(false),
  recipe: FinetuneRecipe.default(FinetuneRecipe.parse({})),
  bootstrapResamples: int.min(100).max(100_000).default(2000),
  /** Where v8_comparison.json (and the saved .pth) go; default the home's runs folder. */
  outDir: z.string().min(1).optional(),
});
export type FinetuneParams = z.infer<typeof FinetuneParams>;

/** One epoch of one fold: what the live loss curves plot. */
export const EpochLoss = z.object({ epoch: int.min(1), loss: z.number() });

export const FoldOutcome = z.object({
  foldId: z.string(),
  cv: CvKind,
  epochs: z.array(EpochLoss),
  stoppedEarly: z.boolean(),
  /** Held-out frames of this fold with v8's (the fold model's) prediction and probabilities. */
  heldOut: z.array(z.object({ frameId: z.string(), v8Pred: count, v8Probs: z.array(z.number()) })),
});
export type FoldOutcome = z.infer<typeof FoldOutcome>;

/** What a fine-tune run shows while it runs and after (also its resume checkpoint). */
export const FinetuneRunState = z.object({
  folds: z.record(z.string(), FoldOutcome),
  /** The fold being trained now, with its epochs so far. */
  current: z.object({ foldId: z.string(), cv: CvKind, epochs: z.array(EpochLoss) }).nullable(),
  /** Training v8 on every gold frame after the cross-validation. */
  final: z.object({ epochs: z.array(EpochLoss), stoppedEarly: z.boolean() }).nullable(),
});
export type FinetuneRunState = z.infer<typeof FinetuneRunState>;

export const FinetuneResult = z.object({
  dimension: z.string(),
  /** The entry written to v8_comparison.json under the dimension's key. */
  entry: ComparisonEntry,
  /** Comparisons under the other CV kind when both were asked for (the first one decides). */
  alsoCv: z.record(z.string(), ModelComparison),
  comparisonFile: z.string(),
  /** The saved weights as .pth for the lab's scripts; null when v8 was not saved. */
  pthFile: z.string().nullable(),
  /** Registered by the owner when v8 is saved. */
  staged: StagedModel.nullable(),
  run: FinetuneRunState,
});
export type FinetuneResult = z.infer<typeof FinetuneResult>;
