import { FramelabError } from '../../../shared/errors';
import { categoryLookup } from '../coding/codes';
import { cached, type Db } from '../db/open';
import { codedFrames } from './disagreements';

/**
 * The lead resolves a disagreement: coder A's code, coder B's, or another category, with an
 * optional note. The decision replaces an earlier one; every decision stays in the history.
 */
export interface Decision {
  frameId: string;
  dimension: string;
  code: string;
  note?: string;
  decidedBy?: string;
}

export function adjudicate(
  db: Db,
  decision: Decision,
): { frameId: string; dimension: string; code: string; note: string; replaced: string | null } {
  const categories = categoryLookup(db).get(decision.dimension);
  if (!categories) throw new FramelabError('NOT_FOUND', `There is no dimension "${decision.dimension}" in the codebook.`);
  const categoryId = categories.get(decision.code);
  if (categoryId === undefined) {
    throw new FramelabError(
      'INVALID_INPUT',
      `"${decision.code}" is not a ${decision.dimension} category (${[...categories.keys()].join(', ')}).`,
    );
  }
  const frame = codedFrames(db, decision.dimension).get(decision.frameId);
  if (!frame) {
    throw new FramelabError(
      'CONFLICT',
      `${decision.frameId} has fewer than two ${decision.dimension} codes: there is nothing to adjudicate.`,
    );
  }
  if (new Set(Object.values(frame.codes)).size < 2) {
    throw new FramelabError('CONFLICT', `The coders agree on ${decision.frameId} (${decision.dimension}): it is gold already.`);
  }
  if (decision.decidedBy && !cached(db, 'SELECT 1 FROM coders WHERE coder_id = ?').get(decision.decidedBy)) {
    throw new FramelabError('NOT_FOUND', `There is no coder "${decision.decidedBy}".`);
  }
  const note = (decision.note ?? '').trim();
  const at = new Date().toISOString();
  return db
    .transaction(() => {
      const before = cached(db, 'SELECT category_id FROM adjudications WHERE frame_id = ? AND dimension = ?').get(
        decision.frameId,
        decision.dimension,
      ) as { category_id: number } | undefined;
      cached(
        db,
        `INSERT INTO adjudications (frame_id, dimension, category_id, note, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (frame_id, dimension) DO UPDATE SET category_id = excluded.category_id, note = excluded.note,
           decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
      ).run(decision.frameId, decision.dimension, categoryId, note, decision.decidedBy ?? null, at);
      cached(
        db,
        `INSERT INTO adjudication_history (frame_id, dimension, before_id, after_id, note, decided_by, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(decision.frameId, decision.dimension, before?.category_id ?? null, categoryId, note, decision.decidedBy ?? null, at);
      const replaced = before
        ? (cached(db, 'SELECT value FROM categories WHERE id = ?').get(before.category_id) as { value: string }).value
        : null;
      return { frameId: decision.frameId, dimension: decision.dimension, code: decision.code, note, replaced };
    })
    .immediate();
}
