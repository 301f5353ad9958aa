/**
 * The API the Suite screens read: suite.runDetail, suite.compare, suite.dataset.preview and
 * suite.liveCurves, through the real handlers on real small runs of the horizon fixture.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../native/loader';
import { createLocalTransport } from '../../src/main/core/api/localTransport';
import { handlers } from '../../src/main/core/api/handlers';
import { appRoot } from '../../src/main/core/appRoot';
import { resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import { listRuns, runSuite, suiteRunsDir } from '../../src/main/core/suite/runs/run';
import { liveCurves, runDetail } from '../../src/main/core/suite/runs/views';
import { liveCurvesFile } from '../../src/main/core/suite/runs/live';
import { createClient } from '../../src/shared/client';
import { FramelabError } from '../../src/shared/errors';
import { SuiteConfig } from '../../src/shared/suite';
import { openTestCore, runCleanup, tempDir } from '../helpers';
import { writeHorizonFixture } from './horizonFixture';

afterEach(runCleanup);

const quiet = { progress: () => {}, throwIfCancelled: () => {} };
const addonBuilt = loadNativeAddon(appRoot()).available;

const BASE = {
  metadata: 'meta.csv',
  embeddings: { path: 'emb.npy', ids: 'ids.txt' },
  filter: { horizon_days: 7 },
  dedupe: { by: 'video_id', latest: 'captured_at' },
  guestColumn: 'channel_id',
};

function setup() {
  const dir = tempDir();
  writeHorizonFixture(dir);
  const home = path.join(dir, 'home');
  const core = openTestCore(home);
  const client = createClient(createLocalTransport(core, handlers));
  const config = (extra: Record<string, unknown>) => resolveConfigPaths(SuiteConfig.parse({ ...BASE, ...extra }), dir);
  return { dir, home, client, config };
}

function csvRows(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
}

describe('suite.runDetail', () => {
  it('returns what the run folder holds: leaderboard, intervals, slices, importance, and predicted-vs-actual points equal to the predictions files', async () => {
    const { home, client, config } = setup();
    const run = await runSuite(config({ models: ['mean', 'guest_mean', 'ridge'], bootstrap: 50 }), home, quiet);
    const detail = await client.call('suite.runDetail', { runId: run.runId });
    expect(detail.result.leaderboard.map((r) => r.model)).toEqual(run.leaderboard.map((r) => r.model));
    expect(detail.config.models).toEqual(['mean', 'guest_mean', 'ridge']);
    expect(detail.dataSummary.rows).toBe(160);
    expect(Object.keys(detail.importance).sort()).toEqual(['guest_mean', 'mean', 'ridge']);
    expect(detail.importance.ridge!.map((r) => r.feature)).toContain('<embedding>');
    const ivRidge = detail.intervals.ridge!.test.rmse_log!;
    const testRmse = run.leaderboard.find((r) => r.model === 'ridge')!.test!.rmse_log;
    expect(ivRidge.lo!).toBeLessThanOrEqual(testRmse);
    expect(ivRidge.hi!).toBeGreaterThanOrEqual(testRmse);
    expect(detail.slices.column).toBe('text_present');
    expect(Object.keys(detail.slices.models.ridge!.val).sort()).toEqual(['text_present=0', 'text_present=1']);
    // No neural model: no curves.
    expect(detail.curves).toEqual({});

    // Points equal the predictions CSV, per model and split.
    for (const split of ['val', 'test'] as const) {
      const rows = csvRows(path.join(run.runDir, 'predictions', `${split}.csv`));
      for (const model of ['mean', 'guest_mean', 'ridge']) {
        const p = detail.predictions.find((x) => x.model === model && x.split === split)!;
        const expected = rows.filter((r) => r[0] === model);
        expect(p.total).toBe(run.rows[split]);
        expect(p.points.map((q) => [q.id, q.yTrue, q.yPred])).toEqual(expected.map((r) => [r[1], Number(r[2]), Number(r[3])]));
      }
    }
    // A big split is sampled evenly down to the cap, keeping the total.
    const capped = runDetail(home, run.runId, 10);
    const ridgeVal = capped.predictions.find((x) => x.model === 'ridge' && x.split === 'val')!;
    expect(ridgeVal.total).toBe(24);
    expect(ridgeVal.points).toHaveLength(10);
    expect(new Set(ridgeVal.points.map((q) => q.id)).size).toBe(10);

    await expect(client.call('suite.runDetail', { runId: 'suite-nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads K-fold runs: out-of-fold points for every row', async () => {
    const { home, client, config } = setup();
    const run = await runSuite(config({ models: ['mean', 'ridge'], split: { kind: 'kfold', k: 3 } }), home, quiet);
    const detail = await client.call('suite.runDetail', { runId: run.runId });
    expect(detail.predictions.map((p) => `${p.model}:${p.split}:${p.total}`).sort()).toEqual(['mean:oof:160', 'ridge:oof:160']);
    // K-fold runs carry bootstrap intervals over the pooled out-of-fold predictions, and importance averaged over folds.
    expect(Object.keys(detail.intervals).sort()).toEqual(['mean', 'ridge']);
    for (const m of ['mean', 'ridge']) {
      const oof = (detail.intervals[m] as Record<string, Record<string, { lo: number; hi: number }>>).oof!;
      expect(oof.rmse_log!.lo).toBeLessThan(oof.rmse_log!.hi);
    }
    expect(Object.keys(detail.importance).sort()).toEqual(['mean', 'ridge']);
  });
});

describe('suite.compare', () => {
  it('puts runs side by side per model (null where a run lacks one) and lists only the config fields that differ', async () => {
    const { home, client, config } = setup();
    const a = await runSuite(config({ models: ['mean', 'ridge'], bootstrap: 20 }), home, quiet);
    const b = await runSuite(config({ models: ['mean', 'guest_mean'], split: { kind: 'random', seed: 7 }, bootstrap: 20 }), home, quiet);
    const cmp = await client.call('suite.compare', { runIds: [a.runId, b.runId] });
    expect(cmp.runs.map((r) => r.runId)).toEqual([a.runId, b.runId]);
    const byModel = Object.fromEntries(cmp.models.map((m) => [m.model, m.byRun]));
    expect(Object.keys(byModel).sort()).toEqual(['guest_mean', 'mean', 'ridge']);
    expect(byModel.ridge![1]).toBeNull();
    expect(byModel.guest_mean![0]).toBeNull();
    expect(byModel.mean![0]!.val.rmse_log).toBe(a.leaderboard.find((r) => r.model === 'mean')!.val.rmse_log);
    expect(byModel.mean![1]!.val.rmse_log).toBe(b.leaderboard.find((r) => r.model === 'mean')!.val.rmse_log);
    // Different seeds split differently: the mean baseline's val score differs.
    expect(byModel.mean![0]!.val.rmse_log).not.toBe(byModel.mean![1]!.val.rmse_log);
    expect(byModel.ridge![0]!.rank).toBe(1);
    const fields = cmp.configDiffs.map((d) => d.field);
    expect(fields).toEqual(['models', 'split.seed']);
    expect(cmp.configDiffs.find((d) => d.field === 'split.seed')!.values).toEqual([42, 7]);
    // Different seeds put different rows in val and test: the compare says so, naming why.
    expect(cmp.runs[0]!.splitHash).not.toBe(cmp.runs[1]!.splitHash);
    expect(cmp.splitWarning).toMatch(/^These runs used different splits \(split\.seed differs\)/);
    await expect(client.call('suite.compare', { runIds: [a.runId] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('run names and tags', () => {
  it('are kept in the run, listed by suite.runs, shown side by side in suite.compare; the same split gives no warning', async () => {
    const { home, client, config } = setup();
    const a = await runSuite(config({ name: 'baseline week 7', tags: ['weekly', 'v1'], models: ['mean'], bootstrap: 20 }), home, quiet);
    const b = await runSuite(config({ models: ['mean', 'ridge'], bootstrap: 20 }), home, quiet);
    expect(a).toMatchObject({ name: 'baseline week 7', tags: ['weekly', 'v1'] });
    const { runs } = await client.call('suite.runs', {});
    expect(Object.fromEntries(runs.map((r) => [r.runId, [r.name, r.tags]]))).toEqual({
      [a.runId]: ['baseline week 7', ['weekly', 'v1']],
      [b.runId]: [null, []],
    });
    const cmp = await client.call('suite.compare', { runIds: [a.runId, b.runId] });
    expect(cmp.runs.map((r) => [r.name, r.tags])).toEqual([
      ['baseline week 7', ['weekly', 'v1']],
      [null, []],
    ]);
    expect(cmp.runs[0]!.splitHash).toBe(cmp.runs[1]!.splitHash);
    expect(cmp.splitWarning).toBeNull();
  });

  it('are read from config_used.json for runs saved before result.json had them', () => {
    const { home } = setup();
    const dir = path.join(suiteRunsDir(home), 'suite-20240101T000000-old');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'result.json'),
      JSON.stringify({
        runId: 'suite-20240101T000000-old',
        runDir: dir,
        rows: { train: 1, val: 1, test: 1 },
        folds: null,
        rankMetric: 'rmse_log',
        leaderboard: [],
      }),
    );
    fs.writeFileSync(path.join(dir, 'config_used.json'), JSON.stringify({ config: { name: 'old run', tags: ['legacy'] } }));
    expect(listRuns(home)).toMatchObject([{ runId: 'suite-20240101T000000-old', name: 'old run', tags: ['legacy'] }]);
  });
});

describe('gbdt curves in the run detail', () => {
  it('reads curves/gbdt.csv (round,train_rmse,val_rmse) as points with boosting rounds on the x axis, beside neural epochs', () => {
    const { home } = setup();
    const runId = 'suite-20240101T000000-gbdt';
    const dir = path.join(suiteRunsDir(home), runId);
    fs.mkdirSync(path.join(dir, 'curves'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'result.json'),
      JSON.stringify({ runId, runDir: dir, rows: { train: 1, val: 1, test: 1 }, folds: null, rankMetric: 'rmse_log', leaderboard: [] }),
    );
    fs.writeFileSync(path.join(dir, 'curves', 'gbdt.csv'), 'round,train_rmse,val_rmse\n1,1.5,1.6\n2,1.2,1.4\n3,1.0,1.45\n');
    fs.writeFileSync(path.join(dir, 'curves', 'concat_mlp.csv'), 'epoch,train_loss,val_rmse\n1,0.9,1.1\n');
    const detail = runDetail(home, runId);
    expect(detail.curves.gbdt).toEqual([
      { epoch: 1, trainLoss: 1.5, valRmse: 1.6 },
      { epoch: 2, trainLoss: 1.2, valRmse: 1.4 },
      { epoch: 3, trainLoss: 1.0, valRmse: 1.45 },
    ]);
    expect(detail.curves.concat_mlp).toEqual([{ epoch: 1, trainLoss: 0.9, valRmse: 1.1 }]);
    expect(detail.curveUnits).toEqual({ gbdt: 'round', concat_mlp: 'epoch' });
  });
});

describe('suite.dataset.preview', () => {
  it('counts the rows through filter, dedupe and join, and gives every column its role with the reason it is excluded', async () => {
    const { dir, client } = setup();
    const preview = await client.call('suite.dataset.preview', { config: { ...BASE }, configFile: path.join(dir, 'suite.json') });
    expect(preview).toMatchObject({
      rowsRead: 480,
      rowsAfterFilter: 320,
      rowsAfterDedupe: 160,
      rows: 160,
      rowsMissingTarget: 0,
      rowsWithoutEmbedding: 0,
      guests: 12,
    });
    expect(preview.embeddings).toMatchObject({ count: 160, dim: 8 });
    const role = Object.fromEntries(preview.columns.map((c) => [c.name, c]));
    expect(role.horizon_view_count!.role).toBe('target');
    for (const leak of ['horizon_days', 'view_count', 'views_per_day', 'age_days', 'virality_score']) {
      expect(role[leak]!.role).toBe('leakage');
      expect(role[leak]!.reason).toMatch(/^leakage: known only after the outcome/);
    }
    expect(role.video_id).toMatchObject({ role: 'id', type: 'text' });
    expect(role.captured_at).toMatchObject({ role: 'time', type: 'time' });
    expect(role.channel_id!.role).toBe('guest');
    expect(role.duration).toMatchObject({ role: 'numeric', type: 'numeric', reason: null, missing: 0 });
    expect(role.language).toMatchObject({ role: 'categorical', distinct: 3 });
    expect(role.text_present!.role).toBe('numeric');

    // Custom features: the others are "not selected"; a leakage column among them fails, named.
    const custom = await client.call('suite.dataset.preview', {
      config: { ...BASE, features: { numeric: ['duration'], categorical: ['language'] } },
      configFile: path.join(dir, 'suite.json'),
    });
    expect(custom.columns.filter((c) => c.role === 'numeric' || c.role === 'categorical').map((c) => c.name)).toEqual([
      'language',
      'duration',
    ]);
    expect(custom.columns.find((c) => c.name === 'query')!.role).toBe('not_selected');
    await expect(
      client.call('suite.dataset.preview', {
        config: { ...BASE, features: { numeric: ['duration', 'views_per_day'] } },
        configFile: path.join(dir, 'suite.json'),
      }),
    ).rejects.toThrow(/"views_per_day" is in the leakage set/);
    // An empty filter says so, naming the file.
    await expect(
      client.call('suite.dataset.preview', { config: { ...BASE, filter: { horizon_days: 14 } }, configFile: path.join(dir, 'suite.json') }),
    ).rejects.toThrow(/keeps no rows of .*meta\.csv/);
  });
});

describe('suite.liveCurves', () => {
  it.skipIf(!addonBuilt)(
    'grows by one point per epoch while the MLP trains, and the live file goes once the run folder is complete',
    async () => {
      const { home, client, config } = setup();
      const seen: number[] = [];
      const reporter = {
        jobId: 'job_live_test',
        throwIfCancelled: () => {},
        progress: (_f: number, stage: string) => {
          if (/epoch \d+/.test(stage)) seen.push(liveCurves(home, 'job_live_test').curves.concat_mlp?.length ?? 0);
        },
      };
      const run = await runSuite(
        config({ models: ['mean', 'concat_mlp'], mlp: { hidden: [16], maxEpochs: 4, patience: 10, threads: 1 }, bootstrap: 20 }),
        home,
        reporter,
      );
      expect(seen).toEqual([1, 2, 3, 4]);
      expect(fs.existsSync(liveCurvesFile(suiteRunsDir(home), 'job_live_test'))).toBe(false);
      expect(await client.call('suite.liveCurves', { jobId: 'job_live_test' })).toEqual({
        jobId: 'job_live_test',
        runId: null,
        curves: {},
      });
      const detail = await client.call('suite.runDetail', { runId: run.runId });
      expect(detail.curves.concat_mlp!.map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
      expect(detail.curves.concat_mlp!.every((p) => p.trainLoss! > 0 && p.valRmse! > 0)).toBe(true);
    },
  );

  it.skipIf(!addonBuilt)(
    'a cancel during the MLP stops it after the epoch in progress; the live curve stays, no run folder is left',
    async () => {
      const { home, client, config } = setup();
      let epochs = 0;
      const reporter = {
        jobId: 'job_cancel_test',
        progress: (_f: number, stage: string) => {
          if (/epoch \d+/.test(stage)) epochs++;
        },
        throwIfCancelled: () => {
          if (epochs >= 2) throw new FramelabError('CANCELLED', 'The job was cancelled.');
        },
      };
      const run = runSuite(
        config({ models: ['mean', 'concat_mlp'], mlp: { hidden: [16], maxEpochs: 50, patience: 50, threads: 1 } }),
        home,
        reporter,
      );
      await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(epochs).toBe(2);
      const live = await client.call('suite.liveCurves', { jobId: 'job_cancel_test' });
      expect(live.curves.concat_mlp!.map((p) => p.epoch)).toEqual([1, 2]);
      expect(live.runId).toMatch(/^suite-/);
      expect(fs.readdirSync(suiteRunsDir(home)).filter((d) => !d.startsWith('.live'))).toEqual([]);
    },
  );
});
