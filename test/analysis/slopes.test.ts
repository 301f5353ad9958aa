import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/main/core/analysis/design';
import { fitOls } from '../../src/main/core/analysis/ols';
import { simpleSlopes } from '../../src/main/core/analysis/slopes';
import { FramelabError } from '../../src/shared/errors';
import { pythonHas, runPython } from '../helpers/python';
import { PANDAS_PRELUDE, jsonFile, synthetic } from './synthetic';
import { expectAllRelative } from './tolerance';

const FOCAL = ['Intercept', 'color_entropy*avg_objects*text_area_ratio', 'gaze_at_camera_ratio', 'num_faces', 'duration_s', 'C(category)'];
const PAIR = ['Intercept', 'gaze_at_camera_ratio*num_faces', 'color_entropy', 'duration_s', 'C(category)'];
const CASES = [
  { terms: FOCAL, term: 'color_entropy:avg_objects:text_area_ratio', cov: 'HC3', center: [] as string[] },
  { terms: FOCAL, term: 'color_entropy:text_area_ratio', cov: 'HC3', center: [] },
  {
    terms: FOCAL,
    term: 'color_entropy:avg_objects:text_area_ratio',
    cov: 'nonrobust',
    center: ['color_entropy', 'avg_objects', 'text_area_ratio'],
  },
  { terms: PAIR, term: 'gaze_at_camera_ratio:num_faces', cov: 'nonrobust', center: [] },
  { terms: PAIR, term: 'num_faces:gaze_at_camera_ratio', cov: 'HC1', center: [] },
];

/**
 * The reference: statsmodels' t_test on a contrast built by hand from the column names —
 * the slope of the first variable is the sum over the terms containing it of the
 * coefficient times the other variables' values (moderators at mean ± SD, the rest at means).
 */
const T_TEST_PY =
  PANDAS_PRELUDE +
  String.raw`
import statsmodels.formula.api as smf
import patsy
out = []
for case in d['cases']:
    f = formula('np.log1p(views)', case['terms'])
    data = df
    if case['center']:
        _, X0 = patsy.dmatrices(f, df, NA_action='drop', return_type='dataframe')
        data = df.loc[X0.index].copy()
        for v in case['center']:
            data[v] = data[v] - data[v].mean()
    res = smf.ols(f, data, missing='drop').fit(cov_type=case['cov'])
    X = pd.DataFrame(res.model.exog, columns=res.model.exog_names)
    factors = case['term'].split(':')
    pred, mods = factors[0], factors[1:]
    means = {v: X[v].mean() for v in X.columns if ':' not in v and not v.startswith('C(') and v != 'Intercept'}
    sds = {v: X[v].std(ddof=1) for v in means}
    levels = [-1, 0, 1]
    combos = [[]]
    for m in mods:
        combos = [c + [(m, l)] for l in levels for c in combos]
    for combo in combos:
        values = dict(means)
        for m, l in combo:
            values[m] = means[m] + l * sds[m]
        L = np.zeros(len(X.columns))
        for j, name in enumerate(X.columns):
            parts = name.split(':')
            if name.startswith('C(') or pred not in parts:
                continue
            L[j] = np.prod([values[v] for v in parts if v != pred])
        t = res.t_test(L)
        ci = t.conf_int(0.05)[0]
        out.append({'slope': float(np.squeeze(t.effect)), 'se': float(np.squeeze(t.sd)), 'stat': float(np.squeeze(t.tvalue)), 'p': float(np.squeeze(t.pvalue)),
                    'ciLow': float(ci[0]), 'ciHigh': float(ci[1]), 'at': {m: values[m] for m, _ in combo}})
print(json.dumps(out))
`;

describe('simple slopes', () => {
  it.skipIf(!pythonHas('statsmodels', 'pandas'))(
    'equal statsmodels t_test on the hand-built contrast for two- and three-way terms, HC and nonrobust, centered or not',
    () => {
      const s = synthetic(1200, 31);
      const ref = JSON.parse(runPython(T_TEST_PY, [jsonFile({ data: s.json, cases: CASES })]));
      let k = 0;
      for (const c of CASES) {
        const design = buildDesign(s.table, { response: 'log1p(views)', terms: c.terms, center: c.center });
        const fit = fitOls(design, { cov: c.cov as 'HC3' });
        const slopes = simpleSlopes(fit, design, c.term);
        const moderators = c.term.split(':').length - 1;
        expect(slopes).toHaveLength(moderators === 2 ? 9 : 3);
        const want = ref.slice(k, k + slopes.length);
        k += slopes.length;
        const label = `${c.term} ${c.cov}`;
        expectAllRelative(
          slopes.map((x) => x.slope),
          want.map((w: { slope: number }) => w.slope),
          1e-8,
          `${label} slope`,
        );
        expectAllRelative(
          slopes.map((x) => x.se),
          want.map((w: { se: number }) => w.se),
          1e-8,
          `${label} se`,
        );
        expectAllRelative(
          slopes.map((x) => x.stat),
          want.map((w: { stat: number }) => w.stat),
          1e-8,
          `${label} stat`,
        );
        expectAllRelative(
          slopes.map((x) => x.p),
          want.map((w: { p: number }) => w.p),
          1e-7,
          `${label} p`,
          1e-15,
        );
        expectAllRelative(
          slopes.map((x) => x.ciLow),
          want.map((w: { ciLow: number }) => w.ciLow),
          1e-8,
          `${label} ciLow`,
        );
        slopes.forEach((x, i) => {
          for (const [m, v] of Object.entries(want[i].at as Record<string, number>)) expect(x.at[m]).toBeCloseTo(v, 10);
        });
      }
      expect(k).toBe(ref.length);
    },
  );

  it('names both moderators of a three-way term, panels by the last one; the planted overload shows as a slope that falls as text grows', () => {
    const s = synthetic(1500, 7);
    const design = buildDesign(s.table, { response: 'log1p(views)', terms: FOCAL });
    const slopes = simpleSlopes(fitOls(design), design, 'color_entropy:avg_objects:text_area_ratio');
    expect(slopes.map((x) => `${x.levels.text_area_ratio}/${x.levels.avg_objects}`)).toEqual([
      '-1SD/-1SD',
      '-1SD/mean',
      '-1SD/+1SD',
      'mean/-1SD',
      'mean/mean',
      'mean/+1SD',
      '+1SD/-1SD',
      '+1SD/mean',
      '+1SD/+1SD',
    ]);
    expect(Object.keys(slopes[0]!.at)).toEqual(['avg_objects', 'text_area_ratio']);
    expect(slopes.every((x) => x.predictor === 'color_entropy' && x.term === 'color_entropy:avg_objects:text_area_ratio')).toBe(true);
    // Planted: the colour-entropy slope changes with avg_objects × text_area_ratio negatively, so
    // with lots of text, more objects make the colour slope smaller.
    const highText = slopes.filter((x) => x.levels.text_area_ratio === '+1SD');
    expect(highText[2]!.slope).toBeLessThan(highText[0]!.slope);
  });

  it('says which interaction terms exist when asked for one the model lacks', () => {
    const s = synthetic(200, 3);
    const design = buildDesign(s.table, { response: 'log1p(views)', terms: PAIR });
    const fit = fitOls(design);
    expect(() => simpleSlopes(fit, design, 'color_entropy:num_faces')).toThrow(FramelabError);
    expect(() => simpleSlopes(fit, design, 'color_entropy:num_faces')).toThrow(
      /no term "color_entropy:num_faces".*its interaction terms: gaze_at_camera_ratio:num_faces/,
    );
    expect(() => simpleSlopes(fit, design, 'color_entropy')).toThrow(/simple slopes need an interaction term/);
  });
});
