/**
 * The pieces behind a predicted frame's image, without models: the PNG writer read back by
 * ffmpeg (an independent decoder), the display scale-down, where a bucket video is looked for
 * (the home's bucket cache), and the image of a real clip's frame equal to ffmpeg's decode.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpegArgs } from '../../src/main/core/infer/decodeFrames';
import { frameImage, localVideoFile } from '../../src/main/core/infer/frameImage';
import { encodePngRgb, shrinkRgb } from '../../src/main/core/infer/pngEncode';
import { homePaths } from '../../src/main/core/home/paths';
import { cacheFile } from '../../src/main/core/sync/bucketFiles';
import { runCleanup, tempDir } from '../helpers';

const decodeWithFfmpeg = (file: string) =>
  execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);

describe('frame images', () => {
  afterAll(runCleanup);

  it('writes PNGs ffmpeg reads back to the same pixels (odd sizes, random bytes)', () => {
    const dir = tempDir('png');
    for (const [w, h] of [
      [1, 1],
      [7, 3],
      [33, 17],
    ] as const) {
      const rgb = new Uint8Array(crypto.randomBytes(w * h * 3));
      const file = path.join(dir, `${w}x${h}.png`);
      fs.writeFileSync(file, encodePngRgb(w, h, rgb));
      expect(Buffer.compare(decodeWithFfmpeg(file), Buffer.from(rgb)), `${w}x${h}`).toBe(0);
    }
    expect(() => encodePngRgb(2, 2, new Uint8Array(5))).toThrow(/not a 2x2 RGB image/);
  });

  it('scales down to maxWidth keeping the aspect, picking source pixels; smaller images stay as they are', () => {
    const w = 8;
    const h = 4;
    const rgb = new Uint8Array(w * h * 3).map((_, i) => i % 251);
    expect(shrinkRgb(w, h, rgb, 8).data).toBe(rgb);
    const half = shrinkRgb(w, h, rgb, 4);
    expect([half.width, half.height]).toEqual([4, 2]);
    // Pixel (x, y) of the half-size image is source pixel (2x + 1, 2y + 1) (the centre rule).
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 4; x++) {
        const s = ((2 * y + 1) * w + (2 * x + 1)) * 3;
        expect([...half.data.subarray((y * 4 + x) * 3, (y * 4 + x) * 3 + 3)]).toEqual([...rgb.subarray(s, s + 3)]);
      }
    }
  });

  it("looks for a bucket video in the home's bucket cache, and says what to do when it is gone", () => {
    const home = homePaths(tempDir('frame-home'));
    const cached = cacheFile(home, 'lab-bucket', 'videos/2024/v1.mp4');
    expect(() => localVideoFile(home, 'gs://lab-bucket/videos/2024/v1.mp4')).toThrow(
      /no longer in this home's bucket cache.*run the inference again/,
    );
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.writeFileSync(cached, 'x');
    expect(localVideoFile(home, 'gs://lab-bucket/videos/2024/v1.mp4')).toBe(cached);
    expect(() => localVideoFile(home, path.join(home.root, 'moved.mp4'))).toThrow(/is no longer there/);
  });

  it("a clip's frame image is the frame ffmpeg decodes at that time", async () => {
    const dir = tempDir('frame-clip');
    const clip = path.join(dir, 'clip.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=96x54:rate=10',
      '-t',
      '2',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      clip,
    ]);
    const image = await frameImage(homePaths(dir), clip, 1.5, 4096);
    expect(image).toMatchObject({ width: 96, height: 54, sourceWidth: 96, sourceHeight: 54 });
    const png = path.join(dir, 'f.png');
    fs.writeFileSync(png, Buffer.from(image.dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(Buffer.compare(decodeWithFfmpeg(png), execFileSync('ffmpeg', ffmpegArgs(clip, 1.5)))).toBe(0);
    const small = await frameImage(homePaths(dir), clip, 1.5, 48);
    expect([small.width, small.height]).toEqual([48, 27]);
  });
});
