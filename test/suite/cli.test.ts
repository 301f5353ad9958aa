import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanup, runCli, tempDir } from '../helpers';
import { HORIZON_CONFIG, writeHorizonFixture } from './horizonFixture';

afterEach(runCleanup);

function writeConfig(dir: string, extra: Record<string, unknown> = {}): string {
  writeHorizonFixture(dir, 120);
  const file = path.join(dir, 'suite.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      ...HORIZON_CONFIG,
      rankMetric: 'rmse_log',
      seed: 42,
      ...extra,
    }),
  );
  return file;
}

describe('framelab suite (CLI, job process)', () => {
  it('runs a config as a suite.run job, prints the leaderboard JSON, and lists the run', async () => {
    const home = tempDir();
    const data = tempDir('suite-data');
    const config = writeConfig(data);
    const res = await runCli(['--home', home, '--json', 'suite', 'run', config], { timeoutMs: 120_000 });
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.rows).toEqual({ train: 84, val: 18, test: 18 });
    expect(out.runDir).toBe(path.join(home, 'runs', 'suite', out.runId));
    expect(out.leaderboard.map((r: { model: string }) => r.model)).toHaveLength(5);
    // 18 validation rows: the two baselines trail the Ridge family (their order is noise here).
    expect(
      out.leaderboard
        .slice(3)
        .map((r: { model: string }) => r.model)
        .sort(),
    ).toEqual(['guest_mean', 'mean']);
    expect(Object.keys(out.leaderboard[0].val).sort()).toEqual(['mae_log', 'mae_raw', 'n', 'r2_log', 'rmse_log', 'rmse_raw', 'spearman']);
    const vals = out.leaderboard.map((r: { val: { rmse_log: number } }) => r.val.rmse_log);
    expect([...vals].sort((a: number, b: number) => a - b)).toEqual(vals);

    const board = await runCli(['--home', home, '--json', 'suite', 'leaderboard'], { timeoutMs: 60_000 });
    expect(board.code, board.stderr).toBe(0);
    expect(JSON.parse(board.stdout).leaderboard).toEqual(out.leaderboard);
    const runs = await runCli(['--home', home, '--json', 'suite', 'runs'], { timeoutMs: 60_000 });
    expect(JSON.parse(runs.stdout).runs.map((r: { runId: string }) => r.runId)).toEqual([out.runId]);

    const [, videoId, , yPred] = fs
      .readFileSync(path.join(out.runDir, 'predictions/val.csv'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('ridge_guestnorm,'))!
      .split(',');
    const pred = await runCli(
      [
        '--home',
        home,
        '--json',
        'suite',
        'predict',
        '--run',
        out.runId,
        '--model',
        'ridge_guestnorm',
        '--video-id',
        videoId!,
        '--features',
        '{"duration": 30}',
      ],
      { timeoutMs: 60_000 },
    );
    expect(pred.code, pred.stderr).toBe(0);
    const scored = JSON.parse(pred.stdout);
    expect(scored).toMatchObject({ runId: out.runId, model: 'ridge_guestnorm', videoId });
    expect(typeof scored.yPred).toBe('number');
    const same = await runCli(
      ['--home', home, '--json', 'suite', 'predict', '--run', out.runId, '--model', 'ridge_guestnorm', '--video-id', videoId!],
      { timeoutMs: 60_000 },
    );
    expect(JSON.parse(same.stdout).yPred).toBeCloseTo(Number(yPred), 10);
    // The new-video path (inputs from files given on the command line) reproduces the run's score.
    const predict = (...extra: string[]) =>
      runCli(
        ['--home', home, '--json', 'suite', 'predict', '--run', out.runId, '--model', 'ridge_guestnorm', '--video-id', videoId!, ...extra],
        { timeoutMs: 60_000 },
      );
    const fromFiles = await predict(
      '--metadata',
      path.join(data, 'meta.csv'),
      '--embeddings',
      path.join(data, 'emb.npy'),
      '--ids',
      path.join(data, 'ids.txt'),
    );
    expect(fromFiles.code, fromFiles.stderr).toBe(0);
    expect(JSON.parse(fromFiles.stdout)).toMatchObject({ source: 'new', videoId });
    expect(JSON.parse(fromFiles.stdout).yPred).toBeCloseTo(Number(yPred), 10);
    const leak = await predict('--features', '{"age_days": 3, "duration": 30}', '--embedding', '[1, 2]');
    expect(leak.code).not.toBe(0);
    expect(JSON.parse(leak.stderr).error.message).toMatch(/refused: "age_days" is in the leakage set/);
    const noIds = await predict('--ids', path.join(data, 'ids.txt'));
    expect(noIds.code).not.toBe(0);
    expect(JSON.parse(noIds.stderr).error.message).toMatch(/--ids and --key go with --embeddings FILE/);
  }, 300_000);

  it('exits non-zero naming a leakage column given as a feature', async () => {
    const home = tempDir();
    const data = tempDir('suite-data');
    const config = writeConfig(data, { features: { numeric: ['duration', 'views_per_day'] } });
    const res = await runCli(['--home', home, 'suite', 'train', '--config', config], { timeoutMs: 120_000 });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/"views_per_day" is in the leakage set/);
  }, 240_000);
});
