/**
 * A video's sampled frames as 8-bit RGB, straight from ffmpeg's stdout (no file in between).
 *
 * The reference is frame extraction (coding's frames.sample): `ffmpeg -ss T -i V -frames:v 1`,
 * i.e. input seeking, which keeps the first decoded frame whose timestamp, shifted by the
 * seek, is not negative. `decodeFrameAt` runs exactly that, one process per frame: simple but
 * each call decodes from the previous keyframe again. `decodeVideoFrames` gets the same frames
 * from ONE process per video: it computes, per timestamp, the integer stream timestamp that
 * seek's test amounts to (`seekThreshold`), and a `select` filter keeps the first frame at or
 * past each threshold; `showinfo` reports each kept frame's timestamp and size so the frames
 * are matched to the timestamps (one frame may serve several). The colour conversion is the
 * same auto-inserted rgb24 conversion in both, so the bytes are equal (test/infer/decode.test.ts
 * checks every 0.1 s slot of clips with B-frames, short GOPs, odd rates, mkv/webm, rotation).
 *
 * Whatever the single pass cannot vouch for goes through the per-frame path instead: no time
 * base in the probe, a timestamp with no frame at or after it, a kept frame out of order, or
 * ffmpeg failing mid-way.
 *
 * Sampling counts slots over the container's duration, which often runs past the video's last
 * frame (an audio track a little longer, a last frame shown for longer than its rate). `-ss T`
 * past the last frame decodes nothing, cleanly: such a slot is not a frame of the video, and
 * neither is any later one. The frames end there (`PastLastFrameError` from `decodeFrameAt`);
 * coding's frames.sample skips the same slots, so both keep the same frames and frame ids.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { FFMPEG_HINT, ffmpegReason } from '../media/ffmpegPaths';
import type { VideoProbe } from '../media/probe';
import type { RgbImage } from '../vision/preprocessResample';
import { trackChild } from '../jobs/childProcesses';

/** Decoder threads per ffmpeg so `workers` processes share the cores instead of oversubscribing them. */
export function decodeThreads(workers: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, workers)));
}

/** The frame size ffmpeg outputs: the coded size, turned a quarter by auto-rotation. */
export function outputSize(probe: Pick<VideoProbe, 'width' | 'height' | 'rotation'>): { width: number; height: number } {
  const quarter = Math.abs(Math.round(probe.rotation / 90)) % 2 === 1;
  return quarter ? { width: probe.height, height: probe.width } : { width: probe.width, height: probe.height };
}

const RAW_RGB = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];

export function ffmpegArgs(file: string, seconds: number, threads = 1): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-threads', String(threads), '-ss', String(seconds), '-i', file,
    '-map', '0:v:0', '-frames:v', '1', '-an', ...RAW_RGB];
}

function startFailure(err: Error): Error {
  return /ENOENT|EACCES/.test(err.message) ? new FramelabError('CAPABILITY_MISSING', `ffmpeg could not be started (${err.message}). ${FFMPEG_HINT}`) : err;
}

/** ffmpeg ran cleanly and found no frame at or after the time: the time is past the video's last frame. */
export class PastLastFrameError extends Error {}

/**
 * Decodes the frame at `seconds` (the size it must have given). Throws PastLastFrameError past
 * the last frame, and an Error with ffmpeg's reason when it fails.
 */
export function decodeFrameAt(file: string, seconds: number, width: number, height: number, threads = 1): Promise<RgbImage> {
  return new Promise((resolve, reject) => {
    const child = trackChild(spawn(process.env.FFMPEG_PATH || 'ffmpeg', ffmpegArgs(file, seconds, threads), { stdio: ['ignore', 'pipe', 'pipe'] }));
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => reject(startFailure(err)));
    child.on('close', (code) => {
      const data = Buffer.concat(chunks);
      if (code !== 0) return reject(new Error(`ffmpeg exited with code ${code} at ${seconds.toFixed(1)} s: ${ffmpegReason(stderr) || 'no message'}`));
      if (data.length === 0 && !ffmpegReason(stderr)) return reject(new PastLastFrameError(`no frame at or after ${seconds.toFixed(1)} s: the video ends before it`));
      if (data.length !== width * height * 3) {
        return reject(new Error(`ffmpeg gave ${data.length} bytes at ${seconds.toFixed(1)} s instead of a ${width}x${height} RGB frame`));
      }
      resolve({ width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
    });
  });
}

/** av_rescale_rnd(a, b, c, AV_ROUND_NEAR_INF) for a ≥ 0: a·b/c rounded half away from zero. */
function rescaleNear(a: bigint, b: bigint, c: bigint): bigint {
  return (a * b + c / 2n) / c;
}

/**
 * The stream timestamp a frame needs for `-ss T` to keep it, counted like a decode without
 * seek counts (both shift by the container's start). ffmpeg shifts packets by the seek point
 * rescaled to the stream's time base: with seek: pts + R(-(T+S)) ≥ 0; without: pts + R(-S).
 * So the threshold on the unseeked timestamps is R(T+S) − R(S) (R rounds symmetrically).
 */
export function seekThreshold(tenths: number, timeBase: string, startTimeS: number): bigint {
  const [num, den] = timeBase.split('/').map((x) => BigInt(x));
  const c = 1_000_000n * num!;
  const startUs = BigInt(Math.round(startTimeS * 1e6));
  const tUs = BigInt(tenths) * 100_000n;
  const r = (us: bigint) => (us >= 0n ? rescaleNear(us, den!, c) : -rescaleNear(-us, den!, c));
  return r(tUs + startUs) - r(startUs);
}

/** Keeps the first frame at or past each threshold (prev_pts is NaN on the first frame: gte fails, not() passes). */
export function selectExpression(thresholds: readonly bigint[]): string {
  const terms = [...new Set(thresholds)].map((t) => `gte(pts,${t})*not(gte(prev_pts,${t}))`);
  return `gt(${terms.join('+')},0)`;
}

interface KeptFrame {
  pts: bigint;
  width: number;
  height: number;
}

const SHOWINFO = /\] n:\s*\d+\s+pts:\s*(-?\d+)\s.*?\ss:(\d+)x(\d+)\s/;

let scriptCounter = 0;

/**
 * One ffmpeg for the whole video: kept frames come out in order, each with its showinfo line.
 * Backpressure: stdout pauses while more than two frames wait to be read.
 */
async function* singlePass(file: string, thresholds: readonly bigint[], threads: number): AsyncGenerator<{ frame: KeptFrame; data: Buffer }> {
  const script = path.join(os.tmpdir(), `framelab-select-${process.pid}-${++scriptCounter}.txt`);
  fs.writeFileSync(script, `select='${selectExpression(thresholds)}',showinfo`);
  let child: ChildProcess | null = null;
  try {
    const proc = trackChild(spawn(
      process.env.FFMPEG_PATH || 'ffmpeg',
      ['-hide_banner', '-nostats', '-loglevel', 'info', '-nostdin', '-threads', String(threads), '-filter_threads', '1', '-i', file,
        '-map', '0:v:0', '-an', '-filter_script:v', script, '-fps_mode', 'passthrough', ...RAW_RGB],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ));
    child = proc;
    const kept: KeptFrame[] = [];
    const chunks: Buffer[] = [];
    let buffered = 0;
    let stderrTail = '';
    let partialLine = '';
    let closed: { code: number | null } | null = null;
    let startError: Error | null = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    proc.stdout.on('data', (c: Buffer) => {
      chunks.push(c);
      buffered += c.length;
      const size = kept[0] ? kept[0].width * kept[0].height * 3 : 0;
      if (size && buffered > 2 * size) proc.stdout.pause();
      notify();
    });
    proc.stderr.on('data', (c: Buffer) => {
      const lines = (partialLine + c.toString()).split('\n');
      partialLine = lines.pop()!;
      for (const line of lines) {
        const m = SHOWINFO.exec(line);
        if (m) kept.push({ pts: BigInt(m[1]!), width: Number(m[2]), height: Number(m[3]) });
        else if (!line.startsWith('[Parsed_showinfo')) stderrTail = (stderrTail + '\n' + line).slice(-4000);
      }
      notify();
    });
    proc.on('error', (err) => {
      startError = startFailure(err);
      notify();
    });
    proc.on('close', (code) => {
      closed = { code };
      notify();
    });
    for (let k = 0; ; ) {
      const frame = kept[k];
      const size = frame ? frame.width * frame.height * 3 : 0;
      if (frame && buffered >= size) {
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const data = Buffer.from(all.subarray(0, size));
        chunks.length = 0;
        if (all.length > size) chunks.push(all.subarray(size));
        buffered -= size;
        if (buffered <= 2 * size) proc.stdout.resume();
        k++;
        yield { frame, data };
        continue;
      }
      if (startError) throw startError;
      if (closed) {
        const { code } = closed;
        if (code !== 0) throw new Error(`ffmpeg exited with code ${code}: ${ffmpegReason(stderrTail) || 'no message'}`);
        if (buffered) throw new Error(`ffmpeg gave ${buffered} bytes more than the ${k} frame(s) it reported`);
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(script, { force: true });
  }
}

export interface DecodedFrame {
  /** Index into the sampled timestamps. */
  index: number;
  image: RgbImage;
}

export interface DecodeStats {
  /** Frames that went through the per-frame fallback (see the header). */
  perFrame: number;
}

/**
 * Every sampled frame of a video (`tenths` sorted ascending), in order, the same pixels as
 * `decodeFrameAt` gives for each, up to the video's last frame: the generator ends at the first
 * slot past it (indices 0 … k−1 come out; the caller sees k < tenths.length). Stop early by
 * returning from the loop: ffmpeg is killed.
 */
export async function* decodeVideoFrames(
  file: string,
  tenths: readonly number[],
  probe: Pick<VideoProbe, 'width' | 'height' | 'rotation' | 'timeBase' | 'startTimeS'>,
  threads = 1,
  stats?: DecodeStats,
): AsyncGenerator<DecodedFrame> {
  const size = outputSize(probe);
  let next = 0;
  if (probe.timeBase && tenths.length) {
    const thresholds = tenths.map((t) => seekThreshold(t, probe.timeBase!, probe.startTimeS));
    let previous: bigint | null = null;
    try {
      for await (const { frame, data } of singlePass(file, thresholds, threads)) {
        // The kept frame serves every pending timestamp whose threshold it reaches; it must
        // serve at least one, and come after the previous one, or the pass is not trusted.
        if (next >= tenths.length || frame.pts < thresholds[next]! || (previous !== null && frame.pts <= previous)) break;
        previous = frame.pts;
        const image: RgbImage = { width: frame.width, height: frame.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
        while (next < tenths.length && thresholds[next]! <= frame.pts) yield { index: next++, image };
      }
    } catch (err) {
      if (err instanceof FramelabError) throw err;
      // ffmpeg failed part-way: the per-frame path decides what the rest give (and says why).
    }
  }
  for (; next < tenths.length; next++) {
    if (stats) stats.perFrame++;
    let image: RgbImage;
    try {
      image = await decodeFrameAt(file, tenths[next]! / 10, size.width, size.height, threads);
    } catch (err) {
      // Later slots are later still: none of them has a frame either.
      if (err instanceof PastLastFrameError) return;
      throw err;
    }
    yield { index: next, image };
  }
}
