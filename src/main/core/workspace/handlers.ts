import fs from 'node:fs';
import { JOB_STATUSES, type IntegrityReport } from '../../../shared/jobs';
import { schemaVersion } from '../db/open';
import type { Core } from '../core';
import type { HandlerGroup } from '../api/types';

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

const count = (core: Core, sql: string) => (core.db.prepare(sql).get() as { n: number }).n;

export const workspaceHandlers: HandlerGroup<'workspace.summary' | 'workspace.progress'> = {
  'workspace.progress': (_input, core) => ({
    videos: count(core, 'SELECT count(*) AS n FROM videos'),
    frames: count(core, 'SELECT count(*) AS n FROM frames'),
    dimensions: count(core, 'SELECT count(*) AS n FROM dimensions'),
    coders: count(core, 'SELECT count(*) AS n FROM coders'),
    assignedFrames: count(core, 'SELECT count(DISTINCT frame_id) AS n FROM assignments'),
    overlapFrames: count(core, 'SELECT count(*) AS n FROM (SELECT frame_id FROM assignments GROUP BY frame_id HAVING count(*) >= 2)'),
    codedFrames: count(core, 'SELECT count(DISTINCT frame_id) AS n FROM codes'),
    codedByTwo: count(
      core,
      'SELECT count(*) AS n FROM (SELECT frame_id FROM codes GROUP BY frame_id HAVING count(DISTINCT coder_id) >= 2)',
    ),
    goldSnapshots: count(core, 'SELECT count(*) AS n FROM gold_snapshots'),
  }),
  'workspace.summary': (_input, core) => {
    const files = core.db.prepare('SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM stored_files').get() as {
      count: number;
      bytes: number;
    };
    const counts = core.jobRepo.countByStatus();
    const last = core.jobRepo.latestOfKind('workspace.integrity');
    return {
      home: core.home.root,
      dbFile: core.home.dbFile,
      // The WAL holds recent writes until a checkpoint: count it as part of the database.
      dbBytes: fileSize(core.home.dbFile) + fileSize(`${core.home.dbFile}-wal`),
      schemaVersion: schemaVersion(core.db),
      storedFiles: files,
      jobs: Object.fromEntries(JOB_STATUSES.map((s) => [s, counts[s] ?? 0])) as Record<(typeof JOB_STATUSES)[number], number>,
      lastIntegrityCheck: last && {
        jobId: last.id,
        finishedAt: last.finishedAt,
        status: last.status,
        ok: last.status === 'succeeded' ? (last.result as IntegrityReport).ok : null,
        // Reports written before the check looked for them have no `unregistered`.
        unregistered: last.status === 'succeeded' ? ((last.result as Partial<IntegrityReport>).unregistered?.count ?? null) : null,
      },
    };
  },
};
