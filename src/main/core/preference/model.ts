import { FramelabError } from '../../../shared/errors';
import { ModelOptions, PREFERENCE_MODEL_FORMAT, PreferenceModel, type PreferenceTarget } from '../../../shared/preferenceModel';
import { fitRidge } from '../suite/models/ridge';
import type { FlatTable } from './flatten';
import { disposeForest, fitForest, forestContributions, predictForest } from './forest';
import { columnsOf, fitFeaturePipeline, transformTable, type Matrix } from './normalize';
import { selectByCorrelation } from './select';

/**
 * One preference model fitted on some rows: the feature pipeline (types, coverage, min-max,
 * fill), the selection (top K by |r|, optional pruning) and the weights are all decided on
 * those rows only, so a CV fold or the hold-out never sees its test rows. Targets are on the
 * 0–1 scale (rating / 10), as the spec trains. Ridge is suite/models/ridge.ts's solver (sklearn's
 * Ridge: centred, unpenalized intercept, Cholesky); the forest is XGBoost (forest.ts).
 */
export const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  kind: 'ridge',
  top: 50,
  prune: null,
  alpha: 1,
  coverageThreshold: 0.5,
  maxLevels: 20,
  trees: 100,
  seed: 42,
};

/** Defaults filled in and every option checked (INVALID_INPUT naming the bad one). */
export function resolveModelOptions(options: Partial<ModelOptions> = {}): ModelOptions {
  const merged = { ...DEFAULT_MODEL_OPTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const parsed = ModelOptions.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FramelabError(
      'INVALID_INPUT',
      `model option ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify((merged as Record<string, unknown>)[String(issue.path[0])])}).`,
    );
  }
  return parsed.data;
}

export interface FitOptions {
  /** Which rating the targets are (stored in the model). */
  target?: PreferenceTarget;
  /** Select features by their r with these (0–1, aligned with the table) instead of the target: multi-output's shared selection. */
  selectBy?: ArrayLike<number>;
  /** Compute the forest's TreeSHAP base value (one row of TreeSHAP; the final model does, CV folds need not). */
  forestBase?: boolean;
  threads?: number;
}

function pick(values: ArrayLike<number>, rows: readonly number[]): Float64Array {
  return Float64Array.from(rows, (r) => values[r]!);
}

function columnMeans(x: Matrix): Float64Array {
  const m = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) m[j]! += x.data[i * x.cols + j]!;
  for (let j = 0; j < x.cols; j++) m[j]! /= x.rows;
  return m;
}

function subColumns(x: Matrix, columns: readonly number[]): Matrix {
  const p = columns.length;
  const data = new Float64Array(x.rows * p);
  for (let i = 0; i < x.rows; i++) for (let k = 0; k < p; k++) data[i * p + k] = x.data[i * x.cols + columns[k]!]!;
  return { rows: x.rows, cols: p, data };
}

/**
 * Fits a model on `rows` of the table. `y` holds every row's target on the 0–1 scale (the rows
 * used must be finite).
 */
export function fitModelOnRows(
  table: FlatTable,
  y: ArrayLike<number>,
  rows: readonly number[],
  options: ModelOptions,
  fit: FitOptions = {},
): PreferenceModel {
  if (rows.length < 3)
    throw new FramelabError('INVALID_INPUT', `a preference model needs at least 3 rated analyses to train on; got ${rows.length}.`);
  const yRows = pick(y, rows);
  yRows.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new FramelabError('INVALID_INPUT', `training row ${rows[i]! + 1} has no rating (${v}).`);
  });
  const pipeline = fitFeaturePipeline(table, rows, options);
  const all = transformTable(pipeline, table, rows);
  const selection = selectByCorrelation(all, fit.selectBy ? pick(fit.selectBy, rows) : yRows, options);
  const x = subColumns(all, selection.columns);
  const base = {
    format: PREFERENCE_MODEL_FORMAT,
    kind: options.kind,
    target: fit.target ?? 'overall',
    options,
    pipeline,
    selected: selection.columns.map((c, k) => ({ feature: pipeline.features[c]!.name, r: selection.r[k]! })),
    trainingRows: rows.length,
    metrics: null,
  } as const;
  if (options.kind === 'ridge') {
    const means = columnMeans(x);
    const ridge = fitRidge(x, yRows, options.alpha, true);
    let baseValue = ridge.intercept;
    for (let j = 0; j < means.length; j++) baseValue += ridge.coef[j]! * means[j]!;
    return {
      ...base,
      ridge: { alpha: ridge.alpha, intercept: ridge.intercept, coef: [...ridge.coef], means: [...means] },
      forest: null,
      baseValue,
    };
  }
  const forest = fitForest(x, yRows, { trees: options.trees, seed: options.seed, threads: fit.threads });
  let baseValue = yRows.reduce((a, v) => a + v, 0) / yRows.length;
  if (fit.forestBase) {
    const one = forestContributions(forest, { rows: 1, cols: x.cols, data: x.data.subarray(0, x.cols) });
    baseValue = one[x.cols]!;
  }
  return { ...base, ridge: null, forest, baseValue };
}

/** The matrix a model reads: its selected columns for these rows (all rows when omitted). */
export function modelMatrix(model: PreferenceModel, table: FlatTable, rows?: readonly number[]): Matrix {
  return transformTable(
    model.pipeline,
    table,
    rows,
    columnsOf(
      model.pipeline,
      model.selected.map((s) => s.feature),
    ),
  );
}

/** Predictions on the 0–1 scale. */
export function predictModel(model: PreferenceModel, table: FlatTable, rows?: readonly number[]): Float64Array {
  return predictMatrix(model, modelMatrix(model, table, rows));
}

export function predictMatrix(model: PreferenceModel, x: Matrix): Float64Array {
  if (model.ridge) {
    const { coef, intercept } = model.ridge;
    const out = new Float64Array(x.rows);
    for (let i = 0; i < x.rows; i++) {
      let s = intercept;
      for (let j = 0; j < x.cols; j++) s += coef[j]! * x.data[i * x.cols + j]!;
      out[i] = s;
    }
    return out;
  }
  if (model.forest) return predictForest(model.forest, x);
  throw new FramelabError('INVALID_INPUT', 'the preference model has neither Ridge weights nor a forest.');
}

export interface Contributions {
  /** rows × selected features, 0–1 scale. */
  values: Float64Array;
  /** Per row: the expected prediction; base + Σ values = the prediction. */
  base: Float64Array;
}

/**
 * Each selected feature's share of each prediction: Ridge, coef·(x − the training mean), so
 * that the base is the mean training prediction (= mean training target) and a feature at its
 * average contributes 0 — the linear model's SHAP values; the forest, TreeSHAP.
 */
export function contributionsOf(model: PreferenceModel, x: Matrix): Contributions {
  const p = x.cols;
  const values = new Float64Array(x.rows * p);
  const base = new Float64Array(x.rows);
  if (model.ridge) {
    const { coef, means } = model.ridge;
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < p; j++) values[i * p + j] = coef[j]! * (x.data[i * p + j]! - means[j]!);
      base[i] = model.baseValue;
    }
    return { values, base };
  }
  if (!model.forest) throw new FramelabError('INVALID_INPUT', 'the preference model has neither Ridge weights nor a forest.');
  const shap = forestContributions(model.forest, x);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < p; j++) values[i * p + j] = shap[i * (p + 1) + j]!;
    base[i] = shap[i * (p + 1) + p]!;
  }
  return { values, base };
}

/** Frees a forest's native booster now (Ridge: nothing to free). */
export function disposeModel(model: PreferenceModel): void {
  if (model.forest) disposeForest(model.forest);
}

/** A stored model read back: checked against the format (INVALID_INPUT saying what is wrong). */
export function parsePreferenceModel(json: unknown): PreferenceModel {
  const parsed = PreferenceModel.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FramelabError(
      'INVALID_INPUT',
      `not a Framelab preference model (${PREFERENCE_MODEL_FORMAT}): ${issue.path.join('.') || 'the model'}: ${issue.message}.`,
    );
  }
  const m = parsed.data;
  if ((m.kind === 'ridge') !== (m.ridge !== null) || (m.kind === 'random_forest') !== (m.forest !== null)) {
    throw new FramelabError(
      'INVALID_INPUT',
      `a ${m.kind} preference model must carry ${m.kind === 'ridge' ? 'Ridge weights' : 'a forest'} and nothing else.`,
    );
  }
  if (m.ridge && (m.ridge.coef.length !== m.selected.length || m.ridge.means.length !== m.selected.length)) {
    throw new FramelabError(
      'INVALID_INPUT',
      `the Ridge weights (${m.ridge.coef.length}) do not match the ${m.selected.length} selected features.`,
    );
  }
  columnsOf(
    m.pipeline,
    m.selected.map((s) => s.feature),
  );
  return m;
}
