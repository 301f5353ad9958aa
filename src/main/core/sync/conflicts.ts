import type { ConflictEntry } from '../../../shared/sync';
import { FramelabError } from '../../../shared/errors';
import { categoryLookup, writeCodes } from '../coding/codes';
import { cached, type Db } from '../db/open';

/**
 * Conflicts of sync rounds, for the lead: a code edited on both sides since the last sync.
 * The newer value was applied when it was found; resolving keeps it or sets the other one (or
 * any category). A changed value is a local edit (batch `resolve:<id>`), so the next round
 * takes it to the bucket.
 */
interface Row {
  id: number;
  round_id: number;
  frame_id: string;
  coder_id: string;
  dimension: string;
  local_value: string | null;
  remote_value: string | null;
  applied: string | null;
  local_at: string | null;
  remote_at: string | null;
  detected_at: string;
  resolved_at: string | null;
  resolved_value: string | null;
  current: string | null;
}

const SELECT = `SELECT s.*, (SELECT c.value FROM codes k JOIN categories c ON c.id = k.category_id
                  WHERE k.frame_id = s.frame_id AND k.coder_id = s.coder_id AND k.dimension = s.dimension) AS current
                FROM sync_conflicts s`;

const toEntry = (r: Row): ConflictEntry => ({
  id: r.id,
  roundId: r.round_id,
  frameId: r.frame_id,
  coder: r.coder_id,
  dimension: r.dimension,
  local: r.local_value,
  remote: r.remote_value,
  applied: r.applied,
  localAt: r.local_at,
  remoteAt: r.remote_at,
  detectedAt: r.detected_at,
  resolvedAt: r.resolved_at,
  resolvedValue: r.resolved_value,
  current: r.current,
});

export function listConflicts(db: Db, includeResolved: boolean): ConflictEntry[] {
  const rows = cached(db, `${SELECT} ${includeResolved ? '' : 'WHERE s.resolved_at IS NULL'} ORDER BY s.id DESC LIMIT 1000`).all() as Row[];
  return rows.map(toEntry);
}

export function resolveConflict(
  db: Db,
  input: { id: number; value: string; resolvedBy?: string },
): { conflict: ConflictEntry; changed: boolean } {
  return db
    .transaction(() => {
      const row = cached(db, `${SELECT} WHERE s.id = ?`).get(input.id) as Row | undefined;
      if (!row) throw new FramelabError('NOT_FOUND', `There is no sync conflict ${input.id}.`);
      if (row.resolved_at)
        throw new FramelabError('CONFLICT', `Conflict ${input.id} was already resolved (${row.resolved_value ?? 'no code'}).`);
      const categoryId = categoryLookup(db).get(row.dimension)?.get(input.value);
      if (categoryId === undefined) {
        throw new FramelabError(
          'INVALID_INPUT',
          `"${input.value}" is not a ${row.dimension} category; choose the local or the bucket's value, or another category.`,
        );
      }
      const at = new Date().toISOString();
      const { changed } = writeCodes(db, [{ frameId: row.frame_id, coderId: row.coder_id, dimension: row.dimension, categoryId }], {
        source: 'sync',
        batchId: `resolve:${row.id}`,
        at,
      });
      cached(db, 'UPDATE sync_conflicts SET resolved_at = ?, resolved_value = ?, resolved_by = ? WHERE id = ?').run(
        at,
        input.value,
        input.resolvedBy ?? null,
        row.id,
      );
      const updated = cached(db, `${SELECT} WHERE s.id = ?`).get(row.id) as Row;
      return { conflict: toEntry(updated), changed: changed > 0 };
    })
    .immediate();
}
