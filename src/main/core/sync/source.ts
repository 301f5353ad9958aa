import type { AnnotationsSource } from '../../../shared/sync';
import type { Db } from '../db/open';
import type { SyncService } from './service';
import { readSyncSettings } from './settings';
import { annotationsSource } from './status';

/**
 * The one place outputs computed from annotations learn where those came from
 * (`annotationsSource` field: kind bucket | local, generation, syncedAt).
 *
 * - `annotationsSource(db)`: as things stand now (no network), for reports computed in place;
 * - `freshAnnotationsSource(...)`: bucket first (seed 004: the fine-tune once read a stale
 *   local copy): runs a round when a bucket is set, then says where the annotations come from.
 *   Offline it falls back to the local copy, loudly: the source is "local" with the round's
 *   reason (`offlineReason`), and a warning for the job log or the CLI's stderr. Gold
 *   snapshots, the CLI's `icr` and jobs that read annotations (fine-tuning) call this one.
 */
export { annotationsSource };

export interface FreshSource {
  source: AnnotationsSource;
  /** Set when a bucket is configured and the round before `purpose` did not reach it: what to tell the user. */
  warning: string | null;
}

export async function freshAnnotationsSource(core: { db: Db; sync: SyncService }, purpose: string): Promise<FreshSource> {
  const settings = readSyncSettings(core.db);
  if (!settings.bucket) return { source: annotationsSource(core.db), warning: null };
  let reason: string | null;
  try {
    const round = await core.sync.run('source');
    reason = round.offline ? round.reason : null;
  } catch (err) {
    reason = err instanceof Error ? err.message : String(err);
  }
  const source = annotationsSource(core.db);
  if (reason === null && source.kind === 'bucket') return { source, warning: null };
  const why = (reason ?? 'the round did not finish').trim().replace(/([^.!?])$/, '$1.');
  const copy = source.syncedAt ? `last synced ${source.syncedAt}, generation ${source.generation}` : 'never synced with the bucket';
  return {
    source: { ...source, kind: 'local', offlineReason: why },
    warning: `Could not sync the annotations with gs://${settings.bucket}/${settings.object} before ${purpose}: ${why} Using the LOCAL copy (${copy}); it is recorded as the annotations' source. Sync (\`framelab sync\`) and run it again to use the bucket's annotations.`,
  };
}
