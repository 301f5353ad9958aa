/**
 * The local writes of an annotations round (round.ts `applyRound`), each inside the round's one
 * transaction: the bucket's codes, the bucket's values a newer local edit overruled (history
 * only), the blank cells to re-code, and the round's conflicts. None overwrites a local edit
 * made after the round's picture.
 */
import { categoryLookup, writeCodes } from '../coding/codes';
import { historyEntry, newBatchId } from '../coding/history';
import { cached, type Db } from '../db/open';
import type { ApplyCode, BlankCell, MergeConflict } from './merge';

/** A local edit "since the last sync": anything but a value sync itself wrote, and a lead's resolution of a conflict. */
export const LOCAL_EDIT = `(source != 'sync' OR batch_id GLOB 'resolve:*')`;

/** Where a row's frame is, when the frame is new here. */
interface FrameRow {
  frameId: string;
  coderId: string;
  videoId: string | null;
  tenths: number | null;
}

/** What the writes of one round share. */
export interface RoundWriter {
  at: string;
  batchId: string;
  /** dimension → category value → id. */
  lookup: Map<string, Map<string, number>>;
  /** Why something from the bucket stays there only; the round's problems. */
  problems: string[];
  /** The code changed after the round's picture was taken: the newer local edit stays; the next round takes it up. */
  changedSince(frameId: string, coderId: string, dimension: string, before: string | null): boolean;
  /** The frame and coder exist locally (created from the row when new), and the frame is assigned to the coder. */
  ensure(row: FrameRow): boolean;
}

/** `mark`: the last history entry the round's picture saw; `overlap`: the frames coded by two or more coders. */
export function roundWriter(db: Db, round: { at: string; mark: number; overlap: ReadonlySet<string>; problems: string[] }): RoundWriter {
  const { at, problems } = round;
  const lookup = categoryLookup(db);
  const batchId = `sync:${newBatchId()}`;
  const current = cached(
    db,
    `SELECT c.value FROM codes k JOIN categories c ON c.id = k.category_id WHERE k.frame_id = ? AND k.coder_id = ? AND k.dimension = ?`,
  );
  const editedSince = cached(
    db,
    `SELECT 1 FROM code_history WHERE id > ? AND frame_id = ? AND coder_id = ? AND dimension = ? AND ${LOCAL_EDIT} LIMIT 1`,
  );
  const changedSince = (frameId: string, coderId: string, dimension: string, before: string | null) =>
    ((current.get(frameId, coderId, dimension) as { value: string } | undefined)?.value ?? null) !== before ||
    editedSince.get(round.mark, frameId, coderId, dimension) !== undefined;

  const frame = cached(db, 'SELECT video_id, timestamp_s FROM frames WHERE frame_id = ?');
  const addCoder = cached(db, `INSERT INTO coders (coder_id, name, role, created_at) VALUES (?, ?, 'coder', ?) ON CONFLICT DO NOTHING`);
  const addVideo = cached(db, 'INSERT INTO videos (video_id, imported_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const addFrame = cached(db, 'INSERT INTO frames (frame_id, video_id, timestamp_s, created_at) VALUES (?, ?, ?, ?)');
  const slotTaken = cached(db, 'SELECT frame_id FROM frames WHERE video_id = ? AND timestamp_s = ?');
  const assign = cached(
    db,
    `INSERT INTO assignments (frame_id, coder_id, overlap, assigned_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (frame_id, coder_id) DO UPDATE SET overlap = excluded.overlap WHERE excluded.overlap > assignments.overlap`,
  );
  const ensure = (c: FrameRow): boolean => {
    const known = frame.get(c.frameId) as { video_id: string; timestamp_s: number } | undefined;
    if (!known) {
      if (c.videoId === null || c.tenths === null) {
        problems.push(`${c.frameId}: not <video_id>_t<seconds> and the row has no video_id/timestamp_s; its codes stay in the bucket only`);
        return false;
      }
      const other = slotTaken.get(c.videoId, c.tenths / 10) as { frame_id: string } | undefined;
      if (other) {
        problems.push(
          `${c.frameId}: video ${c.videoId} at ${c.tenths / 10} s is frame ${other.frame_id} here; its codes stay in the bucket only`,
        );
        return false;
      }
      addVideo.run(c.videoId, at);
      addFrame.run(c.frameId, c.videoId, c.tenths / 10, at);
    }
    addCoder.run(c.coderId, c.coderId, at);
    assign.run(c.frameId, c.coderId, round.overlap.has(c.frameId) ? 1 : 0, at);
    return true;
  };
  return { at, batchId, lookup, problems, changedSince, ensure };
}

/** The bucket's codes written locally (a value this store lacks, or a code edited here since, stays out); how many changed. */
export function applyBucketCodes(db: Db, codes: readonly ApplyCode[], w: RoundWriter): number {
  let applied = 0;
  for (const code of codes) {
    const categoryId = w.lookup.get(code.dimension)?.get(code.value);
    if (categoryId === undefined) {
      w.problems.push(
        `${code.frameId} × ${code.coderId}: "${code.value}" is not a ${code.dimension} category here; it stays in the bucket only`,
      );
      continue;
    }
    if (w.changedSince(code.frameId, code.coderId, code.dimension, code.before)) continue;
    if (!w.ensure(code)) continue;
    applied += writeCodes(db, [{ frameId: code.frameId, coderId: code.coderId, dimension: code.dimension, categoryId }], {
      source: 'sync',
      batchId: w.batchId,
      at: code.at,
    }).changed;
  }
  return applied;
}

/**
 * A conflict the local value won: the bucket's value still enters the history, as a sync
 * that arrived and was replaced by the newer local edit.
 */
export function recordOverruledBucketValues(db: Db, conflicts: readonly MergeConflict[], w: RoundWriter): void {
  for (const c of conflicts) {
    if (!c.keptLocal || c.remote === null || c.local === null) continue;
    const remoteId = w.lookup.get(c.dimension)?.get(c.remote);
    const localId = w.lookup.get(c.dimension)?.get(c.local);
    if (remoteId === undefined || localId === undefined || w.changedSince(c.frameId, c.coder, c.dimension, c.local)) continue;
    const entry = { frameId: c.frameId, coderId: c.coder, dimension: c.dimension, batchId: w.batchId, source: 'sync' as const };
    historyEntry(db, { ...entry, beforeId: localId, afterId: remoteId, at: c.remoteAt ?? w.at });
    historyEntry(db, { ...entry, beforeId: remoteId, afterId: localId, at: w.at });
  }
}

/** Blank cells where no code exists here: the coder finds the frame under Re-code. */
export function queueBlankCells(db: Db, blanks: readonly BlankCell[], w: RoundWriter, target: string): void {
  const hasCode = cached(db, 'SELECT 1 FROM codes WHERE frame_id = ? AND coder_id = ? AND dimension = ?');
  const enqueue = cached(
    db,
    `INSERT INTO recode_queue (frame_id, coder_id, dimension, reason, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  for (const blank of blanks) {
    if (hasCode.get(blank.frameId, blank.coderId, blank.dimension)) continue;
    if (!w.lookup.has(blank.dimension) || !w.ensure(blank)) continue;
    enqueue.run(blank.frameId, blank.coderId, blank.dimension, `blank cell in the bucket's ${target}`, w.at);
  }
}

/** The round's conflicts, for the lead to see and resolve. */
export function recordConflicts(db: Db, roundId: number, conflicts: readonly MergeConflict[], at: string): void {
  const addConflict = cached(
    db,
    `INSERT INTO sync_conflicts (round_id, frame_id, coder_id, dimension, local_value, remote_value, applied, local_at, remote_at, detected_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const c of conflicts)
    addConflict.run(roundId, c.frameId, c.coder, c.dimension, c.local, c.remote, c.applied, c.localAt, c.remoteAt, at);
}
