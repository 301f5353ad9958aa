import type { Disagreement } from '../../../shared/gold';
import { FramelabError } from '../../../shared/errors';
import { cached, type Db } from '../db/open';

/**
 * Frames two or more coders coded differently on one dimension, with every coder's code and
 * the lead's decision if there is one. `pair` keeps only those where one coder said one of the
 * two categories and another coder the other (e.g. Personal ↔ Social).
 */
export function requireDimension(db: Db, dimension: string): void {
  if (!cached(db, 'SELECT 1 FROM dimensions WHERE name = ?').get(dimension)) {
    throw new FramelabError('NOT_FOUND', `There is no dimension "${dimension}" in the codebook.`);
  }
}

interface CodeRow {
  frame_id: string;
  video_id: string;
  timestamp_s: number;
  image_path: string | null;
  coder_id: string;
  value: string;
}

/** Every frame with at least two codes on the dimension, grouped: the basis of agreement and gold. */
export function codedFrames(db: Db, dimension: string): Map<string, { row: CodeRow; codes: Record<string, string> }> {
  requireDimension(db, dimension);
  const rows = cached(
    db,
    `SELECT f.frame_id, f.video_id, f.timestamp_s, f.image_path, k.coder_id, c.value
     FROM codes k JOIN frames f ON f.frame_id = k.frame_id JOIN categories c ON c.id = k.category_id
     WHERE k.dimension = ? ORDER BY f.video_id, f.timestamp_s, k.coder_id`,
  ).all(dimension) as CodeRow[];
  const frames = new Map<string, { row: CodeRow; codes: Record<string, string> }>();
  for (const r of rows) {
    const entry = frames.get(r.frame_id) ?? { row: r, codes: {} };
    entry.codes[r.coder_id] = r.value;
    frames.set(r.frame_id, entry);
  }
  for (const [id, entry] of frames) if (Object.keys(entry.codes).length < 2) frames.delete(id);
  return frames;
}

export function adjudicationsOf(
  db: Db,
  dimension: string,
): Map<string, { code: string; note: string; decidedAt: string; decidedBy: string | null; categoryId: number }> {
  const rows = cached(
    db,
    `SELECT a.frame_id, c.value AS code, a.note, a.decided_at, a.decided_by, a.category_id FROM adjudications a
     JOIN categories c ON c.id = a.category_id WHERE a.dimension = ?`,
  ).all(dimension) as {
    frame_id: string;
    code: string;
    note: string;
    decided_at: string;
    decided_by: string | null;
    category_id: number;
  }[];
  return new Map(
    rows.map((r) => [
      r.frame_id,
      { code: r.code, note: r.note, decidedAt: r.decided_at, decidedBy: r.decided_by, categoryId: r.category_id },
    ]),
  );
}

export function listDisagreements(db: Db, dimension: string, pair?: [string, string]): Disagreement[] {
  const decided = adjudicationsOf(db, dimension);
  const out: Disagreement[] = [];
  for (const [frameId, { row, codes }] of codedFrames(db, dimension)) {
    const values = new Set(Object.values(codes));
    if (values.size < 2) continue;
    if (pair && !(values.has(pair[0]) && values.has(pair[1]))) continue;
    const adjudication = decided.get(frameId);
    out.push({
      frameId,
      videoId: row.video_id,
      timestampS: row.timestamp_s,
      image: row.image_path,
      codes,
      adjudicated: adjudication
        ? { code: adjudication.code, note: adjudication.note, decidedAt: adjudication.decidedAt, decidedBy: adjudication.decidedBy }
        : null,
    });
  }
  return out;
}
