import { z } from 'zod';

/**
 * Video import and frame sampling: the job parameters and results (registered in jobs.ts)
 * and the list outputs (registered in api.ts). Items carry what the owner needs to write
 * them (hash, size, files); the CLI prints the public part.
 */

/** A lab id: used in file names under the home, so no path separators and no leading dot. */
export const VideoId = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => !/[/\\]/.test(id) && !id.includes('\0') && !id.startsWith('.') && id.trim() === id, {
    message: 'a video id may not contain / or \\, start with a dot, or start or end with spaces',
  });

export const MediaImportParams = z.object({
  /** Files or folders (scanned recursively for mp4, mov, webm, mkv). */
  paths: z.array(z.string().min(1)).min(1),
  /** External ids for some paths (path as given → video id); the default is the file name without extension. */
  videoIds: z.record(z.string(), VideoId).optional(),
});
export type MediaImportParams = z.infer<typeof MediaImportParams>;

export const ImportedVideo = z.object({
  videoId: z.string(),
  path: z.string(),
  durationS: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
  codec: z.string(),
  contentHash: z.string().length(64),
  sizeBytes: z.number().int(),
  /** The content was already known under this id (no new row). */
  existing: z.boolean(),
  /** The known video's recorded file is gone: this path replaces it. */
  relocated: z.boolean(),
});
export type ImportedVideo = z.infer<typeof ImportedVideo>;

export const ImportError = z.object({ path: z.string(), message: z.string() });
export type ImportError = z.infer<typeof ImportError>;

export const MediaImportResult = z.object({
  imported: z.array(ImportedVideo),
  errors: z.array(ImportError),
});
export type MediaImportResult = z.infer<typeof MediaImportResult>;

export const SamplingStrategy = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('every'), seconds: z.number().min(0.1).max(86_400) }),
  z
    .strictObject({
      kind: z.literal('perVideo'),
      count: z.number().int().min(1).max(100_000),
      random: z.boolean().optional(),
      seed: z.number().int().min(0).max(0xffffffff).optional(),
    })
    .refine((s) => s.random || s.seed === undefined, { message: 'a seed only applies to random sampling' }),
  /** The frames a video already has (e.g. from an annotations file): extract the images they lack. */
  z.strictObject({ kind: z.literal('existing') }),
]);
export type SamplingStrategy = z.infer<typeof SamplingStrategy>;

export const FramesSampleParams = z.object({
  strategy: SamplingStrategy,
  /** Videos to sample; all imported videos when absent. */
  videoIds: z.array(z.string().min(1)).min(1).optional(),
});
export type FramesSampleParams = z.infer<typeof FramesSampleParams>;

const FrameFile = z.object({ path: z.string(), tmp: z.string(), sha256: z.string().length(64), size: z.number().int() });

export const SampledFrame = z.object({
  frameId: z.string(),
  videoId: z.string(),
  timestampS: z.number(),
  /** The frame had no row before this job. */
  created: z.boolean(),
  /** Extracted by this job (null: the frame already had its image). */
  image: FrameFile.nullable(),
  thumb: FrameFile.nullable(),
});
export type SampledFrame = z.infer<typeof SampledFrame>;

export const FramesSampleResult = z.object({
  sampled: z.number().int(),
  new: z.number().int(),
  frames: z.array(SampledFrame),
});
export type FramesSampleResult = z.infer<typeof FramesSampleResult>;

export const VideoSummary = z.object({
  videoId: z.string(),
  path: z.string().nullable(),
  durationS: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  fps: z.number().nullable(),
  codec: z.string().nullable(),
  contentHash: z.string().nullable(),
  frameCount: z.number().int(),
});
export type VideoSummary = z.infer<typeof VideoSummary>;

export const FrameSummary = z.object({
  frameId: z.string(),
  videoId: z.string(),
  timestampS: z.number(),
  /** Stored paths, relative to the home's files folder; null until extracted. */
  image: z.string().nullable(),
  thumb: z.string().nullable(),
});
export type FrameSummary = z.infer<typeof FrameSummary>;
