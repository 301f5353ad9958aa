import { z } from 'zod';

/**
 * Two-way sync of the lab's annotations.csv with a Cloud Storage bucket, as the contract sees
 * it. The bucket is the truth; the local database is a working copy. Credentials are never part
 * of any of these shapes: settings hold at most the PATH of a key file.
 */

/** Why a round could not reach the bucket; each has one message that says what to do. */
export const SYNC_PROBLEMS = [
  'not-configured',
  'no-credentials',
  'bucket-missing',
  'permission-denied',
  'offline',
  'contention',
  'error',
] as const;
export const SyncProblem = z.enum(SYNC_PROBLEMS);
export type SyncProblem = z.infer<typeof SyncProblem>;

const BucketName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'a bucket name is 3–222 lowercase letters, digits, dots, dashes or underscores');
const ObjectPath = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/'), 'an object path has no leading /');
const Prefix = z
  .string()
  .trim()
  .max(1024)
  .refine((p) => !p.startsWith('/'), 'a prefix has no leading /');

const SettingsFields = {
  /** Empty: sync is off. */
  bucket: z.union([BucketName, z.literal('')]),
  object: ObjectPath,
  /** Where the lab's videos are, e.g. `videos/` (optional). */
  videoPrefix: Prefix,
  /** Where frame images `<frame_id>.jpg|png` are, e.g. `frames/` (optional). */
  framesPrefix: Prefix,
  /** A service-account key file PATH; empty: application default credentials. Never its content. */
  keyFile: z.string().trim().max(4096),
  /** Minutes between automatic rounds; 0 turns the interval off. */
  intervalMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  /** A round after each save (when the last round reached the bucket). */
  afterSave: z.boolean(),
};

export const SyncSettings = z.object({
  bucket: SettingsFields.bucket.default(''),
  object: SettingsFields.object.default('annotations.csv'),
  videoPrefix: SettingsFields.videoPrefix.default(''),
  framesPrefix: SettingsFields.framesPrefix.default(''),
  keyFile: SettingsFields.keyFile.default(''),
  intervalMinutes: SettingsFields.intervalMinutes.default(5),
  afterSave: SettingsFields.afterSave.default(true),
});
export type SyncSettings = z.infer<typeof SyncSettings>;

/** A change of settings: the fields given replace the saved ones. */
export const SyncSettingsChange = z.strictObject({
  bucket: SettingsFields.bucket.optional(),
  object: SettingsFields.object.optional(),
  videoPrefix: SettingsFields.videoPrefix.optional(),
  framesPrefix: SettingsFields.framesPrefix.optional(),
  keyFile: SettingsFields.keyFile.optional(),
  intervalMinutes: SettingsFields.intervalMinutes.optional(),
  afterSave: SettingsFields.afterSave.optional(),
});
export type SyncSettingsChange = z.infer<typeof SyncSettingsChange>;

/** The one shared field every output computed from annotations records. */
export const AnnotationsSource = z.object({
  kind: z.enum(['bucket', 'local']),
  /** The object's generation the local copy was last synced with (a string: it exceeds 2^53 on real buckets). */
  generation: z.string().nullable(),
  syncedAt: z.string().nullable(),
  /** Set when the sync run just before this output could not reach the bucket (the output used the local copy): the round's reason. */
  offlineReason: z.string().optional(),
});
export type AnnotationsSource = z.infer<typeof AnnotationsSource>;

export const SyncConflict = z.object({
  frameId: z.string(),
  coder: z.string(),
  dimension: z.string(),
  local: z.string().nullable(),
  remote: z.string().nullable(),
  applied: z.string().nullable(),
});
export type SyncConflict = z.infer<typeof SyncConflict>;

/** What a sync round did with ratings.csv (beside the annotations object). */
export const RatingsRoundResult = z.discriminatedUnion('offline', [
  z.object({
    offline: z.literal(false),
    target: z.string(),
    downloaded: z.number().int(),
    uploaded: z.number().int(),
    /** Ratings taken from the bucket into this home. */
    merged: z.number().int(),
    conflicts: z.number().int(),
    generation: z.string(),
  }),
  z.object({ offline: z.literal(true), target: z.string(), reason: z.string(), problem: SyncProblem }),
]);
export type RatingsRoundResult = z.infer<typeof RatingsRoundResult>;

export const RatingsSyncStatus = z.object({
  target: z.string(),
  state: z.enum(['never', 'synced', 'offline']),
  lastSyncedAt: z.string().nullable(),
  generation: z.string().nullable(),
  message: z.string().nullable(),
  /** Ratings saved or imported here and not in the bucket yet. */
  pendingEdits: z.number().int(),
});
export type RatingsSyncStatus = z.infer<typeof RatingsSyncStatus>;

/** What `framelab sync --json` prints after a round that reached the bucket. */
export const SyncRoundResult = z.object({
  /** Data rows in the object as downloaded. */
  downloaded: z.number().int(),
  /** Data rows uploaded (0: nothing changed, no upload). */
  uploaded: z.number().int(),
  /** Codes taken from the bucket into the local store. */
  merged: z.number().int(),
  conflicts: z.array(SyncConflict),
  generation: z.string(),
  offline: z.literal(false),
  /** The owner's ratings.csv beside the object, synced after it; absent while neither side has a rating. */
  ratings: RatingsRoundResult.optional(),
});
export type SyncRoundResult = z.infer<typeof SyncRoundResult>;

export const SyncOffline = z.object({ offline: z.literal(true), reason: z.string(), problem: SyncProblem });
export type SyncOffline = z.infer<typeof SyncOffline>;

export const SyncRunOutput = z.discriminatedUnion('offline', [SyncRoundResult, SyncOffline]);
export type SyncRunOutput = z.infer<typeof SyncRunOutput>;

export const SyncRound = z.object({
  id: z.number().int(),
  target: z.string(),
  trigger: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: z.enum(['synced', 'offline']),
  problem: SyncProblem.nullable(),
  message: z.string().nullable(),
  rowsIn: z.number().int(),
  rowsOut: z.number().int(),
  merged: z.number().int(),
  conflicts: z.number().int(),
  attempts: z.number().int(),
  generation: z.string().nullable(),
});
export type SyncRound = z.infer<typeof SyncRound>;

export const SyncStatus = z.object({
  /** off: no bucket set; syncing: a round runs; synced: the last round reached the bucket; offline: it did not. */
  state: z.enum(['off', 'syncing', 'synced', 'offline', 'never']),
  target: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  generation: z.string().nullable(),
  /** The first failed round since the last success. */
  offlineSince: z.string().nullable(),
  problem: SyncProblem.nullable(),
  message: z.string().nullable(),
  openConflicts: z.number().int(),
  /** Local code edits not in the bucket yet. */
  pendingEdits: z.number().int(),
  source: AnnotationsSource,
  /** ratings.csv beside the object; absent while sync is off or neither side has a rating. */
  ratings: RatingsSyncStatus.optional(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const ConflictEntry = SyncConflict.extend({
  id: z.number().int(),
  roundId: z.number().int(),
  localAt: z.string().nullable(),
  remoteAt: z.string().nullable(),
  detectedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedValue: z.string().nullable(),
  /** The code as it stands now. */
  current: z.string().nullable(),
});
export type ConflictEntry = z.infer<typeof ConflictEntry>;

export const ConnectionTest = z.object({
  ok: z.boolean(),
  problem: SyncProblem.nullable(),
  message: z.string(),
  /** Where the credentials came from (a path or "application default credentials"), never what they are. */
  credentials: z.string().nullable(),
  object: z.object({ exists: z.boolean(), generation: z.string().nullable(), size: z.number().int().nullable() }).nullable(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;

export const BucketEntry = z.object({
  name: z.string(),
  size: z.number().int(),
  md5: z.string().nullable(),
  crc32c: z.string().nullable(),
  updated: z.string().nullable(),
  /** Frames: the frame id the name gives (`<frame_id>.jpg|png`); null for videos. */
  frameId: z.string().nullable(),
  /** The verified local copy, when there is one. */
  cached: z.boolean(),
  /** Frames: whether this frame is known locally (e.g. from imported annotations). */
  known: z.boolean(),
});
export type BucketEntry = z.infer<typeof BucketEntry>;

export const BucketKind = z.enum(['videos', 'frames']);
