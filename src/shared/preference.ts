import { z } from 'zod';

/**
 * The Preferences area as the contract sees it: the lab's deep analyses of videos (one nested
 * JSON per video and analysis version, every imported copy kept, the newest of a version
 * current) and the owner's ratings (0–10 in 0.5 steps, append-only like codes, the latest
 * rated_at of a video × rater current). Both are keyed by the lab's video_id only: a rated or
 * analysed video need not be imported into Framelab.
 */

const Count = z.number().int();

/** The lab's video id: not blank, no spaces around it, no / or \ or control characters (it names files). */
export const PreferenceVideoId = z
  .string()
  .min(1, 'a video_id cannot be empty')
  .max(512, 'a video_id is at most 512 characters')
  .refine((id) => id === id.trim(), 'a video_id has no spaces around it')
  .refine((id) => !/[/\\]/.test(id) && ![...id].some((c) => c.charCodeAt(0) < 0x20), 'a video_id has no / or \\ or control characters');

/** Who rated: letters, digits and . _ @ - (it is a CSV value), like a coder id. */
export const RaterId = z
  .string()
  .min(1, 'a rater cannot be empty')
  .max(200, 'a rater id is at most 200 characters')
  .regex(/^[A-Za-z0-9_.@-]+$/, 'a rater is letters, digits and . _ @ - (e.g. owner or lukas@lab)');

export const RATER_TYPES = ['owner', 'other'] as const;
export const RaterType = z.enum(RATER_TYPES);
export type RaterType = z.infer<typeof RaterType>;

/** A score on the spec's scale: 0 to 10 in steps of 0.5. */
export const Score = z
  .number()
  .min(0, 'a score is 0 to 10')
  .max(10, 'a score is 0 to 10')
  .refine((v) => Number.isInteger(v * 2), 'a score goes in steps of 0.5 (e.g. 7 or 7.5)');

/** The CSV of ratings (import, export and the bucket's ratings.csv), exactly these columns in this order. */
export const RATING_COLUMNS = ['video_id', 'rater', 'rater_type', 'overall', 'hook', 'pacing', 'payoff', 'notes', 'rated_at'] as const;
export const SUB_SCORES = ['hook', 'pacing', 'payoff'] as const;
export type SubScore = (typeof SUB_SCORES)[number];

export const Rating = z.object({
  id: Count,
  videoId: z.string(),
  rater: z.string(),
  raterType: RaterType,
  overall: z.number(),
  hook: z.number().nullable(),
  pacing: z.number().nullable(),
  payoff: z.number().nullable(),
  notes: z.string(),
  /** ISO 8601 (toISOString): when the rater gave it. */
  ratedAt: z.string(),
  /** Where this home got it: saved here, a CSV import, or the bucket. */
  source: z.enum(['app', 'import', 'sync']),
  recordedAt: z.string(),
});
export type Rating = z.infer<typeof Rating>;

export const RatingSaveInput = z.strictObject({
  videoId: PreferenceVideoId,
  rater: RaterId,
  raterType: RaterType,
  overall: Score,
  hook: Score.nullable().default(null),
  pacing: Score.nullable().default(null),
  payoff: Score.nullable().default(null),
  notes: z.string().max(10_000).default(''),
});
export type RatingSaveInput = z.input<typeof RatingSaveInput>;

export const RatingSaved = z.object({
  /** The new current rating of the video by this rater (a new history entry). */
  rating: Rating,
  /** The rating it replaced as current, null for a first rating. */
  previous: Rating.nullable(),
  /** Ratings of this video by this rater in the history, this one included. */
  historyLength: Count,
});
export type RatingSaved = z.infer<typeof RatingSaved>;

export const RATINGS_PAGE_MAX = 1000;

export const RatingsListInput = z.strictObject({
  rater: RaterId.optional(),
  raterType: RaterType.optional(),
  videoId: PreferenceVideoId.optional(),
  limit: z.number().int().min(1).max(RATINGS_PAGE_MAX).default(100),
  offset: z.number().int().min(0).default(0),
});

/** Current ratings (one per video × rater), by video_id then rater. */
export const RatingsPage = z.object({ ratings: z.array(Rating), total: Count, offset: Count });
export type RatingsPage = z.infer<typeof RatingsPage>;

export const RatingQueueInput = z.strictObject({
  rater: RaterId,
  limit: z.number().int().min(1).max(RATINGS_PAGE_MAX).default(50),
  offset: z.number().int().min(0).default(0),
});

export const RatingQueueItem = z.object({
  videoId: z.string(),
  /** Versions of its analysis, highest first (empty: an imported video without analysis). */
  analysisVersions: z.array(z.string()),
  /** Whether it has an analysis of the newest analysis_version (what a model trains on). */
  hasNewestVersion: z.boolean(),
  /** feature_count of its current analysis of that version (null: none, or the field is absent). */
  featureCount: z.number().int().nullable(),
  /** Imported into Framelab (the videos list knows it); with a file to play when hasFile. */
  imported: z.boolean(),
  hasFile: z.boolean(),
  frames: Count,
  /** Current ratings of it by other raters. */
  otherRatings: Count,
});
export type RatingQueueItem = z.infer<typeof RatingQueueItem>;

/**
 * Videos still to rate by one rater: those with an analysis or imported into Framelab, without a
 * current rating by this rater. Order: videos with an analysis of the newest analysis_version
 * first (what the model learns from), then other analysed videos, then imported videos without
 * one; by video_id within each, so a page is stable and the screen resumes where it was.
 */
export const RatingQueuePage = z.object({
  videos: z.array(RatingQueueItem),
  total: Count,
  offset: Count,
  /** The highest analysis_version in natural order (v10 after v9) across all analyses (null: none imported). */
  newestVersion: z.string().nullable(),
  counts: z.object({ candidates: Count, rated: Count, remaining: Count }),
});
export type RatingQueuePage = z.infer<typeof RatingQueuePage>;

export const RatingHistory = z.object({
  videoId: z.string(),
  /** Every rating of the video, newest first. */
  entries: z.array(Rating),
  /** The current rating of each rater, by rater. */
  current: z.array(Rating),
});
export type RatingHistory = z.infer<typeof RatingHistory>;

/** A bad CSV row (1 = the first row after the header; 0 = the header) and column. */
export const RatingsCsvError = z.object({ row: Count, column: z.string(), message: z.string() });
export type RatingsCsvError = z.infer<typeof RatingsCsvError>;

export const RatingsImportInput = z.strictObject({ file: z.string().min(1) });

export const RatingsImportReport = z.object({
  file: z.string(),
  rows: Count,
  /** Ratings new to this home. */
  added: Count,
  /** Rows the home already held (the same rating, to the letter). */
  unchanged: Count,
  videos: Count,
  raters: Count,
  /** Non-empty means nothing was imported. */
  errors: z.array(RatingsCsvError),
});
export type RatingsImportReport = z.infer<typeof RatingsImportReport>;

export const RatingsExportInput = z.strictObject({
  out: z.string().min(1),
  overwrite: z.boolean().default(false),
  /** Only the current rating of each video × rater (default: every rating, the whole history). */
  current: z.boolean().default(false),
});

export const RatingsExportResult = z.object({ rows: Count, file: z.string(), current: z.boolean() });

export const RatingConflictSide = z.object({
  raterType: RaterType,
  overall: z.number(),
  hook: z.number().nullable(),
  pacing: z.number().nullable(),
  payoff: z.number().nullable(),
  notes: z.string(),
  ratedAt: z.string(),
});
export type RatingConflictSide = z.infer<typeof RatingConflictSide>;

/** A video rated by one rater on both sides since the last sync: both are kept, the newer is current. */
export const RatingConflict = z.object({
  id: Count,
  roundId: Count,
  videoId: z.string(),
  rater: z.string(),
  local: RatingConflictSide,
  remote: RatingConflictSide,
  applied: z.enum(['local', 'remote']),
  detectedAt: z.string(),
});
export type RatingConflict = z.infer<typeof RatingConflict>;

/** Sync of ratings.csv (beside the annotations object): declared with the rest of sync. */
export { RatingsRoundResult, RatingsSyncStatus } from './sync';

// ---------------------------------------------------------------------------------------------
// Analyses.

/** At most this many problems are listed per file (problemCount counts them all). */
export const ANALYSIS_PROBLEMS_LISTED = 100;

export const AnalysisProblem = z.object({
  /** 1-based line in the file (JSONL: the record's line; JSON: where the problem is), null when unknown. */
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  /** The record's field at fault (video_id, analysis_version, analysis, analysis.feature_count), null for syntax. */
  field: z.string().nullable(),
  message: z.string(),
});
export type AnalysisProblem = z.infer<typeof AnalysisProblem>;

export const AnalysisFileOutcome = z.object({
  file: z.string(),
  format: z.enum(['json', 'jsonl']),
  /** imported: every record of the file was taken; refused: nothing from it (see problems). */
  outcome: z.enum(['imported', 'refused']),
  records: Count,
  added: Count,
  unchanged: Count,
  problems: z.array(AnalysisProblem),
  problemCount: Count,
});
export type AnalysisFileOutcome = z.infer<typeof AnalysisFileOutcome>;

/** Over the analyses the import read from its imported files (the analysis's own feature_count field). */
export const FeatureCountSummary = z.object({
  min: z.number().nullable(),
  median: z.number().nullable(),
  max: z.number().nullable(),
  /** Analyses without a feature_count. */
  missing: Count,
});
export type FeatureCountSummary = z.infer<typeof FeatureCountSummary>;

export const AnalysesImportInput = z.strictObject({
  /** An absolute path: a .json file (one video), a .jsonl file (one video a line) or a folder of them. */
  path: z.string().min(1),
});
export type AnalysesImportInput = z.infer<typeof AnalysesImportInput>;

export const AnalysesImportReport = z.object({
  path: z.string(),
  files: z.array(AnalysisFileOutcome),
  filesImported: Count,
  filesRefused: Count,
  /** Records read from the imported files. */
  records: Count,
  /** Distinct video_ids among them. */
  videos: Count,
  /** analysis_version → distinct videos with that version among them. */
  versions: z.record(z.string(), Count),
  /** Copies stored (new, or different from the current analysis of their video and version). */
  added: Count,
  /** Records identical to the current analysis of their video and version: nothing stored. */
  unchanged: Count,
  featureCounts: FeatureCountSummary,
});
export type AnalysesImportReport = z.infer<typeof AnalysesImportReport>;

/**
 * [file index, video_id, analysis_version, content hash, analysis JSON text or null, feature_count
 * or null, source]: a record of an imported file. The text is null when the record was identical
 * to the current analysis when the job looked (the owner checks that it still is).
 */
export type PlannedAnalysis = [number, string, string, string, string | null, number | null, string];
export interface AnalysesImportPlan {
  records: PlannedAnalysis[];
}

const isPlan = (v: unknown): v is AnalysesImportPlan =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as AnalysesImportPlan).records) &&
  (v as AnalysesImportPlan).records.every(
    (r) => Array.isArray(r) && r.length === 7 && typeof r[0] === 'number' && typeof r[3] === 'string',
  );

/** The job's result: the report, and the records the owner writes (then drops). */
export const AnalysesImportJobResult = AnalysesImportReport.extend({
  plan: z.custom<AnalysesImportPlan>(isPlan, 'a malformed analyses import plan').optional(),
});

export const AnalysesSummary = z.object({
  /** Distinct video_ids with any analysis. */
  videos: Count,
  /** Stored copies, history included. */
  copies: Count,
  /** The highest analysis_version in natural order (v10 after v9; the default a model trains on), null when none. */
  newestVersion: z.string().nullable(),
  versions: z.array(z.object({ version: z.string(), videos: Count, lastImportedAt: z.string(), featureCounts: FeatureCountSummary })),
});
export type AnalysesSummary = z.infer<typeof AnalysesSummary>;

export const AnalysisCopy = z.object({
  id: Count,
  version: z.string(),
  contentHash: z.string(),
  featureCount: z.number().int().nullable(),
  source: z.string(),
  importedAt: z.string(),
});
export type AnalysisCopy = z.infer<typeof AnalysisCopy>;

export const AnalysisView = z.object({
  videoId: z.string(),
  /** The current analysis of each version, highest version first. */
  current: z.array(AnalysisCopy.extend({ analysis: z.record(z.string(), z.unknown()) })),
  /** Every stored copy, newest first. */
  history: z.array(AnalysisCopy),
});
export type AnalysisView = z.infer<typeof AnalysisView>;
