/**
 * The suite's gbdt against the lab's way of doing the same thing, on the same data in the same run.
 *
 * Both sides: n rows × d embedding dimensions (correlated Gaussian) + two numeric metadata
 * columns; y from a few of them plus noise; the first 85 % of rows train, the rest score.
 * Inside the training rows, the same seeded 15 % stop the boosting (`holdOutStopRows`).
 * - Framelab: `fitGbdt` (median impute + scale, PCA to 128 dimensions fitted on the rows the
 *   trees grow on via the addon's gram + symEig, XGBoost's C API through the addon driven round
 *   by round from JavaScript, early stopping 30) and scoring the held-out rows.
 * - Reference: sklearn `SimpleImputer(median) + StandardScaler`, `PCA(128, svd_solver="full")`
 *   and python3-xgboost `xgb.train(..., early_stopping_rounds=30)` with the same params, then
 *   `predict(iteration_range=(0, best + 1))`.
 * Timed: fitting + scoring only (data generation/transfer and imports are not). Both sides use
 * every core (OpenBLAS for PCA, XGBoost's nthread). Prints the two times, the ratio, the
 * rounds and both held-out RMSEs (they should agree closely: same algorithm, same rows).
 * Usage: node --import tsx bench/suiteGbdt.ts [n] [d]   (default 10000 1536)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../src/main/core/random';
import { holdOutStopRows } from '../src/main/core/suite/models/earlyStopping';
import { fitGbdt } from '../src/main/core/suite/models/gbdt';
import type { FeatureSource } from '../src/main/core/suite/data/suiteData';

const PYTHON = '/usr/bin/python3';
const SEED = 1;
const PATIENCE = 30;

const REFERENCE_PY = String.raw`
import sys, json, time, numpy as np, xgboost as xgb
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
spec = json.load(open(sys.argv[1]))
n, d = spec['n'], spec['d']
emb = np.fromfile(spec['emb']).reshape(n, d)
meta = np.fromfile(spec['meta']).reshape(n, 2)
y = np.fromfile(spec['y'])
fit, stop, test = (np.array(spec[k]) for k in ('fit', 'stop', 'test'))
t = time.time()
pre = make_pipeline(SimpleImputer(strategy='median'), StandardScaler()).fit(meta[fit])
pca = PCA(n_components=min(128, d), svd_solver='full').fit(emb[fit])
X = lambda rows: np.hstack([pre.transform(meta[rows]), pca.transform(emb[rows])]).astype(np.float32)
dfit = xgb.DMatrix(X(fit), label=y[fit].astype(np.float32))
dstop = xgb.DMatrix(X(stop), label=y[stop].astype(np.float32))
bst = xgb.train(spec['params'], dfit, num_boost_round=500, evals=[(dfit, 'train'), (dstop, 'valid')], early_stopping_rounds=spec['patience'], verbose_eval=False)
pred = bst.predict(xgb.DMatrix(X(test)), iteration_range=(0, bst.best_iteration + 1))
seconds = time.time() - t
print(json.dumps({'seconds': seconds, 'rounds': bst.num_boosted_rounds(), 'best': bst.best_iteration, 'rmse': float(np.sqrt(np.mean((pred - y[test]) ** 2)))}))
`;

export interface SuiteGbdtBenchResult {
  n: number;
  d: number;
  threads: number;
  oursS: number;
  referenceS: number;
  oursRounds: number;
  referenceRounds: number;
  oursRmse: number;
  referenceRmse: number;
}

function benchData(n: number, d: number) {
  const rnd = mulberry32(SEED);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  // A few shared factors make the embedding low-rank-ish, like real ones: PCA has something to find.
  const mix = Array.from({ length: 8 }, () => Float64Array.from({ length: d }, gauss));
  const emb = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const f = mix.map(() => gauss());
    for (let j = 0; j < d; j++) emb[i * d + j] = 0.5 * gauss() + f.reduce((a, v, c) => a + v * mix[c]![j]!, 0);
  }
  const meta = new Float64Array(n * 2).map((_, k) => (k % 2 ? Math.exp(8 + 2 * gauss()) : 10 + 50 * rnd()));
  const y = new Float64Array(n).map(
    (_, i) => 8 + 0.04 * meta[2 * i]! + 0.2 * Math.log(meta[2 * i + 1]!) + 0.05 * emb[i * d]! - 0.03 * emb[i * d + 1]! + 0.5 * gauss(),
  );
  return { emb, meta, y };
}

export function suiteGbdtBench(n = 10000, d = 1536): SuiteGbdtBenchResult | { skipped: string } {
  if (spawnSync(PYTHON, ['-c', 'import sklearn, xgboost'], { stdio: 'ignore' }).status !== 0)
    return { skipped: `${PYTHON} cannot import sklearn and xgboost` };
  const { emb, meta, y } = benchData(n, d);
  const src: FeatureSource = {
    table: {
      source: 'bench',
      rowCount: n,
      columns: new Map([
        ['duration', { kind: 'numeric', values: Float64Array.from({ length: n }, (_, i) => meta[2 * i]!) }],
        ['subs', { kind: 'numeric', values: Float64Array.from({ length: n }, (_, i) => meta[2 * i + 1]!) }],
      ]),
    },
    embeddings: emb,
    embeddingDim: d,
  };
  const train = Array.from({ length: Math.round(n * 0.85) }, (_, i) => i);
  const test = Array.from({ length: n - train.length }, (_, i) => train.length + i);
  const threads = os.availableParallelism();

  const start = process.hrtime.bigint();
  const fit = fitGbdt(
    src,
    train,
    y,
    { numeric: ['duration', 'subs'], categorical: [] },
    { seed: SEED, threads, earlyStoppingRounds: PATIENCE },
  );
  const pred = fit.predict(src, test);
  const oursS = Number(process.hrtime.bigint() - start) / 1e9;
  const oursRmse = Math.sqrt(pred.reduce((a, v, i) => a + (v - y[test[i]!]!) ** 2, 0) / test.length);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gbdt-'));
  try {
    const file = (name: string, data: Float64Array) => {
      fs.writeFileSync(path.join(dir, name), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      return path.join(dir, name);
    };
    const { fitRows, stopRows } = holdOutStopRows(train, SEED);
    const spec = {
      n,
      d,
      emb: file('emb.f64', emb),
      meta: file('meta.f64', meta),
      y: file('y.f64', y),
      fit: fitRows,
      stop: stopRows,
      test,
      patience: PATIENCE,
      params: fit.params,
    };
    fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
    const res = spawnSync(PYTHON, ['-c', REFERENCE_PY, path.join(dir, 'spec.json')], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (res.status !== 0) throw new Error(`the Python reference failed:\n${res.stderr}`);
    const ref = JSON.parse(res.stdout.trim()) as { seconds: number; rounds: number; rmse: number };
    return {
      n,
      d,
      threads,
      oursS,
      referenceS: ref.seconds,
      oursRounds: fit.roundsTrained,
      referenceRounds: ref.rounds,
      oursRmse,
      referenceRmse: ref.rmse,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = suiteGbdtBench(Number(process.argv[2] ?? 10000), Number(process.argv[3] ?? 1536));
  if ('skipped' in result) console.log(`suite gbdt: skipped (${result.skipped})`);
  else console.log(JSON.stringify({ ...result, ratio: result.oursS / result.referenceS }));
}
