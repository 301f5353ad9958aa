import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/main/core/analysis/design';
import {
  crossValidatedR2,
  fitGbm,
  gbmMatrixFromDesign,
  GBM_DEFAULT_RECIPE,
  type GbmMatrix,
  type GbmModel,
} from '../../src/main/core/analysis/gbm';
import { partialDependence2d, pdpAxis, threeWayPdp, type Pdp2d } from '../../src/main/core/analysis/partialDependence';
import { seededShuffle } from '../../src/main/core/random';
import { FramelabError } from '../../src/shared/errors';
import { pythonHas, runPython } from '../helpers/python';
import { PREDICTORS, jsonFile, synthetic } from './synthetic';
import { expectAllRelative, expectRelative } from './tolerance';

// Trees get no intercept; C(category) then becomes one dummy per level (what the pipeline fits).
const TERMS = [...PREDICTORS, 'duration_s', 'C(category)'];
const PAIRS: [string, string][] = [
  ['color_entropy', 'avg_objects'],
  // num_faces has 4 distinct values: sklearn then uses them as the grid instead of a linspace.
  ['gaze_at_camera_ratio', 'num_faces'],
];
const TRIPLE: [string, string, string] = ['color_entropy', 'avg_objects', 'text_area_ratio'];
// One thread: the result does not depend on it, and on a busy 2-core machine OpenMP's
// spinning threads make XGBoost several times slower.
const RECIPE = { ...GBM_DEFAULT_RECIPE, seed: 5, threads: 1 };
const FOLDS = 5;
// Partial dependence is compared over the first rows only: sklearn's brute force costs 400
// predict calls per grid, and the averaging rows are any rows (here: a prefix of the model's).
const PDP_ROWS = 500;

function matrixOf(n: number, seed: number): { x: GbmMatrix; y: Float64Array } {
  const s = synthetic(n, seed);
  return gbmMatrixFromDesign(buildDesign(s.table, { response: 'log1p(views)', terms: TERMS }), s.json.video_id as string[]);
}

const firstRows = (x: GbmMatrix, n: number): GbmMatrix => ({ names: x.names, columns: x.columns.map((c) => c.subarray(0, n)) });

const rowsOf = (x: GbmMatrix): number[][] => Array.from({ length: x.columns[0]!.length }, (_, i) => x.columns.map((c) => c[i]!));

/**
 * python3-xgboost and sklearn on the same data and the same saved model: predictions, brute
 * partial dependence (pairs; the three-way view on copies of X with c at np.percentile), and
 * the cross-validation redone from the fold assignment with xgb.train and the recipe's params.
 */
const ORACLE_PY = String.raw`
import json, sys, warnings
import numpy as np, xgboost as xgb
from sklearn.inspection import partial_dependence
from sklearn.metrics import r2_score
warnings.simplefilter('ignore')
d = json.load(open(sys.argv[1]))
X = np.array(d['X'], dtype=np.float64)
y = np.array(d['y'], dtype=np.float64)
# One thread: sklearn calls predict 400 times per grid, and OpenMP's spinning makes each call
# slow on a busy machine.
est = xgb.XGBRegressor(n_jobs=1)
est.load_model(d['model'])
out = {'pred': est.predict(X).astype(float).tolist(), 'boosterPred': xgb.Booster(model_file=d['model']).predict(xgb.DMatrix(X)).astype(float).tolist()}
def pdp(A, i, j):
    r = partial_dependence(est, A, [(i, j)], method='brute', grid_resolution=20, percentiles=(0.05, 0.95), kind='average')
    grid = r['grid_values'] if 'grid_values' in r else r['values']
    return {'x': grid[0].tolist(), 'y': grid[1].tolist(), 'average': r['average'][0].astype(float).tolist()}
P = X[:d['pdpRows']]
out['pairs'] = [pdp(P, i, j) for i, j in d['pairs']]
i, j, k = d['triple']
out['slices'] = []
for q in (25, 50, 75):
    v = float(np.percentile(P[:, k], q))
    A = P.copy()
    A[:, k] = v
    out['slices'].append({'value': v, **pdp(A, i, j)})
r = d['recipe']
fold = np.array(d['foldOf'])
oof = np.empty(len(y))
for f in range(d['folds']):
    tr, te = fold != f, fold == f
    params = {'objective': 'reg:squarederror', 'tree_method': 'hist', 'eta': r['learningRate'], 'max_depth': r['maxDepth'],
              'min_child_weight': r['minChildWeight'], 'subsample': r['subsample'], 'seed': r['seed'], 'nthread': r['threads'],
              'base_score': float(np.mean(y[tr]))}
    bst = xgb.train(params, xgb.DMatrix(X[tr], label=y[tr]), num_boost_round=r['rounds'])
    oof[te] = bst.predict(xgb.DMatrix(X[te]))
out['oof'] = oof.tolist()
out['cvR2'] = float(r2_score(y, oof))
out['foldR2'] = [float(r2_score(y[fold == f], oof[fold == f])) for f in range(d['folds'])]
print(json.dumps(out))
`;

interface OracleGrid {
  x: number[];
  y: number[];
  average: number[][];
}

function expectGrid(ours: Pdp2d, ref: OracleGrid, label: string): void {
  expectAllRelative(ours.x.values, ref.x, 1e-12, `${label} x grid`);
  expectAllRelative(ours.y.values, ref.y, 1e-12, `${label} y grid`);
  expect(ours.values.length, `${label} rows`).toBe(ref.x.length);
  ours.values.forEach((row, i) => expectAllRelative(row, ref.average[i]!, 1e-6, `${label} values[${i}]`));
}

describe('GBM and partial dependence against python xgboost and sklearn', () => {
  const { x, y } = matrixOf(1000, 7);
  let cv: Awaited<ReturnType<typeof crossValidatedR2>>;
  let model: GbmModel;
  let ref: {
    pred: number[];
    boosterPred: number[];
    pairs: OracleGrid[];
    slices: (OracleGrid & { value: number })[];
    oof: number[];
    cvR2: number;
    foldR2: number[];
  };

  beforeAll(async () => {
    // The oracle is part of the test, not optional: say what to install.
    if (!pythonHas('numpy', 'xgboost', 'sklearn.inspection')) {
      throw new Error(
        '/usr/bin/python3 lacks xgboost or sklearn, the oracles of this test: apt-get install -y python3-xgboost python3-sklearn',
      );
    }
    cv = await crossValidatedR2(x, y, { folds: FOLDS, seed: 11, recipe: RECIPE });
    model = cv.model!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gbm-'));
    const modelFile = path.join(dir, 'model.json');
    fs.writeFileSync(modelFile, model.save('json'));
    const index = (name: string) => x.names.indexOf(name);
    const input = {
      X: rowsOf(x),
      y: Array.from(y),
      model: modelFile,
      pairs: PAIRS.map(([a, b]) => [index(a), index(b)]),
      triple: TRIPLE.map(index),
      foldOf: Array.from(cv.foldOf),
      folds: FOLDS,
      recipe: RECIPE,
      pdpRows: PDP_ROWS,
    };
    ref = JSON.parse(runPython(ORACLE_PY, [jsonFile(input)], 240_000));
  }, 240_000);

  it('uses the recipe it was given, as XGBoost params', () => {
    expect(model.params).toMatchObject({
      objective: 'reg:squarederror',
      tree_method: 'hist',
      eta: '0.05',
      max_depth: '4',
      min_child_weight: '5',
      subsample: '1',
      seed: '5',
      nthread: '1',
    });
    expect(model.rounds).toBe(300);
    expect(model.n).toBe(y.length);
  });

  it('(a) predicts what python xgboost predicts with the saved JSON model', () => {
    const ours = model.predict(x);
    expect(ref.pred.length).toBe(ours.length);
    ours.forEach((v, i) => {
      expect(Math.abs(v - ref.pred[i]!), `row ${i}`).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(v - ref.boosterPred[i]!), `row ${i} (Booster)`).toBeLessThanOrEqual(1e-6);
    });
  });

  it('(b) 2-D partial dependence equals sklearn partial_dependence(method="brute") on the loaded model', async () => {
    for (const [k, pair] of PAIRS.entries()) {
      const grid = await partialDependence2d(model, firstRows(x, PDP_ROWS), pair);
      expect(grid.slice).toBeNull();
      expect([grid.x.name, grid.y.name]).toEqual(pair);
      expectGrid(grid, ref.pairs[k]!, pair.join(' × '));
    }
    // The discrete axis really took the unique-values branch.
    expect(ref.pairs[1]!.y).toHaveLength(4);
  });

  it('(c) the three-way view equals sklearn on copies of X with the third variable at its quantile', async () => {
    const slices = await threeWayPdp(model, firstRows(x, PDP_ROWS), TRIPLE);
    expect(slices.map((s) => s.slice?.quantile)).toEqual(['Q25', 'Q50', 'Q75']);
    slices.forEach((s, k) => {
      expect(s.slice!.name).toBe(TRIPLE[2]);
      expectRelative(s.slice!.value, ref.slices[k]!.value, 1e-14, `slice ${k} value`);
      expectGrid(s, ref.slices[k]!, `slice ${s.slice!.quantile}`);
    });
    // The slices differ: the planted interaction makes (a, b)'s effect depend on c.
    expect(slices[0]!.values).not.toEqual(slices[2]!.values);
  });

  it('(d) cross-validated R² equals python xgb.train on the same folds with the same params', () => {
    // Same libxgboost (1.7.4), same float32 data, one thread: training is exactly reproducible.
    expect(cv.folds).toBe(FOLDS);
    expect(cv.n).toBe(y.length);
    cv.oof.forEach((v, i) => expect(Math.abs(v - ref.oof[i]!), `oof row ${i}`).toBeLessThanOrEqual(1e-6));
    expectRelative(cv.cvR2, ref.cvR2, 1e-6, 'cv R²');
    expectAllRelative(cv.foldR2, ref.foldR2, 1e-6, 'fold R²');
    // Folds are a partition of the rows, sized as kFold lays them out.
    const sizes = Array.from({ length: FOLDS }, (_, f) => cv.foldOf.filter((g) => g === f).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(y.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("the brute method (XGBoost predicting modified copies in chunks) gives the tree walk's numbers exactly", async () => {
    const sub = firstRows(x, 300);
    const trees = await partialDependence2d(model, sub, PAIRS[0]!);
    const brute = await partialDependence2d(model, sub, PAIRS[0]!, { method: 'brute' });
    expect(brute.values).toEqual(trees.values);
    const slicedTrees = await threeWayPdp(model, sub, TRIPLE, { grid: 6 });
    const slicedBrute = await threeWayPdp(model, sub, TRIPLE, { grid: 6, method: 'brute' });
    expect(slicedBrute.map((s) => s.values)).toEqual(slicedTrees.map((s) => s.values));
  });
});

describe('GBM on the planted data', () => {
  it('(e) finds signal: cross-validated R² clearly positive, and near zero once the outcome is shuffled', async () => {
    const { x, y } = matrixOf(5000, 21);
    const planted = await crossValidatedR2(x, y, { folds: FOLDS, seed: 3, recipe: RECIPE, fitAll: false });
    const shuffled = await crossValidatedR2(x, Float64Array.from(seededShuffle(Array.from(y), 9)), {
      folds: FOLDS,
      seed: 3,
      recipe: RECIPE,
      fitAll: false,
    });
    expect(planted.model).toBeNull();
    expect(planted.cvR2).toBeGreaterThan(0.05);
    expect(Math.min(...planted.foldR2)).toBeGreaterThan(0);
    // Without signal the model only fits noise: out of fold it does no better than the mean.
    expect(shuffled.cvR2).toBeLessThan(0.01);
    expect(planted.cvR2 - shuffled.cvR2).toBeGreaterThan(0.05);
  }, 120_000);
});

describe('GBM input checks, progress and cancel', () => {
  const small = (n: number): { x: GbmMatrix; y: Float64Array } => {
    const a = Float64Array.from({ length: n }, (_, i) => (i * 7) % 11);
    const b = Float64Array.from({ length: n }, (_, i) => (i * 3) % 5);
    return {
      x: { names: ['a', 'b'], columns: [a, b], ids: Array.from({ length: n }, (_, i) => `vid_${i}`) },
      y: Float64Array.from({ length: n }, (_, i) => a[i]! + b[i]! * 0.5 + (i % 3)),
    };
  };
  const invalid = async (run: () => Promise<unknown>, message: RegExp): Promise<void> => {
    const err = await run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FramelabError);
    expect((err as FramelabError).code).toBe('INVALID_INPUT');
    expect((err as FramelabError).message).toMatch(message);
  };

  it('(f) refuses too few rows for the folds, a constant outcome and non-finite values, saying what to do', async () => {
    const { x, y } = small(7);
    await invalid(
      () => crossValidatedR2(x, y, { folds: 5 }),
      /GBM cross-validation with 5 folds needs at least 10 complete rows \(2 per fold\); the model has 7\. Use fewer folds or more data\./,
    );
    await invalid(() => crossValidatedR2(x, y, { folds: 1 }), /a whole number of folds ≥ 2; got 1/);
    await invalid(() => fitGbm(x, new Float64Array(7).fill(3)), /the outcome is constant \(3\) over all 7 rows/);
    const missing = { ...x, columns: [x.columns[0]!, Float64Array.from(x.columns[1]!, (v, i) => (i === 4 ? NaN : v))] };
    await invalid(
      () => fitGbm(missing, y),
      /GBM column "b" has a missing or non-finite value \(NaN\) at row 5 \(vid_4\): pass complete rows/,
    );
    await invalid(
      () =>
        fitGbm(
          x,
          Float64Array.from(y, (v, i) => (i === 2 ? Infinity : v)),
        ),
      /the outcome has a missing or non-finite value \(Infinity\) at row 3 \(vid_2\)/,
    );
    await invalid(() => fitGbm({ names: ['a', 'a'], columns: x.columns }, y), /the column "a" twice/);
    await invalid(
      () => fitGbm({ names: ['a', 'b'], columns: [x.columns[0]!, x.columns[1]!.subarray(0, 6)] }, y),
      /column "b" has 6 values for 7 outcome values/,
    );
  });

  it('(f) refuses partial dependence over an unknown, repeated or degenerate variable', async () => {
    const { x, y } = small(40);
    const model = await fitGbm(x, y, { ...RECIPE, rounds: 5 });
    try {
      await invalid(() => partialDependence2d(model, x, ['a', 'zz']), /"zz" is not one of the GBM's columns \(a, b\)/);
      await invalid(() => partialDependence2d(model, x, ['a', 'a']), /two different variables; got "a" twice/);
      await invalid(() => threeWayPdp(model, x, ['a', 'b', 'a']), /three different variables/);
      await invalid(
        () => partialDependence2d(model, { names: ['b', 'a'], columns: [x.columns[1]!, x.columns[0]!] }, ['a', 'b']),
        /trained on columns \[a, b\]; the data has \[b, a\]/,
      );
      const gap = { names: x.names, columns: [Float64Array.from(x.columns[0]!, (v, i) => (i === 9 ? NaN : v)), x.columns[1]!] };
      await invalid(() => partialDependence2d(model, gap, ['a', 'b']), /column "a" has a missing or non-finite value \(NaN\) at row 10/);
    } finally {
      model.dispose();
    }
    // 400 ones and 19 other values: 20 distinct values (so not the unique-values grid), but P5
    // and P95 coincide, which sklearn refuses too.
    const spike = Float64Array.from({ length: 419 }, (_, i) => (i < 400 ? 1 : i - 398));
    expect(() => pdpAxis(spike, 20, [0.05, 0.95], '"spike"')).toThrow(/"spike": its 5th and 95th percentiles are both 1/);
  });

  it('reports progress and stops on cancel, yielding to the event loop while it works', async () => {
    const { x, y } = matrixOf(600, 4);
    const fractions: number[] = [];
    let checks = 0;
    const reporter = {
      progress: (f: number) => fractions.push(f),
      throwIfCancelled: () => {
        if (++checks > 3) throw new FramelabError('CANCELLED', 'The job was cancelled.');
      },
    };
    const err = await crossValidatedR2(x, y, { folds: 3, recipe: RECIPE, reporter }).catch((e: unknown) => e);
    expect((err as FramelabError).code).toBe('CANCELLED');
    expect(fractions.length).toBe(3);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);

    const model = await fitGbm(x, y, RECIPE);
    try {
      // A timer keeps firing while the PDP runs: the job process can still hear a cancel.
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const seen: number[] = [];
      await threeWayPdp(model, x, TRIPLE, { reporter: { progress: (f) => seen.push(f), throwIfCancelled: () => {} } });
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(0);
      expect(seen.at(-1)).toBe(1);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    } finally {
      model.dispose();
    }
  }, 60_000);
});
