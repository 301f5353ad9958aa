import { describe, expect, it } from 'vitest';
import { compareCountModels } from '../../src/main/core/analysis/countComparison';
import { buildDesign } from '../../src/main/core/analysis/design';
import { fitNegativeBinomial } from '../../src/main/core/analysis/negbin';
import { fitOls } from '../../src/main/core/analysis/ols';
import { fitZeroInflatedNegativeBinomial } from '../../src/main/core/analysis/zinb';
import { mulberry32 } from '../../src/main/core/random';
import { PREDICTORS, synthetic, tableOf } from './synthetic';

const TERMS = ['Intercept', ...PREDICTORS, 'duration_s', 'C(category)'];

describe('log-OLS vs NB per term', () => {
  const s = synthetic(1200, 17);
  const olsDesign = buildDesign(s.table, { response: 'log1p(views)', terms: TERMS });
  const nbDesign = buildDesign(s.table, { response: 'views', terms: TERMS, count: true });
  const ols = fitOls(olsDesign, { cov: 'HC3' });
  const nb = fitNegativeBinomial(nbDesign);

  it("one row per shared term (no Intercept, no alpha), in the OLS order, with both fits' estimates and p", () => {
    expect(nb.converged).toBe(true);
    const rows = compareCountModels('views', ols, nb);
    expect(rows.map((r) => r.term)).toEqual(olsDesign.names.filter((t) => t !== 'Intercept'));
    for (const row of rows) {
      const o = ols.coefficients.find((c) => c.term === row.term)!;
      const c = nb.coefficients.find((x) => x.term === row.term)!;
      expect(row).toEqual({
        outcome: 'views',
        term: row.term,
        olsEstimate: o.estimate,
        olsP: o.p,
        nbEstimate: c.estimate,
        nbP: c.p,
        sameDirection: o.estimate > 0 === c.estimate > 0,
        sameSignificance: o.p < 0.05 === c.p < 0.05,
      });
    }
    // The planted effects (log mean 7 + 0.25·ce + … on NB counts) are strong enough for both models.
    const ce = rows.find((r) => r.term === 'color_entropy')!;
    expect(ce.sameDirection && ce.sameSignificance).toBe(true);
    expect(ce.olsP).toBeLessThan(0.05);
  });

  it('significance disagrees where one p is below the threshold and the other is not', () => {
    // The term whose two p-values are furthest apart, and a threshold between them.
    const rows = compareCountModels('views', ols, nb);
    const spread = (r: (typeof rows)[number]) => Math.abs(Math.log(r.olsP) - Math.log(r.nbP));
    const widest = rows.reduce((a, b) => (spread(b) > spread(a) ? b : a));
    expect(spread(widest)).toBeGreaterThan(Math.log(2));
    const threshold = Math.sqrt(widest.olsP * widest.nbP);
    const split = compareCountModels('views', ols, nb, { threshold });
    const row = split.find((r) => r.term === widest.term)!;
    expect(row.sameSignificance).toBe(false);
    expect(Math.min(row.olsP, row.nbP)).toBeLessThan(threshold);
    expect(Math.max(row.olsP, row.nbP)).toBeGreaterThanOrEqual(threshold);
    for (const r of split) expect(r.sameSignificance).toBe(r.olsP < threshold === r.nbP < threshold);
    expect(() => compareCountModels('views', ols, nb, { threshold: 1.5 })).toThrow(/between 0 and 1; got 1.5/);
  });

  it('direction disagrees when a group has more zeros but larger counts: log-OLS sees a lower mean log, NB a higher mean', () => {
    const random = mulberry32(3);
    const y: number[] = [];
    const g: number[] = [];
    const x: number[] = [];
    for (let i = 0; i < 400; i++) {
      const group = i % 2;
      // group 1: 70% zeros, the rest near 200; group 0: every count near 10.
      const count = group ? (random() < 0.7 ? 0 : Math.round(150 + 100 * random())) : Math.round(5 + 10 * random());
      y.push(count);
      g.push(group);
      x.push(random());
    }
    const table = tableOf({ y, g, x });
    const terms = ['Intercept', 'g', 'x'];
    const logOls = fitOls(buildDesign(table, { response: 'log1p(y)', terms }));
    const design = buildDesign(table, { response: 'y', terms, count: true });
    const negbin = fitNegativeBinomial(design);
    expect(negbin.converged).toBe(true);
    const row = compareCountModels('y', logOls, negbin).find((r) => r.term === 'g')!;
    expect(row.olsEstimate).toBeLessThan(0);
    expect(row.nbEstimate).toBeGreaterThan(0);
    expect(row.sameDirection).toBe(false);
    expect(row.olsP).toBeLessThan(0.05);
    expect(row.nbP).toBeLessThan(0.05);
    expect(row.sameSignificance).toBe(true);
    // The count part of a converged ZINB can stand in for NB: it separates the zeros and agrees with NB.
    const zinb = fitZeroInflatedNegativeBinomial(design, { negbin });
    expect(zinb.converged, zinb.problem ?? '').toBe(true);
    expect(compareCountModels('y', logOls, zinb).map((r) => r.term)).toEqual(['g', 'x']);
  });

  it('a count model that did not converge gives no rows', () => {
    const cut = fitNegativeBinomial(nbDesign, { maxIterations: 1 });
    expect(cut.converged).toBe(false);
    expect(compareCountModels('views', ols, cut)).toEqual([]);
  });
});
