/**
 * Seeds a home for the Inference e2e: two seeded ResNet-50s (pov@v7, distance@v7 at a 32 px
 * crop) imported by the real job, and a folder of generated clips (good ones and unreadable
 * ones) beside it. Usage: tsx e2e/support/seedInfer.ts HOME VIDEOS_DIR; prints one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../../src/main/core/core';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';
import { makeClips } from '../../test/infer/clips';
import { seedInferModels } from '../../test/infer/seedModels';

const [home, videos] = process.argv.slice(2);
if (!home || !videos) throw new Error('usage: seedInfer.ts HOME VIDEOS_DIR');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-seed-infer-'));
const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
try {
  await seedInferModels(core, work);
  const clips = await makeClips(videos, 4);
  process.stdout.write(
    `${JSON.stringify({ good: clips.good.map((f) => path.basename(f, '.mp4')), bad: clips.bad.map((f) => path.basename(f, '.mp4')) })}\n`,
  );
} finally {
  core.close();
  fs.rmSync(work, { recursive: true, force: true });
}
