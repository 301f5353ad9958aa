import { z } from 'zod';

/**
 * The numbers of the Preferences area: the fitted feature pipeline, correlations with the
 * owner's ratings, preference models (Ridge, random forest), their evaluation, scores and
 * drift. Everything here is plain JSON (no NaN: an undefined statistic is null), so a model
 * is stored, sent and reloaded as it is. Metrics are on the 0–1 scale (rating / 10), where the
 * lab's thresholds apply; scores, residuals and contributions are on the 0–10 rating scale.
 */

const Count = z.number().int().nonnegative();

export const SUB_SCORE_TARGETS = ['hook', 'pacing', 'payoff'] as const;
export const PreferenceTarget = z.enum(['overall', ...SUB_SCORE_TARGETS]);
export type PreferenceTarget = z.infer<typeof PreferenceTarget>;

// ---- features -------------------------------------------------------------------------------

/** What a model column is: a number or boolean (min-max normalized, missing → fill) or one level of a string key (0/1). */
export const FeatureKind = z.enum(['numeric', 'boolean', 'categorical']);
export type FeatureKind = z.infer<typeof FeatureKind>;

export const PipelineFeature = z.object({
  /** The column's name: the flattened key, or `<key>=<value>` for a level of a string key. */
  name: z.string(),
  /** The flattened key it reads. */
  key: z.string(),
  kind: FeatureKind,
  /** categorical: the value this column is 1 for; otherwise null. */
  level: z.string().nullable(),
  /** numeric/boolean (booleans as 0/1): the training rows' min and max; null for categorical. */
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** numeric/boolean: a missing value becomes this (the training rows' mean after normalization); null for categorical (missing → 0). */
  fill: z.number().nullable(),
  /** Share of training rows where the key has a value (of the key's type). */
  coverage: z.number(),
  /** One value on every training row: r is undefined, so it is never selected (kept: the spec defines 0.5 for it). */
  constant: z.boolean(),
  /** A `_has_` flag: the key of its string array (a row with that array and no flag has it false); else null. */
  flagOf: z.string().nullable(),
});
export type PipelineFeature = z.infer<typeof PipelineFeature>;

export const DroppedKey = z.object({
  key: z.string(),
  reason: z.enum(['coverage', 'text']),
  coverage: z.number(),
  /** Distinct values of a string key (text: more than the levels allowed); null otherwise. */
  distinct: z.number().int().nullable(),
  detail: z.string(),
});
export type DroppedKey = z.infer<typeof DroppedKey>;

/** A key whose values are of more than one JSON type: the most frequent type is used, the others count as missing. */
export const MixedKey = z.object({
  key: z.string(),
  counts: z.object({ number: Count, boolean: Count, string: Count }),
  used: z.enum(['number', 'boolean', 'string']),
});
export type MixedKey = z.infer<typeof MixedKey>;

export const FEATURE_PIPELINE_FORMAT = 'framelab.preference-features/1';

/** Fitted on training rows only; transforms any row (held-out, new) identically. */
export const FeaturePipeline = z.object({
  format: z.literal(FEATURE_PIPELINE_FORMAT),
  trainingRows: Count,
  /** Keys with a smaller share of training rows with a value are dropped (the spec: 50 %). */
  coverageThreshold: z.number(),
  /** String keys with at most this many distinct values are one-hot, more are text (the spec: 20). */
  maxLevels: z.number().int(),
  /** The model's candidate columns, sorted by name. */
  features: z.array(PipelineFeature),
  dropped: z.array(DroppedKey),
  mixed: z.array(MixedKey),
});
export type FeaturePipeline = z.infer<typeof FeaturePipeline>;

// ---- correlations -----------------------------------------------------------------------------

/** The spec's §4.1: high |r| ≥ .5 & p < .01, medium ≥ .3 & p < .05, low ≥ .15 & p < .1, else none. */
export const SignificanceTier = z.enum(['high', 'medium', 'low', 'none']);
export type SignificanceTier = z.infer<typeof SignificanceTier>;

export const FeatureCorrelation = z.object({
  feature: z.string(),
  /** Pearson r with `overall` of the feature as the model sees it; null when the feature is constant. */
  r: z.number().nullable(),
  /** Two-sided p (t distribution, as scipy's pearsonr); null with r. */
  p: z.number().nullable(),
  /** Benjamini–Hochberg q over the features with a p; null with r. */
  q: z.number().nullable(),
  tier: SignificanceTier,
  coverage: z.number(),
});
export type FeatureCorrelation = z.infer<typeof FeatureCorrelation>;

export const ExpectedCorrelation = z.object({ feature: z.string(), direction: z.enum(['positive', 'negative']) });
export type ExpectedCorrelation = z.infer<typeof ExpectedCorrelation>;

/** confirmed: p < .05 in the expected direction; opposite: p < .05 the other way; absent: not a model feature (note says why). */
export const ExpectedStatus = z.enum(['confirmed', 'not significant', 'opposite', 'absent']);
export type ExpectedStatus = z.infer<typeof ExpectedStatus>;

export const ExpectedCheck = ExpectedCorrelation.extend({
  status: ExpectedStatus,
  r: z.number().nullable(),
  p: z.number().nullable(),
  q: z.number().nullable(),
  tier: SignificanceTier,
  note: z.string(),
});
export type ExpectedCheck = z.infer<typeof ExpectedCheck>;

export const CorrelationReport = z.object({
  ratings: Count,
  /** Every model column, by |r| descending (constant ones, r null, last). */
  features: z.array(FeatureCorrelation),
  topPositive: z.array(FeatureCorrelation),
  topNegative: z.array(FeatureCorrelation),
  expected: z.array(ExpectedCheck),
  dropped: z.array(DroppedKey),
  mixed: z.array(MixedKey),
});
export type CorrelationReport = z.infer<typeof CorrelationReport>;

// ---- models -----------------------------------------------------------------------------------

export const PreferenceModelKind = z.enum(['ridge', 'random_forest']);
export type PreferenceModelKind = z.infer<typeof PreferenceModelKind>;

export const ModelOptions = z.object({
  kind: PreferenceModelKind,
  /** Keep the K features with the largest |r| with the target on the training rows (default 50). */
  top: z.number().int().positive(),
  /** Drop features with |r| below this before taking the top K (null: none; the spec's pruning: 0.1). */
  prune: z.number().min(0).max(1).nullable(),
  /** Ridge's α (default 1, as sklearn's Ridge()). */
  alpha: z.number().positive(),
  coverageThreshold: z.number().min(0).max(1),
  maxLevels: z.number().int().positive(),
  /** Forest: trees (default 100) and the seed of its row sampling. */
  trees: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
});
export type ModelOptions = z.infer<typeof ModelOptions>;

export const SelectedFeature = z.object({ feature: z.string(), r: z.number() });
export type SelectedFeature = z.infer<typeof SelectedFeature>;

/** prediction = intercept + Σ coef·x; `means` are the training rows' column means (contributions are centred on them). */
export const RidgeWeights = z.object({
  alpha: z.number(),
  intercept: z.number(),
  coef: z.array(z.number()),
  means: z.array(z.number()),
});
export type RidgeWeights = z.infer<typeof RidgeWeights>;

/** XGBoost in random-forest mode (one round of parallel trees), saved as UBJSON in base64 (python's xgboost.Booster loads it). */
export const ForestWeights = z.object({
  engine: z.literal('xgboost'),
  xgboostVersion: z.string(),
  params: z.record(z.string(), z.string()),
  ubjBase64: z.string(),
});
export type ForestWeights = z.infer<typeof ForestWeights>;

export const MetricSet = z.object({ n: Count, mae: z.number(), rmse: z.number(), r2: z.number() });
export type MetricSet = z.infer<typeof MetricSet>;

/** The spec's §6.2: MAE < .15 ready, .15–.20 acceptable, > .20 needs more data; R² > .6 good, .4–.6 moderate, < .4 low. */
export const MaeStatus = z.enum(['ready', 'acceptable', 'needs more data']);
export type MaeStatus = z.infer<typeof MaeStatus>;
export const R2Status = z.enum(['good', 'moderate', 'low']);
export type R2Status = z.infer<typeof R2Status>;

/** The spec's metric names: mae/rmse/r2 on its 80/20 split, cv_mae ± cv_mae_std over 5 folds (sd with ddof 0). */
export const ModelMetrics = z.object({
  mae: z.number(),
  rmse: z.number(),
  r2: z.number(),
  cv_mae: z.number(),
  cv_mae_std: z.number(),
  cv_rmse: z.number(),
  cv_r2: z.number(),
  status: z.object({ mae: MaeStatus, cv_mae: MaeStatus, r2: R2Status, cv_r2: R2Status }),
});
export type ModelMetrics = z.infer<typeof ModelMetrics>;

export const PREFERENCE_MODEL_FORMAT = 'framelab.preference-model/1';

export const PreferenceModel = z.object({
  format: z.literal(PREFERENCE_MODEL_FORMAT),
  kind: PreferenceModelKind,
  target: PreferenceTarget,
  options: ModelOptions,
  pipeline: FeaturePipeline,
  /** The columns the model reads, in pipeline order, with their r on the training rows. */
  selected: z.array(SelectedFeature),
  ridge: RidgeWeights.nullable(),
  forest: ForestWeights.nullable(),
  trainingRows: Count,
  /** The expected prediction on the 0–1 scale (the mean training target for Ridge; TreeSHAP's bias for the forest). */
  baseValue: z.number(),
  /** From the evaluation that preceded the final fit (null when fitted without one). */
  metrics: ModelMetrics.nullable(),
});
export type PreferenceModel = z.infer<typeof PreferenceModel>;

// ---- evaluation -------------------------------------------------------------------------------

export const CvResult = z.object({
  folds: z.array(MetricSet),
  maeMean: z.number(),
  /** numpy's std (ddof 0) of the fold MAEs, like the spec's cv_scores.std(). */
  maeSd: z.number(),
  rmseMean: z.number(),
  r2Mean: z.number(),
  /** Pooled over every row's out-of-fold prediction. */
  pooled: MetricSet,
  /** How many features each fold's model selected. */
  selectedPerFold: z.array(Count),
});
export type CvResult = z.infer<typeof CvResult>;

export const TargetEvaluation = z.object({
  target: PreferenceTarget,
  ratings: Count,
  holdout: MetricSet.extend({ trainRows: Count }),
  cv: CvResult,
  metrics: ModelMetrics,
});
export type TargetEvaluation = z.infer<typeof TargetEvaluation>;

export const Factor = z.object({ feature: z.string(), contribution: z.number() });
export type Factor = z.infer<typeof Factor>;

export const ErrorCase = z.object({
  videoId: z.string(),
  fold: Count,
  actual: z.number(),
  predicted: z.number(),
  /** predicted − actual (the spec's sign: > 0 overestimated). */
  residual: z.number(),
  topFactors: z.array(Factor),
});
export type ErrorCase = z.infer<typeof ErrorCase>;

export const RangeGroup = z.object({
  /** e.g. "Q1 [0, 0.25]" or "= 1". */
  label: z.string(),
  /** The group's value range in the feature's own units (null for the "missing" group). */
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  n: Count,
  meanResidual: z.number(),
  /** Two-sided one-sample t-test of the group's residuals against 0; null under 2 rows or no spread. */
  p: z.number().nullable(),
  verdict: z.enum(['overestimated', 'underestimated', 'even']),
});
export type RangeGroup = z.infer<typeof RangeGroup>;

export const ErrorAnalysis = z.object({
  /** Out-of-fold residuals of the CV, on the 0–10 scale. */
  largest: z.array(ErrorCase),
  ranges: z.array(z.object({ feature: z.string(), groups: z.array(RangeGroup) })),
});
export type ErrorAnalysis = z.infer<typeof ErrorAnalysis>;

export const SubScoreMode = z.enum(['none', 'separate', 'multi-output']);
export type SubScoreMode = z.infer<typeof SubScoreMode>;

export const PreferenceEvaluation = z.object({
  options: ModelOptions,
  overall: TargetEvaluation,
  subScoreMode: SubScoreMode,
  subScores: z.array(TargetEvaluation),
  errors: ErrorAnalysis,
  /** What was left out and why (e.g. a sub-score with too few ratings). */
  notes: z.array(z.string()),
});
export type PreferenceEvaluation = z.infer<typeof PreferenceEvaluation>;

// ---- scoring and drift --------------------------------------------------------------------------

export const PreferenceScore = z.object({
  /** 10 × the prediction, clamped to 0–10 (the spec's §7.2), unrounded. */
  score: z.number(),
  unclampedScore: z.number(),
  /** 10 × the model's expected prediction: baseScore + Σ contributions = unclampedScore. */
  baseScore: z.number(),
  /** coverage × the model's R² (0 when R² < 0); null when the model has no metrics. */
  confidence: z.number().nullable(),
  /** Share of the model's features present in this analysis. */
  coverage: z.number(),
  topFactors: z.array(Factor),
});
export type PreferenceScore = z.infer<typeof PreferenceScore>;

export const FeatureDrift = z.object({
  feature: z.string(),
  psi: z.number(),
  /** Bins actually used (quantile edges that coincide are merged). */
  bins: z.number().int(),
  drifted: z.boolean(),
});
export type FeatureDrift = z.infer<typeof FeatureDrift>;
