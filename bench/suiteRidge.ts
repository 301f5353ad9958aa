/**
 * 5-fold Ridge (alpha grid by inner 5-fold CV inside the pipeline) over n × p embeddings,
 * Framelab vs sklearn GridSearchCV(Pipeline(StandardScaler-free passthrough, Ridge)) on the
 * same data in the same run. Usage: node --import tsx bench/suiteRidge.ts [n] [p]
 * (the target: 10000 1536, ratio ≤ 1.5).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../src/main/core/random';
import { kFold } from '../src/main/core/suite/splits';
import { DEFAULT_ALPHAS, fitRidgePipeline, predictRidgePipeline } from '../src/main/core/suite/ridge';
import type { FeatureSource } from '../src/main/core/suite/preprocess';

const n = Number(process.argv[2] ?? 10000);
const p = Number(process.argv[3] ?? 1536);
const rnd = mulberry32(1);
const emb = new Float64Array(n * p).map(() => rnd() * 2 - 1);
const y = new Float64Array(n).map((_, i) => emb[i * p]! + 0.5 * emb[i * p + 1]! + rnd());
const src: FeatureSource = { table: { source: 'bench', rowCount: n, columns: new Map() }, embeddings: emb, embeddingDim: p };

const start = process.hrtime.bigint();
let se = 0;
for (const fold of kFold(n, 5)) {
  const model = fitRidgePipeline(src, fold.train, y, { numeric: [], categorical: [] });
  const pred = predictRidgePipeline(model, src, fold.test);
  fold.test.forEach((r, i) => (se += (pred[i]! - y[r]!) ** 2));
}
const ours = Number(process.hrtime.bigint() - start) / 1e9;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ridge-'));
fs.writeFileSync(path.join(dir, 'x.f64'), Buffer.from(emb.buffer));
fs.writeFileSync(path.join(dir, 'y.f64'), Buffer.from(y.buffer));
const py = String.raw`
import sys, time, numpy as np
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold
n, p, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
X = np.fromfile(d + '/x.f64').reshape(n, p); y = np.fromfile(d + '/y.f64')
t = time.time(); se = 0.0
for tr, te in KFold(5).split(X):
    gs = GridSearchCV(Ridge(), {'alpha': [float(a) for a in sys.argv[4].split(',')]}, cv=KFold(5), scoring='neg_mean_squared_error').fit(X[tr], y[tr])
    se += ((gs.predict(X[te]) - y[te]) ** 2).sum()
print(time.time() - t, se)
`;
const res = spawnSync('/usr/bin/python3', ['-c', py, String(n), String(p), dir, DEFAULT_ALPHAS.join(',')], { encoding: 'utf8' });
if (res.status !== 0) throw new Error(res.stderr);
const [refTime, refSe] = res.stdout.trim().split(/\s+/).map(Number) as [number, number];
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ n, p, oursS: ours, sklearnS: refTime, ratio: ours / refTime, mseOurs: se / n, mseSklearn: refSe / n }));
