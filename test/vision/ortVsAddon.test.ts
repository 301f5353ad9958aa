/**
 * Inference (ONNX Runtime on the graph exported from TypeScript) and training (the LibTorch
 * addon) compute the same network: the same seeded weights and images give the same logits
 * and the same layer-3 features, so a model trained by the addon predicts in batch inference
 * what it predicted during cross-validation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrainingAddon, type ResNet50Model } from '../../native/index';
import { OrtSession } from '../../src/main/core/vision/inference/session';
import { exportResNet50Onnx } from '../../src/main/core/vision/onnx/exportResNet50';
import { readPth } from '../../src/main/core/vision/weights/pth';
import { mulberry32 } from '../../src/main/core/random';
import { REPO_ROOT, runCleanup, tempDir } from '../helpers';
import { pythonHas, writeSeededResNet50 } from '../helpers/python';
import { stateDictToEntries } from '../../src/main/core/vision/weights/stateEntries';

const addonBuilt = fs.existsSync(path.join(REPO_ROOT, 'native/build/Release/framelab_native.node'));
const ready = addonBuilt && pythonHas('torch', 'torchvision');

/** max |a − b| over max |b|. */
function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

describe.skipIf(!ready)(
  'ONNX Runtime and the LibTorch addon agree (needs the built addon and /usr/bin/python3 with torch + torchvision)',
  () => {
    let net: ResNet50Model;
    let ort: { full: OrtSession; features: OrtSession };
    let images: Float32Array;

    beforeAll(async () => {
      const dir = tempDir('ort-addon');
      writeSeededResNet50(path.join(dir, 'w.pth'), 4, 21);
      const dict = readPth(path.join(dir, 'w.pth'));
      const addon = loadTrainingAddon(REPO_ROOT);
      net = new addon.ResNet50({ numClasses: 4, threads: 2, seed: 0, device: 'cpu' });
      net.loadState(stateDictToEntries(dict));
      ort = {
        full: await OrtSession.open(exportResNet50Onnx(dict, { part: 'full' }), { threads: 2, provider: 'cpu' }),
        features: await OrtSession.open(exportResNet50Onnx(dict, { part: 'features' }), { threads: 2, provider: 'cpu' }),
      };
      const rng = mulberry32(5);
      images = Float32Array.from({ length: 2 * 3 * 224 * 224 }, () => (rng() - 0.5) * 4);
    }, 180_000);
    afterAll(async () => {
      await ort?.full.close();
      await ort?.features.close();
      await runCleanup();
    });

    it('gives the same logits for the same images (relative 1e-4)', async () => {
      const fromAddon = await net.forward(images, 2);
      const fromOrt = await ort.full.run(images, 2);
      expect(fromOrt.itemShape).toEqual([4]);
      expect(relativeError(fromOrt.data, fromAddon)).toBeLessThan(1e-4);
    }, 120_000);

    it('gives the same layer-3 features, and the cached-feature path the same logits as the full forward', async () => {
      const fromAddon = await net.features(images, 2);
      const fromOrt = await ort.features.run(images, 2);
      expect(fromOrt.itemShape).toEqual([1024, 14, 14]);
      expect(relativeError(fromOrt.data, fromAddon)).toBeLessThan(1e-4);
      // Training reads ORT's cached features: the addon's head on them gives its own full logits.
      const viaCache = await net.forwardFromFeatures(fromOrt.data, 2);
      expect(relativeError(viaCache, await net.forward(images, 2))).toBeLessThan(1e-4);
    }, 120_000);
  },
);
