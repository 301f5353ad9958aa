import { FramelabError } from '../../../shared/errors';
import type { Db } from '../db/open';
import { seededShuffle } from '../random';

/**
 * The lead's assignment: a pool of frames split between coders, with an overlap set that
 * every coder codes (blind) for reliability. Deterministic for the same pool and seed.
 */
export interface AssignInput {
  coderIds: string[];
  /** The frames to assign; default: every frame nobody is assigned yet. */
  frameIds?: string[];
  overlap: { fraction: number; seed: number } | { frameIds: string[] };
}

export interface AssignResult {
  pool: number;
  overlap: number;
  perCoder: Record<string, number>;
}

export function assignFrames(db: Db, input: AssignInput): AssignResult {
  const coderIds = [...new Set(input.coderIds)];
  if (coderIds.length === 0) throw new FramelabError('INVALID_INPUT', 'Choose at least one coder.');
  for (const id of coderIds) {
    if (!db.prepare('SELECT 1 FROM coders WHERE coder_id = ?').get(id)) throw new FramelabError('NOT_FOUND', `There is no coder "${id}".`);
  }
  const pool =
    input.frameIds ??
    (
      db.prepare('SELECT frame_id FROM frames WHERE frame_id NOT IN (SELECT frame_id FROM assignments) ORDER BY frame_id').all() as {
        frame_id: string;
      }[]
    ).map((r) => r.frame_id);
  for (const frameId of pool) {
    if (!db.prepare('SELECT 1 FROM frames WHERE frame_id = ?').get(frameId))
      throw new FramelabError('NOT_FOUND', `There is no frame "${frameId}".`);
  }
  const sorted = [...new Set(pool)].sort();
  let overlapSet: Set<string>;
  if ('frameIds' in input.overlap) {
    const outside = input.overlap.frameIds.filter((f) => !sorted.includes(f));
    if (outside.length) throw new FramelabError('INVALID_INPUT', `Overlap frames must be in the pool: ${outside.slice(0, 5).join(', ')}.`);
    overlapSet = new Set(input.overlap.frameIds);
  } else {
    const { fraction, seed } = input.overlap;
    if (!(fraction >= 0 && fraction <= 1)) throw new FramelabError('INVALID_INPUT', 'The overlap fraction is between 0 and 1.');
    overlapSet = new Set(seededShuffle(sorted, seed).slice(0, Math.round(fraction * sorted.length)));
  }
  const perCoder: Record<string, number> = Object.fromEntries(coderIds.map((c) => [c, 0]));
  const insert = db.prepare(
    `INSERT INTO assignments (frame_id, coder_id, overlap, assigned_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (frame_id, coder_id) DO UPDATE SET overlap = excluded.overlap`,
  );
  const at = new Date().toISOString();
  db.transaction(() => {
    let turn = 0;
    for (const frameId of sorted) {
      const targets = overlapSet.has(frameId) ? coderIds : [coderIds[turn++ % coderIds.length]!];
      for (const coderId of targets) {
        insert.run(frameId, coderId, overlapSet.has(frameId) ? 1 : 0, at);
        perCoder[coderId]!++;
      }
    }
  }).immediate();
  return { pool: sorted.length, overlap: overlapSet.size, perCoder };
}
