import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { xgboostOf } from '../../native/index';
import { loadNativeAddon } from '../../native/loader';
import { appRoot } from '../../src/main/core/appRoot';
import { seededShuffle, mulberry32 } from '../../src/main/core/random';
import { fitGbdt, gbdtFeatureMaker, gbdtParams, loadGbdt, parseEvalLine, type GbdtOptions } from '../../src/main/core/suite/models/gbdt';
import { resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import { fitProjection, projectRows } from '../../src/main/core/suite/models/projection';
import { runSuite } from '../../src/main/core/suite/runs/run';
import { predictVideo } from '../../src/main/core/suite/models/saved';
import { SuiteConfig } from '../../src/shared/suite';
import { pythonHas, runPython } from '../helpers/python';
import { writeHorizonFixture } from './horizonFixture';
import { synthetic } from './synthetic';

const quiet = { progress: () => {}, throwIfCancelled: () => {} };
const status = loadNativeAddon(appRoot());
const addonBuilt = status.available;
// Skips only when the addon was built without libxgboost-dev (CI installs it).
const hasXgboost = addonBuilt && !!(status.addon as { xgboost?: unknown } | undefined)?.xgboost;
const features = { numeric: ['duration', 'subs'], categorical: ['language'] };

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function writeF32(file: string, values: Float32Array | Float64Array): void {
  fs.writeFileSync(file, Buffer.from(Float32Array.from(values).buffer));
}

function writeF64(file: string, values: Float64Array): void {
  fs.writeFileSync(file, Buffer.from(Float64Array.from(values).buffer));
}

/** An anisotropic embedding (column scales decay) so principal axes are well separated. */
function anisotropic(n: number, d: number, seed: number): Float64Array {
  const rnd = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const mix = Array.from({ length: 3 }, () => Array.from({ length: d }, gauss));
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const f = mix.map(() => gauss());
    for (let j = 0; j < d; j++) out[i * d + j] = 1 + (1 + 4 * Math.exp(-j / 15)) * gauss() + f.reduce((a, v, c) => a + v * mix[c]![j]!, 0);
  }
  return out;
}

const SKLEARN_PCA_PY = String.raw`
import sys, json, numpy as np
from sklearn.decomposition import PCA
emb_file, n, d, k, train_file, out_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
X = np.fromfile(emb_file, dtype='<f8').reshape(n, d)
train = json.load(open(train_file))
pca = PCA(n_components=k, svd_solver='full').fit(X[train])
json.dump({'components': pca.components_.tolist(), 'mean': pca.mean_.tolist(), 'var': pca.explained_variance_.tolist(), 'proj': pca.transform(X).tolist()}, open(out_file, 'w'))
`;

/** python3-xgboost's xgb.train on the same matrices and params: the reference for the booster. */
const XGB_TRAIN_PY = String.raw`
import sys, json, numpy as np, xgboost as xgb
d = json.load(open(sys.argv[1]))
def mat(name, n, p): return np.fromfile(d[name], dtype='<f4').reshape(n, p)
p = d['p']
dtrain = xgb.DMatrix(mat('fitX', d['nFit'], p), label=np.fromfile(d['fitY'], dtype='<f4'))
dvalid = xgb.DMatrix(mat('stopX', d['nStop'], p), label=np.fromfile(d['stopY'], dtype='<f4'))
dscore = xgb.DMatrix(mat('scoreX', d['nScore'], p))
res = {}
kw = {'early_stopping_rounds': d['patience']} if d['patience'] else {}
bst = xgb.train(d['params'], dtrain, num_boost_round=d['rounds'], evals=[(dtrain, 'train'), (dvalid, 'valid')], evals_result=res, verbose_eval=False, **kw)
best = bst.best_iteration if d['patience'] else d['rounds'] - 1
pred = bst.predict(dscore, iteration_range=(0, best + 1))
ours = xgb.Booster(model_file=d['ours'])
ours_pred = ours.predict(dscore, iteration_range=(0, best + 1))
json.dump({'best': int(best), 'rounds': bst.num_boosted_rounds(), 'pred': pred.astype(float).tolist(), 'oursPred': ours_pred.astype(float).tolist(),
           'train': res['train']['rmse'], 'valid': res['valid']['rmse']}, open(d['out'], 'w'))
`;

describe('gbdt: PCA projection', () => {
  it.skipIf(!addonBuilt || !pythonHas('sklearn'))(
    'equals sklearn PCA(svd_solver="full") fitted on the training rows (tall and wide cases)',
    () => {
      for (const [n, d, nTrain] of [
        [320, 200, 260],
        [160, 200, 100],
      ] as const) {
        const dir = tmp('suite-pca-');
        const emb = anisotropic(n, d, 11 + n);
        const train = seededShuffle(
          Array.from({ length: n }, (_, i) => i),
          3,
        ).slice(0, nTrain);
        const state = fitProjection(emb, d, train);
        expect(state.kind).toBe('pca');
        if (state.kind !== 'pca') return;
        const k = Math.min(128, d, nTrain - 1);
        expect(state.outputDim).toBe(k);
        writeF64(path.join(dir, 'emb.bin'), emb);
        fs.writeFileSync(path.join(dir, 'train.json'), JSON.stringify(train));
        runPython(SKLEARN_PCA_PY, [
          path.join(dir, 'emb.bin'),
          String(n),
          String(d),
          String(k),
          path.join(dir, 'train.json'),
          path.join(dir, 'out.json'),
        ]);
        const ref = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as {
          components: number[][];
          mean: number[];
          var: number[];
          proj: number[][];
        };
        state.mean.forEach((v, j) => expect(Math.abs(v - ref.mean[j]!)).toBeLessThan(1e-12));
        const all = Array.from({ length: n }, (_, i) => i);
        const proj = projectRows(state, emb, d, all);
        // The JS loop (no mmT in the addon) gives the same projections.
        const projJs = projectRows(state, emb, d, all, false);
        proj.forEach((v, i) => expect(Math.abs(v - projJs[i]!)).toBeLessThan(1e-10));
        let worstAxis = 0;
        let worstProj = 0;
        for (let c = 0; c < k; c++) {
          // Up to the sign of each axis (sklearn 1.2 flips by the scores, we by the axis).
          const sign = Math.sign(ref.components[c]!.reduce((a, v, j) => a + v * state.components[c * d + j]!, 0));
          expect(Math.abs(sign)).toBe(1);
          for (let j = 0; j < d; j++)
            worstAxis = Math.max(worstAxis, Math.abs(sign * state.components[c * d + j]! - ref.components[c]![j]!));
          for (let i = 0; i < n; i++) worstProj = Math.max(worstProj, Math.abs(sign * proj[i * k + c]! - ref.proj[i]![c]!));
          expect(Math.abs(state.explainedVariance[c]! - ref.var[c]!) / ref.var[c]!).toBeLessThan(1e-9);
          // Our own sign convention: the largest-magnitude entry of each axis is positive.
          const axis = state.components.slice(c * d, (c + 1) * d);
          const big = axis.reduce((b, v, j) => (Math.abs(v) > Math.abs(axis[b]!) ? j : b), 0);
          expect(axis[big]!).toBeGreaterThan(0);
        }
        expect(worstAxis).toBeLessThan(1e-8);
        expect(worstProj).toBeLessThan(1e-8);
      }
    },
    120_000,
  );

  it.skipIf(!addonBuilt)('leaves an embedding of at most 128 dimensions as it is', () => {
    const emb = anisotropic(40, 16, 2);
    const state = fitProjection(emb, 16, [0, 1, 2, 3, 4]);
    expect(state).toEqual({ kind: 'identity', inputDim: 16, outputDim: 16 });
    expect(Array.from(projectRows(state, emb, 16, [7]))).toEqual(Array.from(emb.subarray(7 * 16, 8 * 16)));
  });
});

describe('gbdt: XGBoost through the addon', () => {
  /** Fits, then replays the same data through python's xgb.train; returns both sides. */
  function compareWithPython(data: ReturnType<typeof synthetic>, opts: GbdtOptions, patienceForPython: number | null) {
    const n = data.ids.length;
    const train = Array.from({ length: Math.round(n * 0.8) }, (_, i) => i);
    const score = Array.from({ length: n - train.length }, (_, i) => train.length + i);
    const fit = fitGbdt(data.src, train, data.y, features, opts);
    // The same held-out training rows as fitGbdt (its documented rule: first 15% of a seeded shuffle).
    const shuffled = seededShuffle(train, opts.seed);
    const nStop = Math.max(1, Math.round(shuffled.length * 0.15));
    const stopRows = shuffled.slice(0, nStop);
    const fitRows = shuffled.slice(nStop);
    const make = gbdtFeatureMaker(fit.pipeline, fit.projection);
    const dir = tmp('suite-xgb-');
    const f = (name: string) => path.join(dir, name);
    const fitX = make(data.src, fitRows);
    writeF32(f('fitX.bin'), fitX.x);
    writeF32(
      f('fitY.bin'),
      Float64Array.from(fitRows, (r) => data.y[r]!),
    );
    writeF32(f('stopX.bin'), make(data.src, stopRows).x);
    writeF32(
      f('stopY.bin'),
      Float64Array.from(stopRows, (r) => data.y[r]!),
    );
    writeF32(f('scoreX.bin'), make(data.src, score).x);
    fs.writeFileSync(f('ours.ubj'), fit.model);
    const spec = {
      fitX: f('fitX.bin'),
      fitY: f('fitY.bin'),
      stopX: f('stopX.bin'),
      stopY: f('stopY.bin'),
      scoreX: f('scoreX.bin'),
      ours: f('ours.ubj'),
      out: f('out.json'),
      p: fitX.p,
      nFit: fitRows.length,
      nStop: stopRows.length,
      nScore: score.length,
      params: fit.params,
      rounds: opts.rounds,
      patience: patienceForPython,
    };
    fs.writeFileSync(f('spec.json'), JSON.stringify(spec));
    runPython(XGB_TRAIN_PY, [f('spec.json')], 240_000);
    const ref = JSON.parse(fs.readFileSync(f('out.json'), 'utf8')) as {
      best: number;
      rounds: number;
      pred: number[];
      oursPred: number[];
      train: number[];
      valid: number[];
    };
    return { fit, ref, ours: fit.predict(data.src, score) };
  }

  it.skipIf(!hasXgboost || !pythonHas('xgboost'))(
    'a fixed number of rounds equals python xgb.train with the same params and matrices',
    () => {
      const data = synthetic(400, 150, 21);
      // Patience = rounds: every round is trained, like xgb.train without early stopping.
      const { fit, ref } = compareWithPython(data, { seed: 3, rounds: 50, earlyStoppingRounds: 50, threads: 2 }, null);
      expect(fit.projection?.kind).toBe('pca');
      expect(fit.featureCount).toBe(2 + 5 + 128);
      expect(fit.roundsTrained).toBe(50);
      expect(ref.rounds).toBe(50);
      fit.curve.forEach((c, i) => {
        expect(Math.abs(c.trainRmse - ref.train[i]!)).toBeLessThan(1e-6);
        expect(Math.abs(c.valRmse - ref.valid[i]!)).toBeLessThan(1e-6);
      });
      // Our booster (saved, loaded by python, all 50 rounds) scores like python's own.
      expect(ref.oursPred.length).toBe(80);
      ref.oursPred.forEach((v, i) => expect(Math.abs(v - ref.pred[i]!)).toBeLessThan(1e-6));
      // And through our addon, reloaded from its bytes, over all 50 rounds.
      const n = data.ids.length;
      const score = Array.from({ length: 80 }, (_, i) => n - 80 + i);
      const reloaded = loadGbdt(fit.model, fit.pipeline, fit.projection, 49)(data.src, score);
      reloaded.forEach((v, i) => expect(Math.abs(v - ref.pred[i]!)).toBeLessThan(1e-6));
    },
    300_000,
  );

  it.skipIf(!hasXgboost || !pythonHas('xgboost'))(
    'early stopping stops where python xgb.train(early_stopping_rounds) does, and scores with its best iteration',
    () => {
      const data = synthetic(400, 150, 22, 1.0);
      const { fit, ref, ours } = compareWithPython(
        data,
        { seed: 5, rounds: 500, earlyStoppingRounds: 10, learningRate: 0.3, threads: 2 },
        10,
      );
      expect(fit.roundsTrained).toBeLessThan(500);
      expect(fit.roundsTrained).toBe(fit.bestIteration + 1 + 10);
      expect(fit.bestIteration).toBe(ref.best);
      expect(fit.roundsTrained).toBe(ref.rounds);
      ours.forEach((v, i) => expect(Math.abs(v - ref.pred[i]!)).toBeLessThan(1e-6));
      // The best round really has the lowest held-out RMSE of the curve.
      const best = fit.curve.reduce((b, c) => (c.valRmse < b.valRmse ? c : b));
      expect(best.round).toBe(fit.bestIteration + 1);
    },
    300_000,
  );

  it.skipIf(!hasXgboost)(
    'is deterministic by seed; another seed holds out other rows',
    () => {
      const data = synthetic(300, 40, 23);
      const train = Array.from({ length: 240 }, (_, i) => i);
      const val = Array.from({ length: 60 }, (_, i) => 240 + i);
      const opts = { rounds: 40, earlyStoppingRounds: 15, threads: 2 };
      const a = fitGbdt(data.src, train, data.y, features, { seed: 1, ...opts });
      const b = fitGbdt(data.src, train, data.y, features, { seed: 1, ...opts });
      const c = fitGbdt(data.src, train, data.y, features, { seed: 2, ...opts });
      expect(Buffer.from(b.model).equals(Buffer.from(a.model))).toBe(true);
      expect(Array.from(b.predict(data.src, val))).toEqual(Array.from(a.predict(data.src, val)));
      expect(Array.from(c.predict(data.src, val))).not.toEqual(Array.from(a.predict(data.src, val)));
      expect(a.projection).toEqual({ kind: 'identity', inputDim: 40, outputDim: 40 });
    },
    120_000,
  );

  it.skipIf(!hasXgboost)("checks the job's cancel before every round", () => {
    const data = synthetic(200, 8, 24);
    let calls = 0;
    const cancelAfter = (k: number) => () => {
      if (++calls > k) throw Object.assign(new Error('cancelled'), { code: 'CANCELLED' });
    };
    const train = Array.from({ length: 160 }, (_, i) => i);
    expect(() =>
      fitGbdt(data.src, train, data.y, features, {
        seed: 1,
        rounds: 100,
        earlyStoppingRounds: 100,
        threads: 1,
        throwIfCancelled: cancelAfter(7),
      }),
    ).toThrow('cancelled');
    expect(calls).toBe(8);
  });

  it("reads XGBoost's evaluation line at full precision", () => {
    expect(parseEvalLine('[12]\ttrain-rmse:0.5123456789012345\tvalid-rmse:1.25')).toEqual({ train: 0.5123456789012345, valid: 1.25 });
    expect(parseEvalLine('[0]')).toEqual({});
  });

  it('without XGBoost in the addon, says how to get it', () => {
    let err: unknown;
    try {
      xgboostOf({});
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'CAPABILITY_MISSING' });
    expect((err as Error).message).toMatch(
      /gbdt needs libxgboost-dev; install it \(apt-get install -y libxgboost-dev\) and rebuild the addon \(npm run build:native\)/,
    );
  });
});

describe("gbdt's recipe (the lab's spec §6.4)", () => {
  it("sets L2 on the leaf weights to the spec's 1e-4 (XGBoost's lambda, whose own default is 1); the config overrides it", () => {
    expect(gbdtParams({ seed: 1 }, 0)).toMatchObject({ eta: '0.05', max_depth: '6', min_child_weight: '20', lambda: '0.0001' });
    expect(gbdtParams({ seed: 1, l2Regularization: 0.5 }, 0).lambda).toBe('0.5');
  });

  it.skipIf(!hasXgboost)(
    'XGBoost applies it: the same fit with lambda 1 grows other trees',
    () => {
      const data = synthetic(300, 20, 23);
      const train = Array.from({ length: 240 }, (_, i) => i);
      const fit = (l2Regularization?: number) =>
        fitGbdt(data.src, train, data.y, features, {
          seed: 2,
          rounds: 15,
          earlyStoppingRounds: 15,
          minChildWeight: 5,
          threads: 1,
          l2Regularization,
        });
      const spec = fit();
      expect(spec.params.lambda).toBe('0.0001');
      const xgbDefault = fit(1);
      expect(xgbDefault.params.lambda).toBe('1');
      // Less shrinkage of the leaves: a lower training RMSE after the same rounds.
      expect(spec.curve.at(-1)!.trainRmse).toBeLessThan(xgbDefault.curve.at(-1)!.trainRmse);
    },
    120_000,
  );
});

describe('gbdt in a suite run', () => {
  it.skipIf(!hasXgboost)(
    'reaches the leaderboard, writes its curve, state and booster, and a saved model re-scores a test video',
    async () => {
      const dir = tmp('suite-gbdt-run-');
      writeHorizonFixture(dir, 240);
      const config = resolveConfigPaths(
        SuiteConfig.parse({
          metadata: 'meta.csv',
          embeddings: { path: 'emb.npy', ids: 'ids.txt' },
          filter: { horizon_days: 7 },
          dedupe: { by: 'video_id', latest: 'captured_at' },
          guestColumn: 'channel_id',
          models: ['mean', 'ridge', 'gbdt'],
          // The fixture's embedding is 8-d; a 4-d projection exercises the PCA path end to end.
          gbdt: { projectionDim: 4, rounds: 300, earlyStoppingRounds: 20, minChildWeight: 5, threads: 1 },
          bootstrap: 50,
          seed: 9,
        }),
        dir,
      );
      const home = path.join(dir, 'home');
      const run = await runSuite(config, home, quiet);
      const board = Object.fromEntries(run.leaderboard.map((r) => [r.model, r]));
      expect(Object.keys(board).sort()).toEqual(['gbdt', 'mean', 'ridge']);
      expect(board.gbdt!.val.rmse_log).toBeLessThan(board.mean!.val.rmse_log);
      const curve = fs.readFileSync(path.join(run.runDir, 'curves/gbdt.csv'), 'utf8').trim().split('\n');
      expect(curve[0]).toBe('round,train_rmse,val_rmse');
      const saved = JSON.parse(fs.readFileSync(path.join(run.runDir, 'models/gbdt.json'), 'utf8')) as {
        state: { kind: string; projection: { kind: string; outputDim: number }; bestIteration: number; roundsTrained: number };
      };
      expect(saved.state.kind).toBe('gbdt');
      expect(saved.state.projection).toMatchObject({ kind: 'pca', outputDim: 4 });
      expect((saved.state as unknown as { params: Record<string, string> }).params.lambda).toBe('0.0001');
      // config_used.json records the recipe the run used: the config's values over the spec's defaults.
      const used = JSON.parse(fs.readFileSync(path.join(run.runDir, 'config_used.json'), 'utf8'));
      expect(used.recipes.gbdt).toEqual({
        learningRate: 0.05,
        maxDepth: 6,
        rounds: 300,
        minChildWeight: 5,
        l2Regularization: 1e-4,
        earlyStoppingRounds: 20,
        subsample: 1,
        colsampleBytree: 1,
        projectionDim: 4,
      });
      expect(curve.length - 1).toBe(saved.state.roundsTrained);
      expect(saved.state.bestIteration).toBeLessThan(saved.state.roundsTrained);
      expect(fs.statSync(path.join(run.runDir, 'models/gbdt.ubj')).size).toBeGreaterThan(100);
      const lines = fs
        .readFileSync(path.join(run.runDir, 'predictions/test.csv'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('gbdt,'));
      expect(lines.length).toBe(run.rows.test);
      for (const line of lines.slice(0, 3)) {
        const [, videoId, , yPred] = line.split(',');
        expect((await predictVideo(run.runDir, 'gbdt', videoId!)).yPred).toBe(Number(yPred));
      }
    },
    300_000,
  );

  it.skipIf(!hasXgboost)(
    'trains per fold in a K-fold run, with a curve per fold',
    async () => {
      const dir = tmp('suite-gbdt-kfold-');
      writeHorizonFixture(dir, 160);
      const config = resolveConfigPaths(
        SuiteConfig.parse({
          metadata: 'meta.csv',
          embeddings: { path: 'emb.npy', ids: 'ids.txt' },
          filter: { horizon_days: 7 },
          dedupe: { by: 'video_id', latest: 'captured_at' },
          models: ['mean', 'gbdt'],
          split: { kind: 'kfold', k: 3, seed: 4 },
          gbdt: { rounds: 60, earlyStoppingRounds: 10, minChildWeight: 5, threads: 1 },
          seed: 4,
        }),
        dir,
      );
      const run = await runSuite(config, path.join(dir, 'home'), quiet);
      expect(run.leaderboard.map((r) => r.model).sort()).toEqual(['gbdt', 'mean']);
      for (const f of [1, 2, 3])
        expect(fs.readFileSync(path.join(run.runDir, `curves/gbdt.fold${f}.csv`), 'utf8').split('\n')[0]).toBe('round,train_rmse,val_rmse');
    },
    300_000,
  );
});
