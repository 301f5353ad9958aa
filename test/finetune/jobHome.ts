/**
 * The home the fine-tune job tests train in: test/helpers/goldHome.ts's real small gold home,
 * with two changes to its seeded `pov@v7`, made before the helper imports it:
 * - it is imported at a smaller crop (64 px → 4 × 4 layer-3 features instead of 14 × 14): the
 *   weights stay the full-size ResNet-50, each training step gets several times cheaper;
 * - its layer4 BatchNorm running statistics are set to those of the gold frames
 *   (oracles/calibrate_layer4_bn.py), as a model trained on such frames has them. With the
 *   seeded random statistics, eval mode after a few training steps predicts one class whatever
 *   the head learned, and no short recipe could beat v7.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../../src/main/core/core';
import type { JobSupervisor } from '../../src/main/core/jobs/supervisor';
import { IMAGENET_PREPROCESSING, type Preprocessing } from '../../src/shared/models';
import { buildGoldHome, type GoldHome } from '../helpers/goldHome';
import { runPython } from '../helpers/python';

export const ORACLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'oracles');

export function oracleScript(name: string): string {
  return fs.readFileSync(path.join(ORACLES, name), 'utf8');
}

export function smallPreprocessing(crop: number): Preprocessing {
  return { ...IMAGENET_PREPROCESSING, resize: crop, crop };
}

export async function buildJobGoldHome(
  core: Core,
  dir: string,
  options: { videos: number; perVideo: number; seed: number; crop: number },
): Promise<GoldHome> {
  const preprocessing = smallPreprocessing(options.crop);
  // The helper renders the frames into dir/frames, writes the seeded weights, then starts the
  // models.import job: hand it a core whose jobs.start calibrates that file and adds the crop.
  const jobs = {
    start(kind: Parameters<JobSupervisor['start']>[0], params: Record<string, unknown>) {
      if (kind !== 'models.import') return core.jobs.start(kind, params);
      const framesDir = path.join(dir, 'frames');
      const images = fs
        .readdirSync(framesDir)
        .sort()
        .map((f) => path.join(framesDir, f));
      runPython(oracleScript('calibrate_layer4_bn.py'), [String(params.file), String(options.crop), ...images], 300_000);
      return core.jobs.start(kind, { ...params, preprocessing });
    },
    waitFor: (id: string) => core.jobs.waitFor(id),
  } as unknown as JobSupervisor;
  return buildGoldHome({ ...core, jobs }, dir, options);
}
