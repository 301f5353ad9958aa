import type { AnnotationsSource } from '../../../shared/sync';
import type { Db } from '../db/open';
import type { SyncService } from './service';
import { annotationsSource } from './status';

/**
 * The one place outputs computed from annotations learn where those came from
 * (`annotationsSource` field: kind bucket | local, generation, syncedAt).
 *
 * - `annotationsSource(db)`: as things stand now (no network), for reports computed in place;
 * - `freshAnnotationsSource(...)`: bucket first: runs a round when a bucket is set, then says
 *   where the annotations come from; offline it falls back to the local copy and says so
 *   (kind "local"). Fine-tuning's comparison and anything that trains should call this one.
 */
export { annotationsSource };

export async function freshAnnotationsSource(core: { db: Db; sync: SyncService }): Promise<AnnotationsSource> {
  if (core.sync.settings().bucket) await core.sync.run('source').catch(() => undefined);
  return annotationsSource(core.db);
}
