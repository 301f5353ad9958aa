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

/**
 * One (frame, coder, dimension) whose code in the file differs from the home's. An older file
 * never silently replaces a newer code: where the home's code was coded after the file's row
 * (its coded_at, or the file's modification time for a row without one) the home's code is
 * kept, unless the import asks for `replaceNewer`.
 */
export const ChangedCode = z.object({
  /** The file's row (1 = the first after the header). */
  row: z.number().int(),
  frameId: z.string(),
  coderId: z.string(),
  dimension: z.string(),
  /** The home's code before the import. */
  from: z.string(),
  /** The file's value. */
  to: z.string(),
  /** When the home's code was coded. */
  currentCodedAt: z.string(),
  /** When the file says its value was coded (coded_at, else the file's modification time). */
  fileCodedAt: z.string(),
  /** replaced: the code is now `to`; kept: it stays `from` (it is newer than the file's). */
  outcome: z.enum(['replaced', 'kept']),
});
export type ChangedCode = z.infer<typeof ChangedCode>;

/** At most this many changed codes are listed (the counts cover all of them). */
export const CHANGED_CODES_LISTED = 1000;

export const ChangedCodes = z.object({
  replaced: Count,
  /** Kept because the home's code is newer than the file's. */
  kept: Count,
  /** The first CHANGED_CODES_LISTED, in file order. */
  list: z.array(ChangedCode),
});
export type ChangedCodes = z.infer<typeof ChangedCodes>;

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
  /** Codes the file holds a different value for than the home: replaced, or kept because the home's is newer. */
  changedCodes: ChangedCodes,
  /** Non-empty means nothing was imported. */
  errors: z.array(AnnotationsError),
});
export type AnnotationsImportReport = z.infer<typeof AnnotationsImportReport>;

/**
 * What the import job hands the owner: the file read and checked, compared with the home as
 * the job saw it, as the writes still to make, and the images it copied under temporary
 * names. Only the owner writes (one transaction), and it looks again at every code changed
 * since the job's look (`historyMark`). The job's stored result is the report alone. Entries
 * are tuples, so a large file's plan stays small.
 */
/** [row, frameId, videoId, tenths]: a frame the home did not have. */
export type PlanFrame = [number, string, string, number];
/** [frameId, coderId, overlap 0|1]: an assignment to add, or to widen to the overlap set. */
export type PlanAssignment = [string, string, number];
/**
 * [row, frameId, coderId, dimension index, categoryId, value, at, home's categoryId or null,
 * home's value or null, home's coded_at or null]: a cell whose value the home does not hold.
 * `at` is the row's coded_at, or the file's modification time for a row without one.
 */
export type PlanCode = [number, string, string, number, number, string, string, number | null, string | null, string | null];
/** [row, frameId, coderId, dimension index]: a blank cell where the home has no code. */
export type PlanBlank = [number, string, string, number];
export interface StagedImage {
  frameId: string;
  /** Final place, relative to the files dir. */
  path: string;
  /** Where the job copied it, relative to the files dir. */
  tmp: string;
  sha256: string;
  size: number;
}
export interface AnnotationsImportPlan {
  fileName: string;
  /** Replace codes even where the home's is newer (the input's replaceNewer). */
  replaceNewer: boolean;
  /** The codebook's dimensions when the file was read; codes and blanks index them. */
  dimensions: string[];
  /** The last code_history id the job saw: codes with later entries changed since. */
  historyMark: number;
  coders: string[];
  videos: string[];
  frames: PlanFrame[];
  assignments: PlanAssignment[];
  codes: PlanCode[];
  blanks: PlanBlank[];
  images: StagedImage[];
}

const isPlan = (v: unknown): v is AnnotationsImportPlan => {
  const p = v as AnnotationsImportPlan;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.fileName === 'string' &&
    typeof p.replaceNewer === 'boolean' &&
    typeof p.historyMark === 'number' &&
    [p.dimensions, p.coders, p.videos, p.frames, p.assignments, p.codes, p.blanks, p.images].every(Array.isArray) &&
    p.codes.every((c) => Array.isArray(c) && c.length === 10) &&
    p.frames.every((f) => Array.isArray(f) && f.length === 4)
  );
};

/** The job's result: the report, and the plan the owner writes (then drops). */
export const AnnotationsImportJobResult = AnnotationsImportReport.extend({
  plan: z.custom<AnnotationsImportPlan>(isPlan, 'a malformed annotations import plan').optional(),
});

/** `old=new`: a value that is not a category becomes `new` in every dimension where `new` is one. */
export const CategoryMapping = z.string().regex(/^[^=]+=[^=]+$/, 'a mapping is old=new');

export const AnnotationsImportInput = z.strictObject({
  /** An absolute path on the machine running core. */
  file: z.string().min(1),
  /** A folder of `<frame_id>.jpg|png` images to link to the file's frames. */
  framesDir: z.string().min(1).optional(),
  map: z.array(CategoryMapping).optional(),
  /** Replace codes even where the home's code is newer than the file's (listed as replaced). */
  replaceNewer: z.boolean().optional(),
});
export type AnnotationsImportInput = z.infer<typeof AnnotationsImportInput>;

export const RecodeEntry = z.object({
  frameId: z.string(),
  coderId: z.string(),
  dimension: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});
export type RecodeEntry = z.infer<typeof RecodeEntry>;

export const RecodeListInput = z.strictObject({ coderId: CoderId.optional() });
