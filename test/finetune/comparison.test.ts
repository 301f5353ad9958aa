import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareModels, mergeComparisonFile } from '../../src/main/core/finetune/comparison';
import { decide } from '../../src/main/core/finetune/decision';
import { seededShuffle } from '../../src/main/core/random';
import { FramelabError } from '../../src/shared/errors';
import { ComparisonEntry, type HeldOutPrediction, type ModelComparison } from '../../src/shared/finetune';

const POV = ['1st person', '2nd person', '3rd person', 'no person'];

/** Held-out rows from (true, v7, v8) triples; frame ids f00, f01, … in two videos. */
function rows(triples: [number, number, number][]): HeldOutPrediction[] {
  return triples.map(([t, a, b], i) => ({
    frameId: `f${String(i).padStart(2, '0')}`,
    videoId: `v${i % 2}`,
    trueLabel: t,
    v7Pred: a,
    v8Pred: b,
  }));
}

/**
 * Like the lab's POV run (docs/reference.md §2): 45 frames, v7 says "1st person" for everything
 * (14/45 = 0.3111), v8 fixes 4 frames and breaks none (18/45 = 0.4000).
 */
function povLike(): HeldOutPrediction[] {
  const truth = [...Array(14).fill(0), ...Array(3).fill(1), ...Array(16).fill(2), ...Array(12).fill(3)] as number[];
  const fixes = new Set([20, 21, 40, 41]);
  return rows(truth.map((t, i) => [t, 0, fixes.has(i) ? t : 0]));
}

const provenance = (save: boolean) => ({
  config: { lr: 1e-5, maxEpochs: 15, patience: 3, trainable: ['layer4', 'fc'] },
  goldSnapshotId: 'gold-pov-3',
  baseModel: { id: 'pov@v7', sha256: 'a'.repeat(64) },
  newModel: save ? { id: 'pov@v8', sha256: 'b'.repeat(64) } : null,
  annotationsSource: null,
  cv: 'loo' as const,
  folds: 45,
  createdAt: '2025-01-01T00:00:00.000Z',
});
const entryOf = (c: ModelComparison): ComparisonEntry => ({ ...c, ...provenance(c.decision.save) });

describe('the v7 → v8 comparison', () => {
  it("reproduces the lab's POV run: accuracy 0.3111 → 0.4000, 4 fixed, 0 regressed, McNemar p = 0.125", () => {
    const c = compareModels({ predictions: povLike(), classes: POV, seed: 7 });
    expect(c.n).toBe(45);
    expect(c.metrics.v7.accuracy.toFixed(4)).toBe('0.3111');
    expect(c.metrics.v8.accuracy.toFixed(4)).toBe('0.4000');
    expect(c.fixed).toEqual(['f20', 'f21', 'f40', 'f41']);
    expect(c.regressed).toEqual([]);
    expect(c.mcnemar).toEqual({ b: 0, c: 4, p: 0.125 });
    expect(c.deltas.accuracy).toBeCloseTo(4 / 45, 15);
    expect(c.deltas.macroF1).toBeCloseTo(c.metrics.v8.macroF1 - c.metrics.v7.macroF1, 15);
    // v8 never does worse on any frame, so no resample can show it worse.
    expect(c.intervals.accuracy[0]).toBeGreaterThanOrEqual(0);
    expect(c.bootstrap).toEqual({
      resamples: 2000,
      seed: 7,
      confidence: 0.95,
      method: 'paired percentile, linear interpolation (np.percentile default)',
    });
    expect(c.decision.save).toBe(true);
    expect(c.decision.metric).toBe('macro_f1');
    const f = (x: number) => x.toFixed(2);
    expect(c.decision.reason).toBe(
      `v8 kept: macro-F1 v8 ${f(c.metrics.v8.macroF1)} vs v7 ${f(c.metrics.v7.macroF1)} (+${f(c.deltas.macroF1)}, 95% CI ` +
        `${c.intervals.macroF1[0] === 0 ? '0.00' : `+${f(c.intervals.macroF1[0])}`} to +${f(c.intervals.macroF1[1])}, McNemar p = 0.13): ` +
        `${c.intervals.macroF1[0] > 0 ? 'better, and the interval lies above no change' : 'higher, but no detectable difference: the interval includes no change'}.` +
        // The lab's v7 called every one of these frames 1st person: the sentence says so.
        ' Warning: v7 predicts “1st person” for every frame, so its figures say little about telling the classes apart.',
    );
    expect(c.metrics.v7.perClass.map((s) => s.support)).toEqual([14, 3, 16, 12]);
    expect(c.metrics.v7.confusion.map((row) => row[0])).toEqual([14, 3, 16, 12]);
  });

  it('does not save a v8 that is worse, and says so', () => {
    const worse = povLike().map((p) => ({ ...p, v7Pred: p.v8Pred, v8Pred: p.v7Pred }));
    const c = compareModels({ predictions: worse, classes: POV, seed: 7 });
    expect(c.decision.save).toBe(false);
    expect(c.decision.reason).toMatch(
      /^v8 not saved: macro-F1 v8 0\.\d\d vs v7 0\.\d\d \(\u22120\.\d\d, 95% CI \u22120\.\d\d to (0\.00|\u22120\.\d\d), McNemar p = 0\.13\): (worse than v7|lower, but no detectable difference: the interval includes no change)\. Warning: v8 predicts “1st person” for every frame/,
    );
    expect(c.mcnemar).toEqual({ b: 4, c: 0, p: 0.125 });
    expect(c.regressed).toEqual(['f20', 'f21', 'f40', 'f41']);
  });

  it('decides on the chosen metric: equal accuracy is not an improvement, even when macro-F1 improves', () => {
    const predictions = rows([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 1],
      [1, 0, 1],
    ]);
    const byF1 = compareModels({ predictions, classes: ['a', 'b'], seed: 1, resamples: 200 });
    expect(byF1.metrics.v7.macroF1).toBeCloseTo(3 / 7, 15);
    expect(byF1.metrics.v8.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 15);
    expect(byF1.decision.save).toBe(true);
    const byAccuracy = compareModels({ predictions, classes: ['a', 'b'], metric: 'accuracy', seed: 1, resamples: 200 });
    expect(byAccuracy.deltas.accuracy).toBe(0);
    expect(byAccuracy.decision).toEqual({
      save: false,
      metric: 'accuracy',
      reason: expect.stringMatching(
        /^v8 not saved: accuracy v8 0\.75 vs v7 0\.75 \(0\.00, 95% CI .* McNemar p = 1\.00\): no better than v7\. Warning: v7 predicts “a” for every frame/,
      ),
    });
    expect(byAccuracy.mcnemar).toEqual({ b: 1, c: 1, p: 1 });
  });

  it('identical predictions: no deltas, an interval of exactly 0, p = 1, not saved', () => {
    const same = povLike().map((p) => ({ ...p, v8Pred: p.v7Pred }));
    const c = compareModels({ predictions: same, classes: POV, seed: 3, resamples: 300 });
    expect(c.deltas).toEqual({ accuracy: 0, macroF1: 0 });
    expect(c.intervals).toEqual({ accuracy: [0, 0], macroF1: [0, 0] });
    expect(c.mcnemar).toEqual({ b: 0, c: 0, p: 1 });
    expect(c.fixed).toEqual([]);
    expect(c.decision.save).toBe(false);
    expect(c.decision.reason).toMatch(/: no better than v7\./);
  });

  it('one held-out frame is enough to compute, and too little to be sure', () => {
    const c = compareModels({ predictions: rows([[1, 0, 1]]), classes: ['a', 'b'], seed: 1, resamples: 100 });
    expect(c.metrics.v8).toMatchObject({ n: 1, accuracy: 1, macroF1: 0.5 });
    expect(c.mcnemar.p).toBe(1);
    expect(c.decision.reason).toMatch(
      /^v8 kept: macro-F1 v8 0\.50 vs v7 0\.00 \(\+0\.50, 95% CI \+0\.50 to \+0\.50, McNemar p = 1\.00\): better, and the interval lies above no change\./,
    );
  });

  it('does not depend on the order the folds finished in: frames are sorted by frameId first', () => {
    const predictions = povLike().map((p, i) => ({ ...p, v8Pred: i % 5 === 0 ? (p.trueLabel + 1) % 4 : p.v8Pred }));
    const base = compareModels({ predictions, classes: POV, seed: 11, resamples: 500 });
    for (const seed of [1, 2]) {
      expect(compareModels({ predictions: seededShuffle(predictions, seed), classes: POV, seed: 11, resamples: 500 })).toEqual(base);
    }
    expect(base.predictions.map((p) => p.frameId)).toEqual([...predictions.map((p) => p.frameId)].sort());
  });

  it('refuses inconsistent input with a clear message', () => {
    const ok = rows([
      [0, 0, 1],
      [1, 1, 1],
    ]);
    const bad =
      (predictions: HeldOutPrediction[], classes = ['a', 'b'], seed = 1) =>
      () =>
        compareModels({ predictions, classes, seed, resamples: 10 });
    expect(bad([ok[0]!, { ...ok[1]!, frameId: 'f00' }])).toThrow(/"f00" has two held-out predictions/);
    expect(bad([ok[0]!, { ...ok[1]!, v8Pred: 2 }])).toThrow(/predicted label must be a class index from 0 to 1; item 1 is 2/);
    expect(bad([{ ...ok[0]!, v7Probs: [0.5, 0.3, 0.2] }, ok[1]!])).toThrow(/"f00": v7Probs should hold 2 finite probabilities/);
    expect(bad(ok, ['a', 'a'])).toThrow(/distinct/);
    expect(bad(ok, ['a', 'b'], 1.5)).toThrow(/seed must be a whole number/);
    expect(bad([])).toThrow(FramelabError);
  });
});

describe('the save sentence', () => {
  const base = { metric: 'macro_f1' as const, confidence: 0.95 };
  it('names the metric, both values, the delta, its interval and p', () => {
    expect(decide({ ...base, v7: 0.64, v8: 0.71, interval: [-0.02, 0.16], p: 0.29 })).toEqual({
      save: true,
      metric: 'macro_f1',
      reason:
        'v8 kept: macro-F1 v8 0.71 vs v7 0.64 (+0.07, 95% CI \u22120.02 to +0.16, McNemar p = 0.29): higher, but no detectable difference: the interval includes no change.',
    });
    expect(decide({ ...base, v7: 0.64, v8: 0.61, interval: [-0.12, 0.05], p: 0.52 }).reason).toBe(
      'v8 not saved: macro-F1 v8 0.61 vs v7 0.64 (\u22120.03, 95% CI \u22120.12 to +0.05, McNemar p = 0.52): lower, but no detectable difference: the interval includes no change.',
    );
    expect(decide({ ...base, metric: 'accuracy', v7: 0.3111, v8: 0.4, interval: [0.0222, 0.1778], p: 0.0039 }).reason).toBe(
      'v8 kept: accuracy v8 0.40 vs v7 0.31 (+0.09, 95% CI +0.02 to +0.18, McNemar p = 0.004): better, and the interval lies above no change.',
    );
    expect(decide({ ...base, v7: 0.2, v8: 0.6, interval: [0.3, 0.5], p: 1e-5, confidence: 0.9 }).reason).toContain(
      '90% CI +0.30 to +0.50, McNemar p < 0.001',
    );
  });

  it('shows more decimals rather than print a kept delta as +0.00, and treats rounding noise as a tie', () => {
    expect(decide({ ...base, v7: 0.64, v8: 0.6449, interval: [-0.01, 0.02], p: 1 }).reason).toMatch(
      /^v8 kept: macro-F1 v8 0\.645 vs v7 0\.640 \(\+0\.005, 95% CI \u22120\.010 to \+0\.020/,
    );
    const tie = decide({ ...base, v7: 0.1 + 0.2, v8: 0.3, interval: [0, 0], p: 1 });
    expect(tie.save).toBe(false);
    expect(tie.reason).toBe('v8 not saved: macro-F1 v8 0.30 vs v7 0.30 (0.00, 95% CI 0.00 to 0.00, McNemar p = 1.00): no better than v7.');
  });

  it('says "worse" only when the interval lies below no change', () => {
    expect(decide({ ...base, v7: 0.7, v8: 0.5, interval: [-0.3, -0.1], p: 0.01 }).reason).toMatch(/\): worse than v7\.$/);
  });

  it('saves only a significant gain when asked, and says why a gain was not saved', () => {
    const gain = { ...base, v7: 0.64, v8: 0.71, interval: [-0.02, 0.16] as [number, number], p: 0.29 };
    const strict = decide({ ...gain, requireSignificant: true });
    expect(strict.save).toBe(false);
    expect(strict.reason).toMatch(
      /^v8 not saved: .*no detectable difference: the interval includes no change; this run saves v8 only when the interval lies above no change\.$/,
    );
    expect(decide({ ...gain, interval: [0.01, 0.16], requireSignificant: true }).save).toBe(true);
  });

  it('warns when a model predicts one class for every frame', () => {
    const one = decide({ ...base, v7: 0.2, v8: 0.5, interval: [0.1, 0.4], p: 0.01, oneClass: { v7: '3rd person', v8: null } });
    expect(one.reason).toMatch(/lies above no change\. Warning: v7 predicts “3rd person” for every frame/);
  });
});

describe('v8_comparison.json', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const tempFile = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-comparison-'));
    dirs.push(dir);
    return path.join(dir, 'models', 'v8_comparison.json');
  };
  const kept = compareModels({ predictions: povLike(), classes: POV, seed: 7, resamples: 200 });
  const notKept = compareModels({ predictions: povLike().map((p) => ({ ...p, v8Pred: p.v7Pred })), classes: POV, seed: 7, resamples: 200 });

  it('the entry schema accepts a full entry and ties newModel to the save decision', () => {
    expect(ComparisonEntry.parse(JSON.parse(JSON.stringify(entryOf(kept))))).toEqual(entryOf(kept));
    expect(ComparisonEntry.safeParse({ ...entryOf(kept), newModel: null }).success).toBe(false);
    expect(ComparisonEntry.safeParse({ ...entryOf(notKept), newModel: { id: 'pov@v8', sha256: 'c' } }).success).toBe(false);
    expect(ComparisonEntry.safeParse({ ...entryOf(kept), cv: 'kfold' }).success).toBe(false);
  });

  it('adds a dimension, replaces it on a re-run, and keeps the others as they were', () => {
    const file = tempFile();
    mergeComparisonFile(file, 'pov', entryOf(notKept));
    // An entry the lab's Python script wrote, in its own shape: kept as is.
    const legacy = { accuracy_v7: 0.4872, accuracy_v8: 0.5897, fixed: 5, regressed: 1 };
    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ distance: legacy, ...onDisk }));
    const merged = mergeComparisonFile(file, 'pov', entryOf(kept));
    const read = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(read).toEqual(merged);
    expect(Object.keys(read)).toEqual(['distance', 'pov']);
    expect(read.distance).toEqual(legacy);
    expect(ComparisonEntry.parse(read.pov)).toEqual(entryOf(kept));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['v8_comparison.json']);
  });

  it('leaves a file it cannot read, and writes nothing for an incomplete entry', () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"pov": ');
    expect(() => mergeComparisonFile(file, 'pov', entryOf(kept))).toThrow(/not valid JSON.*left as it is/);
    fs.writeFileSync(file, '[1, 2]');
    expect(() => mergeComparisonFile(file, 'pov', entryOf(kept))).toThrow(/one entry per dimension/);
    expect(fs.readFileSync(file, 'utf8')).toBe('[1, 2]');
    const other = tempFile();
    const incomplete = { ...entryOf(kept), goldSnapshotId: '' };
    expect(() => mergeComparisonFile(other, 'pov', incomplete)).toThrow(/The pov comparison is incomplete: goldSnapshotId/);
    expect(fs.existsSync(other)).toBe(false);
  });
});
