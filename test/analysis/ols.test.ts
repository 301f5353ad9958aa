import { describe, expect, it } from 'vitest';
import { buildDesign, DesignCache } from '../../src/main/core/analysis/design';
import { COV_TYPES, fitOls } from '../../src/main/core/analysis/ols';
import { pythonHas, runPython } from '../helpers/python';
import { PANDAS_PRELUDE, PLANTED, PREDICTORS, jsonFile, synthetic } from './synthetic';
import { expectAllRelative, expectRelative } from './tolerance';

const CONTROLS = ['duration_s', 'C(category)'];
const MODELS = [
  { name: 'main', response: 'log1p(views)', py: 'np.log1p(views)', terms: ['Intercept', ...PREDICTORS, ...CONTROLS] },
  {
    name: 'focal',
    response: 'log1p(views)',
    py: 'np.log1p(views)',
    terms: [
      'Intercept',
      'color_entropy*avg_objects*text_area_ratio',
      'text_changes_per_second',
      'gaze_at_camera_ratio',
      'num_faces',
      'has_text',
      ...CONTROLS,
    ],
  },
  {
    name: 'pairwise',
    response: 'log1p(likes)',
    py: 'np.log1p(likes)',
    terms: ['Intercept', 'gaze_at_camera_ratio*num_faces', 'color_entropy', 'avg_objects', ...CONTROLS],
  },
  {
    name: 'no intercept',
    response: 'log1p(shares)',
    py: 'np.log1p(shares)',
    terms: ['color_entropy', 'avg_objects:text_area_ratio', 'duration_s'],
  },
];

/** statsmodels' OLS for every model × covariance type, in one process. */
const STATSMODELS_PY =
  PANDAS_PRELUDE +
  String.raw`
import statsmodels.formula.api as smf
out = []
for m in d['models']:
    per = {}
    for cov in d['covs']:
        res = smf.ols(formula(m['py'], m['terms']), df, missing='drop').fit(cov_type=cov)
        ci = res.conf_int(0.05)
        per[cov] = {'names': list(res.params.index), 'params': res.params.tolist(), 'bse': res.bse.tolist(), 'stat': res.tvalues.tolist(),
                    'p': res.pvalues.tolist(), 'ciLow': ci[0].tolist(), 'ciHigh': ci[1].tolist(), 'nobs': int(res.nobs), 'dfResid': float(res.df_resid),
                    'dfModel': float(res.df_model), 'r2': res.rsquared, 'adjR2': res.rsquared_adj, 'llf': res.llf, 'aic': res.aic, 'bic': res.bic,
                    'ssr': res.ssr, 'scale': res.scale, 'leverage': res.get_influence().hat_matrix_diag.tolist() if cov == 'nonrobust' else None}
    out.append(per)
print(json.dumps(out))
`;

describe('OLS against statsmodels', () => {
  it.skipIf(!pythonHas('statsmodels', 'pandas'))(
    'estimates, SEs, statistics, p, CIs and fit figures match smf.ols for every covariance type; the planted interaction is found',
    () => {
      const s = synthetic(1500, 7);
      const ref = JSON.parse(runPython(STATSMODELS_PY, [jsonFile({ data: s.json, models: MODELS, covs: COV_TYPES })]));
      MODELS.forEach((m, k) => {
        const design = buildDesign(s.table, { response: m.response, terms: m.terms });
        for (const cov of COV_TYPES) {
          const r = ref[k][cov];
          const fit = fitOls(design, { cov });
          const label = `${m.name} ${cov}`;
          expect(fit.names, label).toEqual(r.names);
          expect(fit.n).toBe(r.nobs);
          expect(fit.dfResid).toBe(r.dfResid);
          expect(fit.dfModel).toBe(r.dfModel);
          expectAllRelative(fit.params, r.params, 1e-8, `${label} params`);
          expectAllRelative(
            fit.coefficients.map((c) => c.se),
            r.bse,
            1e-8,
            `${label} se`,
          );
          expectAllRelative(
            fit.coefficients.map((c) => c.stat),
            r.stat,
            1e-8,
            `${label} stat`,
          );
          expectAllRelative(
            fit.coefficients.map((c) => c.p),
            r.p,
            1e-6,
            `${label} p`,
            1e-15,
          );
          expectAllRelative(
            fit.coefficients.map((c) => c.ciLow),
            r.ciLow,
            1e-8,
            `${label} ciLow`,
          );
          expectAllRelative(
            fit.coefficients.map((c) => c.ciHigh),
            r.ciHigh,
            1e-8,
            `${label} ciHigh`,
          );
          for (const key of ['r2', 'adjR2', 'llf', 'aic', 'bic', 'ssr', 'scale'] as const)
            expectRelative(fit[key], r[key], 1e-9, `${label} ${key}`);
          if (r.leverage) expectAllRelative(fit.leverage, r.leverage, 1e-8, `${label} leverage`);
          expect(fit.reference.kind).toBe(cov === 'nonrobust' ? 't' : 'z');
        }
      });
      // The planted "visual overload" term: negative and clearly significant with HC3.
      const focal = fitOls(buildDesign(s.table, { response: 'log1p(views)', terms: MODELS[1]!.terms }), { cov: 'HC3' });
      const planted = focal.coefficients.find((c) => c.term === PLANTED.term)!;
      expect(Math.sign(planted.estimate)).toBe(PLANTED.sign);
      expect(planted.p).toBeLessThan(1e-4);
      expect(planted.ciHigh).toBeLessThan(0);
    },
  );

  it('refuses an unknown standard-error type by name', () => {
    const s = synthetic(60, 3);
    const design = buildDesign(s.table, { response: 'log1p(views)', terms: ['Intercept', 'color_entropy'] });
    expect(() => fitOls(design, { cov: 'HC4' as never })).toThrow(
      /Unknown standard-error type "HC4"; use one of nonrobust, HC0, HC1, HC2, HC3/,
    );
  });

  it('gives the same fit from a bare matrix as from a design that carries its QR', () => {
    const s = synthetic(300, 4);
    const design = buildDesign(s.table, { response: 'log1p(views)', terms: ['Intercept', 'color_entropy*avg_objects'] });
    const bare = fitOls({ x: design.x, y: design.y, n: design.n, p: design.p, names: design.names, hasIntercept: true });
    const reused = fitOls(design);
    expect(Array.from(bare.params)).toEqual(Array.from(reused.params));
    expect(Array.from(bare.cov)).toEqual(Array.from(reused.cov));
  });
});

describe('DesignCache (one factorization per right-hand side and rows in a run)', () => {
  it('shares X and its QR between outcomes with the same rows, fits exactly as without it, and does not share across different rows', () => {
    const s = synthetic(300, 5);
    const shares = s.table.columns.get('shares')!;
    if (shares.kind !== 'numeric') throw new Error('shares should be numeric');
    shares.values[7] = NaN; // shares misses a row the other outcomes have
    const terms = ['Intercept', 'color_entropy*avg_objects', 'duration_s', 'C(category)'];
    const cache = new DesignCache();
    const build = (outcome: string, withCache: boolean) =>
      buildDesign(s.table, { response: `log1p(${outcome})`, terms, center: ['color_entropy'] }, withCache ? cache : undefined);
    const views = build('views', true);
    const likes = build('likes', true);
    const sharesDesign = build('shares', true);
    expect(likes.x).toBe(views.x);
    expect(likes.qr).toBe(views.qr);
    expect(sharesDesign.qr).not.toBe(views.qr);
    expect(sharesDesign.n).toBe(views.n - 1);
    for (const [outcome, cached] of [
      ['views', views],
      ['likes', likes],
      ['shares', sharesDesign],
    ] as const) {
      const alone = fitOls(build(outcome, false), { cov: 'HC3' });
      const shared = fitOls(cached, { cov: 'HC3' });
      expect(Array.from(shared.params), outcome).toEqual(Array.from(alone.params));
      expect(Array.from(shared.cov), outcome).toEqual(Array.from(alone.cov));
      expect(Array.from(shared.leverage), outcome).toEqual(Array.from(alone.leverage));
      expect(shared.r2, outcome).toBe(alone.r2);
    }
    // A different centering is a different X.
    const uncentered = buildDesign(s.table, { response: 'log1p(likes)', terms }, cache);
    expect(uncentered.qr).not.toBe(views.qr);
  });
});
