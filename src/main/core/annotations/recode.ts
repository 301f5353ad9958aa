import type { RecodeEntry } from '../../../shared/annotations';
import { FramelabError } from '../../../shared/errors';
import type { Db } from '../db/open';

/** The open re-code queue (missing codes waiting for their coder), for the lead. */
export function listRecode(db: Db, coderId?: string): RecodeEntry[] {
  if (coderId !== undefined && !db.prepare('SELECT 1 FROM coders WHERE coder_id = ?').get(coderId)) {
    throw new FramelabError('NOT_FOUND', `There is no coder "${coderId}".`);
  }
  return db
    .prepare(
      `SELECT frame_id AS frameId, coder_id AS coderId, dimension, reason, created_at AS createdAt
       FROM recode_queue WHERE resolved_at IS NULL AND (? IS NULL OR coder_id = ?)
       ORDER BY coder_id, frame_id, dimension`,
    )
    .all(coderId ?? null, coderId ?? null) as RecodeEntry[];
}
