import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SuiteConfig } from '../../src/shared/suite';
import { loadTable } from '../../src/main/core/suite/data/dataset';
import { readNpyWithIds } from '../../src/main/core/suite/data/embeddings';
import { predictAnyVideo } from '../../src/main/core/suite/runs/newVideo';
import { prepareData, resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import type { PipelineState } from '../../src/main/core/suite/models/preprocess';
import { runSuite } from '../../src/main/core/suite/runs/run';
import { randomSplit } from '../../src/main/core/suite/data/splits';
import type { Table } from '../../src/main/core/suite/data/table';
import { pythonHas, runPython } from '../helpers/python';
import { HORIZON_CONFIG, writeHorizonFixture, writeNpy } from './horizonFixture';
import { SKLEARN_PRELUDE } from './sklearnPrelude';

const quiet = { progress: () => {}, throwIfCancelled: () => {} };
const HELD_OUT = 'vid_0007';
const NUMERIC = ['duration', 'text_present'];
const CATEGORICAL = ['language', 'country', 'query'];

const writeNpyF8 = (file: string, data: Float64Array, rows: number, d: number) =>
  writeNpy(file, '<f8', rows, d, Buffer.from(data.buffer, data.byteOffset, data.byteLength));

/**
 * The horizon fixture split in two: the training files without HELD_OUT (not in the metadata,
 * not in the embeddings), and new.csv + new.npy/new_ids.txt holding only HELD_OUT.
 */
function setupHeldOut() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suite-new-'));
  const full = path.join(dir, 'full');
  writeHorizonFixture(full);
  const lines = fs.readFileSync(path.join(full, 'meta.csv'), 'utf8').trim().split('\n');
  fs.writeFileSync(
    path.join(dir, 'meta.csv'),
    [lines[0], ...lines.slice(1).filter((l) => !l.startsWith(`${HELD_OUT},`))].join('\n') + '\n',
  );
  fs.writeFileSync(path.join(dir, 'new.csv'), [lines[0], ...lines.slice(1).filter((l) => l.startsWith(`${HELD_OUT},`))].join('\n') + '\n');
  const emb = readNpyWithIds(path.join(full, 'emb.npy'), path.join(full, 'ids.txt'));
  const at = emb.ids.indexOf(HELD_OUT);
  const keep = emb.ids.map((_, i) => i).filter((i) => i !== at);
  const rowsOf = (idx: number[]) => {
    const out = new Float64Array(idx.length * emb.dim);
    idx.forEach((r, i) => out.set(emb.data.subarray(r * emb.dim, (r + 1) * emb.dim), i * emb.dim));
    return out;
  };
  writeNpyF8(path.join(dir, 'emb.npy'), rowsOf(keep), keep.length, emb.dim);
  fs.writeFileSync(path.join(dir, 'ids.txt'), keep.map((i) => emb.ids[i]).join('\n') + '\n');
  const vector = rowsOf([at]);
  writeNpyF8(path.join(dir, 'new.npy'), vector, 1, emb.dim);
  fs.writeFileSync(path.join(dir, 'new_ids.txt'), `${HELD_OUT}\n`);
  const config = resolveConfigPaths(
    SuiteConfig.parse({ ...HORIZON_CONFIG, features: { numeric: NUMERIC, categorical: CATEGORICAL } }),
    dir,
  );
  return { dir, home: path.join(dir, 'home'), config, vector: Array.from(vector) };
}

/** The held-out video's latest metadata row, as plain values. */
async function heldOutRow(dir: string): Promise<Record<string, string | number | null>> {
  const t: Table = await loadTable({ file: path.join(dir, 'new.csv'), dedupe: { by: 'video_id', latest: 'captured_at' } });
  return Object.fromEntries(
    [...t.columns].map(([name, col]) => [
      name,
      col.kind === 'numeric' ? (Number.isNaN(col.values[0]!) ? null : col.values[0]!) : col.values[0]!,
    ]),
  );
}

/** The saved pipeline and Ridge applied by hand: impute, scale, one-hot, embedding, dot product. */
function manualRidge(
  state: { pipeline: PipelineState; coef: number[]; intercept: number },
  row: Record<string, string | number | null>,
  emb: number[],
): number {
  const x: number[] = [];
  for (const n of state.pipeline.numeric) x.push((((row[n.column] as number | null) ?? n.median) - n.mean) / n.scale);
  for (const c of state.pipeline.categorical) {
    const v = row[c.column] === null ? '__missing__' : String(row[c.column]);
    for (const cat of c.categories) x.push(cat === v ? 1 : 0);
  }
  x.push(...emb);
  expect(x).toHaveLength(state.coef.length);
  return x.reduce((s, v, j) => s + v * state.coef[j]!, state.intercept);
}

const SKLEARN_PY =
  SKLEARN_PRELUDE +
  String.raw`
num, cat = d['numeric'], d['categorical']
def frame(cols, emb):
    df = pd.DataFrame({c: pd.array(cols[c], dtype='float') for c in num})
    for c in cat: df[c] = pd.Series(cols[c], dtype=object).where(pd.Series(cols[c]).notna(), np.nan)
    emb = np.array(emb)
    for j in range(emb.shape[1]): df[f'e{j}'] = emb[:, j]
    return df
pre = ColumnTransformer([
  ('num', Pipeline([('imp', SimpleImputer(strategy='median')), ('sc', StandardScaler())]), num),
  ('cat', Pipeline([('imp', SimpleImputer(strategy='constant', fill_value='__missing__')), ('oh', OneHotEncoder(handle_unknown='ignore'))]), cat),
  ('emb', 'passthrough', [f'e{j}' for j in range(len(d['emb'][0]))]),
])
gs = GridSearchCV(Pipeline([('pre', pre), ('ridge', Ridge())]), {'ridge__alpha': d['alphas']}, cv=KFold(5), scoring='neg_mean_squared_error')
gs.fit(frame(d['train'], d['emb']), np.array(d['y']))
print(json.dumps({'alpha': gs.best_params_['ridge__alpha'], 'pred': float(gs.predict(frame(d['new'], d['newEmb']))[0])}))
`;

describe('suite predict: a video the run never saw', () => {
  it('scores a held-out video from a metadata row + an embeddings file exactly like the saved pipeline by hand, and (ridge) like sklearn', async () => {
    const { dir, home, config, vector } = setupHeldOut();
    const result = await runSuite(config, home, quiet);
    const row = await heldOutRow(dir);
    const inputs = {
      metadata: path.join(dir, 'new.csv'),
      embeddings: { path: path.join(dir, 'new.npy'), ids: path.join(dir, 'new_ids.txt') },
    };

    const ridge = await predictAnyVideo(result.runDir, 'ridge', HELD_OUT, inputs);
    expect(ridge.source).toBe('new');
    const saved = JSON.parse(fs.readFileSync(path.join(result.runDir, 'models/ridge.json'), 'utf8'));
    expect(ridge.yPred).toBeCloseTo(manualRidge(saved.state, row, vector), 10);
    expect(ridge.viewsPred).toBeCloseTo(Math.expm1(ridge.yPred), 6);

    // guestnorm: the Ridge part by hand plus the channel's training mean (or the global mean).
    const gn = JSON.parse(fs.readFileSync(path.join(result.runDir, 'models/ridge_guestnorm.json'), 'utf8')).state;
    const guestMean = gn.guestMeans.means[row.channel_id as string]?.mean ?? gn.guestMeans.global;
    expect((await predictAnyVideo(result.runDir, 'ridge_guestnorm', HELD_OUT, inputs)).yPred).toBeCloseTo(
      manualRidge(gn, row, vector) + guestMean,
      10,
    );
    expect((await predictAnyVideo(result.runDir, 'guest_mean', HELD_OUT, inputs)).yPred).toBeCloseTo(guestMean, 12);

    // The same inputs as JSON: features (with the guest) + the embedding vector.
    const features = Object.fromEntries([...NUMERIC, ...CATEGORICAL, 'channel_id'].map((c) => [c, row[c]!]));
    for (const model of ['ridge', 'ridge_guestnorm', 'ridge_guestfeat']) {
      const fromFiles = await predictAnyVideo(result.runDir, model, HELD_OUT, inputs);
      const fromJson = await predictAnyVideo(result.runDir, model, HELD_OUT, { features, embedding: vector });
      expect(fromJson.yPred, model).toBeCloseTo(fromFiles.yPred, 12);
    }

    if (pythonHas('sklearn', 'pandas')) {
      // sklearn fitted on the run's training rows, in the run's order, scoring the held-out row.
      const prepared = await prepareData(config);
      const train = randomSplit(prepared.data.ids.length, [0.7, 0.15, 0.15], 42).train;
      const d = prepared.data.src.embeddingDim;
      const col = (name: string, rows: number[]) => {
        const c = prepared.table.columns.get(name)!;
        return rows.map((r) => (c.kind === 'numeric' ? (Number.isNaN(c.values[r]!) ? null : c.values[r]!) : c.values[r]));
      };
      const cols = [...NUMERIC, ...CATEGORICAL];
      const file = path.join(dir, 'sk.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          numeric: NUMERIC,
          categorical: CATEGORICAL,
          alphas: saved.state.cvMse.map((c: { alpha: number }) => c.alpha),
          train: Object.fromEntries(cols.map((c) => [c, col(c, train)])),
          emb: train.map((r) => Array.from(prepared.data.src.embeddings!.subarray(r * d, (r + 1) * d))),
          y: train.map((r) => prepared.data.y[r]),
          new: Object.fromEntries(cols.map((c) => [c, [row[c]]])),
          newEmb: [vector],
        }),
      );
      const ref = JSON.parse(runPython(SKLEARN_PY, [file]));
      expect(saved.state.alpha).toBe(ref.alpha);
      expect(ridge.yPred).toBeCloseTo(ref.pred, 8);
    }
  }, 180_000);

  it("names what is missing, refuses leakage inputs, and still scores the run's own rows", async () => {
    const { dir, home, config, vector } = setupHeldOut();
    const result = await runSuite({ ...config, models: ['mean', 'ridge', 'ridge_guestnorm'] }, home, quiet);
    const run = result.runDir;
    // Not in the run's metadata and no --metadata: every feature is missing, named.
    await expect(predictAnyVideo(run, 'ridge', HELD_OUT)).rejects.toThrow(
      /video "vid_0007": no value for duration, text_present, language, country, query \(model ridge; it is not in .*meta\.csv\); give them in --features/,
    );
    // Features given, but the run's embeddings do not hold the video.
    const row = await heldOutRow(dir);
    const features = Object.fromEntries([...NUMERIC, ...CATEGORICAL].map((c) => [c, row[c]!]));
    await expect(predictAnyVideo(run, 'ridge', HELD_OUT, { features })).rejects.toThrow(
      /video "vid_0007" has no embedding in .*emb\.npy; give --embeddings FILE/,
    );
    await expect(
      predictAnyVideo(run, 'ridge', HELD_OUT, {
        metadata: path.join(dir, 'new.csv'),
        embeddings: { path: path.join(dir, 'emb.npy'), ids: path.join(dir, 'ids.txt') },
      }),
    ).rejects.toThrow(/video "vid_0007" has no embedding in .*emb\.npy; give a file that holds it/);
    await expect(predictAnyVideo(run, 'ridge', HELD_OUT, { features, embedding: vector.slice(1) })).rejects.toThrow(
      /gives a 7-d embedding; the model was trained on 8-d/,
    );
    // guestnorm needs the channel.
    await expect(predictAnyVideo(run, 'ridge_guestnorm', HELD_OUT, { features, embedding: vector })).rejects.toThrow(
      /no value for channel_id \(the guest\)/,
    );
    await expect(predictAnyVideo(run, 'ridge', 'vid_9999', { metadata: path.join(dir, 'new.csv') })).rejects.toThrow(
      /video "vid_9999" is not in .*new\.csv/,
    );
    // Leakage inputs are refused by name (before anything is read).
    await expect(
      predictAnyVideo(run, 'ridge', HELD_OUT, { features: { ...features, views_per_day: 3, age_days: 2 }, embedding: vector }),
    ).rejects.toThrow(/refused: "views_per_day", "age_days" are in the leakage set/);
    await expect(predictAnyVideo(run, 'ridge', HELD_OUT, { features: { horizon_view_count: 10 } })).rejects.toThrow(
      /refused: "horizon_view_count" is in the leakage set/,
    );
    // The mean model needs nothing.
    expect((await predictAnyVideo(run, 'mean', HELD_OUT)).yPred).toBe(
      JSON.parse(fs.readFileSync(path.join(run, 'models/mean.json'), 'utf8')).state.mean,
    );
    // A row of the run's data still scores as the run did.
    const [, videoId, , yPred] = fs
      .readFileSync(path.join(run, 'predictions/test.csv'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('ridge,'))!
      .split(',');
    const own = await predictAnyVideo(run, 'ridge', videoId!);
    expect(own.source).toBe('run');
    expect(own.yPred).toBeCloseTo(Number(yPred), 10);
  }, 180_000);
});
