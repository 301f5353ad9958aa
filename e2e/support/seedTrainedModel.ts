/**
 * For the registry's "made by" link: a home seeded by seedFinetune.ts (one finished fine-tune)
 * gets a registry row whose source is that run. When the run saved pov@v8 itself, that row is
 * the one; when its decision kept v7, pov@v8 is registered here as the run's model (v7's
 * weights: only the lineage is under test).
 * Usage: tsx e2e/support/seedTrainedModel.ts HOME JOB_ID; prints one JSON line.
 */
import { openCore } from '../../src/main/core/core';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';
import { findModel, getModel, registerModel } from '../../src/main/core/models/registry';

const [home, jobId] = process.argv.slice(2);
if (!home || !jobId) throw new Error('usage: seedTrainedModel.ts HOME JOB_ID');
const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
try {
  let v8 = findModel(core.db, 'pov@v8');
  if (!v8) {
    const v7 = getModel(core.db, 'pov@v7');
    v8 = registerModel(core.db, {
      ...v7,
      id: 'pov@v8',
      version: 'v8',
      parentId: v7.id,
      source: `job:${jobId}`,
      activate: false,
      weights: { path: v7.weightsPath, sha256: v7.sha256, size: 0 },
      sidecar: { path: `${v7.weightsPath}.seed-sidecar.json`, sha256: v7.sha256, size: 0 },
    });
  }
  process.stdout.write(`${JSON.stringify({ id: v8.id, source: v8.source })}\n`);
} finally {
  core.close();
}
