import { describe, expect, it } from 'vitest';
import { buildDesign, type DesignSpec } from '../../src/main/core/analysis/design';
import { parseTerms } from '../../src/main/core/analysis/terms';
import { FramelabError } from '../../src/shared/errors';
import { pythonHas, runPython } from '../helpers/python';
import { PANDAS_PRELUDE, jsonFile, synthetic, tableOf } from './synthetic';

const FOCAL = ['Intercept', 'color_entropy*avg_objects*text_area_ratio', 'gaze_at_camera_ratio', 'num_faces', 'duration_s', 'C(category)'];
const CASES: { response: string; py: string; terms: string[]; center?: string[] }[] = [
  { response: 'log1p(views)', py: 'np.log1p(views)', terms: FOCAL },
  {
    response: 'views',
    py: 'views',
    terms: ['Intercept', 'duration_s', 'gaze_at_camera_ratio:num_faces', 'num_faces', 'C(category)', 'C(has_text)'],
  },
  {
    response: 'log1p(likes)',
    py: 'np.log1p(likes)',
    terms: ['C(category)', 'color_entropy', 'text_area_ratio*avg_objects', 'avg_objects:text_area_ratio'],
  },
  {
    response: 'log1p(shares)',
    py: 'np.log1p(shares)',
    terms: ['duration_s', 'Intercept', 'avg_objects:color_entropy', 'color_entropy*avg_objects*gaze_at_camera_ratio*num_faces'],
  },
  { response: 'log1p(views)', py: 'np.log1p(views)', terms: FOCAL, center: ['color_entropy', 'avg_objects', 'text_area_ratio'] },
];

/** patsy's design for each case, over the rows it keeps (centering done on those rows, as ours). */
const PATSY_PY =
  PANDAS_PRELUDE +
  String.raw`
import patsy
out = []
for case in d['cases']:
    f = formula(case['py'], case['terms'])
    data = df
    if case.get('center'):
        # Centre over the model's own rows: drop the rows patsy would drop, then subtract means.
        _, X0 = patsy.dmatrices(f, df, NA_action='drop', return_type='dataframe')
        data = df.loc[X0.index].copy()
        for v in case['center']:
            data[v] = data[v] - data[v].mean()
    y, X = patsy.dmatrices(f, data, NA_action='drop', return_type='dataframe')
    out.append({'names': list(X.columns), 'rows': [int(i) for i in X.index], 'X': X.values.T.ravel().tolist(), 'y': y.values.ravel().tolist()})
print(json.dumps(out))
`;

function errorOf(fn: () => unknown): FramelabError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FramelabError);
    return e as FramelabError;
  }
  throw new Error('expected an error');
}

describe('model matrices as patsy builds them', () => {
  it.skipIf(!pythonHas('patsy', 'pandas'))(
    'gives the same column names, order, rows and values as patsy.dmatrices for interactions, categoricals, no intercept and centering',
    () => {
      const s = synthetic(600, 11);
      const ref = JSON.parse(runPython(PATSY_PY, [jsonFile({ data: s.json, cases: CASES })]));
      CASES.forEach((c, k) => {
        const spec: DesignSpec = { response: c.response, terms: c.terms, center: c.center };
        const design = buildDesign(s.table, spec);
        const r = ref[k];
        expect(design.names, `case ${k}`).toEqual(r.names);
        expect(Array.from(design.rows), `case ${k} rows`).toEqual(r.rows);
        expect(design.n).toBe(r.rows.length);
        expect(design.dropped).toBe(600 - r.rows.length);
        for (let i = 0; i < r.X.length; i++)
          expect(Math.abs(design.x[i]! - r.X[i]), `case ${k} X[${i}]`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(r.X[i])));
        for (let i = 0; i < r.y.length; i++) expect(design.y[i]).toBeCloseTo(r.y[i], 12);
      });
    },
  );

  it('counts the rows each variable leaves out and keeps the ids of the rest', () => {
    const table = tableOf({
      id: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      y: [1, 2, NaN, 4, 5, 7, 2, 8],
      x: [1, NaN, NaN, 3, 4, 2, 5, 6],
      g: ['u', 'v', 'u', null, 'v', 'u', 'v', 'u'],
    });
    const design = buildDesign(table, { response: 'y', terms: ['Intercept', 'x', 'C(g)'] });
    expect(Array.from(design.rows)).toEqual([0, 4, 5, 6, 7]);
    expect(design.n).toBe(5);
    expect(design.dropped).toBe(3);
    expect(design.missing).toEqual({ y: 1, x: 2, g: 1 });
    expect(design.names).toEqual(['Intercept', 'C(g)[T.v]', 'x']);
  });

  it('orders terms as patsy: intercept and categoricals first, a*b*c expanded a, b, a:b, c, a:c, b:c, a:b:c, repeats dropped', () => {
    expect(parseTerms(['x', 'a*b*c', 'C(g)', 'b:a', 'Intercept']).map((t) => t.name)).toEqual([
      'Intercept',
      'C(g)',
      'x',
      'a',
      'b',
      'a:b',
      'c',
      'a:c',
      'b:c',
      'a:b:c',
    ]);
    expect(parseTerms(['a:b', 'b:a', 'a * b']).map((t) => t.name)).toEqual(['a:b', 'a', 'b']);
  });
});

describe('bad input is named', () => {
  const base = { id: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'], y: [3, 1, 4, 1, 5, 9], a: [1, 2, 3, 4, 5, 7], b: [2, 1, 2, 3, 1, 2] };

  it('a missing column, with the columns the table has', () => {
    const e = errorOf(() => buildDesign(tableOf(base), { response: 'y', terms: ['Intercept', 'a', 'colour'] }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/videos\.csv has no column "colour".*its columns: id, y, a, b/);
  });

  it('a non-numeric value where a number is needed, naming the first bad row and its id', () => {
    const e = errorOf(() =>
      buildDesign(tableOf({ ...base, a: ['1', '2', '', 'n/a', 'x', '3'] }), { response: 'y', terms: ['Intercept', 'a'], id: 'id' }),
    );
    expect(e.message).toMatch(/"a" \(a predictor\) must be numeric, but row 4 \(id "v4"\) of videos\.csv has "n\/a"/);
    const inf = errorOf(() =>
      buildDesign(tableOf({ ...base, b: [1, 2, Infinity, 1, 2, 3] }), { response: 'y', terms: ['Intercept', 'b'] }),
    );
    expect(inf.message).toMatch(/"b" \(a predictor\) must be a finite number, but row 3 of videos\.csv has Infinity/);
  });

  it('numbers written as text are read, empty cells are missing', () => {
    const design = buildDesign(tableOf({ ...base, a: ['1', '2', '', '4.5', '-1e1', ' 3 '] }), { response: 'y', terms: ['Intercept', 'a'] });
    expect(Array.from(design.variables.get('a')!)).toEqual([1, 2, 4.5, -10, 3]);
    expect(design.dropped).toBe(1);
  });

  it("a constant predictor, outcome or category, over the model's rows", () => {
    const c = errorOf(() => buildDesign(tableOf({ ...base, a: [2, 2, NaN, 2, 2, 2] }), { response: 'y', terms: ['Intercept', 'a', 'b'] }));
    expect(c.message).toMatch(/"a" \(a predictor\) is constant — every one of the 5 rows in this model has 2 —.*remove it/);
    const y = errorOf(() => buildDesign(tableOf({ ...base, y: [1, 1, 1, 1, 1, 1] }), { response: 'y', terms: ['Intercept', 'a'] }));
    expect(y.message).toMatch(/"y" \(the outcome\) is constant/);
    const g = errorOf(() =>
      buildDesign(tableOf({ ...base, g: ['x', 'x', 'x', 'x', 'x', 'x'] }), { response: 'y', terms: ['Intercept', 'a', 'C(g)'] }),
    );
    expect(g.message).toMatch(/"g" \(a categorical predictor\) is constant/);
  });

  it('a singular design names the collinear terms and the combination', () => {
    const table = tableOf({ ...base, c: base.a.map((a, i) => a + 2 * base.b[i]!) });
    const e = errorOf(() => buildDesign(table, { response: 'y', terms: ['Intercept', 'a', 'b', 'c'] }));
    expect(e.message).toMatch(/The design is singular: "c" = 1\.000·a \+ 2\.000·b\b/);
    expect(e.details).toEqual({ collinear: [{ term: 'c', with: ['a', 'b'] }] });
    // A dummy that duplicates a numeric 0/1 column is named too.
    const dummy = tableOf({ ...base, flag: [1, 0, 1, 0, 0, 1], g: ['on', 'off', 'on', 'off', 'off', 'on'] });
    const d = errorOf(() => buildDesign(dummy, { response: 'y', terms: ['Intercept', 'C(g)', 'flag'] }));
    expect(d.message).toMatch(/"flag" = 1\.000·Intercept \+ -1\.000·C\(g\)\[T\.on\]|"flag" = .*C\(g\)\[T\.on\]/);
  });

  it('a negative or fractional count for a count model, and log1p below −1', () => {
    const neg = errorOf(() =>
      buildDesign(tableOf({ ...base, y: [3, 1, -4, 1, 5, 9] }), { response: 'y', terms: ['Intercept', 'a'], count: true, id: 'id' }),
    );
    expect(neg.message).toMatch(
      /"y" is the count outcome of a count model, so it must be a non-negative whole number, but row 3 \(id "v3"\) of videos\.csv has -4/,
    );
    const frac = errorOf(() =>
      buildDesign(tableOf({ ...base, y: [3, 1.5, 4, 1, 5, 9] }), { response: 'y', terms: ['Intercept', 'a'], count: true }),
    );
    expect(frac.message).toMatch(/row 2 of videos\.csv has 1\.5/);
    const log = errorOf(() =>
      buildDesign(tableOf({ ...base, y: [3, 1, -2, 1, 5, 9] }), { response: 'log1p(y)', terms: ['Intercept', 'a'] }),
    );
    expect(log.message).toMatch(/log1p\(y\) needs values above −1, but row 3 of videos\.csv has -2/);
  });

  it('terms it cannot build, too few rows, no complete row, a centering of a variable not in the model', () => {
    expect(errorOf(() => buildDesign(tableOf(base), { response: 'y', terms: ['Intercept', 'C(g):a'] })).message).toMatch(
      /interacts a categorical variable \(C\(g\)\)/,
    );
    expect(errorOf(() => buildDesign(tableOf(base), { response: 'y', terms: ['Intercept', 'np.log(a)'] })).message).toMatch(
      /"np\.log\(a\)" is not a column name/,
    );
    expect(errorOf(() => buildDesign(tableOf(base), { response: 'y', terms: ['Intercept', 'a:a'] })).message).toMatch(/names "a" twice/);
    expect(errorOf(() => buildDesign(tableOf(base), { response: 'y', terms: ['Intercept', 'a*b*id'] })).message).toMatch(
      /"id" \(a predictor\) must be numeric, but row 1 of videos\.csv has "v1"/,
    );
    expect(
      errorOf(() => buildDesign(tableOf({ ...base, a: [1, 2, 3, 4, 5, 6] }), { response: 'y', terms: ['Intercept', 'a*b', 'C(id)'] }))
        .message,
    ).toMatch(/The model has 9 coefficients but only 6 complete rows/);
    expect(
      errorOf(() =>
        buildDesign(tableOf({ ...base, a: [NaN, NaN, 1, 2, 3, 4], b: [1, 2, NaN, NaN, NaN, NaN] }), {
          response: 'y',
          terms: ['Intercept', 'a', 'b'],
        }),
      ).message,
    ).toMatch(/No row of videos\.csv has every variable of this model; a \(2 missing\), b \(4 missing\)/);
    expect(errorOf(() => buildDesign(tableOf(base), { response: 'y', terms: ['Intercept', 'a'], center: ['b'] })).message).toMatch(
      /"b" is to be centered but is not a numeric variable of this model \(its numeric variables: a\)/,
    );
  });
});
