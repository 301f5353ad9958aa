import { z } from 'zod';
import { AnnotationsSource } from './sync';

/** Disagreements, the lead's adjudication, and the versioned gold set models train on. */
export const Disagreement = z.object({
  frameId: z.string(),
  videoId: z.string(),
  timestampS: z.number(),
  image: z.string().nullable(),
  /** coder id → category value, for every coder who coded this frame on the dimension. */
  codes: z.record(z.string(), z.string()),
  adjudicated: z.object({ code: z.string(), note: z.string(), decidedAt: z.string(), decidedBy: z.string().nullable() }).nullable(),
});
export type Disagreement = z.infer<typeof Disagreement>;

export const GoldSource = z.enum(['agreed', 'adjudicated']);

export const GoldSnapshotSummary = z.object({
  id: z.string(),
  dimension: z.string(),
  createdAt: z.string(),
  codebookVersion: z.number().int(),
  frames: z.number().int(),
  /** Frames per class, in codebook order. */
  byClass: z.record(z.string(), z.number().int()),
  bySource: z.object({ agreed: z.number().int(), adjudicated: z.number().int() }),
  imagesMissing: z.number().int(),
  /** Where the snapshot's annotations came from; null for snapshots taken before sync existed. */
  annotationsSource: AnnotationsSource.nullable(),
});
export type GoldSnapshotSummary = z.infer<typeof GoldSnapshotSummary>;

export const Coverage = z.object({
  dimension: z.string(),
  overlapFrames: z.number().int(),
  codedByAll: z.number().int(),
  missingByCoder: z.record(z.string(), z.number().int()),
  inRecodeQueue: z.record(z.string(), z.number().int()),
  byDate: z.array(z.object({ date: z.string(), compared: z.number().int(), agreed: z.number().int() })),
});
export type Coverage = z.infer<typeof Coverage>;
