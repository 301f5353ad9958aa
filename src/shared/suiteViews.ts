import { z } from 'zod';
import { SuiteConfig, SuiteMetrics, SuiteRunResult } from './suite';

/**
 * What the Suite screens read: a whole run (suite.runDetail), runs side by side
 * (suite.compare), a dry run of the data step (suite.dataset.preview) and the live curves of
 * a running job (suite.liveCurves). Run files are the source; these are views of them.
 */
export const RunId = z.string().regex(/^suite-[0-9A-Za-z-]+$/, 'a run id such as suite-20250101T000000-abc123');

export const CurvePoint = z.object({ epoch: z.number(), trainLoss: z.number().nullable(), valRmse: z.number().nullable() });
export type CurvePoint = z.infer<typeof CurvePoint>;

const Interval = z.object({ lo: z.number().nullable(), hi: z.number().nullable() });
const MetricIntervals = z.record(z.string(), Interval);
const SliceMetrics = z.record(z.string(), SuiteMetrics.partial().passthrough());

export const ImportanceRow = z.object({ feature: z.string(), increase: z.number().nullable(), sd: z.number().nullable() });

export const PredictionPoints = z.object({
  model: z.string(),
  split: z.enum(['val', 'test', 'oof']),
  /** Rows in the split; `points` holds at most the view's cap (an even sample). */
  total: z.number().int(),
  points: z.array(z.object({ id: z.string(), yTrue: z.number(), yPred: z.number() })),
});
export type PredictionPoints = z.infer<typeof PredictionPoints>;

export const SuiteRunDetail = z.object({
  runId: z.string(),
  result: SuiteRunResult,
  config: z.record(z.string(), z.unknown()),
  configFile: z.string().nullable(),
  versions: z.record(z.string(), z.string()),
  createdAt: z.string().nullable(),
  dataSummary: z.record(z.string(), z.unknown()),
  /** Per model: 95% bootstrap intervals of val and test metrics (split runs). */
  intervals: z.record(z.string(), z.object({ val: MetricIntervals, test: MetricIntervals })),
  slices: z.object({ column: z.string().nullable(), models: z.record(z.string(), z.object({ val: SliceMetrics, test: SliceMetrics })) }),
  /** Curve name (model, or `<model>.fold<k>`) → per-epoch points. */
  curves: z.record(z.string(), z.array(CurvePoint)),
  /** Per curve, what its x axis counts: neural models' epochs, or gbdt's boosting rounds (its CSV is `round,train_rmse,val_rmse`). */
  curveUnits: z.record(z.string(), z.enum(['epoch', 'round'])),
  importance: z.record(z.string(), z.array(ImportanceRow)),
  predictions: z.array(PredictionPoints),
});
export type SuiteRunDetail = z.infer<typeof SuiteRunDetail>;

export const SuiteCompare = z.object({
  runs: z.array(
    z.object({
      runId: z.string(),
      name: z.string().nullable(),
      tags: z.array(z.string()),
      createdAt: z.string().nullable(),
      rows: SuiteRunResult.shape.rows,
      folds: z.number().nullable(),
      rankMetric: z.string(),
      /** sha256 of the run's split_manifest.csv (which row went where); null when the run has none. */
      splitHash: z.string().nullable(),
    }),
  ),
  /** Set when the runs did not put the same rows in the same splits: their metrics are measured on different rows. */
  splitWarning: z.string().nullable(),
  /** Every model of any run; `byRun[i]` is null where run i did not train it. */
  models: z.array(
    z.object({
      model: z.string(),
      byRun: z.array(z.object({ rank: z.number().int(), val: SuiteMetrics, test: SuiteMetrics.nullable() }).nullable()),
    }),
  ),
  /** Config fields (dotted paths) whose values differ between the runs. */
  configDiffs: z.array(z.object({ field: z.string(), values: z.array(z.unknown()) })),
});
export type SuiteCompare = z.infer<typeof SuiteCompare>;

export const COLUMN_ROLES = [
  'target',
  'numeric',
  'categorical',
  'guest',
  'leakage',
  'id',
  'time',
  'high_cardinality',
  'not_selected',
] as const;
export const ColumnRole = z.enum(COLUMN_ROLES);
export type ColumnRole = z.infer<typeof ColumnRole>;

export const DatasetPreview = z.object({
  metadata: z.string(),
  rowsRead: z.number().int(),
  rowsAfterFilter: z.number().int(),
  rowsAfterDedupe: z.number().int(),
  rowsMissingTarget: z.number().int(),
  rowsWithoutEmbedding: z.number().int(),
  /** Rows a run would train and score on. */
  rows: z.number().int(),
  embeddings: z.object({ source: z.string(), count: z.number().int(), dim: z.number().int() }).nullable(),
  target: z.object({
    column: z.string(),
    transform: z.string(),
    mean: z.number().nullable(),
    min: z.number().nullable(),
    max: z.number().nullable(),
  }),
  guests: z.number().int().nullable(),
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['numeric', 'text', 'time']),
      role: ColumnRole,
      /** Why a column is not a feature (leakage, id, …); null for features. */
      reason: z.string().nullable(),
      /** The leakage name pattern that excluded the column (e.g. "*_rate"), null otherwise; `leakageAllow` in the config lets it back in. */
      pattern: z.string().nullable(),
      missing: z.number().int(),
      distinct: z.number().int().nullable(),
    }),
  ),
});
export type DatasetPreview = z.infer<typeof DatasetPreview>;

export const DatasetPreviewInput = z.strictObject({
  /** A run config (models and split are ignored: nothing is trained). */
  config: SuiteConfig,
  /** Relative paths in the config are resolved against this file's folder. */
  configFile: z.string().nullable().default(null),
});

export const SuiteLiveCurves = z.object({
  jobId: z.string(),
  runId: z.string().nullable(),
  curves: z.record(z.string(), z.array(CurvePoint)),
});
export type SuiteLiveCurves = z.infer<typeof SuiteLiveCurves>;
