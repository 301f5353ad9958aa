import path from 'node:path';
import { RATING_COLUMNS, type RatingConflict, type RatingConflictSide } from '../../../shared/preference';
import type { RatingsRoundResult, RatingsSyncStatus } from '../../../shared/sync';
import { writeCsv } from '../annotations/csv';
import { neutraliseFormula } from '../annotations/csvForPeople';
import { cached, type Db } from '../db/open';
import { SyncFailure } from '../sync/failure';
import type { SyncService } from '../sync/service';
import type { RemoteText } from '../sync/gcs';
import { readSyncState, recordSyncedRound, saveSyncState, type SyncedObject, type SyncStateRow } from '../sync/round';
import { targetOf } from '../sync/settings';
import { entryHash, insertRating, valuesOf, type RatingRow, type RatingValues } from './ratings';
import { parseRatingsCsv, ratingCells } from './ratingsCsv';

/**
 * The owner's ratings in the bucket: `ratings.csv` beside the annotations object (same folder),
 * synced by the same rounds (sync/round.ts: picture, download with generation, merge, upload
 * with ifGenerationMatch, retry on 412, one local transaction). Its format is the ratings CSV
 * of import and export (ratingsCsv.ts): every rating, the whole history.
 *
 * The merge rules are the annotations' rules for an append-only record: a rating is a fact
 * that never changes (its identity is its values), so the merge is the union of both sides —
 * no rating is ever lost, a rating missing from the bucket is written back, one only in the
 * bucket is taken locally. The current rating of a video × rater is the newest rated_at on
 * every machine (a tie goes to the higher entry hash, so all machines agree). A video rated by
 * the same rater on both sides since the last round is a conflict: both ratings are kept, the
 * newer is current, and the pair is listed for the lead (a new rating settles it). Rows of the
 * bucket's file that are not ratings are kept as they are and named as problems; columns other
 * scripts added are kept row by row; a round where nothing changed uploads nothing.
 */

/** ratings.csv in the annotations object's folder (owner-ratings.csv if that object is itself called ratings.csv). */
export function ratingsObjectFor(annotationsObject: string): string {
  const dir = path.posix.dirname(annotationsObject);
  const object = dir === '.' ? 'ratings.csv' : `${dir}/ratings.csv`;
  return object === annotationsObject ? (dir === '.' ? 'owner-ratings.csv' : `${dir}/owner-ratings.csv`) : object;
}

interface Snapshot {
  mark: number;
  state: SyncStateRow | undefined;
  /** entry hash → values, every local rating. */
  local: Map<string, RatingValues>;
  /** Hashes of ratings saved or imported here since the last round that reached the bucket. */
  edited: Set<string>;
}

/** Ratings saved or imported here (not taken from the bucket). */
const LOCAL_EDIT = `source != 'sync'`;

function snapshot(db: Db, target: string): Snapshot {
  return db.transaction(() => {
    const state = readSyncState(db, target);
    const mark = (cached(db, 'SELECT coalesce(max(id), 0) AS mark FROM preference_ratings').get() as { mark: number }).mark;
    const rows = cached(db, 'SELECT * FROM preference_ratings WHERE id <= ?').all(mark) as RatingRow[];
    const local = new Map<string, RatingValues>();
    const edited = new Set<string>();
    const since = state?.history_mark ?? 0;
    for (const r of rows) {
      local.set(r.entry_hash, valuesOf(r));
      if (r.id > since && r.source !== 'sync') edited.add(r.entry_hash);
    }
    return { mark, state, local, edited };
  })();
}

export interface RatingsConflictFound {
  videoId: string;
  rater: string;
  local: RatingValues;
  remote: RatingValues;
  applied: 'local' | 'remote';
}

export interface RatingsMerge {
  text: string;
  changed: boolean;
  rowsIn: number;
  rowsOut: number;
  /** Ratings only the bucket holds: stored locally. */
  apply: RatingValues[];
  conflicts: RatingsConflictFound[];
  problems: string[];
  /** Neither side holds anything: the round has nothing to record. */
  idle: boolean;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** The order of the current rating: newest rated_at, then the higher entry hash. */
const newer = (a: { values: RatingValues; hash: string }, b: { values: RatingValues; hash: string }) =>
  compare(a.values.ratedAt, b.values.ratedAt) || compare(a.hash, b.hash);

/** The three-way merge of the bucket's ratings.csv (remote), its text after the last round (base) and the local ratings. Pure. */
export function mergeRatings(input: {
  remoteText: string | null;
  baseText: string | null;
  local: ReadonlyMap<string, RatingValues>;
  edited: ReadonlySet<string>;
  label?: string;
}): RatingsMerge {
  const label = input.label ?? 'ratings.csv';
  const problems: string[] = [];
  const remote =
    input.remoteText === null || input.remoteText.trim() === '' ? null : parseRatingsCsv(input.remoteText, { sameTime: 'keep' });
  if (remote && remote.errors.some((e) => e.row === 0)) {
    const header = remote.errors
      .filter((e) => e.row === 0)
      .map((e) => e.message)
      .join(' ');
    throw new SyncFailure(
      'error',
      `The bucket's ${label} is not a ratings CSV: ${header} Fix or move it; this round left the ratings as they were.`,
    );
  }
  for (const e of remote?.errors ?? [])
    problems.push(`bucket ${label} row ${e.row}, ${e.column}: ${e.message} The row stays in the bucket only.`);
  const base = new Set<string>();
  if (input.baseText !== null && input.baseText.trim() !== '') {
    const parsed = input.baseText === input.remoteText && remote ? remote : parseRatingsCsv(input.baseText, { sameTime: 'keep' });
    for (const r of parsed.ratings) base.add(entryHash(r.values));
  }

  // Output columns: the ratings columns, then columns other scripts added (bucket's order and spelling).
  const foreign = (remote?.header ?? [])
    .map((name, i) => ({ name, i, key: name.trim().toLowerCase() }))
    .filter((c) => c.key !== '' && !(RATING_COLUMNS as readonly string[]).includes(c.key) && remote!.index.get(c.key) === c.i);
  const header = [...RATING_COLUMNS, ...foreign.map((c) => c.name)];
  const sourceColumn = header.map((name) => remote?.index.get(name.trim().toLowerCase()));

  type Row = { values: RatingValues; hash: string; cells: string[] };
  const rows = new Map<string, Row>();
  const apply: RatingValues[] = [];
  const remoteNew = new Map<string, Row[]>();
  const group = (v: RatingValues) => `${v.videoId}\u0000${v.rater}`;
  for (const r of remote?.ratings ?? []) {
    const hash = entryHash(r.values);
    if (rows.has(hash)) {
      problems.push(`bucket ${label} row ${r.row}: the same rating twice; written once`);
      continue;
    }
    // A rating nobody changed is written back exactly as it was read.
    const row = { values: r.values, hash, cells: sourceColumn.map((i) => (i === undefined ? '' : (r.record[i] ?? ''))) };
    rows.set(hash, row);
    if (!input.local.has(hash)) {
      apply.push(r.values);
      if (!base.has(hash)) {
        const g = group(r.values);
        remoteNew.set(g, [...(remoteNew.get(g) ?? []), row]);
      }
    }
  }
  const localNew = new Map<string, Row[]>();
  for (const [hash, values] of input.local) {
    if (rows.has(hash)) continue;
    const cells = ratingCells(values);
    cells[RATING_COLUMNS.indexOf('notes')] = neutraliseFormula(cells[RATING_COLUMNS.indexOf('notes')]!);
    const row = { values, hash, cells: [...cells, ...foreign.map(() => '')] };
    rows.set(hash, row);
    if (input.edited.has(hash)) {
      const g = group(values);
      localNew.set(g, [...(localNew.get(g) ?? []), row]);
    }
  }

  const conflicts: RatingsConflictFound[] = [];
  for (const [g, mine] of localNew) {
    const theirs = remoteNew.get(g);
    if (!theirs) continue;
    const l = mine.reduce((a, b) => (newer(a, b) >= 0 ? a : b));
    const r = theirs.reduce((a, b) => (newer(a, b) >= 0 ? a : b));
    conflicts.push({
      videoId: l.values.videoId,
      rater: l.values.rater,
      local: l.values,
      remote: r.values,
      applied: newer(l, r) > 0 ? 'local' : 'remote',
    });
  }

  const ordered = [...rows.values()].sort(
    (a, b) => compare(a.values.videoId, b.values.videoId) || compare(a.values.rater, b.values.rater) || newer(a, b),
  );
  const loose = (remote?.bad ?? []).map(({ record }) => sourceColumn.map((i) => (i === undefined ? '' : (record[i] ?? ''))));
  const records = [header, ...ordered.map((r) => r.cells), ...loose];
  const rowsOut = records.length - 1;
  const text = rowsOut === 0 && input.remoteText === null ? '' : writeCsv(records);
  return {
    text,
    changed: input.remoteText === null ? rowsOut > 0 : text !== input.remoteText,
    rowsIn: remote?.rows ?? 0,
    rowsOut,
    apply,
    conflicts,
    problems,
    idle: input.remoteText === null && input.local.size === 0,
  };
}

const side = (v: RatingValues): RatingConflictSide => ({
  raterType: v.raterType,
  overall: v.overall,
  hook: v.hook,
  pacing: v.pacing,
  payoff: v.payoff,
  notes: v.notes,
  ratedAt: v.ratedAt,
});

/** The result is null for an idle round (neither side holds a rating): nothing recorded. */
export const ratingsObject: SyncedObject<Snapshot, RatingsMerge, RatingsRoundResult | null> = {
  snapshot,
  merge: (snap, remote: RemoteText | null) =>
    mergeRatings({ remoteText: remote?.text ?? null, baseText: snap.state?.base_csv ?? null, local: snap.local, edited: snap.edited }),
  apply(db, input) {
    const { snap, merge } = input;
    if (merge.idle) return { roundId: 0, result: null, applied: 0, problems: [] };
    return db
      .transaction(() => {
        const at = new Date().toISOString();
        // Inserts only: a rating saved here while the round waited on the bucket is another row, never overwritten.
        let applied = 0;
        for (const values of merge.apply) if (insertRating(db, values, 'sync', at)) applied++;
        const roundId = recordSyncedRound(db, {
          target: input.target,
          trigger: input.trigger,
          startedAt: input.startedAt,
          at,
          rowsIn: merge.rowsIn,
          uploaded: input.uploaded,
          merged: applied,
          conflicts: merge.conflicts.length,
          attempts: input.attempts,
          generation: input.generation,
        });
        const addConflict = cached(
          db,
          `INSERT INTO preference_rating_conflicts (round_id, video_id, rater, local, remote, applied, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const c of merge.conflicts)
          addConflict.run(roundId, c.videoId, c.rater, JSON.stringify(side(c.local)), JSON.stringify(side(c.remote)), c.applied, at);
        saveSyncState(db, { target: input.target, generation: input.generation, baseText: input.baseText, mark: snap.mark, at });
        return {
          roundId,
          applied,
          problems: merge.problems,
          result: {
            offline: false as const,
            target: input.target,
            downloaded: merge.rowsIn,
            uploaded: input.uploaded,
            merged: applied,
            conflicts: merge.conflicts.length,
            generation: input.generation,
          },
        };
      })
      .immediate();
  },
};

/** Ratings saved or imported here and not in the bucket yet. */
export function pendingRatings(db: Db, target: string): number {
  const mark = readSyncState(db, target)?.history_mark ?? 0;
  return (cached(db, `SELECT count(*) AS n FROM preference_ratings WHERE id > ? AND ${LOCAL_EDIT}`).get(mark) as { n: number }).n;
}

/** Where the ratings stand against the bucket; null while neither side has any (no round ever recorded, no local rating). */
export function ratingsSyncStatus(db: Db, bucket: string, annotationsObject: string): RatingsSyncStatus | null {
  const target = targetOf(bucket, ratingsObjectFor(annotationsObject));
  const last = cached(db, 'SELECT outcome, message FROM sync_rounds WHERE target = ? ORDER BY id DESC LIMIT 1').get(target) as
    { outcome: 'synced' | 'offline'; message: string | null } | undefined;
  const pending = pendingRatings(db, target);
  if (!last && pending === 0) return null;
  const state = readSyncState(db, target);
  return {
    target,
    state: !last ? 'never' : last.outcome === 'offline' ? 'offline' : 'synced',
    lastSyncedAt: state?.synced_at ?? null,
    generation: state?.generation ?? null,
    message: last?.outcome === 'offline' ? last.message : null,
    pendingEdits: pending,
  };
}

interface ConflictRow {
  id: number;
  round_id: number;
  video_id: string;
  rater: string;
  local: string;
  remote: string;
  applied: 'local' | 'remote';
  detected_at: string;
}

/** Rating conflicts found by sync rounds, newest first. */
export function listRatingConflicts(db: Db, limit = 1000): RatingConflict[] {
  const rows = cached(db, 'SELECT * FROM preference_rating_conflicts ORDER BY id DESC LIMIT ?').all(limit) as ConflictRow[];
  return rows.map((r) => ({
    id: r.id,
    roundId: r.round_id,
    videoId: r.video_id,
    rater: r.rater,
    local: JSON.parse(r.local) as RatingConflictSide,
    remote: JSON.parse(r.remote) as RatingConflictSide,
    applied: r.applied,
    detectedAt: r.detected_at,
  }));
}

/**
 * Bucket first, like freshAnnotationsSource: runs a round when a bucket is set (offline it
 * falls back to the local copy), then says where the ratings come from. What trains on
 * ratings calls this and records the answer.
 */
export async function freshRatingsSource(core: { db: Db; sync: SyncService }): Promise<ReturnType<typeof ratingsSource>> {
  const settings = core.sync.settings();
  if (settings.bucket) await core.sync.run('source').catch(() => undefined);
  return ratingsSource(core.db, settings.bucket, settings.object);
}

/** Where the ratings a computation reads come from, like annotationsSource: the bucket while the last ratings round reached it, else local. */
export function ratingsSource(
  db: Db,
  bucket: string,
  annotationsObject: string,
): { kind: 'bucket' | 'local'; generation: string | null; syncedAt: string | null } {
  if (!bucket) return { kind: 'local', generation: null, syncedAt: null };
  const target = targetOf(bucket, ratingsObjectFor(annotationsObject));
  const state = readSyncState(db, target);
  const last = cached(db, 'SELECT outcome FROM sync_rounds WHERE target = ? ORDER BY id DESC LIMIT 1').get(target) as
    { outcome: string } | undefined;
  return {
    kind: state && last?.outcome === 'synced' ? 'bucket' : 'local',
    generation: state?.generation ?? null,
    syncedAt: state?.synced_at ?? null,
  };
}
