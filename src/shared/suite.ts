import { z } from 'zod';
import { leakageAllowProblems } from './leakageRules';

/**
 * A suite run's configuration (the JSON file `framelab suite run CONFIG` reads). Relative
 * paths are resolved against the config file's folder before the job sees them.
 */
export const SUITE_MODELS = [
  'mean',
  'guest_mean',
  'ridge',
  'ridge_guestnorm',
  'ridge_guestfeat',
  'gbdt',
  'concat_mlp',
  'gated_fusion_mlp',
] as const;
export const RANK_METRICS = ['rmse_log', 'mae_log', 'r2_log', 'rmse_raw', 'mae_raw', 'spearman'] as const;
export type RankMetric = (typeof RANK_METRICS)[number];

/** One modality's file: .npy (+ ids), .npz, a manifest, or a .pt dict {ids, <key>}. */
const ModalitySource = z
  .object({
    path: z.string().min(1),
    ids: z.string().optional(),
    /** The vectors' array (.npz) or dict key (.pt). */
    key: z.string().optional(),
    /** The 0/1 text-present flag array in the same file (default "text_present"; text only). */
    flagKey: z.string().optional(),
  })
  .strict();

/** The training settings both neural models take (NeuralRecipe in core/suite/models/earlyStopping.ts). */
const NEURAL_RECIPE = {
  dropout: z.number().min(0).max(0.9).optional(),
  maxEpochs: z.number().int().min(1).optional(),
  patience: z.number().int().min(1).optional(),
  batchSize: z.number().int().min(1).optional(),
  lr: z.number().positive().optional(),
  weightDecay: z.number().min(0).optional(),
  threads: z.number().int().min(1).optional(),
};

export const SuiteConfig = z
  .object({
    name: z.string().optional(),
    /** Free labels for finding and grouping runs (shown in Runs and Compare). */
    tags: z.array(z.string().trim().min(1)).default([]),
    metadata: z.string().min(1),
    embeddings: z
      .object({
        path: z.string().min(1),
        ids: z.string().optional(),
        /** Which array of an .npz (when it holds several). */
        key: z.string().optional(),
      })
      .strict()
      .optional(),
    /**
     * Per-modality embeddings for gated_fusion_mlp, joined by video id: video and audio are
     * required (inner join), text may be missing (zeros, text_present 0). Without
     * "embeddings", the other models use video ‖ audio ‖ text as their embedding.
     */
    modalities: z
      .object({ video: ModalitySource.optional(), audio: ModalitySource.optional(), text: ModalitySource.optional() })
      .strict()
      .refine((m) => m.video || m.audio || m.text, { message: 'name at least one of video, audio, text' })
      .optional(),
    /**
     * Text embedded locally (e.g. titles) with a sentence-transformer model folder; appended to
     * the embeddings, or the only embedding when "embeddings" is absent. text_present then
     * derives from this column.
     */
    text: z
      .object({
        column: z.string().min(1),
        /** A local folder: config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx. */
        model: z.string().min(1),
        batchSize: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    target: z
      .object({ column: z.string().default('horizon_view_count'), transform: z.enum(['log1p', 'none']).default('log1p') })
      .strict()
      .default({ column: 'horizon_view_count', transform: 'log1p' }),
    filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    dedupe: z.object({ by: z.string(), latest: z.string() }).strict().optional(),
    idColumn: z.string().default('video_id'),
    guestColumn: z.string().optional(),
    features: z
      .object({ numeric: z.array(z.string()).optional(), categorical: z.array(z.string()).optional() })
      .strict()
      .optional(),
    /** Extra columns to treat as leakage (on top of the hard set). */
    leakage: z.array(z.string()).default([]),
    /**
     * Columns a leakage name pattern (`*_count`, `*_rate`, `age_*`, …) caught that are in fact
     * known when a video is published (e.g. `hashtag_count`, `frame_rate`): the only way to let
     * one back in. Never a hard-set name, the target or a `leakage` column (shared/leakageRules.ts).
     */
    leakageAllow: z.array(z.string().trim().min(1)).optional(),
    split: z
      .object({
        kind: z.enum(['random', 'time', 'group', 'kfold', 'group_kfold']).default('random'),
        ratios: z.tuple([z.number(), z.number(), z.number()]).default([0.7, 0.15, 0.15]),
        k: z.number().int().min(2).default(5),
        seed: z.number().int().default(42),
        timeColumn: z.string().default('captured_at'),
        groupColumn: z.string().optional(),
      })
      .strict()
      .default({ kind: 'random', ratios: [0.7, 0.15, 0.15], k: 5, seed: 42, timeColumn: 'captured_at' }),
    models: z.array(z.enum(SUITE_MODELS)).min(1).default(['mean', 'guest_mean', 'ridge', 'ridge_guestnorm', 'ridge_guestfeat']),
    alphas: z.array(z.number().positive()).min(1).optional(),
    innerK: z.number().int().min(2).default(5),
    guestShrinkage: z.number().min(0).default(0),
    rankMetric: z.enum(RANK_METRICS).default('rmse_log'),
    /** Metrics are also reported per value of this column when the data has it. */
    sliceColumn: z.string().default('text_present'),
    /** Bootstrap resamples for the 95% intervals of val/test metrics. */
    bootstrap: z.number().int().min(10).default(1000),
    /** The neural models' recipe; defaults are the lab's (1024-512-256, dropout 0.2, 40 epochs, patience 6). */
    mlp: z
      .object({ hidden: z.array(z.number().int().min(1)).min(1).optional(), ...NEURAL_RECIPE })
      .strict()
      .optional(),
    /** The gradient-boosting recipe; defaults are the lab's (lr 0.05, depth 6, 500 rounds, min_child_weight 20, L2 1e-4, early stopping 30, 128-d projection). */
    gbdt: z
      .object({
        learningRate: z.number().positive().max(1).optional(),
        maxDepth: z.number().int().min(1).max(20).optional(),
        rounds: z.number().int().min(1).optional(),
        minChildWeight: z.number().min(0).optional(),
        /** L2 on the leaf weights (the spec's l2_regularization, XGBoost's lambda); default 1e-4. */
        l2Regularization: z.number().min(0).optional(),
        earlyStoppingRounds: z.number().int().min(1).optional(),
        subsample: z.number().positive().max(1).optional(),
        colsampleBytree: z.number().positive().max(1).optional(),
        projectionDim: z.number().int().min(1).optional(),
        threads: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    /**
     * The gated-fusion recipe (the lab's spec §6.2): towers Linear → GELU → LayerNorm of width
     * 256, head [256, 128] on fused ‖ metadata ‖ mask, dropout 0.15, AdamW, 40 epochs, patience 6.
     */
    fusion: z
      .object({
        width: z.number().int().min(1).optional(),
        /** false: the earlier towers Linear → GELU → Dropout → Linear(towerHidden → width). */
        towerNorm: z.boolean().optional(),
        towerHidden: z.number().int().min(1).optional(),
        headHidden: z.union([z.number().int().min(1), z.array(z.number().int().min(1)).min(1)]).optional(),
        headMask: z.boolean().optional(),
        ...NEURAL_RECIPE,
      })
      .strict()
      .optional(),
    seed: z.number().int().default(42),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.fusion?.towerHidden !== undefined && config.fusion.towerNorm !== false) {
      ctx.addIssue({
        code: 'custom',
        path: ['fusion', 'towerHidden'],
        message:
          'towerHidden applies only to the earlier two-layer towers ("towerNorm": false); the spec\'s towers (Linear → GELU → LayerNorm) have no hidden layer: remove towerHidden or set "towerNorm": false',
      });
    }
    for (const message of leakageAllowProblems(config.leakageAllow ?? [], config.target.column, config.leakage)) {
      ctx.addIssue({ code: 'custom', path: ['leakageAllow'], message });
    }
  });
export type SuiteConfig = z.infer<typeof SuiteConfig>;

export const SuiteMetrics = z.object({
  n: z.number().int(),
  rmse_log: z.number(),
  mae_log: z.number(),
  r2_log: z.number(),
  rmse_raw: z.number(),
  mae_raw: z.number(),
  spearman: z.number().nullable(),
});

export const LeaderboardRow = z.object({
  model: z.string(),
  /** train/val/test split runs: val and test; K-fold runs: the mean over folds in val, sd in test. */
  val: SuiteMetrics,
  test: SuiteMetrics.nullable(),
  sd: SuiteMetrics.partial().nullable(),
});
export type LeaderboardRow = z.infer<typeof LeaderboardRow>;

export const SuiteRunParams = z.object({
  config: SuiteConfig,
  /** Where the config came from (recorded in the run). */
  configFile: z.string().nullable().default(null),
  /** `suite rerun`: the run whose saved config this is (recorded in the new run, compared with it). */
  rerunOf: z.string().nullable().optional(),
});
export type SuiteRunParams = z.infer<typeof SuiteRunParams>;

/** What a run's models were trained on (core/suite/runs/lineage.ts); runs saved before it have none. */
export const SuiteLineage = z.object({
  /** "7d" when the run's filter chose `horizon_days: 7`; null when it did not choose one. */
  horizon: z.string().nullable(),
  featureSetHash: z.string(),
  dataFingerprint: z.string(),
  /** The checkout's commit (dirty: with uncommitted changes); null outside a checkout. */
  git: z.object({ sha: z.string(), dirty: z.boolean() }).nullable(),
});
export type SuiteLineage = z.infer<typeof SuiteLineage>;

export const SuiteRunResult = z.object({
  runId: z.string(),
  runDir: z.string(),
  rows: z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int() }),
  folds: z.number().int().nullable(),
  rankMetric: z.enum(RANK_METRICS),
  leaderboard: z.array(LeaderboardRow),
  /** The config's name and tags (older runs: read from their config_used.json by the listing). */
  name: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  lineage: SuiteLineage.optional(),
  /** The run this one re-ran (`suite rerun`): its saved config on the current data. */
  rerunOf: z.string().nullable().optional(),
  /** The registry ids its models got (`suite_7d_ridge@v3`), written by the owner when the run finished. */
  registered: z.array(z.string()).optional(),
});
export type SuiteRunResult = z.infer<typeof SuiteRunResult>;

/** A registered suite model: `<name>@v<N>`, bound to the run that trained it (immutable; only `active` moves). */
export const SuiteModelSummary = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  runId: z.string(),
  /** The model's name inside its run (ridge, gbdt, …). */
  model: z.string(),
  horizon: z.string().nullable(),
  featureSetHash: z.string(),
  dataFingerprint: z.string(),
  gitCommit: z.string().nullable(),
  rankMetric: z.string(),
  /** The run's validation and test metrics of this model. */
  val: z.record(z.string(), z.number().nullable()),
  test: z.record(z.string(), z.number().nullable()).nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type SuiteModelSummary = z.infer<typeof SuiteModelSummary>;

/** `suite_7d_ridge@v3`, or a name alone (`suite_7d_ridge`: its active version). */
export const SUITE_MODEL_REF = /^(suite_[A-Za-z0-9_]+)(?:@(v[0-9]+))?$/;

/** `suite.embedText`: one table's text column → an .npz (ids, text, text_present) or .npy + ids. */
export const SuiteEmbedTextParams = z.object({
  /** CSV or Parquet. */
  input: z.string().min(1),
  column: z.string().min(1),
  idColumn: z.string().default('video_id'),
  model: z.string().min(1),
  /** .npz (arrays ids, text, text_present) or .npy (matrix; ids beside it as <name>.ids.txt). */
  out: z.string().regex(/\.(npz|npy)$/i, 'an .npz or .npy file'),
  /** Replace files already there (the .npz/.npy and its ids); without it an existing file is refused. */
  overwrite: z.boolean().default(false),
  batchSize: z.number().int().min(1).default(32),
});
export type SuiteEmbedTextParams = z.infer<typeof SuiteEmbedTextParams>;

export const SuiteEmbedTextResult = z.object({
  out: z.string(),
  idsFile: z.string().nullable(),
  rows: z.number().int(),
  dim: z.number().int(),
  present: z.number().int(),
  computed: z.number().int(),
  cached: z.number().int(),
  model: z.object({ dir: z.string(), identity: z.string() }),
});
export type SuiteEmbedTextResult = z.infer<typeof SuiteEmbedTextResult>;

/** `suite.score`: one saved run model over every video of a metadata table → a predictions CSV. */
export const SuiteScoreParams = z.object({
  /** With a run's model name; absent when `model` is a registry id (`suite_7d_ridge@v3`). */
  runId: z.string().min(1).optional(),
  model: z.string().min(1),
  /** CSV or Parquet with the videos to score (the run's dedupe applies, not its filter). */
  metadata: z.string().min(1),
  /** Where their embeddings are (default: the run's embeddings file). */
  embeddings: z.object({ path: z.string().min(1), ids: z.string().optional(), key: z.string().optional() }).optional(),
  /** `video_id, y_pred, views_pred, error`. */
  out: z.string().regex(/\.csv$/i, 'a .csv file'),
  /** Replace a file already at `out`; without it an existing file is refused. */
  overwrite: z.boolean().default(false),
});
export type SuiteScoreParams = z.infer<typeof SuiteScoreParams>;

export const SuiteScoreResult = z.object({
  runId: z.string(),
  model: z.string(),
  /** The registry id the model was named by, when it was. */
  registryId: z.string().nullable().optional(),
  out: z.string(),
  scored: z.number().int(),
  failed: z.number().int(),
});
export type SuiteScoreResult = z.infer<typeof SuiteScoreResult>;
