/**
 * Independent oracles from Debian's Python, all computed in one Python run (each start-up
 * costs seconds): scikit-learn's compute_class_weight, accuracy_score, f1_score,
 * precision_recall_fscore_support and confusion_matrix; numpy's percentile; scipy's binomtest.
 * `.ci/run` installs python3-sklearn and python3-scipy; where one is missing only its checks
 * are skipped, with the reason in the test name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { drawResampleIndices, pairedBootstrapWithIndices, percentileInterval } from '../../src/main/core/finetune/bootstrap';
import { classWeights } from '../../src/main/core/finetune/classWeights';
import { compareModels } from '../../src/main/core/finetune/comparison';
import { mcnemarExact } from '../../src/main/core/finetune/mcnemar';
import { classificationMetrics } from '../../src/main/core/finetune/metrics';
import { mulberry32 } from '../../src/main/core/random';
import { HAVE_SCIPY, HAVE_SKLEARN, missing, python, randomCase, randomLabels } from './oracle';

const TOL = 1e-12;
const classNames = (c: number) => Array.from({ length: c }, (_, k) => `class ${k}`);

// --- the cases -----------------------------------------------------------------------------

const weightCases = Array.from({ length: 200 }, (_, seed) => {
  const random = mulberry32(seed);
  const classCount = 1 + Math.floor(random() * 6);
  return { classCount, labels: randomLabels(random, 1 + Math.floor(random() * 50), classCount, random() * 0.7) };
});

const metricCases = [
  ...Array.from({ length: 200 }, (_, seed) => randomCase(10_000 + seed)),
  { classCount: 4, yTrue: [0, 1, 2, 3, 2, 1], yPred: [0, 0, 0, 0, 0, 0] }, // all the same prediction
  { classCount: 3, yTrue: [0, 1, 2, 2, 1], yPred: [0, 1, 1, 1, 0] }, // class 2 never predicted
  { classCount: 4, yTrue: [0, 1, 1, 0, 2], yPred: [0, 1, 3, 0, 2] }, // class 3 predicted, never true
  { classCount: 4, yTrue: [0, 1, 1, 0], yPred: [0, 1, 1, 0] }, // perfect, classes 2 and 3 unused
  { classCount: 3, yTrue: [2], yPred: [2] }, // n = 1, right
  { classCount: 3, yTrue: [2], yPred: [0] }, // n = 1, wrong
  { classCount: 1, yTrue: [0, 0, 0], yPred: [0, 0, 0] }, // a single class
];

const mcnemarPairs: [number, number][] = [];
for (let b = 0; b <= 30; b++) for (let c = 0; b + c <= 30; c++) if (b + c > 0) mcnemarPairs.push([b, c]);
mcnemarPairs.push(
  [0, 1000],
  [1000, 0],
  [1, 999],
  [10, 990],
  [123, 877],
  [300, 700],
  [400, 600],
  [480, 520],
  [499, 501],
  [500, 500],
  [0, 200],
  [7, 1200],
);

const bootstrapCases = [0, 1, 2].map((k) => {
  const random = mulberry32(500 + k);
  const classCount = 3 + k;
  const n = 30 + 10 * k;
  const trueLabels = randomLabels(random, n, classCount, 0.3);
  const noisy = (accuracy: number) => trueLabels.map((t) => (random() < accuracy ? t : Math.floor(random() * classCount)));
  const indices = drawResampleIndices(n, 120, 77 + k);
  return {
    classCount,
    trueLabels,
    v7: noisy(0.4),
    v8: noisy(0.55),
    indices: indices.map((row) => Array.from(row)),
    percentiles: k === 2 ? [5, 95] : [2.5, 97.5],
  };
});

// The comparison as a whole: 40 held-out frames, given out of frameId order.
const comparisonInput = (() => {
  const random = mulberry32(31);
  const trueLabels = randomLabels(random, 40, 4, 0.2);
  return trueLabels.map((t, i) => ({
    frameId: `frame_${String((i * 17) % 40).padStart(2, '0')}`,
    videoId: `video_${i % 7}`,
    trueLabel: t,
    v7Pred: random() < 0.35 ? t : 0,
    v8Pred: random() < 0.5 ? t : Math.floor(random() * 4),
  }));
})();
const comparison = compareModels({ predictions: comparisonInput, classes: classNames(4), seed: 2024, resamples: 200 });

// --- one Python run --------------------------------------------------------------------------

const ORACLE_PY = String.raw`
import json, sys, warnings
warnings.simplefilter('ignore')
data = json.load(open(sys.argv[1]))
out = {}
try:
    import numpy as np
    from sklearn.utils.class_weight import compute_class_weight
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
except ImportError:
    np = None
if np is not None:
    weights = []
    for c in data['weights']:
        y = np.array(c['labels']); present = np.unique(y)
        full = [None] * c['classCount']
        for k, v in zip(present.tolist(), compute_class_weight('balanced', classes=present, y=y).tolist()):
            full[k] = v
        weights.append(full)
    out['weights'] = weights

    def metrics(t, p, C):
        labels = list(range(C))
        pr, rc, f, s = precision_recall_fscore_support(t, p, labels=labels, zero_division=0, average=None)
        return {'accuracy': float(accuracy_score(t, p)),
                'macroF1': float(f1_score(t, p, labels=labels, average='macro', zero_division=0)),
                # scikit-learn's default labels=None: the classes present in y_true ∪ y_pred (the lab's numbers).
                'macroF1Present': float(f1_score(t, p, average='macro', zero_division=0)),
                'precision': pr.tolist(), 'recall': rc.tolist(), 'f1': f.tolist(), 'support': s.tolist(),
                'confusion': confusion_matrix(t, p, labels=labels).tolist()}
    out['metrics'] = [metrics(c['yTrue'], c['yPred'], c['classCount']) for c in data['metrics']]

    def deltas(t, a, b, C, indices):
        t, a, b = np.array(t), np.array(a), np.array(b)
        labels = list(range(C))
        acc, f1 = [], []
        for idx in indices:
            idx = np.array(idx)
            acc.append(accuracy_score(t[idx], b[idx]) - accuracy_score(t[idx], a[idx]))
            f1.append(f1_score(t[idx], b[idx], labels=labels, average='macro', zero_division=0)
                      - f1_score(t[idx], a[idx], labels=labels, average='macro', zero_division=0))
        return acc, f1
    boots = []
    for c in data['bootstrap']:
        acc, f1 = deltas(c['trueLabels'], c['v7'], c['v8'], c['classCount'], c['indices'])
        boots.append({'accuracy': acc, 'macroF1': f1,
                      'intervalAccuracy': np.percentile(acc, c['percentiles']).tolist(),
                      'intervalMacroF1': np.percentile(f1, c['percentiles']).tolist()})
    out['bootstrap'] = boots

    c = data['comparison']
    acc, f1 = deltas(c['trueLabels'], c['v7'], c['v8'], c['classCount'], c['indices'])
    out['comparison'] = {'v7': metrics(c['trueLabels'], c['v7'], c['classCount']), 'v8': metrics(c['trueLabels'], c['v8'], c['classCount']),
                         'intervalAccuracy': np.percentile(acc, [2.5, 97.5]).tolist(), 'intervalMacroF1': np.percentile(f1, [2.5, 97.5]).tolist()}
try:
    from scipy.stats import binomtest
    out['mcnemar'] = [binomtest(min(b, c), b + c, 0.5).pvalue for b, c in data['mcnemar']]
except ImportError:
    pass
print(json.dumps(out))`;

interface PyMetrics {
  accuracy: number;
  macroF1: number;
  macroF1Present: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  confusion: number[][];
}
interface PyBootstrap {
  accuracy: number[];
  macroF1: number[];
  intervalAccuracy: [number, number];
  intervalMacroF1: [number, number];
}
interface Oracle {
  weights?: (number | null)[][];
  metrics?: PyMetrics[];
  bootstrap?: PyBootstrap[];
  comparison?: { v7: PyMetrics; v8: PyMetrics; intervalAccuracy: [number, number]; intervalMacroF1: [number, number] };
  mcnemar?: number[];
}

function expectClose(actual: number, expected: number, what: string, tol = TOL) {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

function expectMetrics(
  ours: Omit<ReturnType<typeof classificationMetrics>, 'macroF1Present'> & { macroF1Present?: number },
  e: PyMetrics,
  what: string,
) {
  expectClose(ours.accuracy, e.accuracy, `${what} accuracy`);
  expectClose(ours.macroF1, e.macroF1, `${what} macro-F1`);
  expect(ours.macroF1Present, `${what} macro-F1 over present classes`).toBeDefined();
  expectClose(ours.macroF1Present!, e.macroF1Present, `${what} macro-F1 over present classes`);
  ours.perClass.forEach((s, k) => {
    expectClose(s.precision, e.precision[k]!, `${what} precision[${k}]`);
    expectClose(s.recall, e.recall[k]!, `${what} recall[${k}]`);
    expectClose(s.f1, e.f1[k]!, `${what} f1[${k}]`);
    expect(s.support, `${what} support[${k}]`).toBe(e.support[k]);
  });
  expect(ours.confusion, `${what} confusion`).toEqual(e.confusion);
}

describe.skipIf(!HAVE_SKLEARN && !HAVE_SCIPY)('Python oracles (one run of /usr/bin/python3)', () => {
  let oracle: Oracle;

  beforeAll(() => {
    const sorted = comparison.predictions;
    oracle = python<Oracle>(ORACLE_PY, {
      weights: weightCases,
      metrics: metricCases,
      bootstrap: bootstrapCases,
      comparison: {
        classCount: 4,
        trueLabels: sorted.map((p) => p.trueLabel),
        v7: sorted.map((p) => p.v7Pred),
        v8: sorted.map((p) => p.v8Pred),
        indices: drawResampleIndices(sorted.length, 200, 2024).map((row) => Array.from(row)),
      },
      mcnemar: mcnemarPairs,
    });
  }, 60_000);

  it.skipIf(!HAVE_SKLEARN)(
    `class weights equal sklearn's compute_class_weight('balanced') on the present classes, 200 random folds ${HAVE_SKLEARN ? '' : missing('sklearn', 'python3-sklearn')}`,
    () => {
      let absent = 0;
      weightCases.forEach((c, i) => {
        classWeights(c.labels, c.classCount).forEach((w, k) => {
          const e = oracle.weights![i]![k];
          if (e === null || e === undefined) {
            expect(w, `case ${i}, absent class ${k}`).toBe(0);
            absent++;
          } else expectClose(w, e, `case ${i}, class ${k}`);
        });
      });
      expect(absent).toBeGreaterThan(10);
    },
  );

  it.skipIf(!HAVE_SKLEARN)(
    `metrics equal sklearn (labels=range(C), zero_division=0) on ${metricCases.length} cases to 1e-12 ${HAVE_SKLEARN ? '' : missing('sklearn', 'python3-sklearn')}`,
    () => {
      metricCases.forEach((c, i) =>
        expectMetrics(classificationMetrics(c.yTrue, c.yPred, classNames(c.classCount)), oracle.metrics![i]!, `case ${i}`),
      );
      // The random cases did reach the edge cases: unused classes, never-predicted classes, n = 1.
      expect(metricCases.some((c) => c.yTrue.length === 1)).toBe(true);
      const neverPredicted = metricCases.filter((c) => c.yTrue.some((t) => !c.yPred.includes(t)));
      const absentFromTruth = metricCases.filter((c) => new Set(c.yTrue).size < c.classCount);
      expect(neverPredicted.length).toBeGreaterThan(10);
      expect(absentFromTruth.length).toBeGreaterThan(10);
    },
  );

  it.skipIf(!HAVE_SKLEARN)(
    `paired bootstrap deltas and intervals equal numpy + sklearn on the same resamples ${HAVE_SKLEARN ? '' : missing('sklearn', 'python3-sklearn')}`,
    () => {
      bootstrapCases.forEach((c, i) => {
        const confidence = (c.percentiles[1]! - c.percentiles[0]!) / 100;
        const ours = pairedBootstrapWithIndices(c, c.indices, confidence);
        const e = oracle.bootstrap![i]!;
        ours.deltas.accuracy.forEach((d, r) => expectClose(d, e.accuracy[r]!, `case ${i} resample ${r} accuracy`));
        ours.deltas.macroF1.forEach((d, r) => expectClose(d, e.macroF1[r]!, `case ${i} resample ${r} macro-F1`));
        expectClose(ours.intervals.accuracy[0], e.intervalAccuracy[0], `case ${i} accuracy low`);
        expectClose(ours.intervals.accuracy[1], e.intervalAccuracy[1], `case ${i} accuracy high`);
        expectClose(ours.intervals.macroF1[0], e.intervalMacroF1[0], `case ${i} macro-F1 low`);
        expectClose(ours.intervals.macroF1[1], e.intervalMacroF1[1], `case ${i} macro-F1 high`);
        expect(percentileInterval(e.macroF1, confidence)).toEqual(ours.intervals.macroF1);
      });
    },
  );

  it.skipIf(!HAVE_SKLEARN)(
    `compareModels' metrics and intervals equal sklearn + numpy ${HAVE_SKLEARN ? '' : missing('sklearn', 'python3-sklearn')}`,
    () => {
      const e = oracle.comparison!;
      expectMetrics(comparison.metrics.v7, e.v7, 'v7');
      expectMetrics(comparison.metrics.v8, e.v8, 'v8');
      expectClose(comparison.intervals.accuracy[0], e.intervalAccuracy[0], 'accuracy low');
      expectClose(comparison.intervals.accuracy[1], e.intervalAccuracy[1], 'accuracy high');
      expectClose(comparison.intervals.macroF1[0], e.intervalMacroF1[0], 'macro-F1 low');
      expectClose(comparison.intervals.macroF1[1], e.intervalMacroF1[1], 'macro-F1 high');
    },
  );

  it.skipIf(!HAVE_SCIPY)(
    `McNemar's exact p equals scipy.stats.binomtest for ${mcnemarPairs.length} (b, c), n up to 1207 ${HAVE_SCIPY ? '' : missing('scipy.stats', 'python3-scipy')}`,
    () => {
      mcnemarPairs.forEach(([b, c], i) => {
        const ours = mcnemarExact(b, c).p;
        const e = oracle.mcnemar![i]!;
        expectClose(ours, e, `b = ${b}, c = ${c}`);
        // Relative agreement too, where p is tiny (2^-1000 and the like).
        if (e > 0) expect(Math.abs(ours - e) / e, `b = ${b}, c = ${c} relative`).toBeLessThan(1e-9);
      });
      expect(mcnemarExact(0, 0).p).toBe(1);
    },
  );
});
