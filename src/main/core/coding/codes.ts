import type { SavedCodes } from '../../../shared/coding';
import { FramelabError } from '../../../shared/errors';
import { cached, type Db } from '../db/open';
import { historyEntry, newBatchId, type HistorySource } from './history';

/**
 * Codes: one category for one (frame, coder, dimension), or absent. Every write goes through
 * writeCodes, inside a transaction: it appends history for what actually changed, updates the
 * current codes, and closes the re-code queue entries it answers.
 */
export interface CodeChange {
  frameId: string;
  coderId: string;
  dimension: string;
  /** null removes the code (only undo and sync do that; coding never blanks a code). */
  categoryId: number | null;
  /** The current category, when the caller has just read it (a bulk import): skips reading it again. */
  before?: number | null;
}

const now = () => new Date().toISOString();

function currentCategory(db: Db, frameId: string, coderId: string, dimension: string): number | null {
  const row = cached(db, 'SELECT category_id FROM codes WHERE frame_id = ? AND coder_id = ? AND dimension = ?').get(
    frameId,
    coderId,
    dimension,
  ) as { category_id: number } | undefined;
  return row?.category_id ?? null;
}

/** Must run inside the caller's transaction. Returns how many codes changed. */
export function writeCodes(
  db: Db,
  changes: CodeChange[],
  meta: { source: HistorySource; batchId?: string; at?: string },
): { changed: number; batchId: string } {
  const batchId = meta.batchId ?? newBatchId();
  const at = meta.at ?? now();
  // Looked up once per call, not per code: a bulk import writes a million codes through here.
  const remove = cached(db, 'DELETE FROM codes WHERE frame_id = ? AND coder_id = ? AND dimension = ?');
  const upsert = cached(
    db,
    `INSERT INTO codes (frame_id, coder_id, dimension, category_id, coded_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (frame_id, coder_id, dimension) DO UPDATE SET category_id = excluded.category_id, coded_at = excluded.coded_at`,
  );
  const resolveRecode = cached(
    db,
    'UPDATE recode_queue SET resolved_at = ? WHERE frame_id = ? AND coder_id = ? AND dimension = ? AND resolved_at IS NULL',
  );
  let changed = 0;
  for (const change of changes) {
    const { frameId, coderId, dimension, categoryId } = change;
    const before = change.before !== undefined ? change.before : currentCategory(db, frameId, coderId, dimension);
    if (before === categoryId) continue;
    if (categoryId === null) {
      remove.run(frameId, coderId, dimension);
    } else {
      upsert.run(frameId, coderId, dimension, categoryId, at);
      resolveRecode.run(at, frameId, coderId, dimension);
    }
    historyEntry(db, { frameId, coderId, dimension, beforeId: before, afterId: categoryId, batchId, at, source: meta.source });
    changed++;
  }
  return { changed, batchId };
}

/** Active categories by dimension and value: the only values a code may take. */
export function categoryLookup(db: Db): Map<string, Map<string, number>> {
  const rows = cached(db, 'SELECT id, dimension, value FROM categories WHERE retired_at IS NULL').all() as {
    id: number;
    dimension: string;
    value: string;
  }[];
  const lookup = new Map<string, Map<string, number>>();
  for (const d of cached(db, 'SELECT name FROM dimensions ORDER BY position').all() as { name: string }[]) {
    lookup.set(d.name, new Map());
  }
  for (const r of rows) lookup.get(r.dimension)?.set(r.value, r.id);
  return lookup;
}

export function codesOf(db: Db, frameId: string, coderId: string): Record<string, string> {
  const rows = cached(
    db,
    `SELECT k.dimension, c.value FROM codes k JOIN categories c ON c.id = k.category_id
       WHERE k.frame_id = ? AND k.coder_id = ?`,
  ).all(frameId, coderId) as { dimension: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.dimension, r.value]));
}

function requireCoder(db: Db, coderId: string): { role: string } {
  const coder = cached(db, 'SELECT role FROM coders WHERE coder_id = ?').get(coderId) as { role: string } | undefined;
  if (!coder) throw new FramelabError('NOT_FOUND', `There is no coder "${coderId}".`);
  return coder;
}

function requireFrame(db: Db, frameId: string): void {
  if (!cached(db, 'SELECT 1 FROM frames WHERE frame_id = ?').get(frameId)) {
    throw new FramelabError('NOT_FOUND', `There is no frame "${frameId}".`);
  }
}

/**
 * Saves one frame's codes from the coding view. Every dimension of the codebook must be set
 * (a half-coded frame is a draft, never saved), each to one of its categories; an empty
 * string is refused. Acknowledged only after the transaction commits.
 */
export function saveFrameCodes(db: Db, input: { coderId: string; frameId: string; codes: Record<string, string> }): SavedCodes {
  const coder = requireCoder(db, input.coderId);
  requireFrame(db, input.frameId);
  if (
    coder.role !== 'lead' &&
    !cached(db, 'SELECT 1 FROM assignments WHERE frame_id = ? AND coder_id = ?').get(input.frameId, input.coderId)
  ) {
    throw new FramelabError('CONFLICT', `Frame ${input.frameId} is not assigned to ${input.coderId}.`);
  }
  const lookup = categoryLookup(db);
  const changes: CodeChange[] = [];
  for (const dimension of Object.keys(input.codes)) {
    if (!lookup.has(dimension)) throw new FramelabError('INVALID_INPUT', `There is no dimension "${dimension}" in the codebook.`);
  }
  for (const [dimension, values] of lookup) {
    const value = input.codes[dimension];
    if (value === undefined) {
      throw new FramelabError(
        'INVALID_INPUT',
        `${input.frameId}: ${dimension} is not set; a frame is saved only when every dimension is coded.`,
      );
    }
    if (value.trim() === '') throw new FramelabError('INVALID_INPUT', `${input.frameId}: an empty ${dimension} is not a code.`);
    const categoryId = values.get(value);
    if (categoryId === undefined) {
      throw new FramelabError(
        'INVALID_INPUT',
        `${input.frameId}: "${value}" is not a ${dimension} category (${[...values.keys()].join(', ')}).`,
      );
    }
    changes.push({ frameId: input.frameId, coderId: input.coderId, dimension, categoryId });
  }
  const { changed, batchId } = db.transaction(() => writeCodes(db, changes, { source: 'coding' })).immediate();
  return {
    frameId: input.frameId,
    coderId: input.coderId,
    codes: codesOf(db, input.frameId, input.coderId),
    batchId: changed ? batchId : null,
  };
}

/**
 * Undoes this coder's latest coding save that is not undone yet, as a new history batch
 * (`undo:<batch>`), and returns the frame it restored. Refuses when a code of that save was
 * changed since by anyone else, rather than silently overwriting it.
 */
export function undoLastSave(db: Db, coderId: string): SavedCodes | null {
  requireCoder(db, coderId);
  return db
    .transaction(() => {
      const batch = db
        .prepare(
          `SELECT batch_id FROM code_history h
           WHERE coder_id = ? AND source = 'coding'
             AND NOT EXISTS (SELECT 1 FROM code_history u WHERE u.coder_id = h.coder_id AND u.batch_id = 'undo:' || h.batch_id)
           ORDER BY id DESC LIMIT 1`,
        )
        .get(coderId) as { batch_id: string } | undefined;
      if (!batch) return null;
      const entries = db
        .prepare('SELECT frame_id, dimension, before_id, after_id FROM code_history WHERE coder_id = ? AND batch_id = ?')
        .all(coderId, batch.batch_id) as { frame_id: string; dimension: string; before_id: number | null; after_id: number | null }[];
      for (const e of entries) {
        if (currentCategory(db, e.frame_id, coderId, e.dimension) !== e.after_id) {
          throw new FramelabError('CONFLICT', `${e.frame_id}: ${e.dimension} changed since that save; nothing was undone.`);
        }
      }
      writeCodes(
        db,
        entries.map((e) => ({ frameId: e.frame_id, coderId, dimension: e.dimension, categoryId: e.before_id })),
        { source: 'undo', batchId: `undo:${batch.batch_id}` },
      );
      const frameId = entries[0]!.frame_id;
      return { frameId, coderId, codes: codesOf(db, frameId, coderId), batchId: `undo:${batch.batch_id}` };
    })
    .immediate();
}

export function setFlag(db: Db, input: { coderId: string; frameId: string; unsure: boolean; note: string }): void {
  requireCoder(db, input.coderId);
  requireFrame(db, input.frameId);
  cached(
    db,
    `INSERT INTO frame_flags (frame_id, coder_id, unsure, note, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (frame_id, coder_id) DO UPDATE SET unsure = excluded.unsure, note = excluded.note, updated_at = excluded.updated_at`,
  ).run(input.frameId, input.coderId, input.unsure ? 1 : 0, input.note.trim(), now());
}
