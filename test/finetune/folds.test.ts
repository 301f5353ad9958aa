import { describe, expect, it } from 'vitest';
import { crossValidationFolds, leaveOneOutFolds, leaveOneVideoOutFolds, type GoldFrame } from '../../src/main/core/finetune/folds';
import { seededShuffle } from '../../src/main/core/random';
import { FramelabError } from '../../src/shared/errors';

const FRAMES: GoldFrame[] = [
  { frameId: 'v2_0003', videoId: 'v2', label: 1 },
  { frameId: 'v1_0001', videoId: 'v1', label: 0 },
  { frameId: 'v3_0001', videoId: 'v3', label: 2 },
  { frameId: 'v1_0002', videoId: 'v1', label: 0 },
  { frameId: 'v2_0001', videoId: 'v2', label: 1 },
];

function expectInvalid(fn: () => unknown, message: RegExp) {
  expect(fn).toThrow(FramelabError);
  expect(fn).toThrow(message);
}

/** Each fold's train and test split the frames; every frame is held out exactly once. */
function expectPartition(frames: readonly GoldFrame[], folds: ReturnType<typeof leaveOneOutFolds>) {
  const heldOut = folds.flatMap((f) => f.test).sort((a, b) => a - b);
  expect(heldOut).toEqual(frames.map((_, i) => i));
  for (const fold of folds) {
    expect([...fold.train, ...fold.test].sort((a, b) => a - b)).toEqual(frames.map((_, i) => i));
    for (const list of [fold.train, fold.test]) {
      const ids = list.map((i) => frames[i]!.frameId);
      expect(ids).toEqual([...ids].sort());
    }
  }
}

describe('cross-validation folds', () => {
  it('leave-one-out: one fold per frame, in frameId order, training on all the others', () => {
    const folds = leaveOneOutFolds(FRAMES);
    expect(folds.map((f) => f.id)).toEqual(['loo:v1_0001', 'loo:v1_0002', 'loo:v2_0001', 'loo:v2_0003', 'loo:v3_0001']);
    expect(folds[0]).toEqual({ id: 'loo:v1_0001', train: [3, 4, 0, 2], test: [1] });
    expectPartition(FRAMES, folds);
  });

  it('leave-one-video-out: one fold per video, in videoId order, holding out all its frames', () => {
    const folds = leaveOneVideoOutFolds(FRAMES);
    expect(folds).toEqual([
      { id: 'video:v1', train: [4, 0, 2], test: [1, 3] },
      { id: 'video:v2', train: [1, 3, 2], test: [4, 0] },
      { id: 'video:v3', train: [1, 3, 4, 0], test: [2] },
    ]);
    expectPartition(FRAMES, folds);
    expect(crossValidationFolds(FRAMES, 'video')).toEqual(folds);
    expect(crossValidationFolds(FRAMES, 'loo')).toEqual(leaveOneOutFolds(FRAMES));
  });

  it('gives the same folds (as frame ids) whatever order the gold set arrives in', () => {
    const asIds = (frames: GoldFrame[], folds: ReturnType<typeof leaveOneOutFolds>) =>
      folds.map((f) => ({ id: f.id, train: f.train.map((i) => frames[i]!.frameId), test: f.test.map((i) => frames[i]!.frameId) }));
    for (const seed of [1, 2, 3]) {
      const shuffled = seededShuffle(FRAMES, seed);
      expect(asIds(shuffled, leaveOneOutFolds(shuffled))).toEqual(asIds(FRAMES, leaveOneOutFolds(FRAMES)));
      expect(asIds(shuffled, leaveOneVideoOutFolds(shuffled))).toEqual(asIds(FRAMES, leaveOneVideoOutFolds(FRAMES)));
    }
  });

  it('orders ids by code unit, not by locale (the same on every machine)', () => {
    const frames = [
      { frameId: 'b', videoId: 'a', label: 0 },
      { frameId: 'B', videoId: 'Z', label: 0 },
      { frameId: 'a10', videoId: 'a', label: 0 },
      { frameId: 'a9', videoId: 'Z', label: 0 },
    ];
    expect(leaveOneOutFolds(frames).map((f) => f.id)).toEqual(['loo:B', 'loo:a10', 'loo:a9', 'loo:b']);
    expect(leaveOneVideoOutFolds(frames).map((f) => f.id)).toEqual(['video:Z', 'video:a']);
  });

  it('refuses too few frames or videos, and a frame listed twice, with a clear message', () => {
    expectInvalid(() => leaveOneOutFolds([]), /at least 2 gold frames.*has 0/);
    expectInvalid(() => leaveOneOutFolds([FRAMES[0]!]), /at least 2 gold frames.*has 1/);
    expectInvalid(() => leaveOneVideoOutFolds(FRAMES.filter((f) => f.videoId === 'v1')), /at least 2 videos.*1 video only/);
    expectInvalid(() => leaveOneVideoOutFolds([]), /at least 2 videos.*none/);
    expectInvalid(() => leaveOneOutFolds([...FRAMES, { ...FRAMES[2]! }]), /"v3_0001" is in the gold set twice/);
    // Two frames of two videos is the smallest valid case for both.
    expect(leaveOneOutFolds(FRAMES.slice(0, 2))).toHaveLength(2);
    expect(leaveOneVideoOutFolds(FRAMES.slice(0, 2))).toHaveLength(2);
  });
});
