import { describe, expect, it } from 'vitest';
import { pickRows } from '../../src/main/core/analysis/crossValidation';
import { buildDesign } from '../../src/main/core/analysis/design';
import { fitLassoCv, lassoAnalysis, lassoMatrix, predictLasso } from '../../src/main/core/analysis/lasso';
import { fitOls } from '../../src/main/core/analysis/ols';
import { kFold } from '../../src/main/core/suite/data/splits';
import { pythonHas, runPython } from '../helpers/python';
import { PANDAS_PRELUDE, PREDICTORS, jsonFile, synthetic, tableOf } from './synthetic';
import { expectAllRelative, expectRelative } from './tolerance';

const CONTROLS = ['duration_s', 'C(category)'];
const K = 5;
const SEED = 42;
const TIGHT = { tolerance: 1e-8, maxIterations: 100_000 };
const CASES = [
  { name: 'main, tight', response: 'log1p(views)', py: 'np.log1p(views)', terms: ['Intercept', ...PREDICTORS, ...CONTROLS], cd: TIGHT },
  // Uncentred a·b·c columns are strongly correlated with a, b, c: many more sweeps per α.
  {
    name: 'focal, tight',
    response: 'log1p(shares)',
    py: 'np.log1p(shares)',
    terms: ['Intercept', 'color_entropy*avg_objects*text_area_ratio', 'gaze_at_camera_ratio', ...CONTROLS],
    cd: TIGHT,
  },
  // sklearn's defaults (tol 1e-4, 1000 sweeps): the same sweeps stop at the same place.
  {
    name: 'main, sklearn defaults',
    response: 'log1p(likes)',
    py: 'np.log1p(likes)',
    terms: ['Intercept', ...PREDICTORS, ...CONTROLS],
    cd: { tolerance: 1e-4, maxIterations: 1000 },
  },
];

/** make_pipeline(StandardScaler(), LassoCV(cv=folds)) on patsy's matrix without the intercept; nested CV by hand with the same folds. */
const SKLEARN_PY =
  PANDAS_PRELUDE +
  String.raw`
import patsy
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LassoCV
def pairs(folds):
    return [(np.array(f['train']), np.array(f['test'])) for f in folds]
def estimator(folds, c):
    return make_pipeline(StandardScaler(), LassoCV(cv=pairs(folds), n_alphas=100, eps=1e-3, fit_intercept=True, max_iter=c['maxIterations'], tol=c['tolerance']))
out = []
for m in d['cases']:
    y, X = patsy.dmatrices(formula(m['py'], m['terms']), df, NA_action='drop', return_type='dataframe')
    y = y.values.ravel()
    X = X.drop(columns=['Intercept'])
    names = list(X.columns)
    X = X.values
    pipe = estimator(m['outer'], m['cd']).fit(X, y)
    scaler, lcv = pipe[0], pipe[-1]
    oof = np.zeros(len(y))
    outer_alphas = []
    for (tr, te), inner in zip(pairs(m['outer']), m['inner']):
        p = estimator(inner, m['cd']).fit(X[tr], y[tr])
        oof[te] = p.predict(X[te])
        outer_alphas.append(p[-1].alpha_)
    ss = ((y - y.mean()) ** 2).sum()
    out.append({'names': names, 'alphas': lcv.alphas_.tolist(), 'mse': lcv.mse_path_.tolist(), 'alpha': lcv.alpha_,
                'coef': lcv.coef_.tolist(), 'intercept': lcv.intercept_, 'mean': scaler.mean_.tolist(), 'scale': scaler.scale_.tolist(),
                'trainR2': pipe.score(X, y), 'pred': pipe.predict(X).tolist(),
                'oof': oof.tolist(), 'cvR2': 1 - ((y - oof) ** 2).sum() / ss, 'outerAlphas': outer_alphas})
print(json.dumps(out))
`;

describe('LASSO against sklearn StandardScaler + LassoCV', () => {
  it.skipIf(!pythonHas('sklearn', 'pandas', 'patsy'))(
    'α grid, MSE path, chosen α, coefficients, train R² and the nested CV R² match sklearn on the same folds',
    () => {
      const s = synthetic(1000, 5);
      const designs = CASES.map((c) => buildDesign(s.table, { response: c.response, terms: c.terms }));
      const payload = CASES.map((c, k) => {
        const outer = kFold(designs[k]!.n, K, SEED);
        return { ...c, outer, inner: outer.map((f) => kFold(f.train.length, K, SEED)) };
      });
      const ref = JSON.parse(runPython(SKLEARN_PY, [jsonFile({ data: s.json, cases: payload })], 300_000));
      CASES.forEach((c, k) => {
        const r = ref[k];
        const design = designs[k]!;
        const res = lassoAnalysis(design, { folds: K, seed: SEED, ...c.cd });
        const { fit } = res;
        expect(fit.names, c.name).toEqual(r.names);
        expect(res.converged, res.problem ?? '').toBe(true);
        expectAllRelative(fit.mean, r.mean, 1e-12, `${c.name} scaler mean`, 1e-12);
        expectAllRelative(fit.scale, r.scale, 1e-12, `${c.name} scaler scale`);
        expectAllRelative(fit.alphas, r.alphas, 1e-12, `${c.name} alphas`);
        expect(fit.msePath.length).toBe(r.mse.length);
        fit.msePath.forEach((row, a) => expectAllRelative(row, r.mse[a], 1e-9, `${c.name} mse_path_[${a}]`));
        expectRelative(fit.alpha, r.alpha, 1e-12, `${c.name} alpha_`);
        const scaleCoef = Math.max(...r.coef.map(Math.abs));
        expectAllRelative(fit.coef, r.coef, 1e-9, `${c.name} coef_`, scaleCoef);
        expectRelative(fit.intercept, r.intercept, 1e-9, `${c.name} intercept_`);
        expectRelative(res.trainR2, r.trainR2, 1e-9, `${c.name} train R²`);
        expectAllRelative(predictLasso(fit, lassoMatrix(design)), r.pred, 1e-9, `${c.name} predictions`);
        expectAllRelative(res.outerAlphas, r.outerAlphas, 1e-12, `${c.name} outer alphas`);
        expectAllRelative(res.oof, r.oof, 1e-9, `${c.name} oof`);
        expectRelative(res.cvR2, r.cvR2, 1e-9, `${c.name} nested CV R²`);
        // The original-scale coefficients reproduce the same predictions.
        const m = lassoMatrix(design);
        for (const row of [0, 17, design.n - 1]) {
          let v = fit.interceptOriginal;
          for (let j = 0; j < m.p; j++) v += m.x[j * m.n + row]! * fit.coefOriginal[j]!;
          expect(v).toBeCloseTo(r.pred[row], 10);
        }
        // Shrinkage: in-sample R² at most OLS's on the same columns; the honest figure is below it.
        expect(res.trainR2).toBeLessThanOrEqual(fitOls(design).r2 + 1e-12);
        expect(res.cvR2).toBeLessThan(res.trainR2);
      });
    },
    300_000,
  );

  it('a column with no variation in a training set gets coefficient 0 there, and a too-small sweep limit is reported', () => {
    const n = 60;
    const cols: Record<string, number[]> = { y: [], a: [], b: [], rare: [] };
    for (let i = 0; i < n; i++) {
      const a = Math.sin(i * 1.3);
      const b = Math.cos(i * 0.7);
      cols.a!.push(a);
      cols.b!.push(b);
      // Non-zero only on rows of one fold: constant in the other folds' training rows.
      cols.rare!.push(i % 10 === 3 ? 1 : 0);
      cols.y!.push(2 + a - 0.5 * b + 0.2 * Math.sin(7 * i));
    }
    const design = buildDesign(tableOf(cols), { response: 'y', terms: ['Intercept', 'a', 'b', 'rare'] });
    const m = lassoMatrix(design);
    expect(m.names).toEqual(['a', 'b', 'rare']);
    const rareRows = Array.from({ length: n }, (_, i) => i).filter((i) => i % 10 === 3);
    const folds = [{ test: rareRows, train: Array.from({ length: n }, (_, i) => i).filter((i) => i % 10 !== 3) }];
    for (let f = 0; f < 3; f++) {
      const test = folds[0]!.train.filter((_, j) => j % 3 === f);
      folds.push({ test, train: Array.from({ length: n }, (_, i) => i).filter((i) => !test.includes(i)) });
    }
    const inner = fitLassoCv(
      { ...m, x: pickRows(m.x, n, m.p, folds[0]!.train), n: folds[0]!.train.length },
      Float64Array.from(folds[0]!.train, (r) => design.y[r]!),
      kFold(folds[0]!.train.length, 3, 1),
    );
    expect(inner.scale[2]).toBe(1);
    expect(inner.coef[2]).toBe(0);
    expect(inner.selected).not.toContain('rare');
    const cut = lassoAnalysis(design, { folds: 3, maxIterations: 1, tolerance: 1e-14 });
    expect(cut.converged).toBe(false);
    expect(cut.problem).toMatch(
      /coordinate-descent fits stopped at 1 sweeps with the duality gap above the tolerance; raise maxIterations/,
    );
    expect(lassoAnalysis(design, { folds: 3 }).converged).toBe(true);
  });

  it('refuses input it cannot use, saying what to change', () => {
    const design = buildDesign(tableOf({ y: [1, 3, 2, 5, 4, 6, 8, 7, 9, 12, 10, 11], x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13] }), {
      response: 'y',
      terms: ['Intercept', 'x'],
    });
    expect(() => lassoAnalysis(design, { folds: 5 })).toThrow(
      /nested 5-fold cross-validation needs at least 10 rows in every outer training set; the model has 12 complete rows/,
    );
    expect(() => lassoAnalysis(design, { folds: 1 })).toThrow(/needs a whole number of folds ≥ 2; got 1/);
    expect(() => lassoAnalysis(design, { folds: 2, nAlphas: 1 })).toThrow(/at least 2 values/);
    expect(() => lassoAnalysis(design, { folds: 2, tolerance: 0 })).toThrow(/tolerance must be positive/);
    const interceptOnly = { ...design, p: 1, names: ['Intercept'], x: new Float64Array(12).fill(1) };
    expect(() => lassoAnalysis(interceptOnly)).toThrow(/at least one predictor besides the intercept/);
  });
});
