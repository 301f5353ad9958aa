import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/main/core/analysis/design';
import { fitNegativeBinomial } from '../../src/main/core/analysis/negbin';
import { fitZeroInflatedNegativeBinomial, zinbDecision, zinbLogLikelihood } from '../../src/main/core/analysis/zinb';
import { mulberry32 } from '../../src/main/core/random';
import type { Column } from '../../src/main/core/suite/data/table';
import { pythonHas, runPython } from '../helpers/python';
import { PANDAS_PRELUDE, jsonFile, synthetic, tableOf } from './synthetic';
import { expectAllRelative, expectRelative } from './tolerance';

const TERMS = ['Intercept', 'color_entropy', 'avg_objects', 'gaze_at_camera_ratio', 'duration_s', 'C(category)'];
const CASES = [
  // NB counts with 30% of them zeroed at random: excess zeros on top of NB's own. Shares (mean
  // about 1, α = 1.5) have many zeros of their own, so π is weakly identified — a hard case for
  // the optimizer; likes (mean about 50) make the excess zeros plain.
  { outcome: 'shares_zi', terms: TERMS, plain: false },
  { outcome: 'likes_zi', terms: ['Intercept', 'color_entropy*text_area_ratio', 'num_faces'], plain: true },
];

/**
 * statsmodels' ZINB: BFGS from its own start values to the neighbourhood of the maximum, then
 * Newton from there (BFGS alone stops at gtol 1e-5; Newton from statsmodels' start, π = ½ and a
 * Nelder–Mead NB, diverges to NaN on this data). Also, at an arbitrary point: the log-likelihood,
 * the (analytic) score, statsmodels' Hessian (finite differences of the log-likelihood: what its
 * SEs come from) and central differences of its analytic score (a sharper Hessian reference).
 */
const STATSMODELS_PY =
  PANDAS_PRELUDE +
  String.raw`
import patsy
from statsmodels.discrete.count_model import ZeroInflatedNegativeBinomialP
from statsmodels.tools.numdiff import approx_fprime
from scipy import stats
out = []
for m in d['cases']:
    y, X = patsy.dmatrices(formula(m['outcome'], m['terms']), df, NA_action='drop', return_type='dataframe')
    y = y.values.ravel()
    model = ZeroInflatedNegativeBinomialP(y, X, inflation='logit', p=2)
    first = model.fit(method='bfgs', maxiter=5000, disp=0)
    res = model.fit(start_params=first.params.values, method='newton', maxiter=100, disp=0)
    ci = res.conf_int(0.05)
    # SEs from the sharper Hessian (differences of the analytic score) at statsmodels' estimate,
    # and the Wald rows from them: statsmodels' own bse inherit its finite-difference error.
    sharp = np.sqrt(np.diag(np.linalg.inv(-approx_fprime(res.params.values, model.score, centered=True))))
    zs = res.params.values / sharp
    probe = res.params.values * 0.95 + 0.02
    out.append({'names': list(res.params.index), 'params': res.params.tolist(), 'bse': res.bse.tolist(), 'z': res.tvalues.tolist(),
                'p': res.pvalues.tolist(), 'ciLow': ci[0].tolist(), 'ciHigh': ci[1].tolist(), 'llf': res.llf, 'aic': res.aic, 'nobs': int(res.nobs),
                'converged': bool(res.mle_retvals['converged']),
                'sharp': {'bse': sharp.tolist(), 'z': zs.tolist(), 'p': (2 * stats.norm.sf(np.abs(zs))).tolist(),
                          'ciLow': (res.params.values - stats.norm.ppf(0.975) * sharp).tolist(), 'ciHigh': (res.params.values + stats.norm.ppf(0.975) * sharp).tolist()},
                'probe': {'params': probe.tolist(), 'loglike': float(model.loglike(probe)), 'score': model.score(probe).tolist(),
                          'hessian': model.hessian(probe).T.ravel().tolist(),
                          'jacobian': approx_fprime(probe, model.score, centered=True).T.ravel().tolist()}})
print(json.dumps(out))
`;

/** The synthetic table plus `<count>_zi`: the count with a share of its rows zeroed (seeded). */
function withExcessZeros(n: number, seed: number, share: number) {
  const s = synthetic(n, seed);
  const random = mulberry32(seed + 1000);
  const columns = new Map<string, Column>(s.table.columns);
  const json = { ...s.json };
  for (const name of ['shares', 'likes']) {
    const values = (s.json[name] as number[]).map((v) => (random() < share ? 0 : v));
    columns.set(`${name}_zi`, { kind: 'numeric', values: Float64Array.from(values) });
    json[`${name}_zi`] = values;
  }
  return { table: { ...s.table, columns }, json };
}

describe('zero-inflated NB2 against statsmodels', () => {
  it.skipIf(!pythonHas('statsmodels', 'pandas', 'patsy'))(
    'log-likelihood, score, estimates, SEs (vs its numerical Hessian), z, p, CIs, llf and AIC match ZeroInflatedNegativeBinomialP',
    () => {
      const s = withExcessZeros(1200, 31, 0.3);
      const ref = JSON.parse(runPython(STATSMODELS_PY, [jsonFile({ data: s.json, cases: CASES })], 300_000));
      CASES.forEach((c, k) => {
        const r = ref[k];
        const label = c.outcome;
        const design = buildDesign(s.table, { response: c.outcome, terms: c.terms, count: true });
        expect(design.n).toBe(r.nobs);
        expect(r.converged, `${label}: statsmodels' Newton converged`).toBe(true);

        // The analytic log-likelihood and score at an arbitrary point, in statsmodels' parametrization.
        const inflation = { x: new Float64Array(design.n).fill(1), q: 1, names: ['const'] };
        const at = zinbLogLikelihood(design, inflation, r.probe.params);
        expectRelative(at.llf, r.probe.loglike, 1e-11, `${label} loglike`);
        const scoreScale = Math.max(...r.probe.score.map(Math.abs));
        expectAllRelative(at.gradient, r.probe.score, 1e-8, `${label} score`, 1e-6 * scoreScale);
        // Against differences of the analytic score: the analytic Hessian itself. Against
        // statsmodels' Hessian (second differences of the log-likelihood): to its error, about
        // 1e-8 of the largest entry (visible where the exact value is 0, two category dummies).
        const hessScale = Math.max(...r.probe.hessian.map(Math.abs));
        expectAllRelative(at.hessian, r.probe.jacobian, 1e-6, `${label} hessian vs score differences`, 1e-6 * hessScale);
        expectAllRelative(at.hessian, r.probe.hessian, 1e-4, `${label} hessian vs statsmodels'`, 1e-4 * hessScale);

        const fit = fitZeroInflatedNegativeBinomial(design);
        expect(fit.converged, fit.problem ?? '').toBe(true);
        expect(fit.names).toEqual(r.names);
        expect(fit.names[0]).toBe('inflate_const');
        expect(fit.names.at(-1)).toBe('alpha');
        expectAllRelative(fit.params, r.params, 1e-9, `${label} params`);
        // Wald rows against the ones from the sharp Hessian at statsmodels' estimate; statsmodels'
        // reported SEs (from second differences of the log-likelihood) to their own error.
        expectAllRelative(
          fit.table.map((t) => t.se),
          r.sharp.bse,
          1e-6,
          `${label} se`,
        );
        expectAllRelative(
          fit.table.map((t) => t.se),
          r.bse,
          1e-3,
          `${label} se vs statsmodels' bse`,
        );
        expectAllRelative(
          fit.table.map((t) => t.stat),
          r.sharp.z,
          1e-6,
          `${label} z`,
        );
        expectAllRelative(
          fit.table.map((t) => t.p),
          r.sharp.p,
          1e-5,
          `${label} p`,
          1e-300,
        );
        // An interval's end can sit near 0: its error is measured against the SE, its width's scale.
        fit.table.forEach((t, j) => {
          expectRelative(t.ciLow, r.sharp.ciLow[j], 1e-6, `${label} ciLow[${j}]`, r.bse[j]);
          expectRelative(t.ciHigh, r.sharp.ciHigh[j], 1e-6, `${label} ciHigh[${j}]`, r.bse[j]);
          expectRelative(t.ciLow, r.ciLow[j], 1e-3, `${label} ciLow[${j}] vs statsmodels'`, r.bse[j]);
        });
        expectRelative(fit.llf, r.llf, 1e-12, `${label} llf`);
        // AIC counts every parameter; statsmodels 0.13.5's ZI results count only the count terms.
        const k1 = r.params.length;
        expectRelative(fit.aic, -2 * r.llf + 2 * k1, 1e-9, `${label} aic`);
        expectRelative(r.aic, -2 * r.llf + 2 * (k1 - 2), 1e-12, `${label} statsmodels' aic leaves out inflate_const and alpha`);
        expect(fit.coefficients.map((t) => t.term)).toEqual(design.names);
        expect(fit.inflation.map((t) => t.term)).toEqual(['inflate_const']);
        expect(fit.alpha).toBe(fit.params.at(-1));
        expect(fit.alphaSe).toBe(fit.table.at(-1)!.se);
        if (c.plain) {
          // The excess zeros are found: the planted 30% of rows lies in π's 95% interval, well away
          // from 0 (inflate_const's own p tests π = ½, not π = 0).
          const logistic = (v: number) => 1 / (1 + Math.exp(-v));
          expect(logistic(fit.inflation[0]!.ciLow)).toBeLessThan(0.3);
          expect(logistic(fit.inflation[0]!.ciHigh)).toBeGreaterThan(0.3);
          expect(logistic(fit.inflation[0]!.ciLow)).toBeGreaterThan(0.02);
          // And ZINB describes these counts far better than NB, which must blow α up to make the zeros.
          const nb = fitNegativeBinomial(design);
          expect(2 * (fit.llf - nb.llf)).toBeGreaterThan(10.83);
          expect(fit.alpha).toBeLessThan(nb.alpha);
        }
      });
    },
    300_000,
  );

  it('no excess zeros (fewer zeros than NB predicts): the boundary π = 0 is reported, not passed off as a fit', () => {
    const random = mulberry32(5);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 500; i++) {
      const xi = random();
      // Geometric-like counts with their zeros moved to 1: a zero deficit.
      const mean = Math.exp(1 + xi);
      let k = 0;
      while (random() < mean / (1 + mean)) k++;
      y.push(k === 0 && random() < 0.8 ? 1 : k);
      x.push(xi);
    }
    const design = buildDesign(tableOf({ y, x }), { response: 'y', terms: ['Intercept', 'x'], count: true });
    const fit = fitZeroInflatedNegativeBinomial(design);
    expect(fit.converged).toBe(false);
    expect(fit.problem).toMatch(
      /zero-inflation probability fell below 1e-8 on every row: the counts have no more zeros than the NB model predicts/,
    );
  });

  it('iteration limit and bad input are reported with what to do', () => {
    const s = withExcessZeros(400, 8, 0.3);
    const design = buildDesign(s.table, { response: 'shares_zi', terms: ['Intercept', 'color_entropy'], count: true });
    const cut = fitZeroInflatedNegativeBinomial(design, { maxIterations: 1 });
    expect(cut.converged).toBe(false);
    expect(cut.problem).toBe('no convergence in 1 Newton iteration');
    const noZeros = buildDesign(tableOf({ y: [1, 2, 3, 4, 5, 6, 7], x: [1, 3, 2, 5, 4, 7, 6] }), {
      response: 'y',
      terms: ['Intercept', 'x'],
      count: true,
    });
    expect(() => fitZeroInflatedNegativeBinomial(noZeros)).toThrow(
      /needs zero counts, and this outcome has none over the model's rows; use the NB model/,
    );
    const negative = buildDesign(tableOf({ y: [1, 0, -3, 4, 0, 6], x: [1, 2, 3, 4, 5, 7] }), { response: 'y', terms: ['Intercept', 'x'] });
    expect(() => fitZeroInflatedNegativeBinomial(negative)).toThrow(
      /zero-inflated negative binomial model needs non-negative counts, but model row 3 has -3/,
    );
    expect(() => fitZeroInflatedNegativeBinomial(design, { inflation: { x: new Float64Array(3), q: 1, names: ['const'] } })).toThrow(
      /inflation design must have \d+ rows/,
    );
  });

  it('decides when the pipeline fits ZINB: asked for, or NB did not converge', () => {
    expect(zinbDecision(true, { converged: true, problem: null })).toEqual({ fit: true, reason: 'asked for in the config (zinb: true)' });
    expect(zinbDecision(false, { converged: false, problem: 'no convergence in 100 Newton iterations' })).toEqual({
      fit: true,
      reason: 'the NB model did not converge (no convergence in 100 Newton iterations)',
    });
    expect(zinbDecision(false, { converged: true, problem: null })).toEqual({ fit: false, reason: null });
    expect(zinbDecision(false, null)).toEqual({ fit: false, reason: null });
  });
});
