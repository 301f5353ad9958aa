/**
 * Ridge preference models against an independent Python pipeline (flatten → coverage → types
 * → MinMaxScaler → SimpleImputer(mean) → top K by |r| → sklearn Ridge(alpha=1)) on the same
 * rows: the final model's coefficients, intercept and predictions to 1e-8; the spec's 80/20
 * split (train_test_split(random_state=42)) and the 5-fold CV (KFold(5), pipeline refitted per
 * fold) to 1e-8; and selection inside the folds proven by a data set where selecting on every
 * row would leak.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PreferenceModel } from '../../src/shared/preferenceModel';
import {
  evaluatePreferenceModel,
  fitPreferenceModel,
  preferenceData,
  trainPreferenceModel,
  type PreferenceRecord,
} from '../../src/main/core/preference/evaluate';
import { flattenAnalyses } from '../../src/main/core/preference/flatten';
import { fitModelOnRows, parsePreferenceModel, predictModel, resolveModelOptions } from '../../src/main/core/preference/model';
import { fitFeaturePipeline, transformTable } from '../../src/main/core/preference/normalize';
import { selectByCorrelation } from '../../src/main/core/preference/select';
import { mulberry32 } from '../../src/main/core/random';
import { fitRidge, predictRidge } from '../../src/main/core/suite/models/ridge';
import { kFold } from '../../src/main/core/suite/data/splits';
import { pythonHas, runPython } from '../helpers/python';
import { SKLEARN_PREFERENCE_PY } from './sklearnPipeline';
import { syntheticPreferences } from './synthetic';

const REFERENCE_PY =
  SKLEARN_PREFERENCE_PY +
  String.raw`
d = json.load(open(sys.argv[1]))
rows, arrays, flags = flatten_table(d['analyses'])
y = np.array(d['overall']) / 10
n = len(rows)
top, prune = d['top'], d['prune']
def fit(train):
    pipe = Pipeline(rows, arrays, flags, train)
    X = pipe.transform(rows, arrays, train)
    sel = select(X, y[train], top, prune)
    model = Ridge(alpha=1.0).fit(X[:, sel], y[train])
    return pipe, sel, model
def predict(fitted, rws, arrs, idx=None):
    pipe, sel, model = fitted
    return model.predict(pipe.transform(rws, arrs, idx)[:, sel])
final = fit(list(range(n)))
nrows, narrays, _ = flatten_table(d['new'])
out = {'names': [final[0].names[j] for j in final[1]], 'coef': final[2].coef_.tolist(), 'intercept': float(final[2].intercept_),
       'new': predict(final, nrows, narrays).tolist()}
tr, te = train_test_split(np.arange(n), test_size=0.2, random_state=42)
pred = predict(fit(list(tr)), rows, arrays, list(te))
out['holdout'] = {'test': te.tolist(), 'mae': float(np.mean(np.abs(pred - y[te]))), 'rmse': float(np.sqrt(np.mean((pred - y[te]) ** 2))),
                  'r2': float(1 - np.sum((y[te] - pred) ** 2) / np.sum((y[te] - y[te].mean()) ** 2))}
folds = []
for a, b in KFold(5).split(np.arange(n)):
    p = predict(fit(list(a)), rows, arrays, list(b))
    folds.append(float(np.mean(np.abs(p - y[b]))))
out['cv'] = {'folds': folds, 'mean': float(np.mean(folds)), 'std': float(np.std(folds))}
print(json.dumps(out))
`;

/** Records as they come back from storage: through JSON (no undefined keys). */
const viaJson = (records: PreferenceRecord[]) => JSON.parse(JSON.stringify(records)) as PreferenceRecord[];

describe('Ridge preference model vs scikit-learn', () => {
  for (const [n, top, prune, seed] of [
    [360, 50, null, 21],
    [240, 20, 0.1, 22],
  ] as const) {
    it.skipIf(!pythonHas('sklearn'))(
      `final model, 80/20 hold-out and 5-fold CV equal sklearn's pipeline to 1e-8 (n ${n}, top ${top}, prune ${prune})`,
      () => {
        const records = viaJson(syntheticPreferences(n, seed).records);
        const fresh = viaJson(syntheticPreferences(40, seed + 100).records);
        const data = preferenceData(records);
        const options = { kind: 'ridge' as const, top, prune };
        const model = fitPreferenceModel(data, options);
        const newPred = predictModel(model, flattenAnalyses(fresh.map((r) => r.analysis)));
        const evaluation = evaluatePreferenceModel(data, options);

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pref-ridge-'));
        const file = path.join(dir, 'd.json');
        fs.writeFileSync(
          file,
          JSON.stringify({
            analyses: records.map((r) => r.analysis),
            overall: records.map((r) => r.overall),
            new: fresh.map((r) => r.analysis),
            top,
            prune,
          }),
        );
        const ref = JSON.parse(runPython(REFERENCE_PY, [file])) as {
          names: string[];
          coef: number[];
          intercept: number;
          new: number[];
          holdout: { test: number[]; mae: number; rmse: number; r2: number };
          cv: { folds: number[]; mean: number; std: number };
        };
        fs.rmSync(dir, { recursive: true });

        expect(model.selected.map((s) => s.feature)).toEqual(ref.names);
        expect(model.selected.length).toBe(Math.min(top, ref.names.length));
        model.ridge!.coef.forEach((c, j) => expect(Math.abs(c - ref.coef[j]!), `coef ${ref.names[j]}`).toBeLessThan(1e-8));
        expect(Math.abs(model.ridge!.intercept - ref.intercept)).toBeLessThan(1e-8);
        newPred.forEach((p, i) => expect(Math.abs(p - ref.new[i]!), `new row ${i}`).toBeLessThan(1e-8));

        const h = evaluation.overall.holdout;
        expect(h.n).toBe(ref.holdout.test.length);
        for (const k of ['mae', 'rmse', 'r2'] as const) expect(Math.abs(h[k] - ref.holdout[k]), `hold-out ${k}`).toBeLessThan(1e-8);
        evaluation.overall.cv.folds.forEach((f, i) => expect(Math.abs(f.mae - ref.cv.folds[i]!), `fold ${i}`).toBeLessThan(1e-8));
        expect(Math.abs(evaluation.overall.cv.maeMean - ref.cv.mean)).toBeLessThan(1e-8);
        expect(Math.abs(evaluation.overall.cv.maeSd - ref.cv.std)).toBeLessThan(1e-8);
        expect(evaluation.overall.metrics).toMatchObject({
          mae: h.mae,
          cv_mae: evaluation.overall.cv.maeMean,
          cv_mae_std: evaluation.overall.cv.maeSd,
        });
      },
      60_000,
    );
  }

  it("the trained model is JSON: stored, reloaded and checked, it predicts the same; statuses follow the spec's thresholds", () => {
    const data = preferenceData(syntheticPreferences(200, 4).records);
    const { model, evaluation } = trainPreferenceModel(data, { kind: 'ridge' }, { subScores: 'separate' });
    const back = parsePreferenceModel(JSON.parse(JSON.stringify(model)));
    expect(back).toEqual(model);
    expect(Array.from(predictModel(back, data.table))).toEqual(Array.from(predictModel(model, data.table)));
    expect(model.metrics).toEqual(evaluation.overall.metrics);
    expect(model.trainingRows).toBe(200);
    const m = evaluation.overall.metrics;
    expect(m.status.mae).toBe(m.mae < 0.15 ? 'ready' : m.mae <= 0.2 ? 'acceptable' : 'needs more data');
    expect(m.status.r2).toBe(m.r2 > 0.6 ? 'good' : m.r2 >= 0.4 ? 'moderate' : 'low');
    expect(evaluation.subScores.map((s) => s.target)).toEqual(['hook', 'pacing', 'payoff']);
    // Each sub-score is evaluated on its own ratings (~85 % have it).
    for (const s of evaluation.subScores)
      expect(s.ratings).toBe(Array.from(data.subScores[s.target as 'hook']).filter(Number.isFinite).length);
    expect(evaluation.errors.largest).toHaveLength(10);
    const largest = evaluation.errors.largest.map((e) => Math.abs(e.residual));
    expect(largest).toEqual([...largest].sort((a, b) => b - a));
    expect(evaluation.errors.ranges).toHaveLength(5);
    expect(() => parsePreferenceModel({ ...model, ridge: null })).toThrow(/a ridge preference model must carry Ridge weights/);
    expect(() => parsePreferenceModel({ ...model, format: 'x' })).toThrow(/not a Framelab preference model.*format/);
  }, 60_000);

  it('multi-output shares one set of rows (every sub-score given) and one selection (by overall)', () => {
    const data = preferenceData(syntheticPreferences(200, 6).records);
    const ev = evaluatePreferenceModel(data, { kind: 'ridge', top: 10 }, { subScores: 'multi-output' });
    const complete = Array.from(data.overall, (_, i) => i).filter((i) =>
      ['hook', 'pacing', 'payoff'].every((k) => Number.isFinite(data.subScores[k as 'hook'][i])),
    );
    expect(ev.subScores.map((s) => s.ratings)).toEqual([complete.length, complete.length, complete.length]);
    // The shared selection: a hook model fitted on those rows selecting by overall.
    const hook01 = data.subScores.hook.map((v) => v / 10);
    const shared = fitModelOnRows(data.table, hook01, complete, resolveModelOptions({ top: 10 }), {
      selectBy: data.overall.map((v) => v / 10),
    });
    const byOverall = fitModelOnRows(
      data.table,
      data.overall.map((v) => v / 10),
      complete,
      resolveModelOptions({ top: 10 }),
    );
    expect(shared.selected.map((s) => s.feature)).toEqual(byOverall.selected.map((s) => s.feature));
  });

  it('refuses too few ratings and bad options with clear messages', () => {
    const data = preferenceData(syntheticPreferences(8, 1).records);
    expect(() => evaluatePreferenceModel(data)).toThrow(/needs at least 10 rated analyses; there are 8/);
    expect(() => resolveModelOptions({ top: 0 })).toThrow(/model option top/);
    expect(() => resolveModelOptions({ prune: 2 })).toThrow(/model option prune/);
    const noise = preferenceData(syntheticPreferences(30, 2, { signal: 0 }).records);
    expect(() => fitPreferenceModel(noise, { prune: 0.99 })).toThrow(/no feature has \|r\| ≥ 0.99/);
  });
});

describe('feature selection happens inside every training fold', () => {
  it('with many pure-noise features and few ratings, in-fold selection is not optimistic while selecting on every row is', () => {
    const rnd = mulberry32(77);
    const n = 60;
    const p = 1500;
    const records: PreferenceRecord[] = Array.from({ length: n }, (_, i) => {
      const noise: Record<string, number> = {};
      for (let j = 0; j < p; j++) noise[`f${j}`] = rnd();
      return { videoId: `v${i}`, analysis: { noise }, overall: Math.round(20 * rnd()) / 2 };
    });
    const data = preferenceData(records);
    const y = data.overall.map((v) => v / 10);
    const folds = kFold(n, 5);
    const foldMae = (pred: Float64Array, test: number[]) => test.reduce((a, r, i) => a + Math.abs(pred[i]! - y[r]!), 0) / test.length;
    // Baseline: the training fold's mean rating.
    const baseline = folds.map((f) => {
      const m = f.train.reduce((a, r) => a + y[r]!, 0) / f.train.length;
      return foldMae(new Float64Array(f.test.length).fill(m), f.test);
    });
    const honest = evaluatePreferenceModel(data, { kind: 'ridge', top: 50 }).overall.cv.folds.map((f) => f.mae);
    // The spec's way: select the top 50 on every row, then cross-validate Ridge on them.
    const all = Array.from({ length: n }, (_, i) => i);
    const pipeline = fitFeaturePipeline(data.table, all);
    const sel = selectByCorrelation(transformTable(pipeline, data.table), y, { top: 50, prune: null });
    const leaky = folds.map((f) => {
      const train = transformTable(pipeline, data.table, f.train, sel.columns);
      const fit = fitRidge(
        train,
        Float64Array.from(f.train, (r) => y[r]!),
        1,
      );
      return foldMae(predictRidge(fit, transformTable(pipeline, data.table, f.test, sel.columns)), f.test);
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `noise ratings, 1500 noise features: baseline CV MAE ${mean(baseline).toFixed(4)}, in-fold selection ${mean(honest).toFixed(4)}, selection on all rows ${mean(leaky).toFixed(4)}`,
    );
    expect(mean(honest)).toBeGreaterThan(0.95 * mean(baseline));
    expect(mean(leaky)).toBeLessThan(0.75 * mean(baseline));
  }, 60_000);
});

it('the model format rejects a Ridge with weights that do not match its features', () => {
  const data = preferenceData(syntheticPreferences(40, 3).records);
  const model = fitPreferenceModel(data, { top: 5 });
  expect(PreferenceModel.safeParse(model).success).toBe(true);
  expect(() => parsePreferenceModel({ ...model, ridge: { ...model.ridge!, coef: [1] } })).toThrow(/do not match the 5 selected features/);
  expect(() =>
    parsePreferenceModel({
      ...model,
      selected: [...model.selected, { feature: 'nope', r: 0.5 }],
      ridge: { ...model.ridge!, coef: [...model.ridge!.coef, 0], means: [...model.ridge!.means, 0] },
    }),
  ).toThrow(/no feature "nope"/);
});
