import { FramelabError } from '../../../shared/errors';
import {
  SUB_SCORE_TARGETS,
  type CvResult,
  type ErrorAnalysis,
  type ErrorCase,
  type MaeStatus,
  type MetricSet,
  type ModelMetrics,
  type ModelOptions,
  type PreferenceEvaluation,
  type PreferenceModel,
  type PreferenceTarget,
  type R2Status,
  type RangeGroup,
  type SubScoreMode,
  type TargetEvaluation,
} from '../../../shared/preferenceModel';
import { studentTSf } from '../analysis/distributions';
import { mae, r2, rmse } from '../suite/models/metrics';
import { kFold } from '../suite/data/splits';
import { correlateColumns } from './correlate';
import { quantileSorted } from './drift';
import { flattenAnalyses, type FlatTable } from './flatten';
import { contributionsOf, disposeModel, fitModelOnRows, modelMatrix, predictModel, resolveModelOptions } from './model';
import { fitFeaturePipeline, rawFeatureValue, transformTable } from './normalize';
import { trainTestSplit } from './numpySplit';

/**
 * Evaluation of a preference model as the spec's §5.2/§6 does it, with the whole pipeline
 * refitted inside every split (issue 19): the 80/20 hold-out of `train_test_split(test_size
 * =0.2, random_state=42)` (numpySplit.ts reproduces numpy's permutation, so the rows are the
 * lab script's) and `cross_val_score(cv=5)`'s folds — sklearn's KFold(5) without shuffling,
 * over the ratings in the order given (the spec orders them by rated_at). Metrics on the 0–1
 * scale (rating / 10), where the spec's thresholds apply; fold sd with ddof 0 (numpy's std,
 * as `cv_scores.std()`). Error analysis uses the CV's out-of-fold predictions, so no residual
 * comes from a model that saw its row.
 */
export interface PreferenceRecord {
  videoId: string;
  /** The nested analysis (the import's `analysis` object). */
  analysis: unknown;
  /** 0–10. */
  overall: number;
  hook?: number | null;
  pacing?: number | null;
  payoff?: number | null;
}

export interface PreferenceData {
  videoIds: string[];
  table: FlatTable;
  /** 0–10, one per row. */
  overall: Float64Array;
  /** 0–10, NaN where the rating has no such sub-score. */
  subScores: Record<(typeof SUB_SCORE_TARGETS)[number], Float64Array>;
}

function checkScore(v: unknown, what: string, nullable: boolean): number {
  if ((v === null || v === undefined) && nullable) return NaN;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 10) {
    throw new FramelabError(
      'INVALID_INPUT',
      `${what} is ${typeof v === 'number' ? String(v) : JSON.stringify(v)}; a rating is a number from 0 to 10${nullable ? ' (or empty)' : ''}.`,
    );
  }
  return v;
}

/** Flattens the analyses (one table, flags filled) and checks the ratings; rows keep the records' order. */
export function preferenceData(records: readonly PreferenceRecord[]): PreferenceData {
  const table = flattenAnalyses(records.map((r) => r.analysis));
  const overall = Float64Array.from(records, (r) => checkScore(r.overall, `the overall rating of ${r.videoId}`, false));
  const sub = (k: (typeof SUB_SCORE_TARGETS)[number]) =>
    Float64Array.from(records, (r) => checkScore(r[k], `the ${k} rating of ${r.videoId}`, true));
  return {
    videoIds: records.map((r) => r.videoId),
    table,
    overall,
    subScores: { hook: sub('hook'), pacing: sub('pacing'), payoff: sub('payoff') },
  };
}

export function maeStatus(value: number): MaeStatus {
  return value < 0.15 ? 'ready' : value <= 0.2 ? 'acceptable' : 'needs more data';
}

export function r2Status(value: number): R2Status {
  return value > 0.6 ? 'good' : value >= 0.4 ? 'moderate' : 'low';
}

function metricSet(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): MetricSet {
  return { n: yTrue.length, mae: mae(yTrue, yPred), rmse: rmse(yTrue, yPred), r2: r2(yTrue, yPred) };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** numpy's std: ddof 0. */
const sd0 = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

export interface EvaluateOptions {
  folds?: number;
  testSize?: number;
  splitSeed?: number;
  subScores?: SubScoreMode;
  /** How many of the largest out-of-fold residuals to explain (default 10). */
  errorCases?: number;
  /** How many of the strongest features' ranges to check for bias (default 5). */
  rangeFeatures?: number;
  threads?: number;
  /** Called between fits: a job reports progress and stops on cancel. */
  progress?: (fraction: number, stage: string) => void;
  throwIfCancelled?: () => void;
}

/** Fewest ratings a target is evaluated on (a 5-fold CV with ≥ 3 training rows a fold and a hold-out of ≥ 2). */
export const MIN_EVALUATION_RATINGS = 10;

interface TargetRun {
  evaluation: TargetEvaluation;
  rows: number[];
  /** Out-of-fold prediction per position in `rows` (0–1). */
  oof: Float64Array;
  foldOf: Int32Array;
  foldModels: PreferenceModel[];
}

interface Ticker {
  step(stage: string): void;
}

function evaluateTarget(
  data: PreferenceData,
  target: PreferenceTarget,
  y: Float64Array,
  rows: number[],
  options: ModelOptions,
  ev: EvaluateOptions,
  tick: Ticker,
  selectBy?: Float64Array,
): TargetRun {
  const k = ev.folds ?? 5;
  const n = rows.length;
  if (n < Math.max(MIN_EVALUATION_RATINGS, 2 * k)) {
    throw new FramelabError(
      'INVALID_INPUT',
      `evaluating the ${target} model needs at least ${Math.max(MIN_EVALUATION_RATINGS, 2 * k)} rated analyses; there are ${n}.`,
    );
  }
  const fit = (trainRows: number[]) => fitModelOnRows(data.table, y, trainRows, options, { target, selectBy, threads: ev.threads });
  const at = (positions: readonly number[]) => positions.map((i) => rows[i]!);

  const split = trainTestSplit(n, ev.testSize ?? 0.2, ev.splitSeed ?? 42);
  tick.step(`${target}: hold-out`);
  const holdModel = fit(at(split.train));
  const holdPred = predictModel(holdModel, data.table, at(split.test));
  disposeModel(holdModel);
  const holdout = {
    ...metricSet(
      at(split.test).map((r) => y[r]!),
      holdPred,
    ),
    trainRows: split.train.length,
  };

  const oof = new Float64Array(n);
  const foldOf = new Int32Array(n);
  const folds: MetricSet[] = [];
  const foldModels: PreferenceModel[] = [];
  kFold(n, k).forEach((fold, f) => {
    tick.step(`${target}: fold ${f + 1}/${k}`);
    const model = fit(at(fold.train));
    const pred = predictModel(model, data.table, at(fold.test));
    fold.test.forEach((pos, i) => {
      oof[pos] = pred[i]!;
      foldOf[pos] = f;
    });
    folds.push(
      metricSet(
        at(fold.test).map((r) => y[r]!),
        pred,
      ),
    );
    foldModels.push(model);
  });
  const truth = at(rows.map((_, i) => i)).map((r) => y[r]!);
  const cv: CvResult = {
    folds,
    maeMean: mean(folds.map((f) => f.mae)),
    maeSd: sd0(folds.map((f) => f.mae)),
    rmseMean: mean(folds.map((f) => f.rmse)),
    r2Mean: mean(folds.map((f) => f.r2)),
    pooled: metricSet(truth, oof),
    selectedPerFold: foldModels.map((m) => m.selected.length),
  };
  const metrics: ModelMetrics = {
    mae: holdout.mae,
    rmse: holdout.rmse,
    r2: holdout.r2,
    cv_mae: cv.maeMean,
    cv_mae_std: cv.maeSd,
    cv_rmse: cv.rmseMean,
    cv_r2: cv.r2Mean,
    status: { mae: maeStatus(holdout.mae), cv_mae: maeStatus(cv.maeMean), r2: r2Status(holdout.r2), cv_r2: r2Status(cv.r2Mean) },
  };
  return { evaluation: { target, ratings: n, holdout, cv, metrics }, rows, oof, foldOf, foldModels };
}

/** Two-sided one-sample t-test of mean = 0 (null under 2 values or without spread). */
function tTestZero(xs: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const m = mean(xs);
  const s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  if (!(s > 0)) return null;
  return Math.min(1, 2 * studentTSf(Math.abs(m / (s / Math.sqrt(n))), n - 1));
}

const fmt = (v: number) => String(Number(v.toPrecision(4)));

function rangeGroups(values: (number | null)[], residuals: readonly number[], kind: string): RangeGroup[] {
  const groups: { label: string; lower: number | null; upper: number | null; members: number[] }[] = [];
  const present = values.flatMap((v, i) => (v === null ? [] : [i]));
  const distinct = [...new Set(present.map((i) => values[i]!))].sort((a, b) => a - b);
  if (distinct.length <= 4 || kind === 'categorical') {
    for (const d of distinct) groups.push({ label: `= ${fmt(d)}`, lower: d, upper: d, members: present.filter((i) => values[i] === d) });
  } else {
    const sorted = present.map((i) => values[i]!).sort((a, b) => a - b);
    const cuts = [
      sorted[0]!,
      quantileSorted(sorted, 0.25),
      quantileSorted(sorted, 0.5),
      quantileSorted(sorted, 0.75),
      sorted[sorted.length - 1]!,
    ];
    for (let q = 0; q < 4; q++) {
      const lo = cuts[q]!;
      const hi = cuts[q + 1]!;
      const members = present.filter((i) => (q === 0 ? values[i]! >= lo : values[i]! > lo) && values[i]! <= hi);
      if (members.length) groups.push({ label: `Q${q + 1} ${q === 0 ? '[' : '('}${fmt(lo)}, ${fmt(hi)}]`, lower: lo, upper: hi, members });
    }
  }
  const missing = values.flatMap((v, i) => (v === null ? [i] : []));
  if (missing.length) groups.push({ label: 'missing', lower: null, upper: null, members: missing });
  return groups.map((g) => {
    const res = g.members.map((i) => residuals[i]!);
    const meanResidual = mean(res);
    const p = tTestZero(res);
    const verdict =
      p !== null && p < 0.05 ? (meanResidual > 0 ? ('overestimated' as const) : ('underestimated' as const)) : ('even' as const);
    return { label: g.label, lower: g.lower, upper: g.upper, n: res.length, meanResidual, p, verdict };
  });
}

function errorAnalysis(data: PreferenceData, run: TargetRun, ev: EvaluateOptions): ErrorAnalysis {
  const { rows, oof, foldOf, foldModels } = run;
  const y = data.overall;
  const residual = rows.map((r, i) => 10 * oof[i]! - y[r]!);
  const order = rows.map((_, i) => i).sort((a, b) => Math.abs(residual[b]!) - Math.abs(residual[a]!) || a - b);
  const chosen = order.slice(0, ev.errorCases ?? 10);
  const largest: ErrorCase[] = chosen.map((i) => {
    const model = foldModels[foldOf[i]!]!;
    const contrib = contributionsOf(model, modelMatrix(model, data.table, [rows[i]!]));
    const topFactors = model.selected
      .map((s, j) => ({ feature: s.feature, contribution: 10 * contrib.values[j]! }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, 5);
    return {
      videoId: data.videoIds[rows[i]!]!,
      fold: foldOf[i]!,
      actual: y[rows[i]!]!,
      predicted: 10 * oof[i]!,
      residual: residual[i]!,
      topFactors,
    };
  });
  // The features most correlated with overall over every rating, as the final model would rank them.
  const pipeline = fitFeaturePipeline(data.table, rows, foldModels[0]!.options);
  const x = transformTable(pipeline, data.table, rows);
  const corr = correlateColumns(
    x,
    pipeline.features.map((f) => f.name),
    pipeline.features.map((f) => f.coverage),
    rows.map((r) => y[r]!),
  );
  const strongest = corr
    .map((c, j) => ({ c, j }))
    .filter(({ c }) => c.r !== null)
    .sort((a, b) => Math.abs(b.c.r!) - Math.abs(a.c.r!) || a.j - b.j)
    .slice(0, ev.rangeFeatures ?? 5);
  const ranges = strongest.map(({ j }) => {
    const f = pipeline.features[j]!;
    return {
      feature: f.name,
      groups: rangeGroups(
        rows.map((r) => rawFeatureValue(f, data.table, r)),
        residual,
        f.kind,
      ),
    };
  });
  return { largest, ranges };
}

function ticker(ev: EvaluateOptions, total: number): Ticker {
  let done = 0;
  return {
    step(stage) {
      ev.throwIfCancelled?.();
      ev.progress?.(Math.min(1, done / total), stage);
      done++;
    },
  };
}

const finiteRows = (values: Float64Array, among?: readonly number[]) =>
  (among ?? Array.from(values, (_, i) => i)).filter((i) => Number.isFinite(values[i]!));
const scaled = (values: Float64Array) => values.map((v) => v / 10);

export function evaluatePreferenceModel(
  data: PreferenceData,
  options: Partial<ModelOptions> = {},
  ev: EvaluateOptions = {},
): PreferenceEvaluation {
  return evaluateInternal(data, resolveModelOptions(options), ev).evaluation;
}

function evaluateInternal(
  data: PreferenceData,
  options: ModelOptions,
  ev: EvaluateOptions,
  extraSteps = 0,
): { evaluation: PreferenceEvaluation; tick: Ticker } {
  const mode = ev.subScores ?? 'none';
  const k = ev.folds ?? 5;
  const overall01 = scaled(data.overall);
  const allRows = finiteRows(data.overall);
  const notes: string[] = [];
  const subTargets = mode === 'none' ? [] : SUB_SCORE_TARGETS;
  const tick = ticker(ev, (1 + subTargets.length) * (k + 1) + extraSteps);
  const run = evaluateTarget(data, 'overall', overall01, allRows, options, ev, tick);
  const subScores: TargetEvaluation[] = [];
  try {
    // multi-output: one set of rows (every sub-score given) and one selection (by overall) shared by every target.
    const shared =
      mode === 'multi-output' ? SUB_SCORE_TARGETS.reduce<number[]>((rows, t) => finiteRows(data.subScores[t], rows), allRows) : null;
    for (const t of subTargets) {
      const rows = shared ?? finiteRows(data.subScores[t], allRows);
      if (rows.length < Math.max(MIN_EVALUATION_RATINGS, 2 * k)) {
        notes.push(
          `${t}: not evaluated, ${rows.length} ratings ${shared ? 'with every sub-score' : `with a ${t} score`} (at least ${Math.max(MIN_EVALUATION_RATINGS, 2 * k)} needed).`,
        );
        continue;
      }
      const sub = evaluateTarget(data, t, scaled(data.subScores[t]), rows, options, ev, tick, shared ? overall01 : undefined);
      sub.foldModels.forEach(disposeModel);
      subScores.push(sub.evaluation);
    }
    const errors = errorAnalysis(data, run, ev);
    return { evaluation: { options, overall: run.evaluation, subScoreMode: mode, subScores, errors, notes }, tick };
  } finally {
    run.foldModels.forEach(disposeModel);
  }
}

/** The final model of one target, fitted on every rating that has it (normalization, selection and weights from all of them). */
export function fitPreferenceModel(
  data: PreferenceData,
  options: Partial<ModelOptions> = {},
  target: PreferenceTarget = 'overall',
  threads?: number,
): PreferenceModel {
  const y = target === 'overall' ? data.overall : data.subScores[target];
  const rows = finiteRows(y);
  return fitModelOnRows(data.table, scaled(y), rows, resolveModelOptions(options), { target, forestBase: true, threads });
}

/**
 * What `preference train` does: evaluate (hold-out, CV, sub-scores, errors), then fit the
 * final overall model on every rating and attach the evaluation's metrics (its R² gives the
 * scores' confidence).
 */
export function trainPreferenceModel(
  data: PreferenceData,
  options: Partial<ModelOptions> = {},
  ev: EvaluateOptions = {},
): { model: PreferenceModel; evaluation: PreferenceEvaluation } {
  const resolved = resolveModelOptions(options);
  const { evaluation, tick } = evaluateInternal(data, resolved, ev, 1);
  tick.step('final model on every rating');
  const model = fitPreferenceModel(data, resolved, 'overall', ev.threads);
  ev.progress?.(1, 'done');
  return { model: { ...model, metrics: evaluation.overall.metrics }, evaluation };
}
