import { describe, expect, it } from 'vitest';
import { crossValidateOls, r2Score } from '../../src/main/core/analysis/crossValidation';
import { buildDesign } from '../../src/main/core/analysis/design';
import { fitOls } from '../../src/main/core/analysis/ols';
import { kFold } from '../../src/main/core/suite/data/splits';
import type { Column } from '../../src/main/core/suite/data/table';
import { pythonHas, runPython } from '../helpers/python';
import { PANDAS_PRELUDE, PREDICTORS, jsonFile, synthetic, tableOf } from './synthetic';
import { expectAllRelative, expectRelative } from './tolerance';

const CONTROLS = ['duration_s', 'C(category)'];
const MODELS = [
  { name: 'main', response: 'log1p(views)', py: 'np.log1p(views)', terms: ['Intercept', ...PREDICTORS, ...CONTROLS] },
  {
    name: 'focal',
    response: 'log1p(views)',
    py: 'np.log1p(views)',
    terms: ['Intercept', 'color_entropy*avg_objects*text_area_ratio', 'gaze_at_camera_ratio', ...CONTROLS],
  },
  // The rare category level lives in one test fold only: its dummy is all zero in that fold's training rows.
  {
    name: 'rare level',
    response: 'log1p(likes)',
    py: 'np.log1p(likes)',
    terms: ['Intercept', 'color_entropy', 'avg_objects', 'C(category)'],
  },
];
const K = 5;
const SEED = 42;

/** sklearn's out-of-fold predictions of LinearRegression without intercept on patsy's matrix, with our folds. */
const SKLEARN_PY =
  PANDAS_PRELUDE +
  String.raw`
import patsy
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import cross_val_predict
from sklearn.metrics import r2_score
out = []
for m in d['models']:
    y, X = patsy.dmatrices(formula(m['py'], m['terms']), df, NA_action='drop', return_type='dataframe')
    y = y.values.ravel()
    folds = [(np.array(f['train']), np.array(f['test'])) for f in m['folds']]
    oof = cross_val_predict(LinearRegression(fit_intercept=False), X.values, y, cv=folds)
    out.append({'names': list(X.columns), 'oof': oof.tolist(), 'cvR2': r2_score(y, oof),
                'foldR2': [r2_score(y[te], oof[te]) for _, te in folds]})
print(json.dumps(out))
`;

/** The synthetic table with a category level "zzz_rare" on three rows of one fold of the model's rows. */
function withRareLevel(base: ReturnType<typeof synthetic>) {
  const design = buildDesign(base.table, { response: 'log1p(likes)', terms: MODELS[2]!.terms });
  const folds = kFold(design.n, K, SEED);
  const tableRows = folds[2]!.test.slice(0, 3).map((i) => design.rows[i]!);
  const category = [...(base.json.category as (string | null)[])];
  for (const r of tableRows) category[r] = 'zzz_rare';
  const columns = new Map<string, Column>(base.table.columns);
  columns.set('category', { kind: 'text', values: category });
  return { table: { ...base.table, columns }, json: { ...base.json, category } };
}

describe('cross-validated R² of OLS', () => {
  it.skipIf(!pythonHas('sklearn', 'statsmodels', 'pandas'))(
    'out-of-fold predictions, CV R² and per-fold R² match sklearn cross_val_predict(LinearRegression) on the same folds',
    () => {
      const s = withRareLevel(synthetic(1200, 11));
      const designs = MODELS.map((m) => buildDesign(s.table, { response: m.response, terms: m.terms }));
      const folds = designs.map((d) => kFold(d.n, K, SEED));
      const ref = JSON.parse(
        runPython(SKLEARN_PY, [jsonFile({ data: s.json, models: MODELS.map((m, k) => ({ ...m, folds: folds[k] })) })]),
      );
      MODELS.forEach((m, k) => {
        const design = designs[k]!;
        const r = ref[k];
        expect(design.names, m.name).toEqual(r.names);
        const cv = crossValidateOls(design, { folds: K, seed: SEED });
        expect(cv.folds).toBe(K);
        expectAllRelative(cv.oof, r.oof, 1e-9, `${m.name} oof`);
        expectRelative(cv.cvR2, r.cvR2, 1e-9, `${m.name} cv R²`);
        expectAllRelative(cv.foldR2, r.foldR2, 1e-9, `${m.name} fold R²`);
        // Out of sample is below in sample (the in-sample R² of the same model).
        expect(cv.cvR2).toBeLessThan(fitOls(design).r2);
        folds[k]!.forEach((fold, f) => fold.test.forEach((row) => expect(cv.foldOf[row]).toBe(f)));
        // Every model carries the rare level; a fold whose training rows lack it has an all-zero
        // dummy there (by construction in "rare level", by the fold layout in the others).
        expect(design.names).toContain('C(category)[T.zzz_rare]');
        const rare = design.names.indexOf('C(category)[T.zzz_rare]');
        const expected = folds[k]!.flatMap((fold, f) =>
          fold.train.every((row) => design.x[rare * design.n + row] === 0) ? [{ fold: f, columns: ['C(category)[T.zzz_rare]'] }] : [],
        );
        if (m.name === 'rare level') expect(expected).toEqual([{ fold: 2, columns: ['C(category)[T.zzz_rare]'] }]);
        expect(cv.rankDeficient).toEqual(expected);
      });
    },
    120_000,
  );

  it('explicit folds give the same result as the seeded ones; a column collinear only in training is dropped and named', () => {
    const n = 40;
    const x: number[] = [];
    const z: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      x.push(Math.sin(i));
      // z = 2x except on rows 0..3 (one test fold below): collinear in that fold's training rows only.
      z.push(i < 4 ? Math.cos(i) : 2 * Math.sin(i));
      y.push(1 + Math.sin(i) + 0.3 * Math.cos(3 * i));
    }
    const design = buildDesign(tableOf({ y, x, z }), { response: 'y', terms: ['Intercept', 'x', 'z'] });
    const folds = [{ test: [0, 1, 2, 3], train: Array.from({ length: n - 4 }, (_, i) => i + 4) }];
    for (let f = 1; f < 4; f++) {
      const test = Array.from({ length: 12 }, (_, i) => 4 + (f - 1) * 12 + i);
      folds.push({ test, train: Array.from({ length: n }, (_, i) => i).filter((i) => !test.includes(i)) });
    }
    const cv = crossValidateOls(design, { foldList: folds });
    expect(cv.rankDeficient).toEqual([{ fold: 0, columns: ['z'] }]);
    // Fold 0 is fitted on x alone (z has coefficient 0): its predictions are the x-only fit's.
    const xOnly = buildDesign(tableOf({ y: y.slice(4), x: x.slice(4) }), { response: 'y', terms: ['Intercept', 'x'] });
    const b = fitOls(xOnly, { cov: 'nonrobust' }).params;
    for (const r of [0, 1, 2, 3]) expect(cv.oof[r]).toBeCloseTo(b[0]! + b[1]! * x[r]!, 12);
    expect(cv.cvR2).toBeCloseTo(r2Score(design.y, cv.oof), 15);
    const seeded = crossValidateOls(design, { folds: 4, seed: 3 });
    const same = crossValidateOls(design, { foldList: kFold(n, 4, 3) });
    expect(Array.from(same.oof)).toEqual(Array.from(seeded.oof));
  });

  it('refuses folds that cannot work, saying what to change', () => {
    const design = buildDesign(tableOf({ y: [1, 3, 2, 5, 4, 6, 8, 7, 9, 12, 10, 11], x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13] }), {
      response: 'y',
      terms: ['Intercept', 'x'],
    });
    expect(() => crossValidateOls(design, { folds: 1 })).toThrow(/needs a whole number of folds ≥ 2; got 1/);
    expect(() => crossValidateOls(design, { folds: 7 })).toThrow(
      /with 7 folds needs at least 14 complete rows \(2 per fold\); the model has 12/,
    );
    const overlapping = [
      { train: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11], test: [0, 1] },
      { train: [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], test: [1] },
    ];
    expect(() => crossValidateOls(design, { foldList: overlapping })).toThrow(/row 1 is in more than one test fold/);
    const partial = [
      { train: [6, 7, 8, 9, 10, 11], test: [0, 1, 2] },
      { train: [0, 1, 2, 3, 4, 5], test: [6, 7, 8, 9, 10, 11] },
    ];
    expect(() => crossValidateOls(design, { foldList: partial })).toThrow(/row 3 is in no test fold/);
    const wide = buildDesign(tableOf({ y: [1, 3, 2, 5, 4, 6], a: [1, 2, 3, 4, 5, 7], b: [2, 1, 4, 3, 7, 5], c: [0, 1, 0, 2, 1, 1] }), {
      response: 'y',
      terms: ['Intercept', 'a', 'b', 'c'],
    });
    expect(() =>
      crossValidateOls(wide, {
        foldList: [
          { train: [0, 1, 2], test: [3, 4, 5] },
          { train: [3, 4, 5], test: [0, 1, 2] },
        ],
      }),
    ).toThrow(/a training set of 3 rows cannot fit 4 coefficients/);
  });
});
