import { z } from 'zod';
import { FramesSampleParams, FramesSampleResult, MediaImportParams, MediaImportResult } from './media';
import { FinetuneParams, FinetuneResult } from './finetune';
import { InferParams, InferResult } from './infer';
import { SuiteEmbedTextParams, SuiteEmbedTextResult, SuiteRunParams, SuiteRunResult, SuiteScoreParams, SuiteScoreResult } from './suite';
import { AnnotationsImportInput, AnnotationsImportJobResult } from './annotations';
import {
  ModelsExportParams,
  ModelsExportResult,
  ModelsImportParams,
  ModelsImportResult,
  ModelsPredictParams,
  ModelsPredictResult,
} from './models';
import { AnalysesImportInput, AnalysesImportJobResult } from './preference';
import { AnalysisRunParams, AnalysisRunResult } from './analysis';
import { PreferenceTrainParams, PreferenceTrainResult } from './preferenceWorkflow';

/**
 * Job kinds: each declares its parameters and result once. The supervisor, the API and the
 * CLI are generic over this map; the implementation lives in src/main/core/jobs/kinds.ts.
 */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

/** Statuses in which a job can never change again unless resumed. */
export const FINISHED_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export const IntegrityParams = z.object({
  /** Also hash every stored file (the default); false checks the database only. */
  hashFiles: z.boolean().default(true),
});

export const IntegrityReport = z.object({
  ok: z.boolean(),
  schemaVersion: z.number().int(),
  database: z.object({ ok: z.boolean(), messages: z.array(z.string()) }),
  foreignKeys: z.object({
    ok: z.boolean(),
    violations: z.array(z.object({ table: z.string(), rowid: z.number().nullable(), parent: z.string() })),
  }),
  files: z.object({
    total: z.number().int(),
    checked: z.number().int(),
    ok: z.number().int(),
    bytes: z.number().int(),
    missing: z.array(z.string()),
    mismatched: z.array(z.object({ path: z.string(), expected: z.string(), actual: z.string() })),
  }),
  /**
   * Files under the files folder that no table registers ("orphans"): listed, never deleted by
   * the check. null when the files were not checked (hashFiles false).
   */
  unregistered: z
    .object({
      count: z.number().int(),
      bytes: z.number().int(),
      /** The first 1000, sorted (count is exact). */
      paths: z.array(z.string()),
      /** Temporary files of jobs: in progress, or left by interrupted ones (the next start-up removes those). */
      temporary: z.number().int(),
    })
    .nullable(),
});
export type IntegrityReport = z.infer<typeof IntegrityReport>;

export const jobKinds = {
  'workspace.integrity': {
    title: 'Workspace integrity check',
    description: 'Verifies the database and the hash of every stored file.',
    params: IntegrityParams,
    result: IntegrityReport,
    resumable: true,
  },
  'annotations.import': {
    title: 'Import annotations',
    description:
      "Reads the lab's annotations.csv and writes all of it, or with any bad row nothing; an older file never replaces newer codes unless asked.",
    params: AnnotationsImportInput,
    result: AnnotationsImportJobResult,
    resumable: false,
  },
  'media.import': {
    title: 'Import videos',
    description: 'Probes, hashes and records video files (mp4, mov, webm, mkv) from files or folders.',
    params: MediaImportParams,
    result: MediaImportResult,
    resumable: false,
  },
  'frames.sample': {
    title: 'Sample frames',
    description: 'Picks timestamps per video and extracts each new frame and its thumbnail once.',
    params: FramesSampleParams,
    result: FramesSampleResult,
    resumable: false,
  },
  'models.import': {
    title: 'Import a model',
    description: 'Reads .pth or safetensors weights, checks them against ResNet-50 and the classes, and stores them as safetensors.',
    params: ModelsImportParams,
    result: ModelsImportResult,
    resumable: false,
  },
  'models.predict': {
    title: 'Predict images',
    description: "Runs a model on images with ONNX Runtime (CUDA when present) and returns each image's class probabilities.",
    params: ModelsPredictParams,
    result: ModelsPredictResult,
    resumable: false,
  },
  'models.export': {
    title: 'Export a model',
    description: "Writes a model as .pth (for the lab's scripts), safetensors with its sidecar, or ONNX.",
    params: ModelsExportParams,
    result: ModelsExportResult,
    resumable: false,
  },
  'finetune.run': {
    title: 'Fine-tune a model',
    description:
      'Cross-validates the fine-tuning recipe on a gold snapshot, compares the new version with its base on the same folds, and saves it only if it is better.',
    params: FinetuneParams,
    result: FinetuneResult,
    resumable: true,
  },
  'infer.run': {
    title: 'Batch inference',
    description:
      'Runs the frame classifiers over a folder of videos into per-frame and per-video prediction CSVs; resumes from its output folder.',
    params: InferParams,
    result: InferResult,
    resumable: true,
  },
  'suite.run': {
    title: 'Train a model suite',
    description:
      "Loads a metadata table and embeddings, splits them leakage-safely, trains the suite's models and writes an immutable run folder with its leaderboard.",
    params: SuiteRunParams,
    result: SuiteRunResult,
    resumable: false,
  },
  'suite.embedText': {
    title: 'Embed text',
    description:
      "Embeds a table's text column (e.g. titles) with a local sentence-transformer folder, reusing cached vectors, into an .npz or .npy with ids.",
    params: SuiteEmbedTextParams,
    result: SuiteEmbedTextResult,
    resumable: false,
  },
  'preference.analyses.import': {
    title: 'Import video analyses',
    description:
      "Reads the lab's analyses (a .json file per video, a .jsonl file, or a folder of them); each file imports whole or not at all, every copy is kept and the newest of a version is current.",
    params: AnalysesImportInput,
    result: AnalysesImportJobResult,
    resumable: false,
  },
  'preference.train': {
    title: 'Train a preference model',
    description:
      "Evaluates a model of the owner's ratings (80/20 hold-out, 5-fold CV with selection inside every fold), fits it on every eligible rating and registers it as the next preference@v version; it is activated only when asked and advised.",
    params: PreferenceTrainParams,
    result: PreferenceTrainResult,
    resumable: false,
  },
  'analysis.run': {
    title: 'Run an outcome analysis',
    description:
      'Fits the log-OLS models (main, focal interactions, the exploratory pairwise screen), simple slopes, count models, GBM with partial dependence, LASSO and the model comparison on a video-level table, and writes an immutable run folder.',
    params: AnalysisRunParams,
    result: AnalysisRunResult,
    resumable: false,
  },
  'suite.score': {
    title: 'Score videos',
    description:
      'Scores every video of a metadata table with a saved suite model into a predictions CSV (video_id, y_pred, views_pred, error).',
    params: SuiteScoreParams,
    result: SuiteScoreResult,
    resumable: false,
  },
} as const;

export type JobKind = keyof typeof jobKinds;
export const JOB_KIND_NAMES = Object.keys(jobKinds) as [JobKind, ...JobKind[]];
export type JobParams<K extends JobKind> = z.infer<(typeof jobKinds)[K]['params']>;
export type JobResult<K extends JobKind> = z.infer<(typeof jobKinds)[K]['result']>;

export const JobProgress = z.object({
  fraction: z.number().min(0).max(1),
  stage: z.string(),
  etaS: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobSummary = z.object({
  id: z.string(),
  kind: z.enum(JOB_KIND_NAMES),
  title: z.string(),
  status: JobStatus,
  progress: JobProgress,
  params: z.unknown(),
  result: z.unknown().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  resumable: z.boolean(),
  attempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** When the row last changed: a UI keeps the newest of a response and an event. */
  updatedAt: z.string(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export const JobLogLine = z.object({
  at: z.string(),
  level: z.enum(LOG_LEVELS),
  message: z.string(),
});
export type JobLogLine = z.infer<typeof JobLogLine>;

/**
 * A paused job is a resumable job stopped on request, its checkpoint kept: status `cancelled`
 * with this error code (no new status, so the jobs table and its readers are unchanged).
 */
export const PAUSED_CODE = 'PAUSED' as const;
export const isPaused = (job: Pick<JobSummary, 'status' | 'error'>): boolean =>
  job.status === 'cancelled' && job.error?.code === PAUSED_CODE;
