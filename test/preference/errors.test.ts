/**
 * Error analysis (the largest out-of-fold residuals with their top features; which ranges of
 * the strongest features are over- or under-estimated), progress and cancellation of an
 * evaluation, and the spec's retraining and activation rules as advice.
 */
import { describe, expect, it } from 'vitest';
import type { ModelMetrics } from '../../src/shared/preferenceModel';
import {
  evaluatePreferenceModel,
  fitPreferenceModel,
  preferenceData,
  type PreferenceRecord,
} from '../../src/main/core/preference/evaluate';
import { flattenAnalyses } from '../../src/main/core/preference/flatten';
import { activationAdvice, maeOn, retrainAdvice } from '../../src/main/core/preference/triggers';
import { mulberry32 } from '../../src/main/core/random';
import { syntheticPreferences } from './synthetic';

/** A rating convex in x (10·x²) with one noise feature: a straight line overestimates the middle and underestimates both ends. */
function convex(n: number): PreferenceRecord[] {
  const rnd = mulberry32(5);
  return Array.from({ length: n }, (_, i) => {
    const x = rnd();
    return { videoId: `v${i}`, analysis: { shape: { x: i % 10 === 0 ? null : x }, other: rnd() }, overall: Math.round(20 * x * x) / 2 };
  });
}

describe('error analysis', () => {
  it('finds the ranges a linear model gets wrong, lists the largest residuals with their features, and a missing group', () => {
    const data = preferenceData(convex(400));
    const ev = evaluatePreferenceModel(data, { kind: 'ridge' }, { errorCases: 5, rangeFeatures: 2 });
    const shape = ev.errors.ranges.find((r) => r.feature === 'shape.x')!;
    expect(shape.groups.map((g) => g.label.split(' ')[0])).toEqual(['Q1', 'Q2', 'Q3', 'Q4', 'missing']);
    expect(shape.groups.map((g) => g.verdict)).toEqual(['underestimated', 'overestimated', 'overestimated', 'underestimated', 'even']);
    expect(shape.groups.reduce((a, g) => a + g.n, 0)).toBe(400);
    expect(shape.groups.at(-1)).toMatchObject({ label: 'missing', n: 40, lower: null, upper: null });
    const q = shape.groups.slice(0, 4);
    expect(q[0]!.lower).toBeGreaterThanOrEqual(0);
    for (let i = 1; i < 4; i++) expect(q[i]!.lower).toBe(q[i - 1]!.upper);
    expect(q[3]!.upper).toBeLessThanOrEqual(1);
    expect(ev.errors.largest).toHaveLength(5);
    for (const e of ev.errors.largest) {
      expect(e.residual).toBeCloseTo(e.predicted - e.actual, 12);
      expect(e.topFactors.map((f) => f.feature)).toContain('shape.x');
    }
    // The JSON is plain (no NaN/Infinity).
    expect(JSON.stringify(ev)).not.toMatch(/NaN|Infinity/);
  });

  it('reports progress through every fit and stops when cancelled', () => {
    const data = preferenceData(syntheticPreferences(60, 3).records);
    const seen: string[] = [];
    evaluatePreferenceModel(data, { top: 10 }, { subScores: 'separate', progress: (f, stage) => seen.push(`${f.toFixed(2)} ${stage}`) });
    expect(seen[0]).toBe('0.00 overall: hold-out');
    // 4 targets × (hold-out + 5 folds) = 24 fits.
    expect(seen).toContain('0.21 overall: fold 5/5');
    expect(seen.at(-1)).toBe('0.96 payoff: fold 5/5');
    expect(seen.filter((s) => s.includes('payoff'))).toHaveLength(6);
    let calls = 0;
    expect(() =>
      evaluatePreferenceModel(
        data,
        {},
        {
          throwIfCancelled: () => {
            if (++calls === 3) throw new Error('cancelled');
          },
        },
      ),
    ).toThrow('cancelled');
  });

  it('leaves out a sub-score with too few ratings and says so', () => {
    const records = syntheticPreferences(40, 4).records.map((r, i) => ({ ...r, payoff: i < 5 ? 6 : null }));
    const ev = evaluatePreferenceModel(preferenceData(records), { top: 10 }, { subScores: 'separate' });
    expect(ev.subScores.map((s) => s.target)).toEqual(['hook', 'pacing']);
    expect(ev.notes).toEqual(['payoff: not evaluated, 5 ratings with a payoff score (at least 10 needed).']);
  });
});

const metrics = (mae: number, cvMae: number, sd: number): ModelMetrics => ({
  mae,
  rmse: mae,
  r2: 0.5,
  cv_mae: cvMae,
  cv_mae_std: sd,
  cv_rmse: cvMae,
  cv_r2: 0.5,
  status: { mae: 'ready', cv_mae: 'ready', r2: 'moderate', cv_r2: 'moderate' },
});

describe('retraining and activation advice (the spec §8–9)', () => {
  it('is due after 50 new ratings, an MAE worse by more than 0.05, or drift above 0.1', () => {
    const m = metrics(0.1, 0.1, 0.01);
    expect(
      retrainAdvice({ newRatings: 49, recentMae: 0.15, model: m, drift: [{ feature: 'a', psi: 0.1, bins: 10, drifted: false }] }),
    ).toEqual({ due: false, reasons: [] });
    const due = retrainAdvice({
      newRatings: 50,
      recentMae: 0.1501,
      model: m,
      drift: [{ feature: 'a', psi: 0.25, bins: 10, drifted: true }],
    });
    expect(due.due).toBe(true);
    expect(due.reasons).toHaveLength(3);
    expect(due.reasons[2]).toBe('feature drift (PSI > 0.1): a 0.25.');
  });

  it('activates a first model from 200 ratings under MAE .20, a later one only when its CV MAE gain exceeds its fold sd', () => {
    expect(activationAdvice({ metrics: metrics(0.19, 0.2, 0.01), trainingRows: 199 }, null).activate).toBe(false);
    expect(activationAdvice({ metrics: metrics(0.2, 0.2, 0.01), trainingRows: 200 }, null).activate).toBe(false);
    expect(activationAdvice({ metrics: metrics(0.19, 0.2, 0.01), trainingRows: 200 }, null).activate).toBe(true);
    const active = { metrics: metrics(0.15, 0.15, 0.01) };
    expect(activationAdvice({ metrics: metrics(0.13, 0.141, 0.01), trainingRows: 300 }, active)).toMatchObject({ activate: false });
    expect(activationAdvice({ metrics: metrics(0.13, 0.139, 0.01), trainingRows: 300 }, active)).toMatchObject({ activate: true });
  });

  it('measures a model on ratings it has not seen', () => {
    const { records } = syntheticPreferences(120, 8);
    const model = fitPreferenceModel(preferenceData(records.slice(0, 100)), { top: 20 });
    const later = records.slice(100);
    const value = maeOn(
      model,
      flattenAnalyses(later.map((r) => r.analysis)),
      later.map((r) => r.overall),
    );
    expect(value).toBeGreaterThan(0.02);
    expect(value).toBeLessThan(0.2);
    expect(() => maeOn(model, flattenAnalyses([]), [])).toThrow(/no ratings/);
  });
});
