import { z } from 'zod';

/**
 * The Analysis area (issue 18): the lab's outcome-modeling notebook as a reproducible run.
 * This file is the contract between the core (src/main/core/analysis/), the CLI
 * (`framelab analysis …`), the API and the Analysis screen: the config a run reads and the
 * result it writes. Term names follow statsmodels/patsy (`Intercept`, `a:b`, `C(g)[T.level]`).
 */

export const DEFAULT_OUTCOMES = ['views', 'likes', 'comments', 'shares'] as const;
export const SE_TYPES = ['HC3', 'HC1', 'nonrobust'] as const;
export const SPECS = ['main', 'focal', 'pairwise'] as const;
export const COUNT_FAMILIES = ['poisson', 'negbin', 'zinb'] as const;

const columnName = z.string().min(1);
/** A control: a numeric column, or a categorical one written `C(name)`. */
const controlName = z.string().regex(/^(C\([^()]+\)|[^()]+)$/, 'a column name, or C(name) for a categorical column');

/** An extra table joined by id: a suite metadata table (CSV/Parquet), its columns added. */
export const AnalysisTableJoin = z
  .object({
    kind: z.literal('table'),
    path: z.string().min(1),
    /** Its id column (default: the config's `id`). */
    id: z.string().optional(),
    /**
     * Only these columns (default: every column the main table does not have; those it has are
     * left out and listed in the data summary). A listed column the table already has is refused.
     */
    columns: z.array(columnName).optional(),
  })
  .strict();

/**
 * A batch-inference output folder (`framelab infer --out`): its model_predictions.csv turned
 * into per-video class shares, `pov_share_<slug>` and `distance_share_<slug>` (slug: the class
 * lowercased, every run of characters outside [a-z0-9] → `_`).
 */
export const AnalysisInferenceJoin = z
  .object({
    kind: z.literal('inference'),
    path: z.string().min(1),
  })
  .strict();

export const AnalysisJoin = z.discriminatedUnion('kind', [AnalysisTableJoin, AnalysisInferenceJoin]);
export type AnalysisJoin = z.infer<typeof AnalysisJoin>;

const pair = z.tuple([columnName, columnName]);
const triple = z.tuple([columnName, columnName, columnName]);

export const AnalysisConfig = z
  .object({
    name: z.string().optional(),
    /** The video-level table, CSV or Parquet (relative to the config file). */
    data: z.string().min(1),
    id: columnName.default('video_id'),
    outcomes: z
      .array(columnName)
      .min(1)
      .default([...DEFAULT_OUTCOMES]),
    predictors: z.array(columnName).min(1),
    controls: z.array(controlName).default([]),
    /** Theory-driven triples (or pairs): every lower-order term and the highest one, `a*b*c`. */
    focal: z.array(z.union([triple, pair])).default([]),
    /** The exploratory screen of every predictor pair, with BH q-values. */
    pairwise: z.boolean().default(false),
    se: z.enum(SE_TYPES).default('HC3'),
    /** Mean-centre the focal predictors over each model's rows. */
    center: z.boolean().default(false),
    /** Simple slopes are drawn for focal interaction terms with p below this. */
    slopesP: z.number().gt(0).max(1).default(0.05),
    countModels: z.boolean().default(true),
    /** Fit a zero-inflated NB for every outcome (it is also fitted where NB does not converge). */
    zinb: z.boolean().default(false),
    gbm: z
      .object({
        folds: z.number().int().min(2).default(5),
        /** 2-D partial dependence for these pairs (default: none). */
        pdpPairs: z.array(pair).default([]),
        /** Three-way views: the third variable sliced at Q25/Q50/Q75 (default: the focal triples). */
        pdpTriples: z.array(triple).optional(),
        grid: z.number().int().min(3).max(100).default(20),
        /** XGBoost recipe; defaults: lr 0.05, depth 4, 300 rounds, min_child_weight 5, subsample 1. */
        learningRate: z.number().positive().max(1).optional(),
        maxDepth: z.number().int().min(1).max(20).optional(),
        rounds: z.number().int().min(1).optional(),
        minChildWeight: z.number().min(0).optional(),
        subsample: z.number().positive().max(1).optional(),
      })
      .strict()
      .nullable()
      .default({ folds: 5, pdpPairs: [], grid: 20 }),
    /** LASSO (standardized predictors, α by inner CV) in the comparison; null to skip. */
    lasso: z
      .object({ folds: z.number().int().min(2).default(5) })
      .strict()
      .nullable()
      .default({ folds: 5 }),
    /** K for the cross-validated R² of the OLS models in the comparison. */
    cvFolds: z.number().int().min(2).default(5),
    joins: z.array(AnalysisJoin).default([]),
    seed: z.number().int().default(42),
  })
  .strict();
export type AnalysisConfig = z.infer<typeof AnalysisConfig>;
export type AnalysisConfigInput = z.input<typeof AnalysisConfig>;

export const Coefficient = z.object({
  term: z.string(),
  estimate: z.number(),
  se: z.number(),
  stat: z.number(),
  p: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
});
export type Coefficient = z.infer<typeof Coefficient>;

export const OlsModel = z.object({
  outcome: z.string(),
  spec: z.enum(SPECS),
  /** The triple or pair (focal/pairwise); null for main. */
  focal: z.array(z.string()).nullable(),
  /** Always true for pairwise: the screen is exploratory, and every screen and export says so. */
  exploratory: z.boolean(),
  n: z.number().int(),
  dropped: z.number().int(),
  r2: z.number(),
  adjR2: z.number(),
  aic: z.number(),
  bic: z.number(),
  llf: z.number(),
  se: z.enum(SE_TYPES),
  /** `t` for nonrobust, `z` for the HC types (as statsmodels). */
  statName: z.enum(['t', 'z']),
  coefficients: z.array(Coefficient),
  /** The highest-order focal term and its BH q-value across the pairwise screen (pairwise only). */
  interaction: z.object({ term: z.string(), p: z.number(), q: z.number().nullable() }).nullable(),
});
export type OlsModel = z.infer<typeof OlsModel>;

/**
 * A count model's coefficient: as Coefficient, except that a model that did not converge may
 * have no finite standard error (its Hessian is not negative definite there): then se, stat,
 * p and the interval are null rather than a number that means nothing.
 */
export const CountCoefficient = z.object({
  term: z.string(),
  estimate: z.number().nullable(),
  se: z.number().nullable(),
  stat: z.number().nullable(),
  p: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
});
export type CountCoefficient = z.infer<typeof CountCoefficient>;

export const CountModel = z.object({
  outcome: z.string(),
  family: z.enum(COUNT_FAMILIES),
  converged: z.boolean(),
  /** Why it did not converge (null when it did). */
  problem: z.string().nullable(),
  n: z.number().int(),
  dropped: z.number().int(),
  alpha: z.number().nullable(),
  /** Null only for a model that did not converge to a finite log-likelihood. */
  llf: z.number().nullable(),
  aic: z.number().nullable(),
  pseudoR2: z.number().nullable(),
  coefficients: z.array(CountCoefficient),
});
export type CountModel = z.infer<typeof CountModel>;

export const Overdispersion = z.object({
  outcome: z.string(),
  n: z.number().int(),
  mean: z.number(),
  variance: z.number(),
  ratio: z.number().nullable(),
  zeroShare: z.number(),
  /** LR test of α = 0 (NB vs Poisson; boundary-corrected p); null without both fits converged. */
  lrStatistic: z.number().nullable(),
  lrP: z.number().nullable(),
});
export type Overdispersion = z.infer<typeof Overdispersion>;

/** Log-OLS (main) vs NB: per term, do direction and significance (p < .05) agree. */
export const CountComparisonRow = z.object({
  outcome: z.string(),
  term: z.string(),
  olsEstimate: z.number(),
  olsP: z.number(),
  nbEstimate: z.number(),
  nbP: z.number(),
  sameDirection: z.boolean(),
  sameSignificance: z.boolean(),
});
export type CountComparisonRow = z.infer<typeof CountComparisonRow>;

export const SimpleSlope = z.object({
  outcome: z.string(),
  focal: z.array(z.string()),
  term: z.string(),
  predictor: z.string(),
  at: z.record(z.string(), z.number()),
  levels: z.record(z.string(), z.enum(['-1SD', 'mean', '+1SD'])),
  slope: z.number(),
  se: z.number(),
  p: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  /**
   * The predictor's range its plot spans: mean ± 2 SD over the model's rows, in the model's
   * scale (centred when the run centred); written by every run since it was added, so the
   * screen draws the same panels as the run folder.
   */
  range: z.object({ min: z.number(), max: z.number() }).optional(),
});
export type SimpleSlope = z.infer<typeof SimpleSlope>;

export const GbmResult = z.object({
  outcome: z.string(),
  cvR2: z.number(),
  folds: z.number().int(),
  foldR2: z.array(z.number()),
  n: z.number().int(),
  dropped: z.number().int(),
});
export type GbmResult = z.infer<typeof GbmResult>;

/** A 2-D partial dependence grid: value[i][j] at (x[i], y[j]); `slice` fixes a third variable. */
export const PdpGrid = z.object({
  outcome: z.string(),
  x: z.object({ name: z.string(), values: z.array(z.number()) }),
  y: z.object({ name: z.string(), values: z.array(z.number()) }),
  slice: z.object({ name: z.string(), quantile: z.enum(['Q25', 'Q50', 'Q75']), value: z.number() }).nullable(),
  values: z.array(z.array(z.number())),
  /** The grid's file in the run folder (CSV). */
  file: z.string(),
});
export type PdpGrid = z.infer<typeof PdpGrid>;

/** One figure per model and metric; in-sample and cross-validated metrics are separate rows. */
export const ComparisonRow = z.object({
  outcome: z.string(),
  model: z.enum(['ols_main', 'ols_focal', 'gbm', 'lasso', 'negbin']),
  metric: z.enum(['adj_r2', 'train_r2', 'cv_r2', 'pseudo_r2']),
  /** in-sample or cross-validated: never shown in one column. */
  kind: z.enum(['in_sample', 'cross_validated']),
  value: z.number(),
});
export type ComparisonRow = z.infer<typeof ComparisonRow>;

/**
 * A model of the exploratory pairwise screen that could not be estimated on its rows (its
 * product is collinear with the other terms, e.g. has_text × text_area_ratio when the ratio is
 * 0 without text): listed, never silently absent, and left out of the screen's q-values.
 * Failures of the theory-driven models (main, focal) and of the count models fail the run.
 */
export const SkippedModel = z.object({
  outcome: z.string(),
  spec: z.enum(SPECS),
  focal: z.array(z.string()).nullable(),
  reason: z.string(),
});
export type SkippedModel = z.infer<typeof SkippedModel>;

/** A figure in the run folder's plots/ (paths relative to the run folder). */
export const AnalysisFigure = z.object({
  kind: z.string(),
  outcome: z.string(),
  name: z.string(),
  title: z.string(),
  svg: z.string(),
  png: z.string().nullable(),
});
export type AnalysisFigure = z.infer<typeof AnalysisFigure>;

export const AnalysisRunResult = z.object({
  runId: z.string(),
  runDir: z.string(),
  models: z.array(OlsModel),
  countModels: z.array(CountModel),
  overdispersion: z.array(Overdispersion),
  countComparison: z.array(CountComparisonRow),
  simpleSlopes: z.array(SimpleSlope),
  gbm: z.array(GbmResult),
  pdp: z.array(PdpGrid.omit({ values: true })),
  comparison: z.array(ComparisonRow),
  /** Pairwise models that could not be estimated, with the reason (a run always writes it). */
  skipped: z.array(SkippedModel).optional(),
  /** The run folder's figures (a run always writes it; absent in hand-made results). */
  plots: z.array(AnalysisFigure).optional(),
  /** What the run could not do and why (a figure not drawn, PNGs without Chromium, a stage not available). */
  notes: z.array(z.string()).optional(),
});
export type AnalysisRunResult = z.infer<typeof AnalysisRunResult>;

export const AnalysisRunParams = z.object({
  config: AnalysisConfig,
  /** Where the config came from (recorded in the run). */
  configFile: z.string().nullable().default(null),
});
export type AnalysisRunParams = z.infer<typeof AnalysisRunParams>;

export const ANALYSIS_RUN_ID = /^analysis-[0-9A-Za-z-]+$/;
export const AnalysisRunId = z.string().regex(ANALYSIS_RUN_ID, 'a run id such as analysis-20260101T000000-abc123');

export const AnalysisRunSummary = z.object({
  runId: z.string(),
  runDir: z.string(),
  name: z.string().nullable(),
  createdAt: z.string(),
  outcomes: z.array(z.string()),
  models: z.number().int(),
  rows: z.number().int(),
});
export type AnalysisRunSummary = z.infer<typeof AnalysisRunSummary>;

/**
 * A column of a table for the screen's pickers: its type and how often it is missing.
 * `integer`: every present value a whole number; `boolean`: every present value 0 or 1 (or a
 * true/false column); `text`: not numeric (usable as `C(name)`).
 */
export const AnalysisColumn = z.object({
  name: z.string(),
  type: z.enum(['number', 'integer', 'boolean', 'text']),
  missing: z.number().int(),
  distinct: z.number().int(),
  /** From which join (null: the main table): `table:<file name>` or `inference:<folder name>`. */
  source: z.string().nullable(),
});
export type AnalysisColumn = z.infer<typeof AnalysisColumn>;

/** A column in a run's data summary: the picker's figures plus min, max and mean of a numeric column. */
export const AnalysisColumnSummary = AnalysisColumn.extend({
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
});
export type AnalysisColumnSummary = z.infer<typeof AnalysisColumnSummary>;

/** What a join added: its columns, and how many rows of the main table it had a row for. */
export const AnalysisJoinSummary = z.object({
  kind: z.enum(['table', 'inference']),
  path: z.string(),
  /** The columns it added. */
  columns: z.array(z.string()),
  /** Its columns the table already had, left out (a join never replaces a column). */
  skipped: z.array(z.string()),
  /** Rows of the main table with a row (table) or with predictions (inference) in the join. */
  matched: z.number().int(),
  unmatched: z.number().int(),
});

/** data_summary.json of a run (and what `analysis.columns` computes from). */
export const AnalysisDataSummary = z.object({
  data: z.string(),
  id: z.string(),
  rows: z.number().int(),
  joins: z.array(AnalysisJoinSummary),
  columns: z.array(AnalysisColumnSummary),
});
export type AnalysisDataSummary = z.infer<typeof AnalysisDataSummary>;

/** `analysis.columns`: a table (and its joins) for the screen's pickers, before any run. */
export const AnalysisColumnsInput = z.strictObject({
  /** Absolute path of a CSV or Parquet table. */
  data: z.string().min(1),
  id: columnName.optional(),
  joins: z.array(AnalysisJoin).default([]),
});
export type AnalysisColumnsInput = z.input<typeof AnalysisColumnsInput>;
export const AnalysisColumnsOutput = z.object({ rows: z.number().int(), columns: z.array(AnalysisColumn) });
export type AnalysisColumnsOutput = z.infer<typeof AnalysisColumnsOutput>;

/** One run for its screen: what was run, on what data, every result and the PDP grids with their values. */
export const AnalysisRunDetail = z.object({
  summary: AnalysisRunSummary,
  config: AnalysisConfig,
  configFile: z.string().nullable(),
  dataSummary: AnalysisDataSummary,
  versions: z.record(z.string(), z.string()),
  result: AnalysisRunResult,
  pdp: z.array(PdpGrid),
});
export type AnalysisRunDetail = z.infer<typeof AnalysisRunDetail>;

export const EXPORT_FORMATS = ['csv', 'html', 'tex'] as const;
