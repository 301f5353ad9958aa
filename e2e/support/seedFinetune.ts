/**
 * Seeds a home for the Fine-tune e2e: the small real gold home of the model tests (frames
 * rendered per class, two agreeing coders, a gold snapshot, a seeded ResNet-50 as pov@v7),
 * and — unless told not to — one finished 1-epoch fine-tune of it (leave-one-out, and leave-one-video-out beside it), run by the
 * real job process (so the features are cached and a comparison exists).
 * Usage: tsx e2e/support/seedFinetune.ts HOME [--no-run]; prints one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../../src/main/core/core';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';
import { buildGoldHome } from '../../test/helpers/goldHome';

const [home, flag] = process.argv.slice(2);
if (!home) throw new Error('usage: seedFinetune.ts HOME [--no-run]');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-seed-finetune-'));
const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
try {
  const gold = await buildGoldHome(core, work, { videos: 3, perVideo: 2 });
  let run: { jobId: string; status: string; error: unknown } | null = null;
  if (flag !== '--no-run') {
    const job = core.jobs.start('finetune.run', {
      goldSnapshotId: gold.snapshotId,
      baseModel: 'pov@v7',
      cv: 'both',
      recipe: { maxEpochs: 1, lr: 1e-3, threads: 2 },
      bootstrapResamples: 200,
    });
    const done = await core.jobs.waitFor(job.id);
    run = { jobId: job.id, status: done.status, error: done.error };
  }
  process.stdout.write(`${JSON.stringify({ snapshotId: gold.snapshotId, frameIds: gold.frameIds, run })}\n`);
} finally {
  core.close();
  fs.rmSync(work, { recursive: true, force: true });
}
