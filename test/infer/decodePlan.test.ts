import { describe, expect, it } from 'vitest';
import { planDecode, spawnCostFrames } from '../../src/main/core/infer/decodePlan';
import { parsePacketLines, type PacketIndex } from '../../src/main/core/infer/keyframes';

/** A 30 fps stream of `seconds` with a keyframe every `gop` frames, time base 1/15360 (512 ticks a frame). */
function stream(seconds: number, gop: number): PacketIndex {
  const n = seconds * 30;
  const pts = Array.from({ length: n }, (_, i) => BigInt(i * 512));
  return { pts, keyframes: pts.filter((_, i) => i % gop === 0) };
}

const at = (seconds: number) => BigInt(Math.round(seconds * 15360));

describe('planDecode', () => {
  const spawn = spawnCostFrames(1080, 1920);

  it('a 1080×1920 start costs about 70 frames; a thumbnail-sized one thousands', () => {
    expect(spawn).toBe(69);
    expect(spawnCostFrames(64, 48)).toBeGreaterThan(1000);
  });

  it('one sample a second with a keyframe every 2 s: a seek would skip 29 frames, less than a start costs, so one pass', () => {
    const plan = planDecode(
      Array.from({ length: 20 }, (_, s) => at(s)),
      stream(20, 60),
      spawn,
    );
    expect(plan.kind).toBe('pass');
    expect(plan.cost.pass).toBe(570 + 1 + spawn);
    // Every keyframe is nearer than a start costs: the seek plan is one segment from the start.
    expect(plan.cost.seek).toBe(plan.cost.pass);
    // Counting frames only (a free start), seeking decodes about half: 10 × 31 of 571.
    const free = planDecode(
      Array.from({ length: 20 }, (_, s) => at(s)),
      stream(20, 60),
      0,
    );
    expect(free.kind).toBe('seek');
    expect(free.cost.seek).toBe(10 * 31);
    expect(free.segments.map((x) => x.samples)).toEqual(Array.from({ length: 10 }, (_, k) => [2 * k, 2 * k + 1]));
    expect(free.segments.map((x) => x.keyframe)).toEqual(Array.from({ length: 10 }, (_, k) => BigInt(k * 60 * 512)));
  });

  it('five samples over a minute: seeking decodes a small share of a pass, starts included', () => {
    const plan = planDecode([6, 18, 30, 42, 54].map(at), stream(60, 60), spawn);
    expect(plan.kind).toBe('seek');
    expect(plan.segments.map((x) => x.keyframe)).toEqual([6, 18, 30, 42, 54].map((s) => BigInt(s * 30 * 512)));
    expect(plan.cost.seek).toBe(5 * (1 + spawn));
    expect(plan.cost.seek / plan.cost.pass).toBeLessThan(0.25);
  });

  it('a sample every 0.1 s: the pass decodes fewer frames', () => {
    const plan = planDecode(
      Array.from({ length: 200 }, (_, t) => at(t / 10)),
      stream(20, 60),
      spawn,
    );
    expect(plan.kind).toBe('pass');
    expect(plan.segments).toEqual([]);
    expect(plan.cost.seek).toBeGreaterThanOrEqual(plan.cost.pass);
  });

  it('a keyframe nearer than a new start costs extends the segment; past the last packet is left out', () => {
    // Keyframes every 3 frames, samples 4 frames apart: never worth a new ffmpeg at spawn cost 5.
    const plan = planDecode([at(0), at(4 / 30), at(8 / 30), at(100)], stream(2, 3), 5, 'seek');
    expect(plan.segments).toEqual([{ keyframe: 0n, samples: [0, 1, 2] }]);
    const split = planDecode([at(0), at(4 / 30), at(8 / 30)], stream(2, 3), 0, 'seek');
    expect(split.segments.map((s) => [s.keyframe, s.samples])).toEqual([
      [0n, [0]],
      [BigInt(3 * 512), [1]],
      [BigInt(6 * 512), [2]],
    ]);
  });

  it('a threshold between frames is served by the next frame and seeks to the keyframe before that frame', () => {
    // 1.5 frames in: the frame at 2 (keyframes at 0 and 2 with gop 2) is its own keyframe.
    const plan = planDecode([BigInt(768)], stream(1, 2), 0, 'seek');
    expect(plan.segments).toEqual([{ keyframe: 1024n, samples: [0] }]);
  });
});

describe('parsePacketLines', () => {
  it('sorts presentation timestamps, marks keyframes, and gives up on a packet without pts', () => {
    expect(parsePacketLines('0,K_\n2048,__\n1024,__\n3584,K_\n')).toEqual({ pts: [0n, 1024n, 2048n, 3584n], keyframes: [0n, 3584n] });
    expect(parsePacketLines('0,K_\nN/A,__\n')).toBeNull();
    expect(parsePacketLines('0,__\n')).toBeNull();
    expect(parsePacketLines('')).toBeNull();
  });
});
