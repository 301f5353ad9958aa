import { z } from 'zod';
import {
  CorrelationReport,
  ExpectedCorrelation,
  ExpectedCheck,
  FeatureCorrelation,
  FeatureDrift,
  ModelMetrics,
  ModelOptions,
  PreferenceModelKind,
  PreferenceScore,
  TargetEvaluation,
  ErrorAnalysis,
} from './preferenceModel';

/**
 * The Preferences area's workflow (issue 19 items 3–8): which ratings a model may learn from
 * (eligibility), correlation runs and their snapshots, the editable expected list, training
 * (a job), the preference model registry (`preference@v1.0`, …), the status ladder and scores.
 * The numbers themselves are in preferenceModel.ts.
 */

const Count = z.number().int().nonnegative();

// ---- eligibility ----------------------------------------------------------------------------

/** The spec's `feature_count >= 100`. */
export const DEFAULT_MIN_FEATURES = 100;

export const EligibilityOptions = z.object({
  /** The analysis_version to learn from; null/absent: the newest across all imported analyses. */
  analysisVersion: z.string().min(1).nullish(),
  /** The analysis's own feature_count must be at least this (the spec: 100). */
  minFeatures: z.number().int().nonnegative().default(DEFAULT_MIN_FEATURES),
});
export type EligibilityOptions = z.input<typeof EligibilityOptions>;

export const EXCLUSION_REASONS = [
  'not an owner rating',
  'older owner rating',
  'no analysis',
  'other analysis version',
  'no feature_count',
  'too few features',
] as const;
export const ExclusionReason = z.enum(EXCLUSION_REASONS);
export type ExclusionReason = z.infer<typeof ExclusionReason>;

export const Exclusion = z.object({
  reason: ExclusionReason,
  /** Ratings left out for this reason. */
  count: Count,
  /** Their video ids, sorted (every one). */
  videoIds: z.array(z.string()),
  detail: z.string(),
});
export type Exclusion = z.infer<typeof Exclusion>;

export const EligibilityReport = z.object({
  /** The version used (null: no analyses at all). */
  analysisVersion: z.string().nullable(),
  minFeatures: Count,
  /** Current ratings considered (every rater). */
  ratings: Count,
  ownerRatings: Count,
  /** Owner ratings a model learns from: one per video. */
  eligible: Count,
  excluded: z.array(Exclusion),
});
export type EligibilityReport = z.infer<typeof EligibilityReport>;

// ---- correlations -----------------------------------------------------------------------------

export const PreferenceCorrelateInput = EligibilityOptions.extend({
  /** How many strongest positive and negative features to list (the spec: 20). */
  top: z.number().int().positive().max(1000).default(20),
});

export const PreferenceCorrelateResult = z.object({
  /** Eligible ratings correlated. */
  ratings: Count,
  features: z.array(FeatureCorrelation),
  topPositive: z.array(FeatureCorrelation),
  topNegative: z.array(FeatureCorrelation),
  expected: z.array(ExpectedCheck),
  dropped: CorrelationReport.shape.dropped,
  mixed: CorrelationReport.shape.mixed,
  eligibility: EligibilityReport,
  /** The stored snapshot of this run. */
  snapshotId: z.number().int().positive(),
  /** Advice in words, e.g. under the spec's 100 ratings. */
  notes: z.array(z.string()),
});
export type PreferenceCorrelateResult = z.infer<typeof PreferenceCorrelateResult>;

export const ExpectedList = z.object({
  expected: z.array(ExpectedCorrelation),
  /** True while nobody has edited it: the spec's §4.2 list. */
  isDefault: z.boolean(),
  savedAt: z.string().nullable(),
});
export type ExpectedList = z.infer<typeof ExpectedList>;

export const ExpectedSetInput = z.object({ expected: z.array(ExpectedCorrelation.extend({ feature: z.string().trim().min(1) })).max(500) });

export const CorrelationSnapshotSummary = z.object({
  id: z.number().int().positive(),
  ratings: Count,
  analysisVersion: z.string(),
  minFeatures: Count,
  createdAt: z.string(),
  confirmed: Count,
  opposite: Count,
  /** Features in the high or medium tier. */
  significant: Count,
});
export type CorrelationSnapshotSummary = z.infer<typeof CorrelationSnapshotSummary>;

// ---- training (a job) and the registry --------------------------------------------------------

export const PreferenceTrainParams = EligibilityOptions.extend({
  kind: PreferenceModelKind.default('ridge'),
  top: z.number().int().positive().default(50),
  prune: z.number().min(0).max(1).nullable().default(null),
  /** Evaluate hook, pacing and payoff on the rows that have all three (one selection by overall). */
  multiOutput: z.boolean().default(false),
  /** Apply activationAdvice when it says activate (otherwise a new model is never active on its own). */
  activateIfAdvised: z.boolean().default(false),
  notes: z.string().max(2000).default(''),
  /** Training refuses fewer eligible ratings (the spec's first model: 200). */
  minRatings: z.number().int().positive().default(200),
});
export type PreferenceTrainParams = z.infer<typeof PreferenceTrainParams>;

export const ActivationAdviceShape = z.object({ activate: z.boolean(), reason: z.string() });

/** What the job hands the owner: the model file it wrote (content-hashed) and its facts. */
export const StagedPreferenceModel = z.object({
  path: z.string(),
  sha256: z.string().length(64),
  size: Count,
  kind: PreferenceModelKind,
  options: ModelOptions,
  metrics: ModelMetrics,
  features: Count,
  trainingRatings: Count,
  trainingVideos: z.array(z.string()),
  trainedThrough: z.string(),
  analysisVersion: z.string(),
  minFeatures: Count,
  notes: z.string(),
  /** The job's --activate-if-advised: the owner applies the advice when it registers the model. */
  activateIfAdvised: z.boolean(),
});
export type StagedPreferenceModel = z.infer<typeof StagedPreferenceModel>;

export const PreferenceModelSummary = z.object({
  id: z.string(),
  version: z.string(),
  kind: PreferenceModelKind,
  parentId: z.string().nullable(),
  notes: z.string(),
  trainingRatings: Count,
  trainedThrough: z.string(),
  analysisVersion: z.string(),
  minFeatures: Count,
  options: ModelOptions,
  metrics: ModelMetrics,
  features: Count,
  advice: ActivationAdviceShape,
  sha256: z.string(),
  size: Count,
  modelPath: z.string(),
  jobId: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type PreferenceModelSummary = z.infer<typeof PreferenceModelSummary>;

export const PreferenceTrainResult = z.object({
  /** Filled by the owner when it registers the model (the job leaves it empty). */
  model: z.string(),
  activated: z.boolean(),
  advice: ActivationAdviceShape,
  parent: z.string().nullable(),
  metrics: ModelMetrics,
  features: Count,
  ratings: Count,
  kind: PreferenceModelKind,
  overall: TargetEvaluation,
  subScores: z.array(TargetEvaluation),
  errors: ErrorAnalysis,
  notes: z.array(z.string()),
  eligibility: EligibilityReport,
  staged: StagedPreferenceModel,
});
export type PreferenceTrainResult = z.infer<typeof PreferenceTrainResult>;

// ---- status -------------------------------------------------------------------------------------

export const LadderStep = z.object({
  ratings: Count,
  step: z.string(),
  reached: z.boolean(),
});

export const PreferenceStatus = z.object({
  eligibility: EligibilityReport,
  ladder: z.array(LadderStep),
  /** What the spec says to do now, in words. */
  now: z.string(),
  /** The next rung and how many eligible ratings it still needs (null at the top). */
  next: z.object({ ratings: Count, step: z.string(), needed: Count }).nullable(),
  models: Count,
  active: PreferenceModelSummary.nullable(),
  retrain: z
    .object({
      due: z.boolean(),
      reasons: z.array(z.string()),
      /** Eligible owner ratings of videos the active model was not trained on. */
      newRatings: Count,
      /** The active model's MAE (0–1) on those ratings; null without any. */
      recentMae: z.number().nullable(),
      /** PSI of the active model's top features between its training videos and the new ones (empty without new ones). */
      drift: z.array(FeatureDrift),
    })
    .nullable(),
  lastSnapshot: CorrelationSnapshotSummary.nullable(),
});
export type PreferenceStatus = z.infer<typeof PreferenceStatus>;

// ---- scores -------------------------------------------------------------------------------------

export const PreferenceScoreInput = z
  .strictObject({
    videoId: z.string().min(1).optional(),
    /** An absolute path to one analysis in the import format ({"video_id","analysis_version","analysis"}). */
    file: z.string().min(1).optional(),
    modelId: z.string().min(1).optional(),
  })
  .refine((v) => (v.videoId === undefined) !== (v.file === undefined), { message: 'give exactly one of videoId and file' });

export const PreferenceScoreResult = PreferenceScore.extend({
  model: z.string(),
  videoId: z.string(),
  analysisVersion: z.string(),
});
export type PreferenceScoreResult = z.infer<typeof PreferenceScoreResult>;

export const PreferenceScoresInput = z.strictObject({ modelId: z.string().min(1).optional() });
export const PreferenceScoresResult = z.object({
  /** null: no model to score with (none active and none asked for). */
  model: z.string().nullable(),
  analysisVersion: z.string().nullable(),
  /** video_id → score (0–10) for every video with an analysis of the model's version. */
  scores: z.record(z.string(), z.number()),
});
export type PreferenceScoresResult = z.infer<typeof PreferenceScoresResult>;

export const PreferenceScoreAllInput = z.strictObject({
  modelId: z.string().min(1).optional(),
  out: z.string().min(1),
  overwrite: z.boolean().default(false),
});
export const PreferenceScoreAllResult = z.object({ model: z.string(), rows: Count, file: z.string() });
