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
import { planDecode, seekingCanHelp, spawnCostFrames } from './decodePlan';
import { benchCpuMs, procCpuMs } from './childCpu';
import { hardwareDecoder, hardwareFailed } from './hwaccel';
import { probePackets } from './keyframes';

/**
 * Decoder threads per ffmpeg: the cores shared among the workers, but at least 2 (where there are
 * 2 cores). Frame threading costs little CPU and lets a worker's ffmpeg take a core another
 * worker is not using: while the model has the frames it needs, or while the last video of a
 * run is decoded alone. Measured on 2 cores, 2 workers, 3 portrait clips (bench/inferPipeline.ts):
 * 5.1 frames/s end to end with 2 threads each against 4.5 with 1. The frames are the same
 * either way (libavcodec's frame threading is bit-exact).
 */
export function decodeThreads(workers: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.max(2, Math.floor(cores / Math.max(1, workers)))));
}

/** The frame size ffmpeg outputs: the coded size, turned a quarter by auto-rotation. */
export function outputSize(probe: Pick<VideoProbe, 'width' | 'height' | 'rotation'>): { width: number; height: number } {
  const quarter = Math.abs(Math.round(probe.rotation / 90)) % 2 === 1;
  return quarter ? { width: probe.height, height: probe.width } : { width: probe.width, height: probe.height };
}

const RAW_RGB = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];

export function ffmpegArgs(file: string, seconds: number, threads = 1): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-threads',
    String(threads),
    '-ss',
    String(seconds),
    '-i',
    file,
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    '-an',
    ...RAW_RGB,
  ];
}

function startFailure(err: Error): Error {
  return /ENOENT|EACCES/.test(err.message)
    ? new FramelabError('CAPABILITY_MISSING', `ffmpeg could not be started (${err.message}). ${FFMPEG_HINT}`)
    : err;
}

/** ffmpeg ran cleanly and found no frame at or after the time: the time is past the video's last frame. */
export class PastLastFrameError extends Error {}

/**
 * Decodes the frame at `seconds` (the size it must have given). Throws PastLastFrameError past
 * the last frame, and an Error with ffmpeg's reason when it fails.
 */
export function decodeFrameAt(file: string, seconds: number, width: number, height: number, threads = 1): Promise<RgbImage> {
  return new Promise((resolve, reject) => {
    const child = trackChild(
      spawn(process.env.FFMPEG_PATH || 'ffmpeg', ffmpegArgs(file, seconds, threads), { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => reject(startFailure(err)));
    child.on('close', (code) => {
      const data = Buffer.concat(chunks);
      if (code !== 0)
        return reject(new Error(`ffmpeg exited with code ${code} at ${seconds.toFixed(1)} s: ${ffmpegReason(stderr) || 'no message'}`));
      if (data.length === 0 && !ffmpegReason(stderr))
        return reject(new PastLastFrameError(`no frame at or after ${seconds.toFixed(1)} s: the video ends before it`));
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
  const r = toStreamTicks(timeBase);
  return r(BigInt(tenths) * 100_000n + startMicros(startTimeS)) - r(startMicros(startTimeS));
}

const startMicros = (startTimeS: number) => BigInt(Math.round(startTimeS * 1e6));

/** Microseconds → stream ticks, rounded as ffmpeg rescales (half away from zero). */
function toStreamTicks(timeBase: string): (us: bigint) => bigint {
  const [num, den] = timeBase.split('/').map((x) => BigInt(x));
  const c = 1_000_000n * num!;
  return (us) => (us >= 0n ? rescaleNear(us, den!, c) : -rescaleNear(-us, den!, c));
}

/**
 * The same threshold on the demuxer's own timestamps (what `-copyts` keeps, and the packet
 * index counts in): the pass without seek shifts every timestamp by R(−S), so adding R(S)
 * back gives R(T+S).
 */
export function absoluteThreshold(tenths: number, timeBase: string, startTimeS: number): bigint {
  return toStreamTicks(timeBase)(BigInt(tenths) * 100_000n + startMicros(startTimeS));
}

/**
 * `-ss` for a seek that lands on the keyframe at `pts`: ffmpeg seeks to the last keyframe at or
 * before ss + the container's start (in µs), so the keyframe's time is rounded up to the µs
 * (landing on an earlier keyframe would only cost time; a later one is caught by the sentinel).
 */
export function seekArgument(pts: bigint, timeBase: string, startTimeS: number): string {
  const [num, den] = timeBase.split('/').map((x) => BigInt(x));
  const ticks = pts * 1_000_000n * num!;
  const us = (ticks >= 0n ? (ticks + den! - 1n) / den! : -(-ticks / den!)) - startMicros(startTimeS);
  const sign = us < 0n ? '-' : '';
  const abs = us < 0n ? -us : us;
  return `${sign}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`;
}

/** Keeps the first frame at or past each threshold (prev_pts is NaN on the first frame: gte fails, not() passes). */
export function selectExpression(thresholds: readonly bigint[]): string {
  const distinct = [...new Set(thresholds)];
  // From the last threshold on, every frame is kept: ffmpeg writes a kept frame out only when
  // the next kept frame arrives (or at the end), so the frame after the last sampled one is
  // what delivers it, and the reader stops ffmpeg there instead of it decoding the rest.
  const terms = distinct.map((t, i) => (i === distinct.length - 1 ? `gte(pts,${t})` : `gte(pts,${t})*not(gte(prev_pts,${t}))`));
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
interface PassOptions {
  threads: number;
  /** Before `-i`: a seek (`-ss K -noaccurate_seek -copyts`) and/or `-hwaccel NAME`. */
  inputArgs?: readonly string[];
  /** The ffmpeg's CPU time (user + system), once known (childCpu.ts). */
  onCpu?: (ms: number) => void;
}

async function* singlePass(
  file: string,
  thresholds: readonly bigint[],
  options: PassOptions,
): AsyncGenerator<{ frame: KeptFrame; data: Buffer }> {
  const { threads, inputArgs = [], onCpu } = options;
  let cpuReported = false;
  const reportCpu = (ms: number | null) => {
    if (ms === null || cpuReported) return;
    cpuReported = true;
    onCpu?.(ms);
  };
  const script = path.join(os.tmpdir(), `framelab-select-${process.pid}-${++scriptCounter}.txt`);
  // checksum=0: showinfo's checksums, means and deviations read every byte of a kept frame
  // (~3 ms for 1080×1920); only its pts and size are used.
  fs.writeFileSync(script, `select='${selectExpression(thresholds)}',showinfo=checksum=0`);
  let child: ChildProcess | null = null;
  try {
    const proc = trackChild(
      spawn(
        process.env.FFMPEG_PATH || 'ffmpeg',
        [
          '-hide_banner',
          '-nostats',
          '-benchmark',
          '-loglevel',
          'info',
          '-nostdin',
          '-threads',
          String(threads),
          '-filter_threads',
          '1',
          ...inputArgs,
          '-i',
          file,
          // Each threshold keeps at most one frame, the last one every frame from it on (see
          // selectExpression): one more than the thresholds ends ffmpeg just past the last sampled
          // frame, with the frame after it that delivers it, instead of converting frames no one reads.
          '-map',
          '0:v:0',
          '-an',
          '-filter_script:v',
          script,
          '-fps_mode',
          'passthrough',
          '-frames:v',
          String(new Set(thresholds).size + 1),
          ...RAW_RGB,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
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
        const cpu = m ? null : benchCpuMs(line);
        if (m) kept.push({ pts: BigInt(m[1]!), width: Number(m[2]), height: Number(m[3]) });
        else if (cpu !== null) reportCpu(cpu);
        else if (!line.startsWith('[Parsed_showinfo') && !line.startsWith('bench:')) stderrTail = (stderrTail + '\n' + line).slice(-4000);
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
    for (let k = 0; ;) {
      const frame = kept[k];
      const size = frame ? frame.width * frame.height * 3 : 0;
      if (frame && buffered >= size) {
        // One copy of exactly the frame's bytes (a 1080×1920 frame is 6 MB, read in 64 KB
        // chunks); what follows it stays as it came.
        const data = Buffer.concat(chunks, size);
        let skip = size;
        const rest: Buffer[] = [];
        for (const c of chunks) {
          if (skip >= c.length) skip -= c.length;
          else {
            rest.push(skip ? c.subarray(skip) : c);
            skip = 0;
          }
        }
        chunks.length = 0;
        chunks.push(...rest);
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
    if (child && child.exitCode === null && child.signalCode === null) {
      // Stopped early (every time served): what it spent so far, read before the kill.
      reportCpu(procCpuMs(child.pid));
      child.kill('SIGKILL');
    }
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
  /** Videos decoded in one pass, and by seeking (decodePlan.ts), and the seek segments. */
  passes?: number;
  seeks?: number;
  segments?: number;
  /** The decoding ffmpegs' CPU time (user + system), per-frame fallbacks not counted. */
  ffmpegCpuMs?: number;
}

/** How to get a video's frames: chosen per video from its packet index (`auto`), or forced. */
export type DecodeStrategy = 'auto' | 'pass' | 'seek';

export interface DecodeOptions {
  threads?: number;
  stats?: DecodeStats;
  strategy?: DecodeStrategy;
  /** What one more ffmpeg start counts as, in frames (default: spawnCostFrames for the frame size; tests set 0 to seek per keyframe). */
  spawnCost?: number;
  /** A hardware decode that failed and was redone on the CPU (hwaccel.ts), said once. */
  onWarning?: (message: string) => void;
}

/**
 * A pass through the hardware decoder when there is one (hwaccel.ts); one that fails before
 * its first frame is run again on the CPU, and the hardware is not used again in this process.
 */
async function* decodePass(
  file: string,
  thresholds: readonly bigint[],
  threads: number,
  inputArgs: readonly string[],
  onWarning?: (message: string) => void,
  onCpu?: (ms: number) => void,
): AsyncGenerator<{ frame: KeptFrame; data: Buffer }> {
  const hw = await hardwareDecoder();
  if (hw.name) {
    let started = false;
    try {
      for await (const kept of singlePass(file, thresholds, { threads, inputArgs: ['-hwaccel', hw.name, ...inputArgs], onCpu })) {
        started = true;
        yield kept;
      }
      return;
    } catch (err) {
      if (started || err instanceof FramelabError) throw err;
      onWarning?.(hardwareFailed(hw.name, (err as Error).message));
    }
  }
  yield* singlePass(file, thresholds, { threads, inputArgs, onCpu });
}

type Probe = Pick<VideoProbe, 'width' | 'height' | 'rotation' | 'timeBase' | 'startTimeS'> & Partial<Pick<VideoProbe, 'fps'>>;

/**
 * Serves sampled times from one ffmpeg's kept frames: each frame serves every pending time
 * whose threshold it reaches; it must serve at least one and come after the previous one, or
 * the pass is not trusted. A `sentinel` (the keyframe a seek aimed at) must be the first kept
 * frame: a seek that landed past it would skip frames. Returns how many times it served;
 * ffmpeg failing part-way ends the pass (the caller decodes the rest one frame at a time).
 */
async function* serve(
  pass: AsyncGenerator<{ frame: KeptFrame; data: Buffer }>,
  thresholds: readonly bigint[],
  indices: readonly number[],
  sentinel: bigint | null,
): AsyncGenerator<DecodedFrame, number> {
  let next = 0;
  let previous: bigint | null = null;
  let awaitingSentinel = sentinel !== null;
  try {
    for await (const { frame, data } of pass) {
      // The sentinel may serve no time at all; any other kept frame must serve one.
      if (awaitingSentinel) {
        if (frame.pts !== sentinel) break;
        awaitingSentinel = false;
      } else if (next >= indices.length || frame.pts < thresholds[next]! || (previous !== null && frame.pts <= previous)) break;
      previous = frame.pts;
      const image: RgbImage = { width: frame.width, height: frame.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
      while (next < indices.length && thresholds[next]! <= frame.pts) yield { index: indices[next++]!, image };
      // Every time served: stop here rather than let ffmpeg decode the rest of the video.
      if (next >= indices.length) break;
    }
  } catch (err) {
    if (err instanceof FramelabError) throw err;
    // ffmpeg failed part-way: the per-frame path decides what the rest give (and says why).
  }
  return next;
}

/**
 * Every sampled frame of a video (`tenths` sorted ascending), in order, the same pixels as
 * `decodeFrameAt` gives for each, up to the video's last frame: the generator ends at the first
 * slot past it (indices 0 … k−1 come out; the caller sees k < tenths.length). Stop early by
 * returning from the loop: ffmpeg is killed.
 *
 * `auto` reads the packet index and decodes in one pass or by seeking, whichever decodes fewer
 * frames (decodePlan.ts); both keep exactly the frames of `-ss T` (test/infer/decode.test.ts
 * forces each over every slot of its clips).
 */
export async function* decodeVideoFrames(
  file: string,
  tenths: readonly number[],
  probe: Probe,
  options: DecodeOptions = {},
): AsyncGenerator<DecodedFrame> {
  const { threads = 1, stats, strategy = 'auto' } = options;
  const onCpu = (ms: number) => {
    if (stats) stats.ffmpegCpuMs = (stats.ffmpegCpuMs ?? 0) + ms;
  };
  const size = outputSize(probe);
  const indices = tenths.map((_, i) => i);
  let next = 0;
  if (probe.timeBase && tenths.length) {
    const timeBase = probe.timeBase;
    const spawnCost = options.spawnCost ?? spawnCostFrames(size.width, size.height);
    const worthIndexing = strategy === 'seek' || (strategy === 'auto' && seekingCanHelp(tenths, probe.fps ?? 0, spawnCost));
    const index = worthIndexing ? await probePackets(file) : null;
    const absolute = tenths.map((t) => absoluteThreshold(t, timeBase, probe.startTimeS));
    const plan = index ? planDecode(absolute, index, spawnCost, strategy === 'auto' ? undefined : strategy) : null;
    if (plan?.kind === 'seek') {
      if (stats) {
        stats.seeks = (stats.seeks ?? 0) + 1;
        stats.segments = (stats.segments ?? 0) + plan.segments.length;
      }
      for (const segment of plan.segments) {
        const first = segment.samples[0]!;
        // Segments cover consecutive samples; anything before this one is decoded already.
        for (; next < first; next++) {
          const frame = await decodeOne(file, tenths[next]!, size, threads, stats);
          if (!frame) return;
          yield { index: next, image: frame };
        }
        const seek = ['-ss', seekArgument(segment.keyframe, timeBase, probe.startTimeS), '-noaccurate_seek', '-copyts'];
        const pass = decodePass(
          file,
          [segment.keyframe, ...segment.samples.map((i) => absolute[i]!)],
          threads,
          seek,
          options.onWarning,
          onCpu,
        );
        const served = yield* serve(
          pass,
          segment.samples.map((i) => absolute[i]!),
          segment.samples,
          segment.keyframe,
        );
        next = first + served;
      }
    } else {
      if (stats) stats.passes = (stats.passes ?? 0) + 1;
      const thresholds = tenths.map((t) => seekThreshold(t, timeBase, probe.startTimeS));
      next = yield* serve(decodePass(file, thresholds, threads, [], options.onWarning, onCpu), thresholds, indices, null);
    }
  }
  for (; next < tenths.length; next++) {
    const frame = await decodeOne(file, tenths[next]!, size, threads, stats);
    if (!frame) return;
    yield { index: next, image: frame };
  }
}

/** One frame by its own ffmpeg (the reference), or null past the last frame (later slots are later still). */
async function decodeOne(
  file: string,
  tenths: number,
  size: { width: number; height: number },
  threads: number,
  stats?: DecodeStats,
): Promise<RgbImage | null> {
  if (stats) stats.perFrame++;
  try {
    return await decodeFrameAt(file, tenths / 10, size.width, size.height, threads);
  } catch (err) {
    if (err instanceof PastLastFrameError) return null;
    throw err;
  }
}
