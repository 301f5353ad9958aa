import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SuiteConfig } from '../../src/shared/suite';
import { resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import { listRuns, runSuite } from '../../src/main/core/suite/runs/run';
import { loadTable } from '../../src/main/core/suite/data/dataset';
import { predictVideo } from '../../src/main/core/suite/models/saved';
import { regressionMetrics } from '../../src/main/core/suite/models/metrics';
import { HORIZON_CONFIG, writeHorizonFixture } from './horizonFixture';

const quiet = { progress: () => {}, throwIfCancelled: () => {} };

function setup(extra: Record<string, unknown> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suite-'));
  writeHorizonFixture(dir);
  const config = resolveConfigPaths(SuiteConfig.parse({ ...HORIZON_CONFIG, ...extra }), dir);
  return { dir, home: path.join(dir, 'home'), config };
}

describe('DuckDB loading', () => {
  it('filters one horizon, keeps the latest capture per video, and fails loudly on an empty filter', async () => {
    const { config } = setup();
    const t = await loadTable({ file: config.metadata, filter: { horizon_days: 7 }, dedupe: { by: 'video_id', latest: 'captured_at' } });
    expect(t.rowCount).toBe(160);
    expect(t.summary).toMatchObject({ rowsRead: 480, rowsAfterFilter: 320, rowsAfterDedupe: 160 });
    expect(t.temporal.has('captured_at')).toBe(true);
    const hours = Array.from((t.columns.get('captured_at') as { values: Float64Array }).values, (ms) => new Date(ms).getUTCHours());
    expect(new Set(hours)).toEqual(new Set([20]));
    await expect(loadTable({ file: config.metadata, filter: { horizon_days: 14 } })).rejects.toThrow(
      /the filter \{"horizon_days":14\} keeps no rows of .*meta\.csv \(values present: horizon_days ∈ \{30, 7\}\)/,
    );
    await expect(loadTable({ file: config.metadata, filter: { horizons: 7 } })).rejects.toThrow(/meta\.csv has no column "horizons"/);
  });
});

describe('suite run', () => {
  it("with an untransformed target, the views metrics are the target's own (finite, equal to the model-space ones) and the leaderboard sorts by them", async () => {
    const { home, config } = setup({
      target: { column: 'horizon_view_count', transform: 'none' },
      models: ['mean', 'ridge'],
      rankMetric: 'rmse_raw',
    });
    const result = await runSuite(config, home, quiet);
    for (const row of result.leaderboard) {
      expect(Number.isFinite(row.val.rmse_raw), row.model).toBe(true);
      expect(row.val.rmse_raw).toBeCloseTo(row.val.rmse_log, 9);
      expect(row.test!.mae_raw).toBeCloseTo(row.test!.mae_log, 9);
    }
    const vals = result.leaderboard.map((r) => r.val.rmse_raw);
    expect(vals).toEqual([...vals].sort((a, b) => a - b));
    const intervals = JSON.parse(fs.readFileSync(path.join(result.runDir, 'metric_intervals.json'), 'utf8'));
    const ci = intervals.ridge.val.rmse_raw;
    expect(Number.isFinite(ci.lo) && ci.lo <= result.leaderboard.find((r) => r.model === 'ridge')!.val.rmse_raw).toBe(true);
  });

  it('writes an immutable run folder and a leaderboard where the informed models beat the baselines', async () => {
    const { home, config } = setup();
    const result = await runSuite(config, home, quiet);
    expect(result.rows).toEqual({ train: 112, val: 24, test: 24 });
    const order = result.leaderboard.map((r) => r.model);
    // Known signal: embeddings + duration + channel explain most of y; the mean knows nothing.
    expect(order.at(-1)).toBe('mean');
    expect(order.slice(0, 2).sort()).toEqual(['ridge_guestfeat', 'ridge_guestnorm']);
    const byModel = Object.fromEntries(result.leaderboard.map((r) => [r.model, r]));
    expect(byModel.ridge_guestnorm!.val.r2_log).toBeGreaterThan(0.8);
    expect(byModel.ridge!.val.rmse_log).toBeLessThan(byModel.guest_mean!.val.rmse_log);
    for (const f of [
      'config_used.json',
      'data_summary.json',
      'metrics_summary.json',
      'split_manifest.csv',
      'leaderboard.csv',
      'predictions/val.csv',
      'predictions/test.csv',
      'models/ridge.json',
      'result.json',
    ]) {
      expect(fs.existsSync(path.join(result.runDir, f)), f).toBe(true);
    }
    // The config records the versions that produced the run: app, libraries, and the addon's LibTorch/XGBoost.
    const used = JSON.parse(fs.readFileSync(path.join(result.runDir, 'config_used.json'), 'utf8'));
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
    expect(used.versions.framelab).toBe(pkg.version);
    expect(used.versions['@duckdb/node-api']).toMatch(/^\d+\.\d+/);
    expect(used.versions.libtorch).toMatch(/^\d+\.\d+|^addon not built$/);
    expect(used.versions.xgboost).toMatch(/^\d+\.\d+|^not linked$|^addon not built$/);
    const summary = JSON.parse(fs.readFileSync(path.join(result.runDir, 'data_summary.json'), 'utf8'));
    expect(summary.features.numeric).toEqual(['duration', 'text_present']);
    expect(summary.features.categorical.sort()).toEqual(['country', 'language', 'query']);
    const excluded = Object.fromEntries(summary.features.excluded.map((e: { column: string; reason: string }) => [e.column, e.reason]));
    expect(excluded).toMatchObject({
      horizon_view_count: 'target',
      view_count: 'leakage',
      views_per_day: 'leakage',
      age_days: 'leakage',
      virality_score: 'leakage',
      channel_id: 'id',
      channel_title: 'id',
      video_id: 'id',
    });
    const manifest = fs.readFileSync(path.join(result.runDir, 'split_manifest.csv'), 'utf8').trim().split('\n');
    expect(manifest).toHaveLength(161);
    expect(fs.readFileSync(path.join(result.runDir, 'predictions/val.csv'), 'utf8').split('\n')[0]).toBe('model,video_id,y_true,y_pred');
    // Read-only files (root, as in CI containers, could still write: check the mode, not a write).
    expect(fs.statSync(path.join(result.runDir, 'leaderboard.csv')).mode & 0o222).toBe(0);
    expect(listRuns(home).map((r) => r.runId)).toEqual([result.runId]);
    // Permutation importance on val: the channel and the embedding carry the signal.
    const imp = JSON.parse(fs.readFileSync(path.join(result.runDir, 'importance/ridge_guestnorm.json'), 'utf8'));
    expect(
      imp
        .slice(0, 2)
        .map((i: { feature: string }) => i.feature)
        .sort(),
    ).toEqual(['<embedding>', '<guest>']);
    const ridgeImp = JSON.parse(fs.readFileSync(path.join(result.runDir, 'importance/ridge.json'), 'utf8'));
    expect(ridgeImp.find((i: { feature: string }) => i.feature === '<guest>').increase).toBe(0); // plain Ridge never sees the guest
    // Slices by text_present partition each split; bootstrap intervals bracket the estimate.
    const slices = JSON.parse(fs.readFileSync(path.join(result.runDir, 'slice_metrics.json'), 'utf8'));
    expect(slices.column).toBe('text_present');
    const ridgeVal = slices.models.ridge.val;
    expect(Object.keys(ridgeVal).sort()).toEqual(['text_present=0', 'text_present=1']);
    expect(ridgeVal['text_present=0'].n + ridgeVal['text_present=1'].n).toBe(24);
    const intervals = JSON.parse(fs.readFileSync(path.join(result.runDir, 'metric_intervals.json'), 'utf8'));
    for (const m of ['ridge', 'ridge_guestnorm']) {
      const ci = intervals[m].test.rmse_log;
      const point = byModel[m]!.test!.rmse_log;
      expect(ci.lo).toBeLessThan(point);
      expect(ci.hi).toBeGreaterThan(point);
    }

    // Same seed, same data → the same predictions in a new run folder.
    const again = await runSuite(config, home, quiet);
    expect(again.runId).not.toBe(result.runId);
    expect(fs.readFileSync(path.join(again.runDir, 'predictions/test.csv'), 'utf8')).toBe(
      fs.readFileSync(path.join(result.runDir, 'predictions/test.csv'), 'utf8'),
    );
    expect(again.leaderboard).toEqual(result.leaderboard);
  });

  it('a saved model scores a video exactly as the run did, and takes feature overrides', async () => {
    const { home, config } = setup();
    const result = await runSuite(config, home, quiet);
    const lines = fs.readFileSync(path.join(result.runDir, 'predictions/test.csv'), 'utf8').trim().split('\n').slice(1);
    for (const model of ['mean', 'guest_mean', 'ridge', 'ridge_guestnorm', 'ridge_guestfeat']) {
      const rows = lines.filter((l) => l.startsWith(`${model},`)).slice(0, 3);
      for (const line of rows) {
        const [, videoId, , yPred] = line.split(',');
        const out = await predictVideo(result.runDir, model, videoId!);
        expect(out.yPred, `${model} ${videoId}`).toBeCloseTo(Number(yPred), 10);
        expect(out.viewsPred).toBeCloseTo(Math.expm1(Number(yPred)), 6);
      }
    }
    const videoId = lines[0]!.split(',')[1]!;
    const base = await predictVideo(result.runDir, 'ridge', videoId);
    const longer = await predictVideo(result.runDir, 'ridge', videoId, { duration: 59 });
    const shorter = await predictVideo(result.runDir, 'ridge', videoId, { duration: 6 });
    expect(longer.yPred).toBeGreaterThan(shorter.yPred); // duration carries positive signal
    expect(base.yPred).not.toBe(longer.yPred);
    await expect(predictVideo(result.runDir, 'ridge', videoId, { views_per_day: 3 })).rejects.toThrow(
      /"views_per_day" is not a feature of this model/,
    );
    await expect(predictVideo(result.runDir, 'ridge', 'nope')).rejects.toThrow(/video "nope" is not in the run's data/);
    await expect(predictVideo(result.runDir, 'gbdt', videoId)).rejects.toThrow(/has no saved model "gbdt"; it has guest_mean, mean, ridge/);
  });

  it.each(['view_count', 'views_per_day', 'age_days', 'virality_score', 'horizon_view_count'])(
    'fails naming %s when it is given as a feature',
    async (column) => {
      const { home, config } = setup({ features: { numeric: ['duration', column], categorical: ['language'] } });
      await expect(runSuite(config, home, quiet)).rejects.toThrow(new RegExp(`"${column}" is in the leakage set`));
      expect(fs.existsSync(path.join(home, 'runs', 'suite')) ? fs.readdirSync(path.join(home, 'runs', 'suite')) : []).toEqual([]);
    },
  );

  it('fails loudly on an empty join, naming both files and the key', async () => {
    const { dir, home, config } = setup();
    fs.writeFileSync(path.join(dir, 'ids.txt'), Array.from({ length: 160 }, (_, i) => `other_${i}`).join('\n'));
    await expect(runSuite(config, home, quiet)).rejects.toThrow(
      /joining .*meta\.csv to .*emb\.npy on video_id kept no rows: e\.g\. metadata has "vid_0000", embeddings have "other_0"/,
    );
  });

  it('runs chronological and grouped splits and K-fold with mean ± sd', async () => {
    const time = setup({ split: { kind: 'time', timeColumn: 'captured_at' }, models: ['mean', 'ridge'] });
    const t = await runSuite(time.config, time.home, quiet);
    // 160 rows on 28 capture times (6 or 5 rows each): the asked cuts (112, 136) fall inside a
    // time, so the split cuts at the nearest boundaries (114, 135) and records what it achieved.
    expect(t.rows).toEqual({ train: 114, val: 21, test: 25 });
    const capturedAt = new Map(
      fs
        .readFileSync(path.join(time.dir, 'meta.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .filter((c) => c[2] === '7')
        .map((c) => [c[0]!, c[1]!] as const)
        .sort((a, b) => (a[1] < b[1] ? -1 : 1)),
    );
    const sideOfTime = new Map<string, Set<string>>();
    for (const [id, side] of fs
      .readFileSync(path.join(t.runDir, 'split_manifest.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))) {
      const at = capturedAt.get(id!)!;
      sideOfTime.set(at, (sideOfTime.get(at) ?? new Set()).add(side!));
    }
    expect(sideOfTime.size).toBe(28);
    for (const [at, sides] of sideOfTime) expect([...sides], at).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(t.runDir, 'split_summary.json'), 'utf8'))).toEqual({
      kind: 'time',
      requestedRatios: { train: 0.7, val: 0.15, test: 0.15 },
      achievedRatios: { train: 0.7125, val: 0.1313, test: 0.1563 },
      rows: { train: 114, val: 21, test: 25 },
      time: {
        column: 'captured_at',
        distinctTimes: 28,
        trainEnd: '2025-03-19T20:00:00.000Z',
        valStart: '2025-03-20T20:00:00.000Z',
        valEnd: '2025-03-23T20:00:00.000Z',
        testStart: '2025-03-24T20:00:00.000Z',
      },
    });
    // A time column with one value after the filter (every row is horizon 7) is refused, naming it.
    const flat = setup({ split: { kind: 'time', timeColumn: 'horizon_days' }, models: ['mean'] });
    await expect(runSuite(flat.config, flat.home, quiet)).rejects.toThrow(
      /A chronological split by "horizon_days" of .*meta\.csv needs at least 3 distinct times .*the 160 rows have 1 \(7\)\./,
    );
    const group = setup({ split: { kind: 'group', seed: 1 }, models: ['mean', 'ridge'] });
    const g = await runSuite(group.config, group.home, quiet);
    expect(g.rows.val).toBeGreaterThan(0);
    const kf = setup({ split: { kind: 'kfold', k: 5, seed: 3 }, models: ['mean', 'ridge_guestnorm'] });
    const k = await runSuite(kf.config, kf.home, quiet);
    expect(k.folds).toBe(5);
    expect(k.leaderboard[0]!.model).toBe('ridge_guestnorm');
    expect(k.leaderboard[0]!.sd!.rmse_log).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(k.runDir, 'predictions/oof.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 160);
    // The CSV names the second block for what it holds: no test split, the folds' sd.
    const [header, first] = fs
      .readFileSync(path.join(k.runDir, 'leaderboard.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(header!.slice(8)).toEqual(['sd_rmse_log', 'sd_mae_log', 'sd_r2_log', 'sd_rmse_raw', 'sd_mae_raw', 'sd_spearman']);
    expect(Number(first![8])).toBeCloseTo(k.leaderboard[0]!.sd!.rmse_log!, 5);
  });

  it('K-fold runs get bootstrap intervals and slices on the out-of-fold predictions and fold-averaged permutation importance', async () => {
    const kf = setup({ split: { kind: 'kfold', k: 5, seed: 3 }, models: ['mean', 'ridge', 'ridge_guestnorm'], bootstrap: 300 });
    const k = await runSuite(kf.config, kf.home, quiet);
    const oof = fs
      .readFileSync(path.join(k.runDir, 'predictions/oof.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const intervals = JSON.parse(fs.readFileSync(path.join(k.runDir, 'metric_intervals.json'), 'utf8'));
    for (const m of ['ridge', 'ridge_guestnorm']) {
      const rows = oof.filter((r) => r[0] === m);
      expect(rows).toHaveLength(160);
      const point = regressionMetrics(
        rows.map((r) => Number(r[2])),
        rows.map((r) => Number(r[3])),
      );
      for (const metric of ['rmse_log', 'r2_log', 'spearman'] as const) {
        const ci = intervals[m].oof[metric];
        expect(ci.lo, `${m} ${metric}`).toBeLessThan(point[metric]);
        expect(ci.hi, `${m} ${metric}`).toBeGreaterThan(point[metric]);
      }
    }
    const slices = JSON.parse(fs.readFileSync(path.join(k.runDir, 'slice_metrics.json'), 'utf8'));
    const s = slices.models.ridge.oof;
    expect(s['text_present=0'].n + s['text_present=1'].n).toBe(160);
    const imp = JSON.parse(fs.readFileSync(path.join(k.runDir, 'importance/ridge_guestnorm.json'), 'utf8'));
    expect(imp[0].feature).toBe('<embedding>');
    // guestnorm adds the channel's mean back: shuffling channels hurts in every fold.
    const guestImp = imp.find((i: { feature: string }) => i.feature === '<guest>');
    expect(Math.min(...guestImp.folds)).toBeGreaterThan(0);
    for (const i of imp) {
      expect(i.folds).toHaveLength(5);
      expect(i.increase).toBeCloseTo(i.folds.reduce((a: number, b: number) => a + b, 0) / 5, 12);
    }
    const ridgeImp = JSON.parse(fs.readFileSync(path.join(k.runDir, 'importance/ridge.json'), 'utf8'));
    expect(ridgeImp.find((i: { feature: string }) => i.feature === '<guest>').folds).toEqual([0, 0, 0, 0, 0]);
    const meanImp = JSON.parse(fs.readFileSync(path.join(k.runDir, 'importance/mean.json'), 'utf8'));
    expect(meanImp.every((i: { increase: number }) => i.increase === 0)).toBe(true);
  });
});
