/**
 * One ffmpeg per video gives exactly the frames of one ffmpeg per frame (`-ss T -i V -frames:v 1
 * -pix_fmt rgb24`, the seek frame extraction uses), byte for byte, for every 0.1 s slot the
 * sampling strategies can pick: clips with B-frames and short GOPs (thresholds between
 * keyframes and reordered frames), 29.97 fps (time base 1/30000), mkv and webm (1 ms time
 * base), a non-zero start time, 4 fps (one frame serves two slots), rotation metadata (the
 * frame comes out turned, its size from the decoder), a non-square sample aspect, and an audio
 * track that outlasts the picture (the frames end at the last one; later slots are no frame).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  absoluteThreshold,
  decodeFrameAt,
  decodeThreads,
  PastLastFrameError,
  decodeVideoFrames,
  outputSize,
  seekArgument,
  seekThreshold,
  selectExpression,
  type DecodeStats,
} from '../../src/main/core/infer/decodeFrames';
import { hardwareDecoder, parseHwaccels, resetHardwareDecoder } from '../../src/main/core/infer/hwaccel';
import { probeVideo, type VideoProbe } from '../../src/main/core/media/probe';
import { sampleTimestamps, slotCount } from '../../src/main/core/media/sampling';
import { runCleanup, tempDir } from '../helpers';

const run = promisify(execFile);
const ffmpeg = (args: string[]) => run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

interface Clip {
  name: string;
  file: string;
  probe: VideoProbe;
  /** Per-frame decode of every slot: the reference (an Error where ffmpeg gives no frame). */
  reference: (Uint8Array | Error)[];
}

const CLIPS: { name: string; source: string; args: string[] }[] = [
  { name: 'bframes.mp4', source: 'testsrc2=size=64x48:rate=25', args: ['-c:v', 'libx264', '-preset', 'medium', '-g', '7', '-bf', '3'] },
  { name: 'ntsc.mp4', source: 'testsrc2=size=64x48:rate=30000/1001', args: ['-c:v', 'libx264', '-g', '12'] },
  { name: 'bframes.mkv', source: 'testsrc2=size=64x48:rate=24', args: ['-c:v', 'libx264', '-g', '5', '-bf', '2'] },
  { name: 'vp8.webm', source: 'testsrc2=size=64x48:rate=7', args: ['-c:v', 'libvpx', '-g', '4'] },
  { name: 'slow.mov', source: 'testsrc2=size=64x48:rate=4', args: ['-c:v', 'libx264', '-bf', '2'] },
  { name: 'offset.mkv', source: 'testsrc2=size=64x48:rate=25', args: ['-c:v', 'libx264', '-g', '9', '-output_ts_offset', '0.37'] },
  { name: 'sar.mp4', source: 'testsrc2=size=64x48:rate=25,setsar=2', args: ['-c:v', 'libx264', '-g', '9'] },
];

let dir: string;
const clips: Clip[] = [];

async function inPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** One pass, or a seek to the keyframe before every sample (spawn cost 0: as many segments as keyframes). */
const STRATEGIES = [{ strategy: 'pass' }, { strategy: 'seek', spawnCost: 0 }] as const;
type Strategy = (typeof STRATEGIES)[number];

async function collect(
  clip: Clip,
  tenths: number[],
  stats: DecodeStats = { perFrame: 0 },
  how: Strategy = STRATEGIES[0],
): Promise<{ frames: Map<number, { width: number; height: number; data: Uint8Array }>; error: Error | null }> {
  const frames = new Map<number, { width: number; height: number; data: Uint8Array }>();
  try {
    for await (const { index, image } of decodeVideoFrames(clip.file, tenths, clip.probe, { threads: 1, stats, ...how }))
      frames.set(tenths[index]!, image);
  } catch (err) {
    return { frames, error: err as Error };
  }
  return { frames, error: null };
}

function expectSameAsReference(
  clip: Clip,
  frames: Map<number, { width: number; height: number; data: Uint8Array }>,
  tenths: number[],
): void {
  const size = outputSize(clip.probe);
  for (const t of tenths) {
    const ref = clip.reference[t]!;
    expect(ref, `${clip.name} @ ${t / 10} s must be a frame`).not.toBeInstanceOf(Error);
    const got = frames.get(t);
    expect(got, `${clip.name} @ ${t / 10} s`).toBeDefined();
    expect([got!.width, got!.height]).toEqual([size.width, size.height]);
    expect(Buffer.compare(Buffer.from(got!.data), Buffer.from(ref as Uint8Array)), `${clip.name} @ ${t / 10} s: pixels differ`).toBe(0);
  }
}

describe('decodeVideoFrames', () => {
  beforeAll(async () => {
    dir = tempDir('decode');
    await inPool(CLIPS, 2, async (c) => {
      await ffmpeg(['-f', 'lavfi', '-i', c.source, '-t', '1.8', '-pix_fmt', 'yuv420p', ...c.args, path.join(dir, c.name)]);
    });
    // Rotation is container metadata: set on a copy of a coded clip (ffmpeg 5.1 writes the display matrix).
    await ffmpeg(['-i', path.join(dir, 'bframes.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', path.join(dir, 'rotated.mp4')]);
    // An audio track that outlasts the picture (common in phone videos): the container's duration is the audio's.
    await ffmpeg([
      '-f',
      'lavfi',
      '-t',
      '1.8',
      '-i',
      'testsrc2=size=64x48:rate=25',
      '-f',
      'lavfi',
      '-t',
      '2.4',
      '-i',
      'sine=frequency=440',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-g',
      '9',
      '-c:a',
      'aac',
      path.join(dir, 'longaudio.mp4'),
    ]);
    for (const name of [...CLIPS.map((c) => c.name), 'rotated.mp4', 'longaudio.mp4']) {
      const file = path.join(dir, name);
      clips.push({ name, file, probe: await probeVideo(file), reference: [] });
    }
    // The reference: one ffmpeg per slot, every slot sampling can produce.
    const work = clips.flatMap((clip) => Array.from({ length: slotCount(clip.probe.durationS) }, (_, t) => ({ clip, t })));
    await inPool(work, 3, async ({ clip, t }) => {
      const size = outputSize(clip.probe);
      clip.reference[t] = await decodeFrameAt(clip.file, t / 10, size.width, size.height).then(
        (i) => i.data,
        (e: Error) => e,
      );
    });
  }, 600_000);
  afterAll(runCleanup);

  it('reads the time base, start and rotation the thresholds need', () => {
    const by = Object.fromEntries(clips.map((c) => [c.name, c.probe]));
    expect(by['ntsc.mp4']!.timeBase).toBe('1/30000');
    expect(by['bframes.mkv']!.timeBase).toBe('1/1000');
    expect(by['offset.mkv']!.startTimeS).toBeCloseTo(0.37, 6);
    expect(by['rotated.mp4']!.rotation).toBe(90);
    expect(outputSize(by['rotated.mp4']!)).toEqual({ width: 48, height: 64 });
    expect(outputSize(by['sar.mp4']!)).toEqual({ width: 64, height: 48 });
    // The audio sets the duration; every slot from 1.8 s on is past the last frame (1.76 s).
    const long = clips.find((c) => c.name === 'longaudio.mp4')!;
    expect(long.probe.durationS).toBeGreaterThanOrEqual(2.4);
    expect(long.reference.slice(0, 18).every((r) => r instanceof Uint8Array)).toBe(true);
    expect(long.reference.slice(18).length).toBeGreaterThanOrEqual(6);
    expect(long.reference.slice(18).every((r) => r instanceof PastLastFrameError)).toBe(true);
  });

  it('thresholds: -ss T keeps pts + R(-(T+S)) ≥ 0, rounded half away from zero', () => {
    expect(seekThreshold(3, '1/12800', 0)).toBe(3840n);
    // 0.1 s at 1/30000 = 3000; 0.37 s start at 1/1000: R(0.47 s) - R(0.37 s) = 470 - 370.
    expect(seekThreshold(1, '1/30000', 0)).toBe(3000n);
    expect(seekThreshold(1, '1/1000', 0.37)).toBe(100n);
    // 0.1 s at 1/7 s: 0.7 ticks → 1 (rounded); 0.05 s would be 0.35 → 0.
    expect(seekThreshold(1, '1/7', 0)).toBe(1n);
    // The last threshold keeps every frame from it on: the next kept frame is what pushes it out of ffmpeg.
    expect(selectExpression([5n, 5n, 9n])).toBe('gt(gte(pts,5)*not(gte(prev_pts,5))+gte(pts,9),0)');
    // At least 2 threads where there are 2 cores (frame threading fills a core a worker leaves).
    expect(decodeThreads(4, 2)).toBe(2);
    expect(decodeThreads(2, 2)).toBe(2);
    expect(decodeThreads(2, 8)).toBe(4);
    expect(decodeThreads(16, 8)).toBe(2);
    expect(decodeThreads(2, 1)).toBe(1);
  });

  it.each(STRATEGIES)(
    'every slot with a frame ($strategy): equals one ffmpeg per frame, byte for byte, no fallback',
    async (how) => {
      let shared = 0;
      let segments = 0;
      for (const clip of clips) {
        const tenths = clip.reference.flatMap((r, t) => (r instanceof Error ? [] : [t]));
        expect(tenths.length, clip.name).toBeGreaterThan(15);
        const stats: DecodeStats = { perFrame: 0 };
        const { frames, error } = await collect(clip, tenths, stats, how);
        expect(error, clip.name).toBeNull();
        expect(stats.perFrame, `${clip.name}: frames decoded one ffmpeg each`).toBe(0);
        expect(how.strategy === 'seek' ? stats.seeks : stats.passes, clip.name).toBe(1);
        segments += stats.segments ?? 0;
        expectSameAsReference(clip, frames, tenths);
        for (let i = 1; i < tenths.length; i++) if (frames.get(tenths[i]!)!.data === frames.get(tenths[i - 1]!)!.data) shared++;
      }
      // The 4 fps clip has slots 0.1 s apart served by the same frame: the case must be exercised.
      expect(shared).toBeGreaterThan(0);
      // Seeking: one ffmpeg per keyframe group, many per clip (keyframes every 4 to 12 frames).
      if (how.strategy === 'seek') expect(segments).toBeGreaterThan(3 * clips.length);
    },
    300_000,
  );

  it.each(STRATEGIES)(
    '--per-video K --random and evenly spaced picks give the same frames ($strategy)',
    async (how) => {
      for (const clip of clips) {
        for (const strategy of [
          { kind: 'perVideo', count: 5, random: true, seed: 7 },
          { kind: 'perVideo', count: 3, random: true, seed: 1 },
          { kind: 'perVideo', count: 4 },
          { kind: 'every', seconds: 0.7 },
        ] as const) {
          const tenths = sampleTimestamps(strategy, clip.probe.durationS, clip.name).filter((t) => !(clip.reference[t] instanceof Error));
          const { frames, error } = await collect(clip, tenths, { perFrame: 0 }, how);
          expect(error, clip.name).toBeNull();
          expectSameAsReference(clip, frames, tenths);
        }
      }
    },
    300_000,
  );

  it.each(STRATEGIES)(
    'slots near the end ($strategy): frames up to the last one, then the frames end (the per-frame path confirms there is none)',
    async (how) => {
      let ended = 0;
      for (const clip of clips) {
        const slots = clip.reference.length;
        const tenths = [0, slots - 4, slots - 3, slots - 2, slots - 1].filter((t, i, a) => t >= 0 && a.indexOf(t) === i);
        const firstMissing = tenths.find((t) => clip.reference[t] instanceof Error);
        const stats = { perFrame: 0 };
        const { frames, error } = await collect(clip, tenths, stats, how);
        const expected = firstMissing === undefined ? tenths : tenths.filter((t) => t < firstMissing);
        expectSameAsReference(clip, frames, expected);
        if (firstMissing === undefined) {
          expect(error, clip.name).toBeNull();
          expect(stats.perFrame).toBe(0);
        } else {
          ended++;
          // The reference says "past the last frame", not some other failure, and so does every later slot.
          expect(clip.reference[firstMissing], clip.name).toBeInstanceOf(PastLastFrameError);
          for (let t = firstMissing; t < slots; t++)
            expect(clip.reference[t], `${clip.name} @ ${t / 10} s`).toBeInstanceOf(PastLastFrameError);
          expect(error, clip.name).toBeNull();
          expect([...frames.keys()]).toEqual(expected);
          expect(stats.perFrame).toBe(1);
        }
      }
      // The container's duration runs past the last frame in some clips: the fallback is exercised.
      expect(ended).toBeGreaterThan(0);
    },
    300_000,
  );

  it('the seek argument lands on the keyframe: its time rounded up to the µs, less the container start', () => {
    expect(seekArgument(3584n, '1/12800', 0)).toBe('0.280000');
    expect(seekArgument(1n, '1/30000', 0)).toBe('0.000034');
    expect(seekArgument(470n, '1/1000', 0.37)).toBe('0.100000');
    expect(seekArgument(0n, '1/1000', 0.37)).toBe('-0.370000');
    // The absolute threshold is the shifted one plus the start: R(T+S).
    expect(absoluteThreshold(1, '1/1000', 0.37)).toBe(470n);
    expect(absoluteThreshold(1, '1/1000', 0.37) - seekThreshold(1, '1/1000', 0.37)).toBe(370n);
  });

  it('a hardware decoder that fails is said once and the frames come from the CPU, equal to the reference', async () => {
    const saved = process.env.FRAMELAB_HWACCEL;
    resetHardwareDecoder();
    process.env.FRAMELAB_HWACCEL = 'vaapi'; // built into Debian's ffmpeg; no device on the CI machine
    try {
      const warnings: string[] = [];
      const clip = clips[0]!;
      const tenths = [0, 4, 9, 13];
      for (const how of STRATEGIES) {
        const frames = new Map<number, { width: number; height: number; data: Uint8Array }>();
        for await (const { index, image } of decodeVideoFrames(clip.file, tenths, clip.probe, {
          ...how,
          onWarning: (m) => warnings.push(m),
        }))
          frames.set(tenths[index]!, image);
        expectSameAsReference(clip, frames, tenths);
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^hardware decoding with vaapi failed \(ffmpeg exited with code \d+: .+\); decoding on the CPU from here on$/,
      );
      expect((await hardwareDecoder()).name).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.FRAMELAB_HWACCEL;
      else process.env.FRAMELAB_HWACCEL = saved;
      resetHardwareDecoder();
    }
  });

  it('auto finds no hardware decoder on this machine and says why; none is the CPU', async () => {
    expect(parseHwaccels('Hardware acceleration methods:\nvdpau\ncuda\nvaapi\n\n')).toEqual(['vdpau', 'cuda', 'vaapi']);
    resetHardwareDecoder();
    const auto = await hardwareDecoder('auto', 'linux');
    expect(auto.name).toBeNull();
    expect(auto.detail).toMatch(/^CPU decoding: (ffmpeg has .+ but no device opened|ffmpeg has no hardware decoder for this platform)$/);
    resetHardwareDecoder();
    expect(await hardwareDecoder('none')).toEqual({ name: null, detail: 'CPU decoding (FRAMELAB_HWACCEL=none)' });
    resetHardwareDecoder();
  });

  it('stopping early kills ffmpeg (no frame after the return)', async () => {
    const clip = clips[0]!;
    const frames = decodeVideoFrames(clip.file, [0, 5, 10, 15], clip.probe);
    const first = await frames.next();
    expect(first.done).toBe(false);
    await frames.return(undefined);
    expect((await frames.next()).done).toBe(true);
  });
});
