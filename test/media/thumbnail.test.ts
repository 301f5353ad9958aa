/**
 * Coding thumbnails (src/main/core/media/thumbnail.ts): resized from the stored frame by the
 * model-input resampler, so equal to Pillow's `Image.resize((320, h), BILINEAR)` of the same
 * decoded pixels (python3-pil through /usr/bin/python3), and written by extractFrame beside the
 * frame for a real portrait 1080×1920 clip made with ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { extractFrame, framePath, thumbPath } from '../../src/main/core/media/extract';
import { thumbnailPixels, thumbnailSize, THUMB_WIDTH } from '../../src/main/core/media/thumbnail';
import { decodeRgb } from '../../src/main/core/vision/preprocess';
import { useJsPreprocess } from '../../src/main/core/vision/preprocessBackend';
import { absoluteStoredPath } from '../../src/main/core/workspace/files';
import { openTestCore, REPO_ROOT, runCleanup, tempDir } from '../helpers';
import { PYTHON, pythonHas } from '../helpers/python';

afterEach(() => {
  useJsPreprocess(false);
  runCleanup();
});

const ORACLE = path.join(REPO_ROOT, 'test/vision/oracles/pillow_resize.py');

/** Pillow's bilinear resize of raw RGB (the oracle the image addon's tests use). */
function pillowResize(img: { width: number; height: number; data: Uint8Array }, width: number, height: number): Uint8Array {
  const dir = tempDir('pillow');
  const src = path.join(dir, 'src.rgb');
  const out = path.join(dir, 'out.rgb');
  fs.writeFileSync(src, img.data);
  const spec = path.join(dir, 'spec.json');
  fs.writeFileSync(
    spec,
    JSON.stringify({ cases: [{ src, width: img.width, height: img.height, outWidth: width, outHeight: height, filter: 'bilinear', out }] }),
  );
  execFileSync(PYTHON, [ORACLE, spec]);
  return new Uint8Array(fs.readFileSync(out));
}

function maxDiff(a: Uint8Array, b: Uint8Array): { max: number; mean: number } {
  expect(a.length).toBe(b.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / a.length };
}

describe('thumbnail size', () => {
  it('is 320 px wide in proportion, and never upscales', () => {
    expect(thumbnailSize(1080, 1920)).toEqual({ width: THUMB_WIDTH, height: 569 });
    expect(thumbnailSize(1920, 1080)).toEqual({ width: 320, height: 180 });
    expect(thumbnailSize(5000, 3)).toEqual({ width: 320, height: 1 });
    expect(thumbnailSize(160, 120)).toEqual({ width: 160, height: 120 });
  });
});

describe.skipIf(!pythonHas('PIL'))('thumbnails against Pillow', () => {
  it('resize a PNG frame exactly as Pillow does, with the addon and with the TypeScript port', async () => {
    // A noisy 1080×1920 image, so every filter tap shows.
    const width = 1080;
    const height = 1920;
    const data = new Uint8Array(width * height * 3);
    let seed = 7;
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data[i] = (seed >>> 16) & 0xff;
    }
    const png = await sharp(Buffer.from(data), { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    const expected = pillowResize({ width, height, data }, 320, 569);
    const native = await thumbnailPixels(png);
    expect([native.width, native.height]).toEqual([320, 569]);
    expect(maxDiff(native.data, expected).max).toBe(0);
    useJsPreprocess(true);
    expect(maxDiff((await thumbnailPixels(png)).data, expected).max).toBe(0);
  });

  it('extractFrame writes the frame and a 320 px thumbnail of it for a portrait 1080×1920 clip', async () => {
    const dir = tempDir('clip');
    const clip = path.join(dir, 'portrait.mp4');
    execFileSync(process.env.FFMPEG_PATH || 'ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=duration=1:size=1080x1920:rate=30',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      clip,
    ]);
    const core = openTestCore(tempDir());
    const files = await extractFrame(core.home, clip, { videoId: 'p', frameId: 'p_t000.5', seconds: 0.5 }, 'test');
    expect(files.image.path).toBe(framePath('p', 'p_t000.5'));
    expect(files.thumb.path).toBe(thumbPath('p', 'p_t000.5'));
    const frameFile = absoluteStoredPath(core.home, files.image.tmp);
    const thumbFile = absoluteStoredPath(core.home, files.thumb.tmp);
    expect((await sharp(thumbFile).metadata()).format).toBe('jpeg');

    // Pillow's resize of the frame as decoded here: equal before JPEG encoding…
    const frame = await decodeRgb(frameFile);
    expect([frame.width, frame.height]).toEqual([1080, 1920]);
    const expected = pillowResize(frame, 320, 569);
    expect(maxDiff((await thumbnailPixels(frameFile)).data, expected).max).toBe(0);
    // …and within JPEG's error after it (quality 85 on a synthetic pattern).
    const written = await decodeRgb(thumbFile);
    expect([written.width, written.height]).toEqual([320, 569]);
    expect(maxDiff(written.data, expected).mean).toBeLessThan(3);
  }, 60_000);
});
