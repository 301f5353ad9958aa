/**
 * The preference model's numbers (issue 19, item 10: 5,000 ratings × ~170 raw features,
 * target ≤ 1× scikit-learn's time), both sides on the same analyses in the same run:
 *
 * 1. flatten + correlate + 5-fold Ridge: flatten every analysis (the spec's §3.1 with the flag
 *    fill), the correlation report over all rows (types, coverage, min-max, fill, r, p, BH q),
 *    then KFold(5) in row order where every fold refits the pipeline on its training rows,
 *    selects the top 50 by |r| there and fits Ridge(alpha=1), scoring the held-out fold;
 * 2. the forest: the same folds with a random forest on the fold's top 50.
 *
 * - Framelab: `preferenceData` + `correlatePreferences`, then `fitModelOnRows` / `predictModel`
 *   per fold (Ridge through suite/models/ridge's solver; the forest through the addon's XGBoost,
 *   exact splits, every core).
 * - Reference: Python written the way a lab would vectorise it: the spec's flatten in Python
 *   (it is per value in any language), pandas for the table and the type matrix (computed once),
 *   numpy for min-max, fill and the |r| of every column at once, scipy's t for p, statsmodels'
 *   fdr_bh, sklearn's Ridge(alpha=1) and RandomForestRegressor() — the spec's defaults, one
 *   core (n_jobs=None) — and again with n_jobs=-1 (every core) for a like-for-like ratio.
 * Timed: from the nested analyses in memory to the CV's MAE. Not timed: generating the data,
 * writing it for Python, json.load, imports, the addon's first load. Both sides print their CV
 * MAE (0–1 scale): Ridge's must agree to rounding (same algorithm, same rows); the forests'
 * within noise.
 * Usage: node --import tsx bench/preferenceModel.ts [n]   (default 5000)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { correlatePreferences } from '../src/main/core/preference/correlate';
import { preferenceData } from '../src/main/core/preference/evaluate';
import { disposeModel, fitModelOnRows, predictModel, resolveModelOptions } from '../src/main/core/preference/model';
import { fitRidge } from '../src/main/core/suite/models/ridge';
import { kFold } from '../src/main/core/suite/data/splits';
import { syntheticPreferences } from '../test/preference/synthetic';

const PYTHON = '/usr/bin/python3';

const REFERENCE_PY = String.raw`
import sys, json, re, time, numpy as np, pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from sklearn.linear_model import Ridge
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import KFold

def sanitize(s):
    return re.sub(r'[^a-z0-9]', '_', s.lower())[:30]

def flatten(node, prefix, out, arrays, flags):
    for k, v in node.items():
        key = prefix + '.' + k if prefix else k
        if v is None: out[key] = None
        elif isinstance(v, list):
            out[key + '_count'] = len(v); out[key + '_empty'] = len(v) == 0
            if all(isinstance(e, str) for e in v):
                arrays.add(key)
                for e in v:
                    f = key + '_has_' + sanitize(e); out[f] = True; flags.setdefault(f, key)
        elif isinstance(v, dict): flatten(v, key, out, arrays, flags)
        else: out[key] = v

def flatten_table(analyses):
    rows, arrays, flags = [], [], {}
    for a in analyses:
        out, arr = {}, set(); flatten(a, '', out, arr, flags); rows.append(out); arrays.append(arr)
    by_array = {}
    for f, key in flags.items(): by_array.setdefault(key, []).append(f)
    for out, arr in zip(rows, arrays):
        for key in arr:
            for f in by_array.get(key, ()):
                if f not in out: out[f] = False
    return rows

TYPES = {bool: 2, int: 1, float: 1, str: 3}

class Table:
    """The flattened rows as pandas: the values, and their JSON type (0 missing, 1 number, 2 boolean, 3 string)."""
    def __init__(self, rows):
        self.df = pd.DataFrame.from_records(rows)
        self.df = self.df[sorted(self.df.columns)]
        # pandas fills absent keys with NaN (a float): missing, like None (JSON has no NaN of its own).
        self.t = self.df.applymap(lambda v: 0 if v != v else TYPES.get(type(v), 0)).to_numpy()
        num = self.df.where(pd.DataFrame((self.t == 1) | (self.t == 2), columns=self.df.columns))
        self.num = num.astype(float).to_numpy()
        self.cols = list(self.df.columns)

    def pipeline(self, train, coverage=0.5, max_levels=20):
        t = self.t[train]
        counts = np.stack([(t == k).sum(0) for k in (1, 2, 3)])      # number, boolean, string
        used = counts.argmax(0) + 1                                  # ties: number, boolean, string
        keep = counts.max(0) / len(train) >= coverage
        feats = []
        for j in np.flatnonzero(keep):
            col = self.cols[j]
            if used[j] == 3:
                levels = sorted(set(self.df.iloc[train, j][t[:, j] == 3]))
                if len(levels) > max_levels: continue
                feats += [(col + '=' + lv, j, lv) for lv in levels]
            else:
                feats.append((col, j, int(used[j])))
        feats.sort(key=lambda f: f[0])
        X = self.raw(feats, train)
        num = [k for k, f in enumerate(feats) if not isinstance(f[2], str)]
        lo, hi = np.nanmin(X[:, num], 0), np.nanmax(X[:, num], 0)
        span = np.where(hi > lo, hi - lo, np.nan)
        Z = np.where(np.isnan(span), 0.5, (X[:, num] - lo) / span)
        fill = np.nanmean(Z, 0)
        return feats, num, lo, span, fill

    def raw(self, feats, idx):
        X = np.empty((len(idx), len(feats)))
        for k, (name, j, how) in enumerate(feats):
            if isinstance(how, str):
                X[:, k] = ((self.t[idx, j] == 3) & (self.df.iloc[idx, j].to_numpy() == how)).astype(float)
            else:
                X[:, k] = np.where(self.t[idx, j] == how, self.num[idx, j], np.nan)
        return X

    def transform(self, pipe, idx):
        feats, num, lo, span, fill = pipe
        X = self.raw(feats, idx)
        Z = np.where(np.isnan(span), 0.5, (X[:, num] - lo) / span)
        X[:, num] = np.where(np.isnan(Z), fill, Z)
        return X

def correlations(X, y):
    Xc = X - X.mean(0); yc = y - y.mean()
    const = np.ptp(X, 0) == 0
    with np.errstate(invalid='ignore', divide='ignore'):
        r = np.clip(Xc.T @ yc / (np.sqrt((Xc ** 2).sum(0)) * np.sqrt(yc @ yc)), -1, 1)
    r[const] = np.nan
    return r

def top_k(X, y, k):
    r = np.abs(correlations(X, y))
    order = np.lexsort((np.arange(len(r)), -np.nan_to_num(r, nan=-1)))
    return np.sort(order[:min(k, int(np.sum(~np.isnan(r))))])

def cv(table, y, make, folds):
    maes = []
    for a, b in folds:
        pipe = table.pipeline(a)
        X = table.transform(pipe, a)
        sel = top_k(X, y[a], 50)
        model = make().fit(X[:, sel], y[a])
        maes.append(float(np.mean(np.abs(model.predict(table.transform(pipe, b)[:, sel]) - y[b]))))
    return float(np.mean(maes))

d = json.load(open(sys.argv[1]))
y = np.array(d['overall']) / 10
n = len(y)
folds = list(KFold(5).split(np.arange(n)))
t0 = time.time()
table = Table(flatten_table(d['analyses']))
pipe = table.pipeline(np.arange(n))
X = table.transform(pipe, np.arange(n))
r = correlations(X, y)
ok = ~np.isnan(r)
tt = r[ok] * np.sqrt((n - 2) / ((1 - r[ok]) * (1 + r[ok])))
p = 2 * stats.t.sf(np.abs(tt), n - 2)
q = multipletests(p, method='fdr_bh')[1]
ridge_mae = cv(table, y, lambda: Ridge(alpha=1.0), folds)
t1 = time.time()
forest_mae = cv(table, y, lambda: RandomForestRegressor(random_state=0), folds)
t2 = time.time()
forest_all_mae = cv(table, y, lambda: RandomForestRegressor(random_state=0, n_jobs=-1), folds)
t3 = time.time()
print(json.dumps({'ridgeS': t1 - t0, 'forestS': t2 - t1, 'forestAllCoresS': t3 - t2, 'ridgeMae': ridge_mae, 'forestMae': forest_mae,
                  'forestAllCoresMae': forest_all_mae, 'features': int(X.shape[1])}))
`;

export interface PreferenceBenchResult {
  n: number;
  rawFeatures: number;
  features: number;
  threads: number;
  ridgeOursS: number;
  ridgeSklearnS: number;
  forestOursS: number;
  forestSklearnS: number;
  forestSklearnAllCoresS: number;
  ridgeMaeOurs: number;
  ridgeMaeSklearn: number;
  forestMaeOurs: number;
  forestMaeSklearn: number;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function preferenceModelBench(n = 5000): PreferenceBenchResult | { skipped: string } {
  if (spawnSync(PYTHON, ['-c', 'import sklearn, pandas, scipy, statsmodels'], { stdio: 'ignore' }).status !== 0)
    return { skipped: `${PYTHON} cannot import sklearn, pandas, scipy and statsmodels` };
  const { records } = syntheticPreferences(n, 2025);
  const stored = JSON.parse(JSON.stringify(records)) as typeof records; // as they come back from storage
  fitRidge({ rows: 2, cols: 1, data: Float64Array.of(0, 1) }, Float64Array.of(0, 1), 1); // loads the addon (warm start, like Python's imports)
  const folds = kFold(n, 5);
  const cv = (kind: 'ridge' | 'random_forest', data: ReturnType<typeof preferenceData>) => {
    const options = resolveModelOptions({ kind, top: 50 });
    const y = data.overall.map((v) => v / 10);
    let total = 0;
    for (const fold of folds) {
      const model = fitModelOnRows(data.table, y, fold.train, options);
      const pred = predictModel(model, data.table, fold.test);
      disposeModel(model);
      total += fold.test.reduce((a, r, i) => a + Math.abs(pred[i]! - y[r]!), 0) / fold.test.length;
    }
    return total / folds.length;
  };

  let start = process.hrtime.bigint();
  const data = preferenceData(stored);
  const report = correlatePreferences(data.table, data.overall);
  const ridgeMaeOurs = cv('ridge', data);
  const ridgeOursS = seconds(start);
  start = process.hrtime.bigint();
  const forestMaeOurs = cv('random_forest', data);
  const forestOursS = seconds(start);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pref-'));
  try {
    const file = path.join(dir, 'd.json');
    fs.writeFileSync(file, JSON.stringify({ analyses: stored.map((r) => r.analysis), overall: stored.map((r) => r.overall) }));
    const res = spawnSync(PYTHON, ['-c', REFERENCE_PY, file], { encoding: 'utf8', maxBuffer: 16 << 20 });
    if (res.status !== 0) throw new Error(`python side failed:\n${res.stderr}`);
    const ref = JSON.parse(res.stdout) as {
      ridgeS: number;
      forestS: number;
      forestAllCoresS: number;
      ridgeMae: number;
      forestMae: number;
      features: number;
    };
    const leaves = (a: unknown): number =>
      a && typeof a === 'object' && !Array.isArray(a) ? Object.values(a).reduce<number>((s, v) => s + leaves(v), 0) : 1;
    if (ref.features !== report.features.length)
      throw new Error(`the two pipelines disagree: ${report.features.length} features here, ${ref.features} in Python`);
    return {
      n,
      rawFeatures: Math.round(stored.reduce((a, r) => a + leaves(r.analysis), 0) / n),
      features: report.features.length,
      threads: os.availableParallelism(),
      ridgeOursS,
      ridgeSklearnS: ref.ridgeS,
      forestOursS,
      forestSklearnS: ref.forestS,
      forestSklearnAllCoresS: ref.forestAllCoresS,
      ridgeMaeOurs,
      ridgeMaeSklearn: ref.ridgeMae,
      forestMaeOurs,
      forestMaeSklearn: ref.forestMae,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = preferenceModelBench(Number(process.argv[2] ?? 5000));
  if ('skipped' in result) console.log(`preference model: skipped (${result.skipped})`);
  else
    console.log(
      JSON.stringify(
        {
          ...result,
          ridgeRatio: result.ridgeOursS / result.ridgeSklearnS,
          forestRatio: result.forestOursS / result.forestSklearnS,
          forestRatioAllCores: result.forestOursS / result.forestSklearnAllCoresS,
        },
        null,
        1,
      ),
    );
}
