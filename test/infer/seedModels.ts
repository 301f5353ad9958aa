/**
 * Two seeded full-size ResNet-50s (pov and distance) imported through the real `models.import`
 * job at a 32 px crop, as infer.test.ts does: what the results tests and the Inference e2e
 * run the real inference job with.
 */
import path from 'node:path';
import type { Core } from '../../src/main/core/core';
import { IMAGENET_PREPROCESSING } from '../../src/shared/models';
import { writeSeededResNet50 } from '../helpers/python';

export const POV = ['1st person', '2nd person', '3rd person', 'no person'];
export const DISTANCE = ['Close-up', 'Medium', 'Long shot'];

/** One seeded ResNet-50 with these classes, imported as dimension@version. */
export async function importSeededModel(
  core: Core,
  file: string,
  dimension: string,
  classes: string[],
  seed: number,
  version: string,
): Promise<void> {
  writeSeededResNet50(file, classes.length, seed);
  const job = core.jobs.start('models.import', {
    file,
    dimension,
    version,
    classes,
    // 32 px instead of 224: the same full-size network, ~50 times less compute per frame.
    preprocessing: { ...IMAGENET_PREPROCESSING, resize: 32, crop: 32 },
  });
  const done = await core.jobs.waitFor(job.id);
  if (done.status !== 'succeeded') throw new Error(`importing ${dimension}@${version} ${done.status}: ${JSON.stringify(done.error)}`);
}

/** pov@v7 and distance@v7 in the core's registry (weights written under `work`). */
export async function seedInferModels(core: Core, work: string, version = 'v7'): Promise<void> {
  await importSeededModel(core, path.join(work, 'pov.pth'), 'pov', POV, 1, version);
  await importSeededModel(core, path.join(work, 'distance.pth'), 'distance', DISTANCE, 2, version);
}
