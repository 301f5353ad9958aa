/**
 * Bucket first for jobs that read annotations (issue #21, seed 004: the fine-tune once read a
 * stale local copy). The owner runs a sync round before such a job starts — the job's own
 * process has no sync service — and writes how it went into the job's log: a warning when the
 * bucket could not be reached (the job goes on with the local copy, and records its source as
 * it always does), or when what the job reads was frozen from older annotations than the
 * bucket now holds.
 */
import { jobKinds, type JobKind, type JobParams } from '../../../shared/jobs';
import type { AnnotationsSource } from '../../../shared/sync';
import type { Db } from '../db/open';
import { listSnapshots } from '../gold/goldSet';
import type { SyncService } from '../sync/service';
import { freshAnnotationsSource } from '../sync/source';

export interface JobNote {
  level: 'info' | 'warn';
  message: string;
}

type Before = { [K in JobKind]?: (params: JobParams<K>, core: { db: Db; sync: SyncService }) => Promise<JobNote[]> };

const describe = (s: AnnotationsSource | null) =>
  !s
    ? 'annotations of unknown origin'
    : s.kind === 'bucket'
      ? `the bucket's annotations (generation ${s.generation})`
      : `the LOCAL copy (${s.syncedAt ? `last synced ${s.syncedAt}, generation ${s.generation}` : 'never synced'})`;

const before: Before = {
  'finetune.run': async (params, core) => {
    const { source, warning } = await freshAnnotationsSource(core, `the fine-tune on gold snapshot ${params.goldSnapshotId}`);
    if (warning) return [{ level: 'warn', message: warning }];
    if (source.kind !== 'bucket') return []; // no bucket configured: local is all there is
    const snapshot = listSnapshots(core.db).find((s) => s.id === params.goldSnapshotId) ?? null;
    if (!snapshot) return []; // the job names the missing snapshot itself
    const from = snapshot.annotationsSource;
    if (from?.kind === 'bucket' && from.generation === source.generation) {
      return [
        {
          level: 'info',
          message: `Annotations synced with the bucket (generation ${source.generation}); gold snapshot ${snapshot.id} was taken from that same generation.`,
        },
      ];
    }
    return [
      {
        level: 'warn',
        message: `Gold snapshot ${snapshot.id} (taken ${snapshot.createdAt}) was frozen from ${describe(from)}; the bucket now holds generation ${source.generation}. The fine-tune trains on the snapshot as frozen: take a new one (\`framelab gold snapshot --dimension ${snapshot.dimension}\`) to train on the current annotations.`,
      },
    ];
  },
};

/** The sync round before a job of `kind` and what to log about it; [] for kinds that read no annotations. */
export async function syncBeforeJob<K extends JobKind>(kind: K, params: unknown, core: { db: Db; sync: SyncService }): Promise<JobNote[]> {
  const run = before[kind] as ((params: unknown, core: { db: Db; sync: SyncService }) => Promise<JobNote[]>) | undefined;
  if (!run) return [];
  const parsed = jobKinds[kind].params.safeParse(params ?? {});
  return parsed.success ? run(parsed.data, core) : []; // bad parameters: the start refuses them, no round needed
}
