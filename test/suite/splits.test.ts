import { describe, expect, it } from 'vitest';
import { FramelabError } from '../../src/shared/errors';
import {
  foldManifestCsv,
  groupKFold,
  groupSplit,
  kFold,
  manifestAssignment,
  randomSplit,
  splitManifestCsv,
  splitSummary,
  timeSplit,
} from '../../src/main/core/suite/data/splits';
import { pythonHas, runPython } from '../helpers/python';

const all = (s: { train: number[]; val: number[]; test: number[] }) => [...s.train, ...s.val, ...s.test].sort((a, b) => a - b);

describe('splits', () => {
  it('random 70/15/15 covers every row once, is seeded, and keeps every split non-empty at 12 rows', () => {
    const s = randomSplit(100, [0.7, 0.15, 0.15], 42);
    expect([s.train.length, s.val.length, s.test.length]).toEqual([70, 15, 15]);
    expect(all(s)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(randomSplit(100, [0.7, 0.15, 0.15], 42)).toEqual(s);
    expect(randomSplit(100, [0.7, 0.15, 0.15], 43)).not.toEqual(s);
    const small = randomSplit(12, [0.7, 0.15, 0.15], 1);
    expect(small.val.length).toBeGreaterThan(0);
    expect(small.test.length).toBeGreaterThan(0);
    expect(() => randomSplit(11, [0.7, 0.15, 0.15], 1)).toThrow(/at least 12 rows; the dataset has 11/);
    expect(() => randomSplit(20, [0.7, 0.2, 0.2], 1)).toThrow(/summing to 1/);
  });

  it('chronological split trains on the oldest and tests on the newest rows', () => {
    const times = Array.from({ length: 20 }, (_, i) => (i * 7919) % 20); // a permutation of 0..19
    const s = timeSplit(times, [0.7, 0.15, 0.15], 'captured_at');
    const maxTrain = Math.max(...s.train.map((i) => times[i]!));
    const minVal = Math.min(...s.val.map((i) => times[i]!));
    const maxVal = Math.max(...s.val.map((i) => times[i]!));
    const minTest = Math.min(...s.test.map((i) => times[i]!));
    expect(maxTrain).toBeLessThan(minVal);
    expect(maxVal).toBeLessThan(minTest);
    expect(() => timeSplit([...times.slice(0, 19), NaN], [0.7, 0.15, 0.15], 'captured_at')).toThrow(/row 20 has no usable captured_at/);
  });

  it('chronological split cuts only between distinct times: rows sharing a time are on one side, the achieved sizes are the closest possible', () => {
    // 10 times × 10 rows: asked 72/17/11 of 100 cuts inside the 8th time (rows 70..79) and the 9th (89).
    const times = Array.from({ length: 100 }, (_, i) => 1000 + ((i * 37) % 100) / 10).map(Math.floor);
    const s = timeSplit(times, [0.72, 0.17, 0.11], 'captured_at');
    const side = new Map<number, Set<string>>();
    for (const k of ['train', 'val', 'test'] as const) for (const r of s[k]) side.set(times[r]!, (side.get(times[r]!) ?? new Set()).add(k));
    for (const [t, sides] of side) expect([...sides], `time ${t}`).toHaveLength(1);
    expect(all(s)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([s.train.length, s.val.length, s.test.length]).toEqual([70, 20, 10]);
    expect(s.distinct).toBe(10);
    expect(s.bounds).toEqual({ trainEnd: 1006, valStart: 1007, valEnd: 1008, testStart: 1009 });
    expect(splitSummary(s)).toEqual({ rows: { train: 70, val: 20, test: 10 }, ratios: { train: 0.7, val: 0.2, test: 0.1 } });

    // A big tie across both asked cuts (70, 85): the boundaries nearest them overall (50, 90), never a cut through a tie.
    const lumpy = [...Array(50).fill(1), ...Array(40).fill(2), 3, 3, 3, 3, 4, 4, 4, 4, 4, 4];
    const l = timeSplit(lumpy, [0.7, 0.15, 0.15], 'captured_at');
    expect([l.train.length, l.val.length, l.test.length]).toEqual([50, 40, 10]);

    // Three distinct times is enough (one per split) however the rows fall.
    const three = timeSplit([...Array(10).fill(5), 6, 7], [0.7, 0.15, 0.15], 'day');
    expect([three.train.length, three.val.length, three.test.length]).toEqual([10, 1, 1]);
  });

  it('a time column with fewer distinct values than splits is refused, naming the column and what to do', () => {
    const same = Array(40).fill(1_741_000_000_000);
    expect(() =>
      timeSplit(same, [0.7, 0.15, 0.15], 'captured_at', { source: 'meta.csv', format: (t) => new Date(t).toISOString() }),
    ).toThrow(
      /A chronological split by "captured_at" of meta\.csv needs at least 3 distinct times \(one per split: train, val, test\).*the 40 rows have 1 \(2025-03-03T11:06:40\.000Z\)\. Use a time column with finer values.*or a random or grouped split\./,
    );
    expect(() => timeSplit([...Array(20).fill(1), ...Array(20).fill(2)], [0.7, 0.15, 0.15], 'day')).toThrow(
      /"day" needs at least 3 distinct times.*have 2 \(1, 2\)/,
    );
    try {
      timeSplit(same, [0.7, 0.15, 0.15], 'captured_at');
    } catch (e) {
      expect((e as FramelabError).code).toBe('INVALID_INPUT');
    }
  });

  it('grouped split never puts one channel in two splits', () => {
    const groups = Array.from({ length: 60 }, (_, i) => `ch${i % 9}`);
    const s = groupSplit(groups, [0.7, 0.15, 0.15], 3, 'channel_id');
    const of = (rows: number[]) => new Set(rows.map((i) => groups[i]));
    const [a, b, c] = [of(s.train), of(s.val), of(s.test)];
    for (const g of a) expect(b.has(g) || c.has(g)).toBe(false);
    for (const g of b) expect(c.has(g)).toBe(false);
    expect(all(s)).toHaveLength(60);
    expect(s.val.length && s.test.length && s.train.length).toBeTruthy();
  });

  it.skipIf(!pythonHas('sklearn'))('K-fold equals sklearn KFold(k) (no shuffle); grouped K-fold keeps groups whole', () => {
    const ref = JSON.parse(
      runPython(
        'import json; from sklearn.model_selection import KFold; print(json.dumps([[list(map(int,a)),list(map(int,b))] for a,b in KFold(5).split(list(range(23)))]))',
      ),
    );
    expect(kFold(23, 5).map((f) => [f.train, f.test])).toEqual(ref);
    const groups = Array.from({ length: 40 }, (_, i) => `g${(i * 3) % 11}`);
    const folds = groupKFold(groups, 4, 'channel_id');
    const seen = new Set<number>();
    for (const f of folds) {
      const tg = new Set(f.test.map((i) => groups[i]));
      for (const i of f.train) expect(tg.has(groups[i])).toBe(false);
      f.test.forEach((i) => seen.add(i));
    }
    expect(seen.size).toBe(40);
  });

  it('the manifest lists every video with its split, quoting as CSV needs', () => {
    const csv = splitManifestCsv(['a', 'b,c', 'd'], { train: [0], val: [1], test: [2] });
    expect(csv).toBe('video_id,split\na,train\n"b,c",val\nd,test\n');
  });

  it("with the spec's per-row columns: text_present (empty when unknown), target_log = log1p(target_raw), target_raw", () => {
    const split = { train: [0], val: [1], test: [2] };
    const rows = { textPresent: [1, 0, 1], targetRaw: [0, 99, 1e6] };
    const csv = splitManifestCsv(['a', 'b,c', 'd'], split, rows);
    expect(csv).toBe(
      `video_id,split,text_present,target_log,target_raw\na,train,1,0,0\n"b,c",val,0,${Math.log1p(99)},99\nd,test,1,${Math.log1p(1e6)},1000000\n`,
    );
    expect(splitManifestCsv(['a'], { train: [0], val: [], test: [] }, { textPresent: null, targetRaw: [-2] })).toBe(
      'video_id,split,text_present,target_log,target_raw\na,train,,,-2\n',
    );
    expect(foldManifestCsv(['a', 'b'], [1, 0], rows)).toBe(
      `video_id,fold,text_present,target_log,target_raw\na,1,1,0,0\nb,0,0,${Math.log1p(99)},99\n`,
    );
    // Runs compare by which row went where: the same as a manifest without the added columns.
    expect(manifestAssignment(csv)).toBe(splitManifestCsv(['a', 'b,c', 'd'], split));
    expect(manifestAssignment(foldManifestCsv(['a', 'b'], [1, 0], rows))).toBe('video_id,fold\na,1\nb,0\n');
  });
});
