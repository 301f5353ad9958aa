/**
 * Scoring one analysis (score, confidence from coverage × R², top factors that add up to the
 * score), the population stability index against a Python computation, and the spec's 80/20
 * split equal to sklearn's train_test_split(random_state=42).
 */
import { describe, expect, it } from 'vitest';
import { featureDrift, populationStabilityIndex, quantileSorted } from '../../src/main/core/preference/drift';
import { fitPreferenceModel, preferenceData, trainPreferenceModel } from '../../src/main/core/preference/evaluate';
import { flattenAnalyses } from '../../src/main/core/preference/flatten';
import { contributionsOf, disposeModel, modelMatrix, predictModel } from '../../src/main/core/preference/model';
import { numpyPermutation, trainTestSplit } from '../../src/main/core/preference/numpySplit';
import { scoreAnalysis, scoreTable } from '../../src/main/core/preference/score';
import { loadNativeAddon } from '../../native/loader';
import { appRoot } from '../../src/main/core/appRoot';
import { mulberry32 } from '../../src/main/core/random';
import { pythonHas, runPython } from '../helpers/python';
import { syntheticPreferences } from './synthetic';

const status = loadNativeAddon(appRoot());
const hasXgboost = status.available && !!(status.addon as { xgboost?: unknown }).xgboost;

/**
 * The share of features whose key has a value in the analysis, worked out from the flattened
 * row alone: a level `k=v` needs a string at k, a flag `a_has_x` its array (a_count), others a value.
 */
function presentShare(features: readonly string[], analysis: unknown): number {
  const row = flattenAnalyses([analysis]).rows[0]!;
  const present = features.filter((f) => {
    if (f.includes('=')) return typeof row[f.slice(0, f.indexOf('='))] === 'string';
    const flag = f.indexOf('_has_');
    if (flag >= 0) return typeof row[`${f.slice(0, flag)}_count`] === 'number';
    return row[f] !== null && row[f] !== undefined && typeof row[f] !== 'string';
  });
  return present.length / features.length;
}

describe('scoring an analysis', () => {
  const { records } = syntheticPreferences(200, 12);
  const data = preferenceData(records);

  it('Ridge: score = 10 × prediction, contributions = 10 × weight × (value − training mean) adding up with the base to the score, confidence = coverage × R²', () => {
    const { model } = trainPreferenceModel(data, { kind: 'ridge', top: 20 });
    const analysis = syntheticPreferences(1, 99).records[0]!.analysis;
    const s = scoreAnalysis(model, analysis);
    const table = flattenAnalyses([analysis]);
    const pred = predictModel(model, table)[0]!;
    expect(s.unclampedScore).toBeCloseTo(10 * pred, 12);
    expect(s.score).toBe(Math.min(10, Math.max(0, s.unclampedScore)));
    const x = modelMatrix(model, table);
    const all = model.selected.map((f, j) => ({
      feature: f.feature,
      contribution: 10 * model.ridge!.coef[j]! * (x.data[j]! - model.ridge!.means[j]!),
    }));
    expect(s.baseScore + all.reduce((a, c) => a + c.contribution, 0)).toBeCloseTo(s.unclampedScore, 10);
    const top = [...all].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, 5);
    expect(s.topFactors.map((f) => f.feature)).toEqual(top.map((f) => f.feature));
    s.topFactors.forEach((f, i) => expect(f.contribution).toBeCloseTo(top[i]!.contribution, 12));
    // The base is the mean training rating (Ridge with an intercept predicts it on average).
    expect(s.baseScore).toBeCloseTo(data.overall.reduce((a, b) => a + b, 0) / data.overall.length, 10);
    expect(s.coverage).toBeCloseTo(
      presentShare(
        model.selected.map((f) => f.feature),
        analysis,
      ),
      15,
    );
    expect(s.coverage).toBeGreaterThan(0.5);
    expect(s.confidence).toBeCloseTo(s.coverage * Math.max(0, model.metrics!.r2), 15);
  });

  it("coverage is the share of the model's features present; a missing section lowers it and the confidence; a model without metrics gives null", () => {
    const { model } = trainPreferenceModel(data, { kind: 'ridge', top: 30 });
    const analysis = structuredClone(records[3]!.analysis) as Record<string, unknown>;
    delete analysis.script;
    const s = scoreAnalysis(model, analysis);
    const fromScript = model.selected.filter((f) => f.feature.startsWith('script.')).length;
    expect(fromScript).toBeGreaterThan(0);
    const names = model.selected.map((f) => f.feature);
    expect(s.coverage).toBeCloseTo(presentShare(names, analysis), 15);
    expect(s.coverage).toBeCloseTo(presentShare(names, records[3]!.analysis) - fromScript / names.length, 15);
    expect(s.confidence).toBeCloseTo(s.coverage * Math.max(0, model.metrics!.r2), 15);
    expect(scoreAnalysis({ ...model, metrics: null }, analysis).confidence).toBeNull();
    expect(scoreAnalysis({ ...model, metrics: { ...model.metrics!, r2: -0.3 } }, analysis).confidence).toBe(0);
    // The spec clamps to 0–10; the raw figure stays visible.
    const extreme = structuredClone(records[3]!.analysis) as { script: { replicability: { score: number } } };
    const w = model.ridge!.coef[model.selected.findIndex((f) => f.feature === 'script.replicability.score')]!;
    extreme.script.replicability.score = w > 0 ? 500 : -500;
    const clamped = scoreAnalysis(model, extreme);
    expect(clamped.unclampedScore).toBeGreaterThan(10);
    expect(clamped.score).toBe(10);
    expect(() => scoreAnalysis(model, 'not an analysis')).toThrow(/must be a JSON object/);
  });

  it.skipIf(!hasXgboost)(
    'forest: top factors are TreeSHAP contributions (× 10) that add up with the base to the score',
    () => {
      const model = fitPreferenceModel(data, { kind: 'random_forest', top: 15, trees: 50 });
      const rows = [0, 1, 2];
      const scores = scoreTable(model, data.table, rows);
      const pred = predictModel(model, data.table, rows);
      const { values, base } = contributionsOf(model, modelMatrix(model, data.table, rows));
      const p = model.selected.length;
      scores.forEach((s, i) => {
        expect(Math.abs(s.unclampedScore - 10 * pred[i]!)).toBeLessThan(1e-4);
        expect(s.baseScore).toBeCloseTo(10 * base[i]!, 12);
        const all = model.selected.map((f, j) => ({ feature: f.feature, contribution: 10 * values[i * p + j]! }));
        const top = all.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1)).slice(0, 5);
        expect(s.topFactors).toEqual(top);
        expect(s.confidence).toBeNull();
      });
      disposeModel(model);
    },
    60_000,
  );
});

const PSI_PY = String.raw`
import sys, json, numpy as np
d = json.load(open(sys.argv[1]))
out = []
for case in d:
    e, a = np.array(case['train']), np.array(case['new'])
    edges = np.unique(np.quantile(e, np.arange(1, 10) / 10))
    ce = np.bincount(np.searchsorted(edges, e, side='left'), minlength=len(edges) + 1) / len(e)
    ca = np.bincount(np.searchsorted(edges, a, side='left'), minlength=len(edges) + 1) / len(a)
    ce, ca = np.maximum(ce, 1e-4), np.maximum(ca, 1e-4)
    out.append({'psi': float(np.sum((ca - ce) * np.log(ca / ce))), 'edges': edges.tolist()})
print(json.dumps(out))
`;

describe('population stability index', () => {
  it.skipIf(!pythonHas('numpy'))('equals a numpy computation (decile edges, right-closed bins, ε = 1e-4 for empty bins)', async () => {
    const rnd = mulberry32(3);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    const cases = [
      { train: Array.from({ length: 500 }, gauss), new: Array.from({ length: 200 }, gauss) },
      { train: Array.from({ length: 500 }, gauss), new: Array.from({ length: 150 }, () => 0.7 + 1.3 * gauss()) },
      { train: Array.from({ length: 300 }, () => (rnd() < 0.3 ? 1 : 0)), new: Array.from({ length: 100 }, () => (rnd() < 0.6 ? 1 : 0)) },
      {
        train: Array.from({ length: 257 }, () => Math.round(10 * rnd()) / 10),
        new: Array.from({ length: 90 }, () => Math.round(12 * rnd()) / 10),
      },
      { train: Array.from({ length: 100 }, () => 5), new: [4, 5, 6] },
    ];
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pref-psi-'));
    fs.writeFileSync(path.join(dir, 'd.json'), JSON.stringify(cases));
    const ref = JSON.parse(runPython(PSI_PY, [path.join(dir, 'd.json')])) as { psi: number; edges: number[] }[];
    fs.rmSync(dir, { recursive: true });
    cases.forEach((c, k) => {
      const ours = populationStabilityIndex(c.train, c.new);
      expect(ours.edges, `case ${k} edges`).toEqual(ref[k]!.edges);
      expect(Math.abs(ours.psi - ref[k]!.psi), `case ${k}: ${ours.psi} vs ${ref[k]!.psi}`).toBeLessThan(1e-12);
    });
    expect(populationStabilityIndex(cases[0]!.train, cases[0]!.train).psi).toBe(0);
    expect(populationStabilityIndex(cases[1]!.train, cases[1]!.new).psi).toBeGreaterThan(0.1);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it("measures drift on the model's features, strongest first, flagged above 0.1; refuses bad input", () => {
    const base = syntheticPreferences(500, 40).records;
    // Newer analyses: the same generator, then more cuts on every video (one shifted feature).
    const newer = syntheticPreferences(500, 41).records.map((r) => {
      const a = structuredClone(r.analysis) as { production: { cuts: number } };
      a.production.cuts += 15;
      return { ...r, analysis: a };
    });
    const data = preferenceData([...base, ...newer]);
    const train = Array.from({ length: 500 }, (_, i) => i);
    const later = Array.from({ length: 500 }, (_, i) => 500 + i);
    // Every feature selected, so the shifted one is among them.
    const model = fitPreferenceModel(preferenceData(base), { top: 1000 });
    expect(model.selected.map((s) => s.feature)).toContain('production.cuts');
    const drift = featureDrift(model, data.table, train, later);
    expect(drift[0]).toMatchObject({ feature: 'production.cuts', drifted: true });
    expect(drift[0]!.psi).toBeGreaterThan(1);
    expect(drift.map((d) => d.psi)).toEqual([...drift.map((d) => d.psi)].sort((a, b) => b - a));
    // The other features come from the same generator: their PSI is sampling noise, well under 0.1.
    expect(drift[1]!.psi).toBeLessThan(0.1);
    expect(featureDrift(model, data.table, train, later, ['production.cuts', 'script.replicability.score']).map((d) => d.feature)).toEqual([
      'production.cuts',
      'script.replicability.score',
    ]);
    expect(() => featureDrift(model, data.table, train, later, ['nope'])).toThrow(/does not use "nope"/);
    expect(() => populationStabilityIndex([1, 2], [])).toThrow(/values on both sides/);
    expect(() => populationStabilityIndex([1, NaN], [1])).toThrow(/training value 2 is NaN/);
  });
});

describe("the spec's 80/20 split", () => {
  it.skipIf(!pythonHas('sklearn'))(
    "equals sklearn's train_test_split(test_size=0.2, random_state=42) and numpy's RandomState permutation",
    () => {
      const sizes = [10, 15, 199, 200, 1003, 5000];
      const ref = JSON.parse(
        runPython(
          String.raw`
import json, sys, numpy as np
from sklearn.model_selection import train_test_split
out = []
for n in json.loads(sys.argv[1]):
    tr, te = train_test_split(np.arange(n), test_size=0.2, random_state=42)
    out.append({'train': tr.tolist(), 'test': te.tolist()})
print(json.dumps({'splits': out, 'perm': np.random.RandomState(123456789).permutation(70000).tolist()}))
`,
          [JSON.stringify(sizes)],
        ),
      ) as { splits: { train: number[]; test: number[] }[]; perm: number[] };
      sizes.forEach((n, k) => expect(trainTestSplit(n), `n = ${n}`).toEqual(ref.splits[k]));
      expect(numpyPermutation(70000, 123456789)).toEqual(ref.perm);
      expect(() => trainTestSplit(1)).toThrow(/too few/);
    },
  );
});
