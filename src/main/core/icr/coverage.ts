import { FramelabError } from '../../../shared/errors';
import { cached, type Db } from '../db/open';

/**
 * What explains a reliability report's denominator: how many overlap frames there are, how
 * many every assigned coder coded on the dimension, and which codes are still missing (and
 * waiting in the re-code queue).
 */
export interface Coverage {
  dimension: string;
  overlapFrames: number;
  codedByAll: number;
  /** Per coder: overlap frames assigned to them without their code on this dimension. */
  missingByCoder: Record<string, number>;
  /** Of those, how many wait in the re-code queue. */
  inRecodeQueue: Record<string, number>;
  /** Agreement by coding date: a frame counts on the day its last code was given. */
  byDate: { date: string; compared: number; agreed: number }[];
}

export function coverage(db: Db, dimension: string): Coverage {
  if (!cached(db, 'SELECT 1 FROM dimensions WHERE name = ?').get(dimension)) {
    throw new FramelabError('NOT_FOUND', `There is no dimension "${dimension}" in the codebook.`);
  }
  const rows = cached(
    db,
    `SELECT a.frame_id, a.coder_id,
            EXISTS (SELECT 1 FROM codes k WHERE k.frame_id = a.frame_id AND k.coder_id = a.coder_id AND k.dimension = ?) AS coded,
            EXISTS (SELECT 1 FROM recode_queue r WHERE r.frame_id = a.frame_id AND r.coder_id = a.coder_id
                      AND r.dimension = ? AND r.resolved_at IS NULL) AS queued
     FROM assignments a WHERE a.overlap = 1`,
  ).all(dimension, dimension) as { frame_id: string; coder_id: string; coded: number; queued: number }[];
  const frames = new Map<string, boolean>();
  const missingByCoder: Record<string, number> = {};
  const inRecodeQueue: Record<string, number> = {};
  for (const r of rows) {
    frames.set(r.frame_id, (frames.get(r.frame_id) ?? true) && r.coded === 1);
    missingByCoder[r.coder_id] ??= 0;
    inRecodeQueue[r.coder_id] ??= 0;
    if (!r.coded) {
      missingByCoder[r.coder_id]!++;
      if (r.queued) inRecodeQueue[r.coder_id]!++;
    }
  }
  return {
    dimension,
    byDate: agreementByDate(db, dimension),
    overlapFrames: frames.size,
    codedByAll: [...frames.values()].filter(Boolean).length,
    missingByCoder,
    inRecodeQueue,
  };
}

function agreementByDate(db: Db, dimension: string): Coverage['byDate'] {
  const rows = cached(
    db,
    `SELECT substr(max(coded_at), 1, 10) AS date, count(*) AS codes, count(DISTINCT category_id) AS distinct_codes
     FROM codes WHERE dimension = ? GROUP BY frame_id HAVING count(*) >= 2`,
  ).all(dimension) as { date: string; codes: number; distinct_codes: number }[];
  const days = new Map<string, { compared: number; agreed: number }>();
  for (const r of rows) {
    const day = days.get(r.date) ?? { compared: 0, agreed: 0 };
    day.compared++;
    if (r.distinct_codes === 1) day.agreed++;
    days.set(r.date, day);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, d]) => ({ date, ...d }));
}
