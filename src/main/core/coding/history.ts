import crypto from 'node:crypto';
import { cached, type Db } from '../db/open';

/** The append-only code history: one entry per changed code, grouped by the save it belongs to. */
export type HistorySource = 'coding' | 'undo' | 'import' | 'remap' | 'sync';

export interface HistoryEntry {
  batchId: string;
  frameId: string;
  coderId: string;
  dimension: string;
  beforeId: number | null;
  afterId: number | null;
  at: string;
  source: HistorySource;
}

export const newBatchId = (): string => `b_${Date.now().toString(36)}_${crypto.randomBytes(4).toString('hex')}`;

export function historyEntry(db: Db, entry: HistoryEntry): void {
  // Positional parameters: binding by name costs as much as the insert itself in a bulk import.
  cached(
    db,
    `INSERT INTO code_history (batch_id, frame_id, coder_id, dimension, before_id, after_id, at, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(entry.batchId, entry.frameId, entry.coderId, entry.dimension, entry.beforeId, entry.afterId, entry.at, entry.source);
}
