import type { SyncConflict, SyncProblem, SyncRoundResult } from '../../../shared/sync';
import { cached, type Db } from '../db/open';
import { PreconditionFailed, SyncFailure } from './failure';
import type { BucketClient, RemoteText } from './gcs';
import { codeKey, mergeAnnotations, rowKey, type LocalRow, type MergeResult } from './merge';
import { applyBucketCodes, LOCAL_EDIT, queueBlankCells, recordConflicts, recordOverruledBucketValues, roundWriter } from './roundWrites';

/**
 * One sync round: read the local store (synchronously, so it is one consistent picture),
 * download the object with its generation, merge, upload with ifGenerationMatch (on 412:
 * download and merge again), then write what came from the bucket and the round's record in
 * ONE transaction of the owner. Until that commit nothing local changes, so a round that
 * fails anywhere (offline, refused, interrupted upload) leaves the store as it was; the next
 * round redoes the work.
 *
 * Network waits are async and the merge is fast, so a round runs in the owner without
 * blocking it: a save made while a round waits for the bucket is simply newer than the
 * round's picture; the round never overwrites it (see `changedSince`) and the next round takes
 * it up.
 *
 * The loop (picture, download, merge, conditional upload, retry on 412, one local write) is
 * the same for every object a round syncs: `runObjectRound` runs it over a `SyncedObject`.
 * annotations.csv is one (below); the owner's ratings.csv is another (preference/ratingsSync.ts).
 */

export interface SyncStateRow {
  target: string;
  generation: string;
  base_csv: string;
  history_mark: number;
  synced_at: string;
}

export function readSyncState(db: Db, target: string): SyncStateRow | undefined {
  return cached(db, 'SELECT * FROM sync_state WHERE target = ?').get(target) as SyncStateRow | undefined;
}

interface Snapshot {
  mark: number;
  state: SyncStateRow | undefined;
  dimensions: string[];
  local: Map<string, LocalRow>;
  edited: Set<string>;
}

function snapshot(db: Db, target: string): Snapshot {
  return db.transaction(() => {
    const state = readSyncState(db, target);
    const mark = (cached(db, 'SELECT coalesce(max(id), 0) AS mark FROM code_history').get() as { mark: number }).mark;
    const dimensions = (cached(db, 'SELECT name FROM dimensions ORDER BY position, name').all() as { name: string }[]).map((d) => d.name);
    const local = new Map<string, LocalRow>();
    const codes = cached(
      db,
      `SELECT k.frame_id, k.coder_id, k.dimension, c.value, k.coded_at, f.video_id, f.timestamp_s
       FROM codes k JOIN frames f ON f.frame_id = k.frame_id JOIN categories c ON c.id = k.category_id`,
    ).all() as {
      frame_id: string;
      coder_id: string;
      dimension: string;
      value: string;
      coded_at: string;
      video_id: string;
      timestamp_s: number;
    }[];
    for (const c of codes) {
      const key = rowKey(c.frame_id, c.coder_id);
      let row = local.get(key);
      if (!row) local.set(key, (row = { videoId: c.video_id, seconds: c.timestamp_s, codes: new Map() }));
      row.codes.set(c.dimension, { value: c.value, at: c.coded_at });
    }
    const edited = new Set<string>();
    const rows = cached(
      db,
      `SELECT DISTINCT frame_id, coder_id, dimension FROM code_history WHERE id > ? AND id <= ? AND ${LOCAL_EDIT}`,
    ).all(state?.history_mark ?? 0, mark) as { frame_id: string; coder_id: string; dimension: string }[];
    for (const r of rows) edited.add(codeKey(r.frame_id, r.coder_id, r.dimension));
    return { mark, state, dimensions, local, edited };
  })();
}

export interface RoundOptions {
  db: Db;
  client: BucketClient;
  object: string;
  target: string;
  trigger: string;
  /** Downloads before giving up when other writers keep winning the race (412). */
  maxAttempts?: number;
  /** Called after a successful upload, before the local write (tests interrupt rounds here). */
  afterUpload?: () => void | Promise<void>;
}

export interface RoundOutcome<Result = SyncRoundResult> {
  roundId: number;
  result: Result;
  /** Entries written locally (from the bucket): codes, ratings. */
  applied: number;
  problems: string[];
}

/** A merge's output the loop needs: the merged text, and whether it differs from the bucket's. */
export interface ObjectMerge {
  text: string;
  changed: boolean;
  /** Data rows in the merged text (what an upload uploads). */
  rowsOut: number;
}

/** What the local write of a round gets: its picture, its merge, and how the upload went. */
export interface ApplyInput<Snap, Merge> {
  snap: Snap;
  merge: Merge;
  target: string;
  trigger: string;
  startedAt: string;
  attempts: number;
  /** The object's generation after the round (the upload's, or the one downloaded). */
  generation: string;
  uploaded: number;
  /** The object's text as of this round: the next round's base. */
  baseText: string;
}

/**
 * An object a round keeps in sync with the bucket. `snapshot` reads the local store in one
 * transaction (synchronously: one consistent picture); `merge` is pure; `apply` writes what
 * came from the bucket, the round's record and the object's sync state in ONE transaction,
 * and must never overwrite a local edit made after the picture.
 */
export interface SyncedObject<Snap, Merge extends ObjectMerge, Result> {
  snapshot(db: Db, target: string): Snap;
  merge(snap: Snap, remote: RemoteText | null): Merge;
  apply(db: Db, input: ApplyInput<Snap, Merge>): RoundOutcome<Result>;
}

const now = () => new Date().toISOString();

/**
 * One round of one object: picture, download with its generation, merge, upload with
 * ifGenerationMatch (412: someone wrote in between, so read and merge again), local write.
 * Throws SyncFailure when the bucket cannot be reached or keeps changing; nothing local
 * changed then.
 */
export async function runObjectRound<Snap, Merge extends ObjectMerge, Result>(
  options: RoundOptions,
  synced: SyncedObject<Snap, Merge, Result>,
): Promise<RoundOutcome<Result>> {
  const { db, client, object, target } = options;
  const startedAt = now();
  const maxAttempts = options.maxAttempts ?? 10;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snap = synced.snapshot(db, target);
    const remote = await client.read(object);
    const merge = synced.merge(snap, remote);
    let generation = remote?.generation ?? '0';
    let uploaded = 0;
    if (merge.changed) {
      try {
        generation = await client.write(object, merge.text, remote?.generation ?? '0');
        uploaded = merge.rowsOut;
      } catch (err) {
        if (err instanceof PreconditionFailed) continue; // someone wrote in between: read and merge again
        throw err;
      }
      await options.afterUpload?.();
    }
    const baseText = merge.changed ? merge.text : (remote?.text ?? '');
    return synced.apply(db, {
      snap,
      merge,
      target,
      trigger: options.trigger,
      startedAt,
      attempts: attempt,
      generation,
      uploaded,
      baseText,
    });
  }
  throw new SyncFailure(
    'contention',
    `gs://${client.bucket}/${object} kept changing while this round merged (${maxAttempts} attempts); the next round tries again.`,
  );
}

/** The round's record of a round that reached the bucket (inside the object's apply transaction). */
export function recordSyncedRound(
  db: Db,
  input: {
    target: string;
    trigger: string;
    startedAt: string;
    at: string;
    rowsIn: number;
    uploaded: number;
    merged: number;
    conflicts: number;
    attempts: number;
    generation: string;
  },
): number {
  return Number(
    cached(
      db,
      `INSERT INTO sync_rounds (target, trigger, started_at, finished_at, outcome, rows_in, rows_out, merged, conflicts, attempts, generation)
       VALUES (?, ?, ?, ?, 'synced', ?, ?, ?, ?, ?, ?)`,
    ).run(
      input.target,
      input.trigger,
      input.startedAt,
      input.at,
      input.rowsIn,
      input.uploaded,
      input.merged,
      input.conflicts,
      input.attempts,
      input.generation,
    ).lastInsertRowid,
  );
}

/** The object's state after a round that reached it: its generation and text (the next base), and the local mark it covers. */
export function saveSyncState(db: Db, input: { target: string; generation: string; baseText: string; mark: number; at: string }): void {
  cached(
    db,
    `INSERT INTO sync_state (target, generation, base_csv, history_mark, synced_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (target) DO UPDATE SET generation = excluded.generation, base_csv = excluded.base_csv,
       history_mark = excluded.history_mark, synced_at = excluded.synced_at`,
  ).run(input.target, input.generation, input.baseText, input.mark, input.at);
}

/** annotations.csv: per frame × coder × dimension (merge.ts). */
export const annotationsObject: SyncedObject<Snapshot, MergeResult, SyncRoundResult> = {
  snapshot,
  merge: (snap, remote) =>
    mergeAnnotations({
      dimensions: snap.dimensions,
      remoteText: remote?.text ?? null,
      remoteUpdated: remote?.updated ?? null,
      baseText: snap.state?.base_csv ?? null,
      local: snap.local,
      edited: snap.edited,
    }),
  apply: (db, input) => applyRound(db, input),
};

export function runRound(options: RoundOptions): Promise<RoundOutcome> {
  return runObjectRound(options, annotationsObject);
}

function applyRound(db: Db, input: ApplyInput<Snapshot, MergeResult>): RoundOutcome {
  const { snap, merge } = input;
  const problems = [...merge.problems];
  return db
    .transaction(() => {
      const writer = roundWriter(db, { at: now(), mark: snap.mark, overlap: merge.overlap, problems });
      const { at } = writer;
      const applied = applyBucketCodes(db, merge.apply, writer);
      recordOverruledBucketValues(db, merge.conflicts, writer);
      queueBlankCells(db, merge.blanks, writer, input.target);
      const conflicts: SyncConflict[] = merge.conflicts.map((c) => ({
        frameId: c.frameId,
        coder: c.coder,
        dimension: c.dimension,
        local: c.local,
        remote: c.remote,
        applied: c.applied,
      }));
      const roundId = recordSyncedRound(db, {
        target: input.target,
        trigger: input.trigger,
        startedAt: input.startedAt,
        at,
        rowsIn: merge.rowsIn,
        uploaded: input.uploaded,
        merged: applied,
        conflicts: conflicts.length,
        attempts: input.attempts,
        generation: input.generation,
      });
      recordConflicts(db, roundId, merge.conflicts, at);
      saveSyncState(db, { target: input.target, generation: input.generation, baseText: input.baseText, mark: snap.mark, at });
      return {
        roundId,
        applied,
        problems,
        result: {
          downloaded: merge.rowsIn,
          uploaded: input.uploaded,
          merged: applied,
          conflicts,
          generation: input.generation,
          offline: false as const,
        },
      };
    })
    .immediate();
}

/** A round that did not reach the bucket: recorded, nothing else changes. */
export function recordFailedRound(
  db: Db,
  input: { target: string; trigger: string; startedAt: string; problem: SyncProblem; message: string },
): number {
  return Number(
    cached(
      db,
      `INSERT INTO sync_rounds (target, trigger, started_at, finished_at, outcome, problem, message) VALUES (?, ?, ?, ?, 'offline', ?, ?)`,
    ).run(input.target, input.trigger, input.startedAt, now(), input.problem, input.message).lastInsertRowid,
  );
}

/** Local code edits not in the bucket yet (since the last round that reached it). */
export function pendingEdits(db: Db, target: string | null): number {
  const mark = target ? (readSyncState(db, target)?.history_mark ?? 0) : 0;
  const row = cached(
    db,
    `SELECT count(*) AS n FROM (SELECT DISTINCT frame_id, coder_id, dimension FROM code_history WHERE id > ? AND ${LOCAL_EDIT})`,
  ).get(mark) as { n: number };
  return row.n;
}
