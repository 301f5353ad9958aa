import type { AnnotationsSource, SyncRound, SyncStatus } from '../../../shared/sync';
import { cached, type Db } from '../db/open';
import { pendingEdits, readSyncState } from './round';
import { readSyncSettings, targetOf } from './settings';

/**
 * Where the local annotations stand against the bucket. `annotationsSource` is THE function
 * every output computed from annotations calls (ICR reports, gold snapshots, fine-tuning's
 * comparison): "bucket" only while the last round reached the bucket, else "local" with the
 * generation and time of the last round that did (null when none ever did).
 */
export function annotationsSource(db: Db): AnnotationsSource {
  const settings = readSyncSettings(db);
  if (!settings.bucket) return { kind: 'local', generation: null, syncedAt: null };
  const target = targetOf(settings.bucket, settings.object);
  const state = readSyncState(db, target);
  const last = cached(db, 'SELECT outcome FROM sync_rounds WHERE target = ? ORDER BY id DESC LIMIT 1').get(target) as
    { outcome: string } | undefined;
  return {
    kind: state && last?.outcome === 'synced' ? 'bucket' : 'local',
    generation: state?.generation ?? null,
    syncedAt: state?.synced_at ?? null,
  };
}

interface RoundRow {
  id: number;
  target: string;
  trigger: string;
  started_at: string;
  finished_at: string;
  outcome: 'synced' | 'offline';
  problem: SyncRound['problem'];
  message: string | null;
  rows_in: number;
  rows_out: number;
  merged: number;
  conflicts: number;
  attempts: number;
  generation: string | null;
}

const toRound = (r: RoundRow): SyncRound => ({
  id: r.id,
  target: r.target,
  trigger: r.trigger,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  outcome: r.outcome,
  problem: r.problem,
  message: r.message,
  rowsIn: r.rows_in,
  rowsOut: r.rows_out,
  merged: r.merged,
  conflicts: r.conflicts,
  attempts: r.attempts,
  generation: r.generation,
});

export function listRounds(db: Db, limit: number): SyncRound[] {
  return (cached(db, 'SELECT * FROM sync_rounds ORDER BY id DESC LIMIT ?').all(limit) as RoundRow[]).map(toRound);
}

export function syncStatus(db: Db, syncing: boolean): SyncStatus {
  const settings = readSyncSettings(db);
  const source = annotationsSource(db);
  const openConflicts = (cached(db, 'SELECT count(*) AS n FROM sync_conflicts WHERE resolved_at IS NULL').get() as { n: number }).n;
  if (!settings.bucket) {
    return {
      state: 'off',
      target: null,
      lastSyncedAt: null,
      generation: null,
      offlineSince: null,
      problem: null,
      message: null,
      openConflicts,
      pendingEdits: 0,
      source,
    };
  }
  const target = targetOf(settings.bucket, settings.object);
  const state = readSyncState(db, target);
  const last = cached(db, 'SELECT * FROM sync_rounds WHERE target = ? ORDER BY id DESC LIMIT 1').get(target) as RoundRow | undefined;
  const offline = last?.outcome === 'offline';
  const since = offline
    ? (
        cached(
          db,
          `SELECT min(started_at) AS since FROM sync_rounds WHERE target = ? AND outcome = 'offline'
           AND id > coalesce((SELECT max(id) FROM sync_rounds WHERE target = ? AND outcome = 'synced'), 0)`,
        ).get(target, target) as { since: string | null }
      ).since
    : null;
  return {
    state: syncing ? 'syncing' : !last ? 'never' : offline ? 'offline' : 'synced',
    target,
    lastSyncedAt: state?.synced_at ?? null,
    generation: state?.generation ?? null,
    offlineSince: since,
    problem: offline ? (last.problem ?? 'error') : null,
    message: offline ? last.message : null,
    openConflicts,
    pendingEdits: pendingEdits(db, target),
    source,
  };
}
