/**
 * The frozen-feature cache with the real ONNX Runtime extractor: computed once per (frozen
 * weights, image, preprocessing), read back bit-exact, shared by models that differ only in
 * layer4/fc, recomputed when a file is damaged; and cached features classified by the head
 * graph give the full network's logits.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGENET_PREPROCESSING } from '../../src/shared/models';
import { extractorKey, FeatureCache } from '../../src/main/core/vision/features/cache';
import { OrtFeatureExtractor } from '../../src/main/core/vision/features/ortExtractor';
import { OrtSession } from '../../src/main/core/vision/inference/session';
import { exportResNet50Onnx } from '../../src/main/core/vision/onnx/exportResNet50';
import { preprocessBatch, preprocessImage } from '../../src/main/core/vision/preprocess';
import { readPth } from '../../src/main/core/vision/weights/pth';
import type { StateDict } from '../../src/main/core/vision/weights/tensor';
import { runCleanup, tempDir } from '../helpers';
import { pythonHas, writeSeededResNet50 } from '../helpers/python';

const haveTorchvision = pythonHas('torch', 'torchvision');

describe.skipIf(!haveTorchvision)('frozen-feature cache (needs /usr/bin/python3 with torch + torchvision for seeded weights)', () => {
  let dir: string;
  let dict: StateDict;
  let images: { id: string; file: string }[];
  let extractor: OrtFeatureExtractor;

  beforeAll(async () => {
    dir = tempDir('features');
    writeSeededResNet50(path.join(dir, 'w.pth'), 3, 11);
    dict = readPth(path.join(dir, 'w.pth'));
    images = [];
    for (const [i, [w, h]] of [
      [96, 64],
      [50, 90],
      [128, 128],
    ].entries()) {
      const raw = Buffer.alloc(w! * h! * 3);
      for (let k = 0; k < raw.length; k++) raw[k] = (k * (i + 7) + ((k / 3) | 0) * 13) % 256;
      const file = path.join(dir, `f${i}.png`);
      await sharp(raw, { raw: { width: w!, height: h!, channels: 3 } })
        .png()
        .toFile(file);
      images.push({ id: `frame_${i}`, file });
    }
    extractor = await OrtFeatureExtractor.open(dir, 'a'.repeat(64), dict, IMAGENET_PREPROCESSING, { threads: 2 });
  }, 180_000);
  afterAll(async () => {
    await extractor?.close();
    await runCleanup();
  });

  it('computes each frame once, then reads it back bit-exact; a damaged file is recomputed', async () => {
    const cache = new FeatureCache(path.join(dir, 'cache'));
    const first = await cache.features(images, extractor, preprocessImage, { batchSize: 2 });
    expect(first.stats).toEqual({ hits: 0, computed: 3 });
    expect(first.features[0]!.shape).toEqual([1024, 14, 14]);

    const second = await cache.features(images, extractor, preprocessImage);
    expect(second.stats).toEqual({ hits: 3, computed: 0 });
    second.features.forEach((f, i) => expect(f.data).toEqual(first.features[i]!.data));

    const damaged = cache.fileFor(extractor.key, crypto.createHash('sha256').update(fs.readFileSync(images[1]!.file)).digest('hex'));
    fs.truncateSync(damaged, 100);
    const third = await cache.features(images, extractor, preprocessImage);
    expect(third.stats).toEqual({ hits: 2, computed: 1 });
    expect(third.features[1]!.data).toEqual(first.features[1]!.data);
  }, 120_000);

  it('cached features through the head graph give the full network’s logits', async () => {
    const cache = new FeatureCache(path.join(dir, 'cache'));
    const { features } = await cache.features(images, extractor, preprocessImage);
    const head = await OrtSession.open(exportResNet50Onnx(dict, { part: 'head' }), { threads: 2 });
    const full = await OrtSession.open(exportResNet50Onnx(dict, { part: 'full' }), { threads: 2 });
    try {
      const stacked = new Float32Array(features.length * features[0]!.data.length);
      features.forEach((f, i) => stacked.set(f.data, i * f.data.length));
      const fromCache = await head.run(stacked, features.length, [1024, 14, 14]);
      const direct = await full.run(
        await preprocessBatch(
          images.map((i) => i.file),
          IMAGENET_PREPROCESSING,
        ),
        images.length,
      );
      const scale = Math.max(...direct.data.map(Math.abs));
      direct.data.forEach((v, i) => expect(Math.abs(fromCache.data[i]! - v) / scale).toBeLessThan(1e-5));
    } finally {
      await head.close();
      await full.close();
    }
  }, 120_000);

  it('keys the cache by the frozen layers and the preprocessing only', () => {
    const base = extractorKey(dict, IMAGENET_PREPROCESSING);
    const retrained = new Map(dict);
    const fc = dict.get('fc.weight')!;
    retrained.set('fc.weight', { ...fc, data: (fc.data as Float32Array).map((v) => v * 2) });
    const l4 = dict.get('layer4.0.conv1.weight')!;
    retrained.set('layer4.0.conv1.weight', { ...l4, data: (l4.data as Float32Array).map((v) => v + 1) });
    expect(extractorKey(retrained, IMAGENET_PREPROCESSING)).toBe(base);

    const refrozen = new Map(dict);
    const l3 = dict.get('layer3.5.bn3.running_mean')!;
    refrozen.set('layer3.5.bn3.running_mean', { ...l3, data: (l3.data as Float32Array).map((v) => v + 1e-3) });
    expect(extractorKey(refrozen, IMAGENET_PREPROCESSING)).not.toBe(base);
    expect(extractorKey(dict, { ...IMAGENET_PREPROCESSING, crop: 192 })).not.toBe(base);
  });
});
