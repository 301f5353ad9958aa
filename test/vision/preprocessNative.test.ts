/**
 * The image addon (native/src/image, framelab_image.node) against the TypeScript port of
 * Pillow's resampler it replaces (bit for bit: 8-bit crops and normalised tensors) and against
 * Pillow itself (python3-pil through /usr/bin/python3, test/vision/oracles/pillow_resize.py):
 * portrait and landscape 1080p frames, odd sizes, upscaling, padding, all five filters.
 * Needs `npm run build:native` (CI runs it); skipped without the addon.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imageAddonPath, loadImageAddon, type ImageAddon } from '../../native/imageAddon';
import { mulberry32 } from '../../src/main/core/random';
import { DEFAULT_PREPROCESSING, preprocessRgbBatch, resizeAndCrop, type PreprocessingConfig } from '../../src/main/core/vision/preprocess';
import { preprocessBackend, useJsPreprocess } from '../../src/main/core/vision/preprocessBackend';
import { centerCrop, shorterSideSize } from '../../src/main/core/vision/preprocessGeometry';
import { RESAMPLE_FILTERS, resizeRgb, type ResampleFilter, type RgbImage } from '../../src/main/core/vision/preprocessResample';
import { REPO_ROOT, runCleanup, tempDir } from '../helpers';
import { PYTHON, pythonHas } from '../helpers/python';

afterEach(runCleanup);

const BUILT = fs.existsSync(imageAddonPath(REPO_ROOT));
const ORACLE = path.join(REPO_ROOT, 'test/vision/oracles/pillow_resize.py');

/** Noise over diagonal ramps, different per channel, with runs of 0 and 255 (clamping): every tap matters. */
function frame(width: number, height: number, seed: number): RgbImage {
  const random = mulberry32(seed);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++, i++) {
        const ramp = ((x * (c + 1) + y * (3 - c)) % 400) - 72;
        data[i] = Math.max(0, Math.min(255, ramp + Math.floor((random() - 0.5) * 120)));
      }
    }
  }
  return { width, height, data };
}

const frames = new Map<string, RgbImage>();
function frameOf([w, h]: [number, number]): RgbImage {
  const key = `${w}x${h}`;
  if (!frames.has(key)) frames.set(key, frame(w, h, w * 7919 + h));
  return frames.get(key)!;
}

/** Portrait and landscape 1080p (the lab's frames), an odd large size; then small odd sizes, upscaled ones, slivers. */
const LARGE: [number, number][] = [
  [1080, 1920],
  [1920, 1080],
  [1081, 1923],
];
const SIZES: [number, number][] = [...LARGE, [333, 517], [257, 389], [223, 97], [151, 211], [1, 300], [5, 7]];

function withBackend<T>(js: boolean, fn: () => T): T {
  useJsPreprocess(js);
  try {
    return fn();
  } finally {
    useJsPreprocess(false);
  }
}

function differing(a: Uint8Array, b: Uint8Array): { count: number; max: number } {
  expect(a.length).toBe(b.length);
  let count = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d) count++;
    if (d > max) max = d;
  }
  return { count, max };
}

describe.skipIf(!BUILT)('the image addon', () => {
  let addon: ImageAddon;

  beforeAll(() => {
    const status = loadImageAddon(REPO_ROOT);
    if (!status.addon) throw new Error(status.detail);
    addon = status.addon;
  });

  it('is what preprocessing uses when it is built (and the TypeScript path when forced)', () => {
    expect(preprocessBackend()).toEqual({ kind: 'native', detail: expect.stringContaining('framelab_image.node') });
    withBackend(true, () => expect(preprocessBackend().kind).toBe('js'));
    expect([...addon.filters].sort()).toEqual([...RESAMPLE_FILTERS].sort());
  });

  it('falls back to the TypeScript path, saying why, when the addon is missing', () => {
    const saved = process.env.FRAMELAB_IMAGE_ADDON;
    process.env.FRAMELAB_IMAGE_ADDON = path.join(tempDir('no-addon'), 'framelab_image.node');
    try {
      useJsPreprocess(false);
      expect(preprocessBackend()).toEqual({
        kind: 'js',
        detail: expect.stringMatching(/framelab_image\.node is missing.*npm run build:native/),
      });
      const img = frameOf([333, 517]);
      const js = resizeAndCrop(img, DEFAULT_PREPROCESSING);
      useJsPreprocess(true);
      expect(differing(js.data, resizeAndCrop(img, DEFAULT_PREPROCESSING).data).count).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.FRAMELAB_IMAGE_ADDON;
      else process.env.FRAMELAB_IMAGE_ADDON = saved;
      useJsPreprocess(false);
    }
    expect(preprocessBackend().kind).toBe('native');
  });

  it('crops exactly the bytes of the TypeScript path, for every filter and size', () => {
    const configs: PreprocessingConfig[] = [
      ...RESAMPLE_FILTERS.map((f) => ({ ...DEFAULT_PREPROCESSING, interpolation: f })),
      { ...DEFAULT_PREPROCESSING, resize: 255, crop: 223 },
      // Crop larger than the resized image: torchvision's zero padding.
      { ...DEFAULT_PREPROCESSING, resize: 200, crop: 224, interpolation: 'bicubic' },
      { ...DEFAULT_PREPROCESSING, resize: 97, crop: 96, interpolation: 'hamming' },
    ];
    for (const size of SIZES) {
      const img = frameOf(size);
      // The large frames with every filter at the ImageNet sizes; the rest with every configuration.
      for (const config of LARGE.includes(size) ? configs.slice(0, RESAMPLE_FILTERS.length) : configs) {
        const label = `${size.join('×')} ${JSON.stringify(config)}`;
        const js = withBackend(true, () => resizeAndCrop(img, config));
        const native = resizeAndCrop(img, config);
        expect([native.width, native.height], label).toEqual([js.width, js.height]);
        expect(differing(native.data, js.data), label).toEqual({ count: 0, max: 0 });
      }
    }
  });

  it('resizes whole images like the TypeScript path, including one-axis resizes (that pass skipped)', () => {
    for (const [w, h] of SIZES.slice(LARGE.length - 1)) {
      const img = frameOf([w, h]);
      const targets: [number, number][] = [
        [Math.max(1, w >> 1), h],
        [w, h + 3],
        [301, 17],
        [w, h],
      ];
      for (const [ow, oh] of targets) {
        for (const filter of ['bilinear', 'lanczos'] as ResampleFilter[]) {
          const js = resizeRgb(img, ow, oh, filter);
          const native = addon.resizeCrop(img.data, w, h, ow, oh, 0, 0, ow, oh, filter);
          expect(differing(native, js.data), `${w}×${h} → ${ow}×${oh} ${filter}`).toEqual({ count: 0, max: 0 });
        }
      }
    }
  });

  it('normalises to the TypeScript path’s float32 tensor bit for bit, in batches', () => {
    const images = SIZES.slice(0, 6).map(frameOf);
    for (const config of [
      DEFAULT_PREPROCESSING,
      { resize: 160, crop: 128, mean: [0.5, 0.4, 0.3], std: [0.2, 0.3, 0.25], interpolation: 'lanczos' },
    ]) {
      const js = withBackend(true, () => preprocessRgbBatch(images, config));
      const native = preprocessRgbBatch(images, config);
      expect(native.length).toBe(images.length * 3 * config.crop * config.crop);
      const a = new Uint32Array(native.buffer, native.byteOffset, native.length);
      const b = new Uint32Array(js.buffer, js.byteOffset, js.length);
      expect(differing(new Uint8Array(a.buffer), new Uint8Array(b.buffer)).count).toBe(0);
    }
  });

  it('refuses what it cannot resize, with a message (never a crash)', () => {
    const img = frameOf([5, 7]);
    expect(() => addon.resizeCrop(img.data.subarray(1), 5, 7, 3, 3, 0, 0, 3, 3, 'bilinear')).toThrow(/5×7 RGB needs 105 bytes, got 104/);
    expect(() => addon.resizeCrop(img.data, 5, 7, 3, 3, 0, 0, 3, 3, 'nearest')).toThrow(/unknown resampling filter "nearest"/);
    expect(() => addon.resizeCrop(img.data, 5, 7, 0, 3, 0, 0, 3, 3, 'bilinear')).toThrow(/positive/);
    const out = new Float32Array(3 * 4 * 4 - 1);
    expect(() => addon.resizeCropNormalize(img.data, 5, 7, 4, 4, 0, 0, 4, 'bilinear', new Float32Array(768), out, 0)).toThrow(/too short/);
  });
});

describe.skipIf(!BUILT || !pythonHas('PIL'))('the image addon against Pillow', () => {
  it('gives Pillow’s resized bytes (exact for bilinear, bicubic, box; within one level for hamming and lanczos) and their centre crop', () => {
    const dir = tempDir('pillow-resize');
    const { addon } = loadImageAddon(REPO_ROOT);
    const cases: {
      src: string;
      width: number;
      height: number;
      outWidth: number;
      outHeight: number;
      filter: ResampleFilter;
      out: string;
      img: RgbImage;
    }[] = [];
    for (const [k, [w, h]] of SIZES.entries()) {
      const img = frameOf([w, h]);
      const src = path.join(dir, `${k}.rgb`);
      fs.writeFileSync(src, img.data);
      const size = shorterSideSize(w, h, 256);
      for (const filter of RESAMPLE_FILTERS) {
        cases.push({
          src,
          width: w,
          height: h,
          outWidth: size.width,
          outHeight: size.height,
          filter,
          out: path.join(dir, `${k}.${filter}.out`),
          img,
        });
      }
      // An arbitrary target (both sides shrunk or stretched independently).
      cases.push({ src, width: w, height: h, outWidth: 97, outHeight: 131, filter: 'bilinear', out: path.join(dir, `${k}.odd.out`), img });
    }
    const spec = path.join(dir, 'spec.json');
    fs.writeFileSync(spec, JSON.stringify({ cases: cases.map(({ img: _img, ...c }) => c) }));
    const run = spawnSync(PYTHON, [ORACLE, spec], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`pillow oracle failed: ${run.stderr}`);
    for (const c of cases) {
      const label = `${c.width}×${c.height} → ${c.outWidth}×${c.outHeight} ${c.filter}`;
      const pillow = new Uint8Array(fs.readFileSync(c.out));
      const native = addon!.resizeCrop(c.img.data, c.width, c.height, c.outWidth, c.outHeight, 0, 0, c.outWidth, c.outHeight, c.filter);
      const d = differing(native, pillow);
      // Hamming and Lanczos weights go through sin/cos: libm's last bit may round a coefficient differently.
      if (c.filter === 'hamming' || c.filter === 'lanczos') expect(d.max, label).toBeLessThanOrEqual(1);
      else expect(d, label).toEqual({ count: 0, max: 0 });
      if (c.outWidth === 97) continue;
      // What the model sees: the centre 224 of that resize.
      const crop = resizeAndCrop(c.img, { ...DEFAULT_PREPROCESSING, interpolation: c.filter });
      const reference = centerCrop({ width: c.outWidth, height: c.outHeight, data: pillow }, 224);
      const dc = differing(crop.data, reference.data);
      expect(dc.max, label).toBeLessThanOrEqual(c.filter === 'hamming' || c.filter === 'lanczos' ? 1 : 0);
    }
  }, 120_000);
});
