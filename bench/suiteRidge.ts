/**
 * 5-fold Ridge over n × p (the item 10: 10,000 × 1,536, target ≤ 1.5× sklearn's time).
 *
 * Both sides run the same algorithm on the same data in the same run:
 * - data: p embedding columns (uniform −1…1) + 2 numeric metadata columns with ~5 % missing +
 *   1 categorical column (4 values and missing); y from a few of them plus noise;
 * - outer KFold(5) without shuffle; in every outer fold, alpha ∈ DEFAULT_ALPHAS is chosen by
 *   an inner KFold(5) over the outer training rows, with the preprocessing pipeline refitted
 *   in every inner fold (median impute + standard scale; constant impute + one-hot ignoring
 *   unknowns; embeddings passed through), then the pipeline + Ridge refitted on the outer
 *   training rows and the outer test rows scored;
 * - Framelab: `fitRidgePipeline` / `predictRidgePipeline` (Gram once per inner fold through the
 *   addon, one Cholesky solve per alpha);
 * - sklearn: `GridSearchCV(Pipeline([ColumnTransformer([...]), Ridge()]), {"ridge__alpha": grid},
 *   cv=KFold(5), scoring="neg_mean_squared_error")` per outer fold — the lab's way, and
 *   exactly what test/suite/ridge.test.ts holds Framelab to (Ridge's "auto" solver is Cholesky
 *   here, refitted per alpha).
 * Timed: the CV loop only. Not timed: generating/reading the data, Python's imports, and the
 * addon's first load (both sides start warm). Both use the same OpenBLAS with all cores.
 * Usage: node --import tsx bench/suiteRidge.ts [n] [p]   (default 10000 1536)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../src/main/core/random';
import { kFold } from '../src/main/core/suite/data/splits';
import { DEFAULT_ALPHAS, fitRidge, fitRidgePipeline, predictRidgePipeline } from '../src/main/core/suite/models/ridge';
import type { FeatureSource } from '../src/main/core/suite/data/suiteData';
import type { Column } from '../src/main/core/suite/data/table';

const PYTHON = '/usr/bin/python3';
const LANGUAGES = ['de', 'en', 'es', 'fr'];

const SKLEARN_PY = String.raw`
import sys, time, numpy as np, pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold
n, p, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
alphas = [float(a) for a in sys.argv[4].split(',')]
langs = sys.argv[5].split(',')
X = np.fromfile(d + '/x.f64').reshape(n, p)
num = np.fromfile(d + '/num.f64').reshape(n, 2)
codes = np.fromfile(d + '/lang.i32', dtype=np.int32)
y = np.fromfile(d + '/y.f64')
df = pd.DataFrame(X, columns=[f'e{j}' for j in range(p)])
df['duration'] = num[:, 0]; df['subs'] = num[:, 1]
df['language'] = pd.Series([langs[c] if c >= 0 else np.nan for c in codes], dtype=object)
pre = ColumnTransformer([
  ('num', Pipeline([('imp', SimpleImputer(strategy='median')), ('sc', StandardScaler())]), ['duration', 'subs']),
  ('cat', Pipeline([('imp', SimpleImputer(strategy='constant', fill_value='__missing__')), ('oh', OneHotEncoder(handle_unknown='ignore'))]), ['language']),
  ('emb', 'passthrough', [f'e{j}' for j in range(p)]),
])
t = time.time(); se = 0.0
for tr, te in KFold(5).split(X):
    gs = GridSearchCV(Pipeline([('pre', pre), ('ridge', Ridge())]), {'ridge__alpha': alphas}, cv=KFold(5), scoring='neg_mean_squared_error').fit(df.iloc[tr], y[tr])
    se += ((gs.predict(df.iloc[te]) - y[te]) ** 2).sum()
print(time.time() - t, se)
`;

export interface SuiteRidgeBenchResult {
  n: number;
  p: number;
  threads: number;
  oursS: number;
  sklearnS: number;
  mseOurs: number;
  mseSklearn: number;
}

function benchData(n: number, p: number) {
  const rnd = mulberry32(1);
  const emb = new Float64Array(n * p).map(() => rnd() * 2 - 1);
  const num = new Float64Array(n * 2).map((_, k) => (rnd() < 0.05 ? NaN : k % 2 ? rnd() * 1e5 : 30 + rnd() * 600));
  const codes = Int32Array.from({ length: n }, () => (rnd() < 0.05 ? -1 : Math.floor(rnd() * LANGUAGES.length)));
  const y = new Float64Array(n).map(
    (_, i) =>
      emb[i * p]! + 0.5 * emb[i * p + 1]! + (Number.isNaN(num[2 * i]!) ? 0 : num[2 * i]! / 600) + (codes[i] === 1 ? 0.3 : 0) + rnd(),
  );
  const columns = new Map<string, Column>([
    ['duration', { kind: 'numeric', values: Float64Array.from({ length: n }, (_, i) => num[2 * i]!) }],
    ['subs', { kind: 'numeric', values: Float64Array.from({ length: n }, (_, i) => num[2 * i + 1]!) }],
    ['language', { kind: 'text', values: Array.from(codes, (c) => (c < 0 ? null : LANGUAGES[c]!)) }],
  ]);
  const src: FeatureSource = { table: { source: 'bench', rowCount: n, columns }, embeddings: emb, embeddingDim: p };
  return { emb, num, codes, y, src };
}

export function suiteRidgeBench(n = 10000, p = 1536): SuiteRidgeBenchResult | { skipped: string } {
  if (spawnSync(PYTHON, ['-c', 'import sklearn, pandas'], { stdio: 'ignore' }).status !== 0)
    return { skipped: `${PYTHON} cannot import sklearn and pandas` };
  const { emb, num, codes, y, src } = benchData(n, p);
  const features = { numeric: ['duration', 'subs'], categorical: ['language'] };
  fitRidge({ rows: 2, cols: 1, data: Float64Array.of(0, 1) }, Float64Array.of(0, 1), 1); // loads the addon (warm start, like Python's imports)

  const start = process.hrtime.bigint();
  let se = 0;
  for (const fold of kFold(n, 5)) {
    const model = fitRidgePipeline(src, fold.train, y, features);
    const pred = predictRidgePipeline(model, src, fold.test);
    fold.test.forEach((r, i) => (se += (pred[i]! - y[r]!) ** 2));
  }
  const oursS = Number(process.hrtime.bigint() - start) / 1e9;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ridge-'));
  try {
    fs.writeFileSync(path.join(dir, 'x.f64'), Buffer.from(emb.buffer));
    fs.writeFileSync(path.join(dir, 'num.f64'), Buffer.from(num.buffer));
    fs.writeFileSync(path.join(dir, 'lang.i32'), Buffer.from(codes.buffer));
    fs.writeFileSync(path.join(dir, 'y.f64'), Buffer.from(y.buffer));
    const res = spawnSync(PYTHON, ['-c', SKLEARN_PY, String(n), String(p), dir, DEFAULT_ALPHAS.join(','), LANGUAGES.join(',')], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (res.status !== 0) throw new Error(`sklearn side failed:\n${res.stderr}`);
    const [sklearnS, refSe] = res.stdout.trim().split(/\s+/).map(Number) as [number, number];
    return { n, p, threads: os.availableParallelism(), oursS, sklearnS, mseOurs: se / n, mseSklearn: refSe / n };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = suiteRidgeBench(Number(process.argv[2] ?? 10000), Number(process.argv[3] ?? 1536));
  if ('skipped' in result) console.log(`suite Ridge: skipped (${result.skipped})`);
  else console.log(JSON.stringify({ ...result, ratio: result.oursS / result.sklearnS }));
}
