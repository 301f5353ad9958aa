/**
 * Batch scoring (`suite.score` / `framelab suite score`): every video of a metadata table in one
 * pass gives, per video, exactly what `suite predict` gives one at a time from the same files;
 * videos lacking an embedding or a guest get their reason in the error column, the rest are
 * scored; missing columns and text runs are refused up front, naming what is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../native/loader';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { appRoot } from '../../src/main/core/appRoot';
import { predictAnyVideo } from '../../src/main/core/suite/runs/newVideo';
import { resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import { runSuite } from '../../src/main/core/suite/runs/run';
import { scoreMany, scoresCsv } from '../../src/main/core/suite/runs/scoreMany';
import { SuiteConfig } from '../../src/shared/suite';
import { runCleanup, runCli, tempDir } from '../helpers';
import { HORIZON_CONFIG, writeHorizonFixture } from './horizonFixture';

afterEach(runCleanup);
const quiet = { progress: () => {}, throwIfCancelled: () => {} };
const addon = loadNativeAddon(appRoot());
const hasXgboost = addon.available && !!(addon.addon as { xgboost?: unknown } | undefined)?.xgboost;

async function trainedRun(
  models: string[] = ['mean', 'guest_mean', 'ridge', 'ridge_guestnorm', 'ridge_guestfeat'],
  extra: Record<string, unknown> = {},
) {
  const data = tempDir('suite-score');
  const home = tempDir('suite-score-home');
  writeHorizonFixture(data, 80);
  const config = resolveConfigPaths(SuiteConfig.parse({ ...HORIZON_CONFIG, models, ...extra }), data);
  const run = await runSuite(config, home, quiet);
  return { data, home, run };
}

describe('suite score: many videos with one saved model', () => {
  it('scores every video of the table as `suite predict` does one at a time, for every kind of model', async () => {
    const { data, home, run } = await trainedRun();
    const files = {
      metadata: path.join(data, 'meta.csv'),
      embeddings: { path: path.join(data, 'emb.npy'), ids: path.join(data, 'ids.txt') },
    };
    for (const model of ['mean', 'guest_mean', 'ridge', 'ridge_guestnorm', 'ridge_guestfeat']) {
      const { rows } = await scoreMany({ runId: run.runId, model, ...files }, home);
      expect(rows.length, model).toBe(80);
      expect(rows.every((r) => r.error === null && Number.isFinite(r.yPred))).toBe(true);
      // A spread of videos, checked against the one-at-a-time path with the same files.
      for (const row of rows.filter((_, i) => i % 16 === 3)) {
        const one = await predictAnyVideo(run.runDir, model, row.videoId, files);
        expect(row.yPred, `${model} ${row.videoId}`).toBeCloseTo(one.yPred, 10);
        expect(row.viewsPred).toBeCloseTo(one.viewsPred!, 4);
      }
    }
  }, 240_000);

  it.skipIf(!hasXgboost)(
    'scores with a saved gbdt (its embedding goes through the saved PCA) as `suite predict` does',
    async () => {
      const { data, home, run } = await trainedRun(['gbdt'], { gbdt: { rounds: 20, minChildWeight: 1, projectionDim: 4, threads: 1 } });
      const files = {
        metadata: path.join(data, 'meta.csv'),
        embeddings: { path: path.join(data, 'emb.npy'), ids: path.join(data, 'ids.txt') },
      };
      const { rows } = await scoreMany({ runId: run.runId, model: 'gbdt', ...files }, home);
      expect(rows.every((r) => r.error === null)).toBe(true);
      for (const row of rows.filter((_, i) => i % 20 === 1)) {
        const one = await predictAnyVideo(run.runDir, 'gbdt', row.videoId, files);
        expect(one.source).toBe('new');
        expect(row.yPred, row.videoId).toBeCloseTo(one.yPred, 6);
      }
    },
    240_000,
  );

  it('gives the videos it cannot score their reason and scores the rest; refuses what cannot work, naming it', async () => {
    const { data, home, run } = await trainedRun(['ridge', 'ridge_guestnorm']);
    // One video without its embedding, one without its channel.
    const ids = fs.readFileSync(path.join(data, 'ids.txt'), 'utf8').trim().split('\n');
    const noEmbedding = ids[5]!;
    fs.writeFileSync(path.join(data, 'ids_short.txt'), ids.map((id, i) => (i === 5 ? 'not_a_video' : id)).join('\n') + '\n');
    const meta = fs.readFileSync(path.join(data, 'meta.csv'), 'utf8').trim().split('\n');
    const header = meta[0]!.split(',');
    const channel = header.indexOf('channel_id');
    const noGuest = meta[9]!.split(',')[0]!;
    const edited = meta.map((line) => {
      const cells = line.split(',');
      if (cells[0] === noGuest) cells[channel] = '';
      return cells.join(',');
    });
    fs.writeFileSync(path.join(data, 'meta_edited.csv'), edited.join('\n') + '\n');
    const params = {
      runId: run.runId,
      metadata: path.join(data, 'meta_edited.csv'),
      embeddings: { path: path.join(data, 'emb.npy'), ids: path.join(data, 'ids_short.txt') },
    };

    const ridge = (await scoreMany({ ...params, model: 'ridge' }, home)).rows;
    expect(ridge.filter((r) => r.error).map((r) => [r.videoId, r.error])).toEqual([[noEmbedding, 'no embedding in emb.npy']]);
    const guestnorm = (await scoreMany({ ...params, model: 'ridge_guestnorm' }, home)).rows;
    expect(
      guestnorm
        .filter((r) => r.error)
        .map((r) => [r.videoId, r.error])
        .sort(),
    ).toEqual(
      [
        [noEmbedding, 'no embedding in emb.npy'],
        [noGuest, 'no channel_id (the guest)'],
      ].sort(),
    );
    const csv = parseCsv(scoresCsv(guestnorm)).records;
    expect(csv[0]).toEqual(['video_id', 'y_pred', 'views_pred', 'error']);
    const failed = csv.find((r) => r[0] === noGuest)!;
    expect(failed).toEqual([noGuest, '', '', 'no channel_id (the guest)']);
    const ok = csv.find((r) => r[3] === '')!;
    expect(ok[1]).toMatch(/^-?\d+\.\d{6}$/);

    // A feature column missing from the table, the wrong embedding width, an unknown run or model.
    fs.writeFileSync(
      path.join(data, 'no_duration.csv'),
      meta
        .map((l) =>
          l
            .split(',')
            .filter((_, i) => header[i] !== 'duration')
            .join(','),
        )
        .join('\n') + '\n',
    );
    await expect(scoreMany({ ...params, model: 'ridge', metadata: path.join(data, 'no_duration.csv') }, home)).rejects.toThrow(
      /no_duration\.csv has no column "duration", a feature of model ridge/,
    );
    await expect(scoreMany({ runId: 'suite-nope', model: 'ridge', metadata: params.metadata }, home)).rejects.toThrow(
      /no suite run "suite-nope"/,
    );
    await expect(scoreMany({ runId: run.runId, model: 'gbdt', metadata: params.metadata }, home)).rejects.toThrow(
      /has no saved model "gbdt"; it has/,
    );
  }, 240_000);

  it('framelab suite score runs the job and writes the CSV whole', async () => {
    const { data, home, run } = await trainedRun(['mean', 'ridge']);
    fs.mkdirSync(path.join(data, 'scores'));
    const out = path.join(data, 'scores', 'ridge.csv');
    const res = await runCli(
      [
        '--home',
        home,
        '--json',
        'suite',
        'score',
        '--run',
        run.runId,
        '--model',
        'ridge',
        '--metadata',
        path.join(data, 'meta.csv'),
        '--out',
        out,
      ],
      { timeoutMs: 120_000 },
    );
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ runId: run.runId, model: 'ridge', registryId: null, out, scored: 80, failed: 0 });
    const expected = scoresCsv((await scoreMany({ runId: run.runId, model: 'ridge', metadata: path.join(data, 'meta.csv') }, home)).rows);
    expect(fs.readFileSync(out, 'utf8')).toBe(expected);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['ridge.csv']);
    const bad = await runCli(
      [
        '--home',
        home,
        'suite',
        'score',
        '--run',
        run.runId,
        '--model',
        'ridge',
        '--metadata',
        path.join(data, 'meta.csv'),
        '--out',
        path.join(data, 'x.txt'),
      ],
      { timeoutMs: 60_000 },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/out.*a \.csv file/);
  }, 240_000);
});
