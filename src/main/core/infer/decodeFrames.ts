/**
 * One frame of a video as 8-bit RGB, straight from ffmpeg's stdout (no file in between). The
 * seek and the pixel format are those of frame extraction, so a frame decoded here has the
 * same pixels as the PNG `ffmpeg -ss T -i V -frames:v 1 -pix_fmt rgb24 f.png` writes.
 */
import { spawn } from 'node:child_process';
import { FramelabError } from '../../../shared/errors';
import { FFMPEG_HINT, ffmpegReason } from '../media/ffmpegPaths';
import type { RgbImage } from '../vision/preprocessResample';

export function ffmpegArgs(file: string, seconds: number): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-ss', String(seconds), '-i', file,
    '-map', '0:v:0', '-frames:v', '1', '-an', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
}

/** Decodes the frame at `seconds` (size from the probe). Throws with ffmpeg's reason. */
export function decodeFrameAt(file: string, seconds: number, width: number, height: number): Promise<RgbImage> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.FFMPEG_PATH || 'ffmpeg', ffmpegArgs(file, seconds), { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => {
      reject(/ENOENT|EACCES/.test(err.message) ? new FramelabError('CAPABILITY_MISSING', `ffmpeg could not be started (${err.message}). ${FFMPEG_HINT}`) : err);
    });
    child.on('close', (code) => {
      const data = Buffer.concat(chunks);
      if (code !== 0) return reject(new Error(`ffmpeg exited with code ${code} at ${seconds.toFixed(1)} s: ${ffmpegReason(stderr) || 'no message'}`));
      if (data.length !== width * height * 3) {
        return reject(new Error(`ffmpeg gave ${data.length} bytes at ${seconds.toFixed(1)} s instead of a ${width}x${height} RGB frame`));
      }
      resolve({ width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
    });
  });
}
