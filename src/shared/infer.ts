import { z } from 'zod';
import { ModelId } from './models';

/**
 * The batch inference contract (issue 9): a folder of videos through both frame classifiers
 * into per-frame and per-video CSVs in an output folder, resumable from that folder.
 */
export const InferSampling = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('every'), seconds: z.number().positive().default(1) }),
  z.object({
    kind: z.literal('perVideo'),
    count: z.number().int().positive(),
    random: z.boolean().default(false),
    seed: z.number().int().default(0),
  }),
]);
export type InferSampling = z.infer<typeof InferSampling>;

export const InferShard = z
  .object({ index: z.number().int().min(0), count: z.number().int().positive() })
  .refine((s) => s.index < s.count, 'A shard is K/N with 0 ≤ K < N.');
export type InferShard = z.infer<typeof InferShard>;

export const InferParams = z.object({
  /** A local folder (searched recursively for mp4, mov, webm, mkv) or gs://BUCKET/PREFIX (Sync settings' credentials). */
  videos: z.string().min(1),
  models: z.array(ModelId).min(1),
  sampling: InferSampling.default({ kind: 'every', seconds: 1 }),
  /** Videos probed and decoded at once (ffmpeg processes): I/O and decoding overlap the model. */
  workers: z.number().int().positive().default(4),
  /**
   * ONNX Runtime's threads per model call; unset = every core. Measured on 2 cores with 2
   * decoding workers (bench/inferPipeline.ts): 1 thread left the decoders a core but ran the
   * model ~1.6× slower, 4.1 against 4.5 frames/s end to end. Set it lower to leave cores to
   * other work on a shared machine.
   */
  modelThreads: z.number().int().positive().optional(),
  /** Frames per ONNX Runtime call. */
  batchSize: z.number().int().positive().default(16),
  /** Finished videos are saved to the output folder every N videos. */
  checkpointEvery: z.number().int().positive().default(500),
  shard: InferShard.nullable().default(null),
  /** Discard what the output folder holds and start over (with a bucket target, the earlier run's objects there are deleted). */
  fresh: z.boolean().default(false),
  /**
   * The output folder (its manifest and parts are the run's state), or gs://BUCKET/PREFIX: the
   * bucket is then the output, the state is staged in the home (cache/infer-out) and copied to
   * the bucket at each checkpoint, and the same params resume from the bucket on a machine with
   * an empty disk (spot VMs).
   */
  outDir: z.string().min(1),
  /**
   * gs://BUCKET/PREFIX: a copy of the run's state (manifest, parts) and the CSVs so far, uploaded
   * at each checkpoint and at the end; a run with the same params restores the bucket's parts
   * first, so it resumes elsewhere too. With a gs:// outDir it may only name the same place.
   */
  uploadTo: z
    .string()
    .regex(/^gs:\/\/[^/]+/, 'uploadTo is gs://BUCKET/PREFIX')
    .optional(),
  /** Keep bucket videos in the home's cache after use (by default a video downloaded by this run is deleted once its frames are decoded). */
  keepCache: z.boolean().optional(),
});
export type InferParams = z.infer<typeof InferParams>;

/** Where a run's time went (core/infer/runAccounting.ts): what each stage worked and waited, and what bounded it. */
export const InferTimings = z.object({
  frames: z.number().int(),
  seconds: z.number(),
  endToEndFps: z.number(),
  modelOnlyFps: z.number(),
  workers: z.number().int(),
  bound: z.enum(['model', 'decode', 'resize', 'probe', 'download']),
  modelBusyMs: z.number(),
  modelIdleMs: z.number(),
  decodeWaitMs: z.number(),
  ffmpegCpuMs: z.number(),
  probeMs: z.number(),
  downloadMs: z.number(),
  resizeMs: z.number(),
  queueFullMs: z.number(),
  queueWaitPerFrameMs: z.number(),
  passes: z.number().int(),
  seeks: z.number().int(),
  segments: z.number().int(),
  perFrame: z.number().int(),
});
export type InferTimings = z.infer<typeof InferTimings>;

/** What bounded a run and what would help: the closing log line and the Inference screen say the same. */
export const RUN_BOUND: Record<InferTimings['bound'], { what: string; why: string }> = {
  model: { what: 'the model', why: 'busy most of the run; faster decoding would not help' },
  decode: { what: 'decoding', why: 'the model waited for frames; more --workers, hardware decoding or fewer frames would help' },
  resize: { what: 'resize + normalise', why: 'the model waited for frames; build the image addon: npm run build:native' },
  probe: { what: 'probing the files', why: 'many short videos?' },
  download: { what: 'downloading the videos', why: 'the model waited for the bucket' },
};

export const InferResult = z.object({
  /** This run's frames (none when every video was already done). */
  timings: InferTimings.nullable().optional(),
  videos: z.number().int(),
  frames: z.number().int(),
  errors: z.number().int(),
  /** The output folder, or the gs:// URL of a bucket output. */
  outDir: z.string(),
  /** Videos already done in the output folder (or the bucket) when this run started (0 on a fresh run). */
  resumedFrom: z.number().int(),
});
export type InferResult = z.infer<typeof InferResult>;

/** What a resumed job keeps: only for the jobs panel; the output folder is the real state. */
export const InferCheckpoint = z.object({ videosDone: z.number().int() });
export type InferCheckpoint = z.infer<typeof InferCheckpoint>;
