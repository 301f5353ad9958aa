import { z } from 'zod';
import { InferSampling, InferShard } from './infer';
import { JobStatus } from './jobs';

/**
 * What the Inference screens read from an output folder (issue 9, item 5): the run in brief,
 * the class distribution per model, per-video rows, a video's frames, and the errors. The
 * folder is the truth (infer-manifest.json + parts, or the CSVs of a merged run).
 */

export const InferModelInfo = z.object({ id: z.string(), dimension: z.string(), classes: z.array(z.string()) });
export type InferModelInfo = z.infer<typeof InferModelInfo>;

export const InferRunOverview = z.object({
  outDir: z.string(),
  models: z.array(InferModelInfo),
  sampling: InferSampling,
  shard: InferShard.nullable(),
  /** True once the CSVs hold every saved video (the run ended); false while running or after a stop. */
  complete: z.boolean(),
  /** Where the rows come from: the saved parts (always, when present) or the CSVs of a merged folder. */
  source: z.enum(['parts', 'csv']),
  /** Videos read (with their frames) and videos that could not be read. */
  videos: z.number().int(),
  frames: z.number().int(),
  errors: z.number().int(),
  /** The latest infer.run job that wrote this folder, if this home ran it. */
  job: z.object({ id: z.string(), status: JobStatus }).nullable(),
});
export type InferRunOverview = z.infer<typeof InferRunOverview>;

export const ClassCount = z.object({ name: z.string(), frames: z.number().int(), videos: z.number().int() });
export const ModelDistribution = z.object({ dimension: z.string(), modelId: z.string(), classes: z.array(ClassCount) });
export type ModelDistribution = z.infer<typeof ModelDistribution>;

export const InferVideoRow = z.object({
  videoId: z.string(),
  nFrames: z.number().int(),
  /** Per dimension: the majority class and the share of frames that voted for it. */
  models: z.record(z.string(), z.object({ pred: z.string(), share: z.number() })),
});
export type InferVideoRow = z.infer<typeof InferVideoRow>;

export const InferErrorRow = z.object({ videoId: z.string(), path: z.string(), stage: z.string(), reason: z.string() });
export type InferErrorRow = z.infer<typeof InferErrorRow>;

export const InferResultsInput = z.strictObject({
  outDir: z.string().trim().min(1),
  /** Case-insensitive substring of the video id. */
  search: z.string().default(''),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});

export const InferResultsView = z.object({
  overview: InferRunOverview,
  distribution: z.array(ModelDistribution),
  /** The page of videos matching the search, and how many match in all. */
  videos: z.object({ rows: z.array(InferVideoRow), total: z.number().int(), offset: z.number().int() }),
  /** The first 500 errors (errors.csv holds them all). */
  errorRows: z.array(InferErrorRow),
});
export type InferResultsView = z.infer<typeof InferResultsView>;

export const InferFrameRow = z.object({
  frameId: z.string(),
  timestampS: z.number(),
  models: z.record(z.string(), z.object({ pred: z.string(), conf: z.number(), probabilities: z.array(z.number()) })),
});
export type InferFrameRow = z.infer<typeof InferFrameRow>;

export const InferVideoFrames = z.object({
  videoId: z.string(),
  /** The file or gs:// URL the run read; null when the folder does not record it (merged CSVs). */
  path: z.string().nullable(),
  models: z.array(InferModelInfo),
  frames: z.array(InferFrameRow),
});
export type InferVideoFrames = z.infer<typeof InferVideoFrames>;

export const InferFrameImage = z.object({
  /** data:image/png;base64,… of the frame as the run decoded it (scaled down to maxWidth for display). */
  dataUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  sourceWidth: z.number().int(),
  sourceHeight: z.number().int(),
});
export type InferFrameImage = z.infer<typeof InferFrameImage>;

export const InferExportResult = z.object({
  files: z.array(z.object({ name: z.string(), file: z.string(), bytes: z.number().int() })),
  /** Files that existed in the destination and were replaced (only with overwrite). */
  replaced: z.array(z.string()),
});
export type InferExportResult = z.infer<typeof InferExportResult>;

export const InferOutputFolder = z.object({
  outDir: z.string(),
  /** The latest infer.run job that wrote it. */
  jobId: z.string(),
  status: JobStatus,
  createdAt: z.string(),
  videos: z.string(),
  models: z.array(z.string()),
  /** Whether the folder still holds a run (its manifest). */
  exists: z.boolean(),
});
export type InferOutputFolder = z.infer<typeof InferOutputFolder>;
