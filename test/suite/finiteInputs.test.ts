import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SuiteConfig } from '../../src/shared/suite';
import { resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import { predictAnyVideo } from '../../src/main/core/suite/runs/newVideo';
import { listRuns, runSuite, suiteRunsDir } from '../../src/main/core/suite/runs/run';
import { scoreMany } from '../../src/main/core/suite/runs/scoreMany';
import { HORIZON_CONFIG, writeHorizonFixture, writeNpy } from './horizonFixture';

/**
 * No silent wrong answer from a suite run: NaN/±Infinity in the embeddings (fused or any
 * modality), the target or a feature fails before training, naming file, video and column or
 * dimension; a run that fails later leaves nothing `suite runs` lists.
 */
const quiet = { progress: () => {}, throwIfCancelled: () => {} };
const D = 8;

function setup(extra: Record<string, unknown> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suite-finite-'));
  const { videos } = writeHorizonFixture(dir, 160, D);
  const config = resolveConfigPaths(SuiteConfig.parse({ ...HORIZON_CONFIG, models: ['mean', 'ridge'], bootstrap: 10, ...extra }), dir);
  return { dir, home: path.join(dir, 'home'), config, videos };
}

/** The ids.txt rows (the .npy is written in this order) and the matrix, to edit one value. */
function readFixtureEmbeddings(dir: string) {
  const ids = fs.readFileSync(path.join(dir, 'ids.txt'), 'utf8').trim().split('\n');
  const bytes = fs.readFileSync(path.join(dir, 'emb.npy'));
  const headerLen = bytes.readUInt16LE(8);
  const body = bytes.subarray(10 + headerLen);
  const data = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
  return { ids, data };
}

/** meta.csv with `column` set to `value` on every row of `videoId`. */
function setMetaCell(dir: string, videoId: string, column: string, value: string) {
  const file = path.join(dir, 'meta.csv');
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const at = header!.split(',').indexOf(column);
  const edited = rows.map((line) => {
    const cells = line.split(',');
    if (cells[0] === videoId) cells[at] = value;
    return cells.join(',');
  });
  fs.writeFileSync(file, [header, ...edited].join('\n') + '\n');
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error('the run did not fail');
}

/** Everything under runs/suite (a failed run must leave nothing, not even a work folder). */
const runsFolder = (home: string) =>
  fs.existsSync(suiteRunsDir(home)) ? fs.readdirSync(suiteRunsDir(home)).filter((f) => f !== '.live') : [];

describe('suite run: non-finite inputs fail up front', () => {
  it('a NaN or Infinity in the fused embeddings names the file, the video and the dimension; nothing is written', async () => {
    for (const bad of [NaN, -Infinity]) {
      const { dir, home, config } = setup();
      const { ids, data } = readFixtureEmbeddings(dir);
      const row = 17;
      data[row * D + 3] = bad;
      writeNpy(path.join(dir, 'emb.npy'), '<f4', ids.length, D, Buffer.from(data.buffer));
      const err = await failure(runSuite(config, home, quiet));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toContain(
        `${path.join(dir, 'emb.npy')}: video "${ids[row]}" (row ${row + 1}) has ${Number.isNaN(bad) ? 'NaN' : '-Infinity'} at dimension 3 (0-based)`,
      );
      expect(err.details).toMatchObject({ videoId: ids[row], dimension: 3 });
      expect(listRuns(home)).toEqual([]);
      expect(runsFolder(home)).toEqual([]);
    }
  });

  it('a NaN in one modality file is refused the same way (the modality is named)', async () => {
    const { dir, home, config } = setup({ embeddings: undefined });
    const { ids, data } = readFixtureEmbeddings(dir);
    const audio = Float32Array.from(data, (v) => v / 2);
    audio[5 * D] = NaN;
    writeNpy(path.join(dir, 'audio.npy'), '<f4', ids.length, D, Buffer.from(audio.buffer));
    const withModalities = {
      ...config,
      embeddings: undefined,
      modalities: {
        video: { path: path.join(dir, 'emb.npy'), ids: path.join(dir, 'ids.txt') },
        audio: { path: path.join(dir, 'audio.npy'), ids: path.join(dir, 'ids.txt') },
      },
    };
    const err = await failure(runSuite(withModalities, home, quiet));
    expect(err.message).toContain(`${path.join(dir, 'audio.npy')} (audio): video "${ids[5]}" (row 6) has NaN at dimension 0 (0-based)`);
    expect(runsFolder(home)).toEqual([]);
  });

  it('a vector of a video the run does not use may be bad: only the used rows are checked', async () => {
    const { dir, home, config } = setup();
    const { ids, data } = readFixtureEmbeddings(dir);
    // Drop the video from the metadata: its NaN vector is never read.
    const dropped = ids[40]!;
    data[40 * D] = NaN;
    writeNpy(path.join(dir, 'emb.npy'), '<f4', ids.length, D, Buffer.from(data.buffer));
    const meta = path.join(dir, 'meta.csv');
    fs.writeFileSync(
      meta,
      fs
        .readFileSync(meta, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith(`${dropped},`))
        .join('\n'),
    );
    const result = await runSuite({ ...config, models: ['mean'] }, home, quiet);
    expect(listRuns(home).map((r) => r.runId)).toEqual([result.runId]);
  });

  it('the target: Infinity or a NaN written in the file fails; an empty cell is an outcome still to come', async () => {
    const { dir, home, config, videos } = setup();
    setMetaCell(dir, videos[9]!, 'horizon_view_count', 'inf');
    let err = await failure(runSuite(config, home, quiet));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain(`${config.metadata}: video "${videos[9]}" has horizon_view_count = Infinity (the target)`);

    setMetaCell(dir, videos[9]!, 'horizon_view_count', 'nan');
    err = await failure(runSuite(config, home, quiet));
    expect(err.message).toContain(`video "${videos[9]}" has horizon_view_count = NaN (the target)`);
    expect(err.message).toContain('leave the cell empty for an outcome not known yet');
    expect(runsFolder(home)).toEqual([]);

    setMetaCell(dir, videos[9]!, 'horizon_view_count', '');
    const result = await runSuite({ ...config, models: ['mean'] }, home, quiet);
    expect(result.rows.train + result.rows.val + result.rows.test).toBe(159);
  });

  it('a numeric feature: Infinity fails naming the column; NaN or an empty cell is imputed as before', async () => {
    const { dir, home, config, videos } = setup({ features: { numeric: ['duration'] } });
    setMetaCell(dir, videos[3]!, 'duration', '-inf');
    const err = await failure(runSuite(config, home, quiet));
    expect(err.message).toContain(`${config.metadata}: video "${videos[3]}" has duration = -Infinity (a numeric feature`);
    expect(err.details).toMatchObject({ column: 'duration', videoId: videos[3] });

    setMetaCell(dir, videos[3]!, 'duration', 'nan');
    setMetaCell(dir, videos[4]!, 'duration', '');
    const result = await runSuite(config, home, quiet);
    expect(result.leaderboard.every((r) => Number.isFinite(r.val.rmse_log))).toBe(true);
  });
});

describe('suite run: the run folder appears only with a valid result', () => {
  it('a model whose predictions are not finite fails the run, and suite runs is unchanged', async () => {
    const { dir, home, config, videos } = setup({ features: { numeric: ['duration'] } });
    const before = await runSuite({ ...config, models: ['mean'] }, home, quiet);
    // Finite but huge: their mean overflows to Infinity inside the scaler, so Ridge predicts NaN.
    for (const v of videos.slice(0, 40)) setMetaCell(dir, v, 'duration', '1e308');
    const err = await failure(runSuite(config, home, quiet));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/model "ridge" predicted (NaN|-?Infinity) for video "vid_\d+"/);
    expect(listRuns(home).map((r) => r.runId)).toEqual([before.runId]);
    expect(runsFolder(home)).toEqual([before.runId]);
  });
});

describe('scoring with a saved model: a non-finite embedding is not scored as NaN', () => {
  it('batch scoring gives that video its reason and scores the rest; predicting it alone is refused', async () => {
    const { dir, home, config } = setup();
    const run = await runSuite(config, home, quiet);
    const { ids, data } = readFixtureEmbeddings(dir);
    data[7 * D + 2] = Infinity;
    writeNpy(path.join(dir, 'bad.npy'), '<f4', ids.length, D, Buffer.from(data.buffer));
    const embeddings = { path: path.join(dir, 'bad.npy'), ids: path.join(dir, 'ids.txt') };
    const { rows } = await scoreMany({ runId: run.runId, model: 'ridge', metadata: config.metadata, embeddings }, home);
    expect(rows.filter((r) => r.error).map((r) => [r.videoId, r.error])).toEqual([
      [ids[7], 'its embedding in bad.npy has Infinity at dimension 2 (0-based)'],
    ]);
    expect(rows.filter((r) => !r.error).every((r) => Number.isFinite(r.yPred))).toBe(true);
    await expect(predictAnyVideo(run.runDir, 'ridge', ids[7]!, { embeddings })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(`video "${ids[7]}": ${embeddings.path} gives an embedding with Infinity at dimension 2 (0-based)`),
    });
  });
});
