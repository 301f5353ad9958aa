import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCleanup, runCli, tempDir } from '../helpers';
import { HORIZON_CONFIG, writeHorizonFixture } from './horizonFixture';

afterEach(runCleanup);

const cli = async (home: string, args: string[]) => {
  const res = await runCli(['--home', home, '--json', ...args], { timeoutMs: 180_000 });
  return { ...res, json: () => JSON.parse(res.stdout), error: () => JSON.parse(res.stderr).error as { code: string; message: string } };
};

const ok = async (home: string, args: string[]) => {
  const res = await cli(home, args);
  expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res.json();
};

const MODELS = ['mean', 'guest_mean', 'ridge', 'ridge_guestnorm', 'ridge_guestfeat'];

describe('suite models in the registry (CLI, job process)', () => {
  it('registers a run as suite_7d_<model>@v1 with its lineage; predict/score by id; rerun on changed data is v2, compared; activate moves the bare name', async () => {
    const home = tempDir();
    const data = tempDir('suite-data');
    writeHorizonFixture(data, 120);
    const configFile = path.join(data, 'suite.json');
    fs.writeFileSync(configFile, JSON.stringify({ ...HORIZON_CONFIG, rankMetric: 'rmse_log', seed: 42 }));

    const first = await ok(home, ['suite', 'run', configFile]);
    expect(first.registered.sort()).toEqual(MODELS.map((m) => `suite_7d_${m}@v1`).sort());
    expect(first.lineage.horizon).toBe('7d');
    expect(first.lineage.featureSetHash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.lineage.dataFingerprint).toMatch(/^[0-9a-f]{64}$/);
    // Run from this checkout: the commit is recorded (config_used.json, as the spec's git_sha).
    const head = execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const used = JSON.parse(fs.readFileSync(path.join(first.runDir, 'config_used.json'), 'utf8'));
    expect(used.gitCommit.sha).toBe(head);
    expect(used.lineage).toEqual(first.lineage);

    const listed = (await ok(home, ['suite', 'models'])).models as {
      id: string;
      runId: string;
      model: string;
      active: boolean;
      featureSetHash: string;
      dataFingerprint: string;
      val: { rmse_log: number };
    }[];
    expect(listed).toHaveLength(5);
    const ridge1 = listed.find((m) => m.id === 'suite_7d_ridge@v1')!;
    expect(ridge1).toMatchObject({
      runId: first.runId,
      model: 'ridge',
      active: true,
      featureSetHash: first.lineage.featureSetHash,
      dataFingerprint: first.lineage.dataFingerprint,
    });
    expect(ridge1.val.rmse_log).toBeCloseTo(first.leaderboard.find((r: { model: string }) => r.model === 'ridge').val.rmse_log, 12);

    // predict by registry id = predict by run + model.
    const videoId = fs.readFileSync(path.join(first.runDir, 'predictions/val.csv'), 'utf8').split('\n')[1]!.split(',')[1]!;
    const byRun = await ok(home, ['suite', 'predict', '--run', first.runId, '--model', 'ridge', '--video-id', videoId]);
    const byId = await ok(home, ['suite', 'predict', '--model', 'suite_7d_ridge@v1', '--video-id', videoId]);
    expect(byId).toMatchObject({ runId: first.runId, model: 'ridge', registryId: 'suite_7d_ridge@v1' });
    expect(byId.yPred).toBe(byRun.yPred);
    const unknown = await cli(home, ['suite', 'predict', '--model', 'suite_7d_ridge@v9', '--video-id', videoId]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.error().message).toMatch(/No suite model suite_7d_ridge@v9\. Registered: suite_7d_ridge@v1\./);
    const noRun = await cli(home, ['suite', 'predict', '--model', 'ridge', '--video-id', videoId]);
    expect(noRun.error().message).toMatch(/"ridge" needs a run: give --run RUN_ID with a model name, or a registry id/);

    // New data arrives (one video's count re-scraped): the rerun is the next version, not active yet.
    const meta = fs.readFileSync(path.join(data, 'meta.csv'), 'utf8').split('\n');
    const header = meta[0]!.split(',');
    const at = header.indexOf('horizon_view_count');
    // The latest 7-day capture of the first video (an earlier one is dropped by the dedupe).
    const first7 = meta.findIndex((l, i) => i > 0 && l.split(',')[2] === '7');
    const video = meta[first7]!.split(',')[0];
    const row = meta.reduce(
      (best, l, i) =>
        i > 0 && l.split(',')[0] === video && l.split(',')[2] === '7' && l.split(',')[1]! > meta[best]!.split(',')[1]! ? i : best,
      first7,
    );
    const cells = meta[row]!.split(',');
    cells[at] = String(Number(cells[at]) * 3 + 17);
    meta[row] = cells.join(',');
    fs.writeFileSync(path.join(data, 'meta.csv'), meta.join('\n'));
    const out = tempDir('comparison');
    const rerun = await ok(home, ['suite', 'rerun', first.runId, '--out', out]);
    expect(rerun.run.rerunOf).toBe(first.runId);
    expect(rerun.run.registered).toContain('suite_7d_ridge@v2');
    expect(rerun.run.lineage.featureSetHash).toBe(first.lineage.featureSetHash);
    expect(rerun.run.lineage.dataFingerprint).not.toBe(first.lineage.dataFingerprint);
    expect(rerun.compare.runs.map((r: { runId: string }) => r.runId)).toEqual([first.runId, rerun.run.runId]);
    const comparison = path.join(out, 'comparison');
    expect(fs.readdirSync(comparison).sort()).toEqual(['comparison.json', 'config_diffs.csv', 'models.csv', 'runs.csv']);
    const models = fs.readFileSync(path.join(comparison, 'models.csv'), 'utf8').trim().split(/\r?\n/);
    expect(models[0]).toMatch(/^model,run_id,rank,val_rmse_log,/);
    expect(models).toHaveLength(1 + 2 * MODELS.length);
    const ridgeRows = models.filter((l) => l.startsWith('ridge,')).map((l) => l.split(','));
    expect(ridgeRows.map((r) => r[1])).toEqual([first.runId, rerun.run.runId]);
    expect(Number(ridgeRows[1]![3])).toBeCloseTo(
      rerun.run.leaderboard.find((r: { model: string }) => r.model === 'ridge').val.rmse_log,
      12,
    );
    expect(JSON.parse(fs.readFileSync(path.join(comparison, 'comparison.json'), 'utf8'))).toEqual(rerun.compare);

    // The same comparison again without --overwrite: refused, the files as they were.
    const before = fs.readFileSync(path.join(comparison, 'runs.csv'), 'utf8');
    const again = await cli(home, ['suite', 'compare', first.runId, rerun.run.runId, '--out', out]);
    expect(again.code).not.toBe(0);
    expect(again.error().message).toMatch(/runs\.csv exists; pass overwrite \(CLI: --overwrite\)/);
    expect(fs.readFileSync(path.join(comparison, 'runs.csv'), 'utf8')).toBe(before);

    // v1 stays the active one until the lead activates v2; the bare name follows.
    let active = await ok(home, ['suite', 'predict', '--model', 'suite_7d_ridge', '--video-id', videoId]);
    expect(active.registryId).toBe('suite_7d_ridge@v1');
    await ok(home, ['suite', 'activate', 'suite_7d_ridge@v2']);
    active = await ok(home, ['suite', 'predict', '--model', 'suite_7d_ridge', '--video-id', videoId]);
    expect(active).toMatchObject({ registryId: 'suite_7d_ridge@v2', runId: rerun.run.runId });
    const ridges = (await ok(home, ['suite', 'models', 'suite_7d_ridge'])).models as { id: string; active: boolean }[];
    expect(ridges.map((m) => [m.id, m.active])).toEqual([
      ['suite_7d_ridge@v1', false],
      ['suite_7d_ridge@v2', true],
    ]);

    // Batch scoring by the bare name scores with the active version.
    const csv = path.join(out, 'scores.csv');
    const scored = await ok(home, ['suite', 'score', '--model', 'suite_7d_ridge', '--metadata', path.join(data, 'meta.csv'), '--out', csv]);
    expect(scored).toMatchObject({ registryId: 'suite_7d_ridge@v2', runId: rerun.run.runId, model: 'ridge', failed: 0 });
    expect(fs.readFileSync(csv, 'utf8').split(/\r?\n/)[0]).toBe('video_id,y_pred,views_pred,error');
  }, 600_000);

  it('a K-fold run keeps no final model, so it registers none', async () => {
    const home = tempDir();
    const data = tempDir('suite-data');
    writeHorizonFixture(data, 60);
    const configFile = path.join(data, 'suite.json');
    fs.writeFileSync(configFile, JSON.stringify({ ...HORIZON_CONFIG, models: ['mean', 'ridge'], split: { kind: 'kfold', k: 3, seed: 1 } }));
    const run = await ok(home, ['suite', 'run', configFile]);
    expect(run.registered).toEqual([]);
    expect((await ok(home, ['suite', 'models'])).models).toEqual([]);
  }, 300_000);
});
