/**
 * Preprocessing against torchvision's own transform (Resize → CenterCrop → ToTensor →
 * Normalize on a PIL image), run by test/vision/oracles/preprocess_oracle.py on the same files.
 * PNG must match exactly; JPEG only loosely, since two libjpeg builds may decode differently.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/main/core/random';
import {
  decodeRgb,
  DEFAULT_PREPROCESSING,
  preprocessBatch,
  preprocessImage,
  preprocessingKey,
  resizeAndCrop,
  type PreprocessingConfig,
} from '../../src/main/core/vision/preprocess';
import { centerCropOrigin, roundHalfEven, shorterSideSize } from '../../src/main/core/vision/preprocessGeometry';
import { resizeRgb, type ResampleFilter } from '../../src/main/core/vision/preprocessResample';
import { FramelabError } from '../../src/shared/errors';
import { REPO_ROOT, runCleanup, tempDir } from '../helpers';
import { PYTHON } from '../helpers/python';

afterEach(runCleanup);

const ORACLE = path.join(REPO_ROOT, 'test/vision/oracles/preprocess_oracle.py');

interface TestImage {
  name: string;
  file: string;
  jpeg: boolean;
}

/** Noise over sine waves, different per channel: every resampling tap matters. */
async function writeImage(
  dir: string,
  name: string,
  width: number,
  height: number,
  options: { alpha?: boolean; grey?: boolean; jpeg?: boolean },
  seed: number,
): Promise<TestImage> {
  const channels = options.alpha ? 4 : 3;
  const random = mulberry32(seed);
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const wave = 128 + 100 * Math.sin((x * (c + 1)) / 13 + y / (7 + 5 * c));
        data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(wave + (random() - 0.5) * 140)));
      }
    }
  }
  let image = sharp(data, { raw: { width, height, channels } });
  if (options.grey) image = image.greyscale();
  const file = path.join(dir, `${name}.${options.jpeg ? 'jpg' : 'png'}`);
  await (options.jpeg ? image.jpeg({ quality: 90 }) : image.png()).toFile(file);
  return { name, file, jpeg: !!options.jpeg };
}

const IMAGENET: PreprocessingConfig = { ...DEFAULT_PREPROCESSING };

/** Configurations the oracle runs on every image (odd crops, upscaling, padding, each filter). */
const RUNS: { config: PreprocessingConfig; exact: boolean }[] = [
  { config: IMAGENET, exact: true },
  { config: { ...IMAGENET, interpolation: 'bicubic' }, exact: true },
  { config: { ...IMAGENET, resize: 255, crop: 223, interpolation: 'box' }, exact: true },
  // Pillow's sinc-based filters go through libm's sin/cos: allow a level where the last bit differs.
  { config: { resize: 160, crop: 128, mean: [0.5, 0.4, 0.3], std: [0.2, 0.3, 0.25], interpolation: 'lanczos' }, exact: false },
  { config: { ...IMAGENET, resize: 97, crop: 96, interpolation: 'hamming' }, exact: false },
  // Crop larger than the resized image: torchvision pads with black first.
  { config: { resize: 200, crop: 224, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }, exact: true },
];

let dir: string;
let images: TestImage[];
let oracleSizes: number[][][];

function readU8(file: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(file));
}

function readF32(file: string): Float32Array {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

function diffStats(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; mean: number; count: number } {
  expect(a.length).toBe(b.length);
  let max = 0;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > 0) count++;
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / a.length, count };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-test-preprocess-'));
  images = [
    await writeImage(dir, 'landscape_401x299', 401, 299, {}, 1),
    await writeImage(dir, 'portrait_rgba_257x389', 257, 389, { alpha: true }, 2),
    await writeImage(dir, 'small_upscaled_151x211', 151, 211, {}, 3),
    await writeImage(dir, 'large_1283x721', 1283, 721, {}, 4),
    await writeImage(dir, 'grey_300x257', 300, 257, { grey: true }, 5),
    await writeImage(dir, 'exact_256x300', 256, 300, {}, 6),
    await writeImage(dir, 'photo_641x361', 641, 361, { jpeg: true }, 7),
  ];
  const spec = path.join(dir, 'spec.json');
  fs.writeFileSync(spec, JSON.stringify({ images: images.map((i) => i.file), out: dir, runs: RUNS.map((r) => r.config) }));
  const run = spawnSync(PYTHON, [ORACLE, spec], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`preprocess oracle failed: ${run.stderr}`);
  oracleSizes = JSON.parse(run.stdout).sizes;
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('preprocessing equals torchvision on PIL images', () => {
  it('resizes like Pillow: the same sizes and the same 8-bit pixels', async () => {
    for (const [r, { config, exact }] of RUNS.entries()) {
      for (const [i, image] of images.entries()) {
        const rgb = await decodeRgb(image.file);
        const size = shorterSideSize(rgb.width, rgb.height, config.resize);
        const label = `${image.name} with ${JSON.stringify(config)}`;
        expect([size.width, size.height], label).toEqual(oracleSizes[r]![i]);
        const ours =
          size.width === rgb.width && size.height === rgb.height
            ? rgb
            : resizeRgb(rgb, size.width, size.height, (config.interpolation ?? 'bilinear') as ResampleFilter);
        const d = diffStats(ours.data, readU8(path.join(dir, `${r}.${i}.resized.u8`)));
        if (image.jpeg) expect(d.mean, label).toBeLessThan(1);
        else if (exact) expect(d, label).toEqual({ max: 0, mean: 0, count: 0 });
        else expect(d.max, label).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives torchvision’s normalised CHW tensor (PNG within one level / std, in practice bit-identical)', async () => {
    for (const [r, { config, exact }] of RUNS.entries()) {
      const tolerance = 1 / 255 / Math.min(...config.std) + 1e-6;
      for (const [i, image] of images.entries()) {
        const ours = await preprocessImage(image.file, config);
        expect(ours.length).toBe(3 * config.crop * config.crop);
        const d = diffStats(ours, readF32(path.join(dir, `${r}.${i}.tensor.f32`)));
        const label = `${image.name} with ${JSON.stringify(config)}`;
        if (image.jpeg) {
          // Decoders may round a few pixels differently: bounded, and rare on average.
          expect(d.max, label).toBeLessThanOrEqual(6 * tolerance);
          expect(d.mean, label).toBeLessThan(tolerance);
        } else {
          expect(d.max, label).toBeLessThanOrEqual(tolerance);
          if (exact) expect(d.count, label).toBe(0);
        }
      }
    }
  });

  it('batches in order, from paths and from buffers alike', async () => {
    const sources = [images[0]!.file, fs.readFileSync(images[1]!.file), images[4]!.file];
    const batch = await preprocessBatch(sources, IMAGENET, { concurrency: 2 });
    const item = 3 * 224 * 224;
    expect(batch.length).toBe(3 * item);
    for (const [k, source] of sources.entries()) {
      const single = await preprocessImage(source);
      expect(diffStats(batch.subarray(k * item, (k + 1) * item), single).count).toBe(0);
    }
  });
});

describe('preprocessing details', () => {
  it('rounds the centre crop half-to-even and pads like torchvision', () => {
    expect([roundHalfEven(16.5), roundHalfEven(17.5), roundHalfEven(3), roundHalfEven(0.5)]).toEqual([16, 18, 3, 0]);
    expect(centerCropOrigin(257, 300, 224)).toEqual({ left: 16, top: 38 });
    expect(centerCropOrigin(259, 224, 224)).toEqual({ left: 18, top: 0 });
    // 200 wide: padded 12 left, 12 right; 201 wide: 11 left, 12 right, then round(0) = 0.
    expect(centerCropOrigin(200, 250, 224)).toEqual({ left: -12, top: 13 });
    expect(centerCropOrigin(201, 224, 224)).toEqual({ left: -11, top: 0 });
    const tiny = resizeAndCrop({ width: 2, height: 2, data: new Uint8Array(12).fill(9) }, { ...IMAGENET, resize: 2, crop: 4 });
    expect([...tiny.data.subarray(0, 3 * 4)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...tiny.data.subarray(3 * 5, 3 * 7)]).toEqual([9, 9, 9, 9, 9, 9]);
  });

  it('keys configurations stably: defaults filled in, interpolation case ignored, any change seen', () => {
    const key = preprocessingKey(IMAGENET);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    // A literal: the key of the default pipeline must not change by accident (cached features depend on it).
    expect(key).toBe(preprocessingKey({}));
    expect(key).toBe('506371e89a2b675884aa48bd6c8e6663');
    expect(preprocessingKey({ ...IMAGENET, interpolation: 'BILINEAR' })).toBe(key);
    expect(preprocessingKey({ resize: 256, crop: 224, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] })).toBe(key);
    expect(preprocessingKey({ ...IMAGENET, crop: 225 })).not.toBe(key);
    expect(preprocessingKey({ ...IMAGENET, mean: [0.485, 0.456, 0.407] })).not.toBe(key);
    expect(preprocessingKey({ ...IMAGENET, interpolation: 'bicubic' })).not.toBe(key);
  });

  it('names an unreadable image, and refuses an unknown interpolation', async () => {
    const scratch = tempDir('preprocess');
    const missing = path.join(scratch, 'missing.png');
    const garbage = path.join(scratch, 'garbage.png');
    fs.writeFileSync(garbage, 'this is not a PNG');
    const fails = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FramelabError);
      return err as FramelabError;
    };
    const notFound = await fails(preprocessImage(missing));
    expect(notFound.code).toBe('NOT_FOUND');
    expect(notFound.message).toContain(missing);
    const bad = await fails(preprocessImage(garbage));
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.message).toContain(garbage);
    const inBatch = await fails(preprocessBatch([images[0]!.file, garbage]));
    expect(inBatch.message).toContain(garbage);
    const buffer = await fails(preprocessImage(Buffer.from('nope')));
    expect(buffer.message).toContain('in-memory image (4 bytes)');
    const interp = await fails(preprocessImage(images[0]!.file, { ...IMAGENET, interpolation: 'nearest-exact' }));
    expect(interp.code).toBe('INVALID_INPUT');
    expect(interp.message).toContain('"nearest-exact"');
  });
});
