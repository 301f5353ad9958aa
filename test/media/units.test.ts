import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strategyFromFlags } from '../../src/main/cli/commands/frames';
import { probeVideo, ProbeError } from '../../src/main/core/media/probe';
import { evenlySpaced, everySeconds, randomSlots, sampleTimestamps, slotCount } from '../../src/main/core/media/sampling';
import { defaultVideoId, formatTenths, frameId, isVideoFile, toTenths } from '../../src/main/core/media/videoIds';
import { FramesSampleParams } from '../../src/shared/media';
import { expectFramelabError } from '../helpers';
import { makeClips, type Clips } from './fixtures';

describe('ids', () => {
  it('formats frame times as %05.1f', () => {
    expect(frameId('vid_0007', 1)).toBe('vid_0007_t001.0');
    expect(frameId('v', 0)).toBe('v_t000.0');
    expect(frameId('v', 123.4)).toBe('v_t123.4');
    expect(frameId('v', 9.96)).toBe('v_t010.0');
    expect(frameId('v', 1234.5)).toBe('v_t1234.5');
    expect(formatTenths(5)).toBe('000.5');
  });

  it('rounds to 0.1 s half up, whatever binary noise the float carries', () => {
    expect(frameId('v', 12.25)).toBe('v_t012.3');
    expect(toTenths(1.05)).toBe(11);
    expect(toTenths(1.15)).toBe(12); // 1.15 is 1.149999… in binary
    expect(toTenths(2.675)).toBe(27);
    expect(toTenths(1.04999)).toBe(10);
    expect(toTenths(0.05)).toBe(1);
    expect(() => toTenths(-1)).toThrow(RangeError);
    expect(() => toTenths(Number.NaN)).toThrow(RangeError);
  });

  it('takes the file name without extension as the default video id, and knows the four kinds', () => {
    expect(defaultVideoId('/a/b/vid_0007.mp4')).toBe('vid_0007');
    expect(defaultVideoId('clip.v2.webm')).toBe('clip.v2');
    for (const f of ['a.mp4', 'a.MOV', 'a.webm', 'a.mkv']) expect(isVideoFile(f)).toBe(true);
    for (const f of ['a.txt', 'a.avi', 'mp4']) expect(isVideoFile(f)).toBe(false);
  });
});

describe('sampling strategies', () => {
  it('every N seconds: exact times from 0, strictly before the end', () => {
    expect(everySeconds(4, 1)).toEqual([0, 10, 20, 30]);
    expect(everySeconds(4.05, 1)).toEqual([0, 10, 20, 30, 40]);
    expect(everySeconds(1, 0.25)).toEqual([0, 3, 5, 8]); // 0, 0.25→0.3, 0.5, 0.75→0.8
    expect(everySeconds(2, 0.7)).toEqual([0, 7, 14]);
    expect(everySeconds(0, 1)).toEqual([]);
  });

  it('K per video, evenly: (i + 0.5) · duration / K, rounded half up', () => {
    expect(evenlySpaced(4, 4)).toEqual([5, 15, 25, 35]);
    expect(evenlySpaced(4, 3)).toEqual([7, 20, 33]);
    expect(evenlySpaced(10, 1)).toEqual([50]);
    expect(evenlySpaced(0.25, 2)).toEqual([1, 2]); // 0.0625→0.1, 0.1875→0.2
    // More frames than 0.1 s slots: each slot once.
    expect(evenlySpaced(0.3, 10)).toEqual([0, 1, 2]);
  });

  it('K per video, random: reproducible per (seed, video), distinct, in range', () => {
    const a = randomSlots(60, 8, 42, 'vid_1');
    expect(a).toEqual(randomSlots(60, 8, 42, 'vid_1'));
    expect(a).toHaveLength(8);
    expect(new Set(a).size).toBe(8);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    for (const t of a) expect(t >= 0 && t < 600).toBe(true);
    expect(randomSlots(60, 8, 43, 'vid_1')).not.toEqual(a);
    expect(randomSlots(60, 8, 42, 'vid_2')).not.toEqual(a);
    // Everything when K covers all slots.
    expect(randomSlots(0.5, 9, 1, 'v')).toEqual([0, 1, 2, 3, 4]);
  });

  it('random sampling of a video does not depend on the other videos sampled with it', () => {
    const strategy = { kind: 'perVideo', count: 5, random: true, seed: 9 } as const;
    const alone = sampleTimestamps(strategy, 30, 'b');
    const ids = ['a', 'b', 'c'];
    const together = Object.fromEntries(ids.map((id) => [id, sampleTimestamps(strategy, 30, id)]));
    const reversed = Object.fromEntries([...ids].reverse().map((id) => [id, sampleTimestamps(strategy, 30, id)]));
    expect(together.b).toEqual(alone);
    expect(reversed).toEqual(together);
  });

  it('never reaches the end of the video, for many durations', () => {
    for (let ms = 50; ms < 5000; ms += 37) {
      const d = ms / 1000;
      const slots = slotCount(d);
      for (const list of [everySeconds(d, 0.3), evenlySpaced(d, 7), randomSlots(d, 7, 3, 'v')]) {
        for (const t of list) {
          expect(t).toBeLessThan(slots);
          expect(t / 10).toBeLessThan(d);
        }
      }
    }
  });

  it('validates strategies at the job boundary', () => {
    expect(FramesSampleParams.safeParse({ strategy: { kind: 'every', seconds: 0 } }).success).toBe(false);
    expect(FramesSampleParams.safeParse({ strategy: { kind: 'perVideo', count: 0 } }).success).toBe(false);
    expect(FramesSampleParams.safeParse({ strategy: { kind: 'perVideo', count: 2, seed: 1 } }).success).toBe(false);
    expect(FramesSampleParams.safeParse({ strategy: { kind: 'perVideo', count: 2, random: true, seed: 1 } }).success).toBe(true);
  });
});

describe('frames sample flags', () => {
  it('builds a strategy or refuses with INVALID_INPUT', () => {
    expect(strategyFromFlags({ every: '2.5' })).toEqual({ kind: 'every', seconds: 2.5 });
    expect(strategyFromFlags({ 'per-video': '4' })).toEqual({ kind: 'perVideo', count: 4 });
    expect(strategyFromFlags({ 'per-video': '4', random: true, seed: '7' })).toEqual({ kind: 'perVideo', count: 4, random: true, seed: 7 });
    expect(strategyFromFlags({ 'per-video': '4', random: true })).toEqual({ kind: 'perVideo', count: 4, random: true, seed: 0 });
    expect(strategyFromFlags({ existing: true })).toEqual({ kind: 'existing' });
    const bad = [
      {},
      { existing: true, every: '1' },
      { existing: true, 'per-video': '2', random: true },
      { every: '1', 'per-video': '2' },
      { every: '0' },
      { every: 'abc' },
      { every: '' },
      { 'per-video': '0' },
      { 'per-video': '1.5' },
      { 'per-video': '2', seed: '3' },
      { every: '1', random: true },
      { 'per-video': '2', random: true, seed: '-1' },
    ];
    for (const flags of bad) expectFramelabError(() => strategyFromFlags(flags), 'INVALID_INPUT');
  });
});

describe('probe (ffprobe through fluent-ffmpeg)', () => {
  let clips: Clips;
  beforeAll(async () => {
    clips = await makeClips();
  });
  afterAll(() => clips?.remove());

  it('reads duration, size, fps and codec of each kind', async () => {
    // timeBase and startTimeS locate each sampled timestamp's frame for the per-video decoder; rotation swaps the output size.
    expect(await probeVideo(clips.mp4)).toEqual({
      durationS: 4,
      width: 160,
      height: 120,
      fps: 25,
      codec: 'h264',
      timeBase: '1/12800',
      startTimeS: 0,
      rotation: 0,
    });
    const mov = await probeVideo(clips.mov);
    expect(mov).toMatchObject({ width: 128, height: 96, fps: 10, codec: 'h264' });
    expect(mov.durationS).toBeCloseTo(3, 1);
    const webm = await probeVideo(clips.webm);
    expect(webm).toMatchObject({ width: 96, height: 64, fps: 10, codec: 'vp8' });
    expect(webm.durationS).toBeCloseTo(2, 1);
    const mkv = await probeVideo(clips.mkv);
    expect(mkv).toMatchObject({ width: 64, height: 48, fps: 20 });
    expect(mkv.durationS).toBeCloseTo(2.5, 1);
  });

  it('says why a file cannot be read', async () => {
    await expect(probeVideo(clips.corrupt)).rejects.toThrow(ProbeError);
    await expect(probeVideo(clips.corrupt)).rejects.toThrow(/^ffprobe could not read it: Invalid data found when processing input$/);
    await expect(probeVideo(path.join(clips.dir, 'nope.mp4'))).rejects.toThrow(/^it does not exist$/);
  });

  it('reports a missing ffprobe as CAPABILITY_MISSING, honouring FFPROBE_PATH', async () => {
    const saved = process.env.FFPROBE_PATH;
    process.env.FFPROBE_PATH = path.join(clips.dir, 'no-ffprobe-here');
    try {
      await expect(probeVideo(clips.mp4)).rejects.toMatchObject({
        code: 'CAPABILITY_MISSING',
        message: expect.stringMatching(/FFPROBE_PATH/),
      });
    } finally {
      if (saved === undefined) delete process.env.FFPROBE_PATH;
      else process.env.FFPROBE_PATH = saved;
    }
  });
});
