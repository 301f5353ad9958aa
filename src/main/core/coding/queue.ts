import type { CodingFrame, QueueFilter } from '../../../shared/coding';
import { FramelabError } from '../../../shared/errors';
import type { Db } from '../db/open';

/**
 * A coder's work list: the frames assigned to them, in video order, each with the coder's
 * own codes, flag and re-code entries. It never carries another coder's codes (blind coding).
 */
export interface CodingQueue {
  frames: CodingFrame[];
  counts: { assigned: number; done: number; flagged: number; recode: number };
}

interface Row {
  frame_id: string;
  video_id: string;
  timestamp_s: number;
  image_path: string | null;
  thumb_path: string | null;
  overlap: number;
  unsure: number | null;
  note: string | null;
}

export function codingQueue(db: Db, coderId: string, filter: QueueFilter): CodingQueue {
  if (!db.prepare('SELECT 1 FROM coders WHERE coder_id = ?').get(coderId)) {
    throw new FramelabError('NOT_FOUND', `There is no coder "${coderId}".`);
  }
  const dimensionCount = (db.prepare('SELECT count(*) AS n FROM dimensions').get() as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT f.frame_id, f.video_id, f.timestamp_s, f.image_path, f.thumb_path, a.overlap, g.unsure, g.note
       FROM assignments a JOIN frames f ON f.frame_id = a.frame_id
       LEFT JOIN frame_flags g ON g.frame_id = a.frame_id AND g.coder_id = a.coder_id
       WHERE a.coder_id = ? ORDER BY f.video_id, f.timestamp_s`,
    )
    .all(coderId) as Row[];
  const codes = db
    .prepare(
      `SELECT k.frame_id, k.dimension, c.value FROM codes k JOIN categories c ON c.id = k.category_id WHERE k.coder_id = ?`,
    )
    .all(coderId) as { frame_id: string; dimension: string; value: string }[];
  const recode = db
    .prepare('SELECT frame_id, dimension FROM recode_queue WHERE coder_id = ? AND resolved_at IS NULL')
    .all(coderId) as { frame_id: string; dimension: string }[];

  const codesByFrame = new Map<string, Record<string, string>>();
  for (const c of codes) codesByFrame.set(c.frame_id, { ...codesByFrame.get(c.frame_id), [c.dimension]: c.value });
  const recodeByFrame = new Map<string, string[]>();
  for (const r of recode) recodeByFrame.set(r.frame_id, [...(recodeByFrame.get(r.frame_id) ?? []), r.dimension]);

  const all: CodingFrame[] = rows.map((r) => ({
    frameId: r.frame_id,
    videoId: r.video_id,
    timestampS: r.timestamp_s,
    image: r.image_path,
    thumb: r.thumb_path,
    overlap: r.overlap === 1,
    codes: codesByFrame.get(r.frame_id) ?? {},
    flag: r.unsure === null ? null : { unsure: r.unsure === 1, note: r.note ?? '' },
    recode: recodeByFrame.get(r.frame_id) ?? [],
  }));
  const isDone = (f: CodingFrame) => Object.keys(f.codes).length >= dimensionCount && f.recode.length === 0;
  const isFlagged = (f: CodingFrame) => !!f.flag?.unsure;
  const keep: Record<QueueFilter, (f: CodingFrame) => boolean> = {
    all: () => true,
    uncoded: (f) => !isDone(f),
    flagged: isFlagged,
    recode: (f) => f.recode.length > 0,
  };
  return {
    frames: all.filter(keep[filter]),
    counts: {
      assigned: all.length,
      done: all.filter(isDone).length,
      flagged: all.filter(isFlagged).length,
      recode: all.filter((f) => f.recode.length > 0).length,
    },
  };
}
