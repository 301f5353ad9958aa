import { z } from 'zod';
import { CoderId } from './coding';

/**
 * The lab's annotations.csv as the contract sees it: one row per frame × coder with
 * `frame_id, video_id, timestamp_s, coder`, one column per codebook dimension, `coded_at`.
 * An import either applies the whole file or, with any bad row, nothing: its report lists
 * every bad row by number (1 = the first row after the header, 0 = the header) and column.
 */
export const AnnotationsError = z.object({
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
});
export type AnnotationsError = z.infer<typeof AnnotationsError>;

const Count = z.number().int();

export const AnnotationsImportReport = z.object({
  rows: Count,
  frames: Count,
  coders: Count,
  /** Per dimension: cells holding a category. */
  codes: z.record(z.string(), Count),
  /** Per dimension: blank cells (missing codes, never codes). */
  missing: z.record(z.string(), Count),
  /** Open re-code entries for this file's blank cells (a blank whose code exists locally is not one). */
  recodeQueue: Count,
  /** The file's frames that have no image yet. */
  imagesMissing: Count,
  /** Non-empty means nothing was imported. */
  errors: z.array(AnnotationsError),
});
export type AnnotationsImportReport = z.infer<typeof AnnotationsImportReport>;

/** `old=new`: a value that is not a category becomes `new` in every dimension where `new` is one. */
export const CategoryMapping = z.string().regex(/^[^=]+=[^=]+$/, 'a mapping is old=new');

export const AnnotationsImportInput = z.strictObject({
  /** An absolute path on the machine running core. */
  file: z.string().min(1),
  /** A folder of `<frame_id>.jpg|png` images to link to the file's frames. */
  framesDir: z.string().min(1).optional(),
  map: z.array(CategoryMapping).optional(),
});

export const RecodeEntry = z.object({
  frameId: z.string(),
  coderId: z.string(),
  dimension: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});
export type RecodeEntry = z.infer<typeof RecodeEntry>;

export const RecodeListInput = z.strictObject({ coderId: CoderId.optional() });
