/**
 * Correlations of the features as the model sees them with `overall`: r and p against scipy's
 * pearsonr (1e-10), q against statsmodels' multipletests(fdr_bh), the spec's tiers, constant
 * features reported with r null (never NaN), the expected list's statuses.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorrelationReport } from '../../src/shared/preferenceModel';
import { column, correlatePreferences, pearson, significanceTier } from '../../src/main/core/preference/correlate';
import { preferenceData } from '../../src/main/core/preference/evaluate';
import { fitFeaturePipeline, transformTable } from '../../src/main/core/preference/normalize';
import { mulberry32 } from '../../src/main/core/random';
import { expectRelative } from '../analysis/tolerance';
import { pythonHas, runPython } from '../helpers/python';
import { syntheticPreferences } from './synthetic';

const SCIPY_PY = String.raw`
import sys, json, warnings, numpy as np
from scipy.stats import pearsonr
from statsmodels.stats.multitest import multipletests
d = json.load(open(sys.argv[1]))
y = np.array(d['y'])
out = []
for col in d['columns']:
    x = np.array(col)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        r, p = pearsonr(x, y)
    out.append([None if np.isnan(r) else float(r), None if np.isnan(p) else float(p)])
ps = [o[1] for o in out if o[1] is not None]
q = multipletests(ps, method='fdr_bh')[1].tolist()
print(json.dumps({'rp': out, 'q': q}))
`;

describe('correlations', () => {
  it.skipIf(!pythonHas('scipy', 'statsmodels'))(
    "r and p equal scipy.stats.pearsonr to 1e-10 and q equals multipletests(fdr_bh), on the pipeline's features",
    () => {
      const { records } = syntheticPreferences(300, 11);
      const data = preferenceData(records);
      const report = correlatePreferences(data.table, data.overall);
      // The same columns, as the model sees them, handed to scipy.
      const pipeline = fitFeaturePipeline(
        data.table,
        Array.from({ length: 300 }, (_, i) => i),
      );
      const x = transformTable(pipeline, data.table);
      const columns = pipeline.features.map((_, j) => Array.from(column(x, j)));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pref-corr-'));
      fs.writeFileSync(path.join(dir, 'd.json'), JSON.stringify({ y: Array.from(data.overall), columns }));
      const ref = JSON.parse(runPython(SCIPY_PY, [path.join(dir, 'd.json')])) as { rp: [number | null, number | null][]; q: number[] };
      fs.rmSync(dir, { recursive: true });
      const byName = new Map(report.features.map((f) => [f.feature, f]));
      let k = 0;
      let constants = 0;
      let tiny = 0;
      pipeline.features.forEach((f, j) => {
        const ours = byName.get(f.name)!;
        const [r, p] = ref.rp[j]!;
        if (r === null) {
          constants++;
          expect(ours, f.name).toMatchObject({ r: null, p: null, q: null, tier: 'none' });
          return;
        }
        expect(Math.abs(ours.r! - r), `${f.name} r`).toBeLessThan(1e-10);
        expectRelative(ours.p!, p!, 1e-10, `${f.name} p`, 1e-300);
        expectRelative(ours.q!, ref.q[k++]!, 1e-10, `${f.name} q`, 1e-300);
        if (p! < 1e-20) tiny++;
        expect(ours.tier).toBe(significanceTier(r, p));
      });
      expect(k).toBe(ref.q.length);
      // The data exercise both the constant case (feature_count) and very small p-values.
      expect(constants).toBeGreaterThan(0);
      expect(tiny).toBeGreaterThan(0);
      expect(report.features.length).toBe(pipeline.features.length);
    },
    60_000,
  );

  it('orders by |r|, lists the top 20 each way, reports constant features as null (JSON without NaN) and checks the result schema', () => {
    const { records } = syntheticPreferences(200, 5);
    const data = preferenceData(records);
    const report = correlatePreferences(data.table, data.overall);
    const rs = report.features.filter((f) => f.r !== null).map((f) => Math.abs(f.r!));
    expect(rs).toEqual([...rs].sort((a, b) => b - a));
    expect(report.features.find((f) => f.feature === 'feature_count')).toMatchObject({ r: null, p: null, q: null, tier: 'none' });
    const firstNull = report.features.findIndex((f) => f.r === null);
    expect(report.features.slice(firstNull).every((f) => f.r === null)).toBe(true);
    expect(report.topPositive).toHaveLength(20);
    expect(report.topPositive.every((f) => f.r! > 0)).toBe(true);
    expect(report.topNegative.every((f) => f.r! < 0)).toBe(true);
    expect(report.topNegative.length).toBeGreaterThan(5);
    expect(report.ratings).toBe(200);
    const json = JSON.stringify(report);
    expect(json).not.toMatch(/NaN|Infinity/);
    expect(CorrelationReport.parse(JSON.parse(json))).toEqual(report);
    expect(report.dropped.map((d) => `${d.key}:${d.reason}`)).toEqual(
      expect.arrayContaining(['script.summary:text', 'experimental.novelty:coverage']),
    );
    expect(report.mixed.map((m) => m.key)).toEqual(['meta.durationSeconds']);
  });

  it("marks the spec's expected correlations confirmed, not significant, opposite or absent", () => {
    const { records } = syntheticPreferences(400, 9);
    const data = preferenceData(records);
    const report = correlatePreferences(data.table, data.overall, {
      expected: [
        { feature: 'script.replicability.score', direction: 'positive' },
        { feature: 'trends.memeDependent', direction: 'positive' },
        { feature: 'flexibility.industryLock', direction: 'negative' },
        { feature: 'experimental.novelty', direction: 'positive' },
        { feature: 'production.location', direction: 'negative' },
        { feature: 'no.such.key', direction: 'negative' },
        { feature: 'feature_count', direction: 'positive' },
      ],
    });
    const status = Object.fromEntries(report.expected.map((e) => [e.feature, e.status]));
    expect(status).toEqual({
      'script.replicability.score': 'confirmed',
      'trends.memeDependent': 'opposite',
      'flexibility.industryLock': 'not significant',
      'experimental.novelty': 'absent',
      'production.location': 'absent',
      'no.such.key': 'absent',
      feature_count: 'not significant',
    });
    const note = Object.fromEntries(report.expected.map((e) => [e.feature, e.note]));
    expect(note['experimental.novelty']).toMatch(/dropped: coverage \d+(\.\d)? % < 50 %/);
    expect(note['production.location']).toMatch(/a string key: one-hot as 8 columns/);
    expect(note['no.such.key']).toBe('no analysis has this key');
    // The default list is the spec's §4.2: 6 positive, 7 negative.
    const defaults = correlatePreferences(data.table, data.overall).expected;
    expect(defaults.filter((e) => e.direction === 'positive')).toHaveLength(6);
    expect(defaults.filter((e) => e.direction === 'negative')).toHaveLength(7);
  });

  it('pearson: the n = 2 and |r| = 1 edges as scipy, constant → null; the tiers at their boundaries', () => {
    expect(pearson([1, 2], [3, 5])).toEqual({ r: 1, p: 1 });
    expect(pearson([1, 2], [5, 3])).toEqual({ r: -1, p: 1 });
    expect(pearson([1, 1, 1], [2, 4, 6])).toEqual({ r: null, p: null });
    const rnd = mulberry32(1);
    const x = Array.from({ length: 50 }, rnd);
    const perfect = pearson(
      x,
      x.map((v) => -2 * v + 1),
    );
    expect(perfect.r).toBeCloseTo(-1, 14);
    expect(perfect.p).toBeLessThan(1e-100);
    expect(() => pearson([1], [2])).toThrow(/at least 2 rows/);
    expect(significanceTier(0.5, 0.0099)).toBe('high');
    expect(significanceTier(-0.5, 0.01)).toBe('medium');
    expect(significanceTier(0.3, 0.0499)).toBe('medium');
    expect(significanceTier(0.29, 0.001)).toBe('low');
    expect(significanceTier(0.15, 0.0999)).toBe('low');
    expect(significanceTier(0.15, 0.1)).toBe('none');
    expect(significanceTier(null, null)).toBe('none');
  });

  it('refuses ratings that do not match the analyses, with a clear message', () => {
    const data = preferenceData(syntheticPreferences(10, 1).records);
    expect(() => correlatePreferences(data.table, data.overall.slice(0, 9))).toThrow(/9 ratings for 10 analyses/);
    expect(() => correlatePreferences(data.table, [...data.overall.slice(0, 9), NaN])).toThrow(/rating 10 is NaN/);
    const two = preferenceData(syntheticPreferences(2, 1).records);
    expect(() => correlatePreferences(two.table, two.overall)).toThrow(/at least 3 rated analyses/);
    expect(() => preferenceData([{ videoId: 'v1', analysis: {}, overall: 11 }])).toThrow(
      /the overall rating of v1 is 11; a rating is a number from 0 to 10/,
    );
    expect(() => preferenceData([{ videoId: 'v1', analysis: {}, overall: 5, hook: Number.NaN }])).toThrow(/the hook rating of v1 is NaN/);
  });
});
