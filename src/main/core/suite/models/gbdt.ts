import os from 'node:os';
import { loadXgboost, type XgbBooster } from '../../../../../native/index';
import { FramelabError } from '../../../../shared/errors';
import { appRoot } from '../../appRoot';
import { holdOutStopRows } from './earlyStopping';
import { fitPipeline, transform, type PipelineState } from './preprocess';
import type { FeatureSource } from '../data/suiteData';
import { fitProjection, memoProjector, PROJECTION_DIM, type ProjectionState } from './projection';

/**
 * The horizon suite's gradient boosting (docs/reference.md §5): XGBoost (C API through the addon) on
 * the preprocessed metadata (the one pipeline every model uses — trees need no scaling, but
 * sharing it keeps training and scoring identical) followed by a 128-d PCA projection of the
 * embedding fitted on the training rows (projection.ts). Recipe (the lab's spec §6.4): learning
 * rate 0.05, depth 6, up to 500 rounds, min_child_weight 20 (at least 20 rows per leaf under
 * squared error), L2 on the leaf weights 1e-4 (HistGradientBoosting's l2_regularization; XGBoost's
 * `lambda`, whose own default of 1 would shrink every leaf of a 20-row minimum noticeably), hist
 * trees, early stopping after 30 rounds without a better RMSE on 15% of the *training* rows
 * held out (seeded, the same rule as the concat MLP), so the run's val/test never steer
 * training. XGBoost 1.7 starts from base_score 0.5; we start from the mean training target
 * instead so early stopping measures real progress. The calls are synchronous (suite runs
 * happen in job processes); JavaScript drives the rounds.
 */
export interface GbdtOptions {
  seed: number;
  learningRate?: number;
  maxDepth?: number;
  rounds?: number;
  minChildWeight?: number;
  /** L2 on the leaf weights (XGBoost's lambda; default 1e-4, the spec's l2_regularization). */
  l2Regularization?: number;
  earlyStoppingRounds?: number;
  subsample?: number;
  colsampleBytree?: number;
  projectionDim?: number;
  threads?: number;
  /** Called before every round: a cancelled job stops within one round. */
  throwIfCancelled?: () => void;
}

export interface GbdtRound {
  round: number;
  trainRmse: number;
  valRmse: number;
}

export interface GbdtFit {
  pipeline: PipelineState;
  projection: ProjectionState | null;
  params: Record<string, string>;
  /** XGBoost's best_iteration (0-based); scoring uses rounds [0, bestIteration]. */
  bestIteration: number;
  /** Rounds trained before stopping. */
  roundsTrained: number;
  featureCount: number;
  curve: GbdtRound[];
  /** The whole booster as UBJSON (python's xgboost.Booster(model_file=…) loads it). */
  model: Uint8Array;
  predict(src: FeatureSource, rows: readonly number[]): Float64Array;
}

/** The feature matrix a booster sees: [pipeline(metadata) | projection(embedding)], float32. */
export interface GbdtFeatureMaker {
  (src: FeatureSource, rows: readonly number[]): { x: Float32Array; p: number };
}

export function gbdtFeatureMaker(pipeline: PipelineState, projection: ProjectionState | null): GbdtFeatureMaker {
  const project = projection ? memoProjector(projection, projection.inputDim) : null;
  return (src, rows) => {
    const meta = transform(pipeline, { ...src, embeddings: null, embeddingDim: 0 }, rows);
    const k = projection?.outputDim ?? 0;
    if (project && !src.embeddings)
      throw new FramelabError('INVALID_INPUT', 'this gbdt model was trained with embeddings; the rows to score have none.');
    const emb = project ? project(src.embeddings!, rows) : null;
    const p = meta.cols + k;
    const x = new Float32Array(rows.length * p);
    for (let i = 0; i < rows.length; i++) {
      for (let j = 0; j < meta.cols; j++) x[i * p + j] = meta.data[i * meta.cols + j]!;
      for (let j = 0; j < k; j++) x[i * p + meta.cols + j] = emb![i * k + j]!;
    }
    return { x, p };
  };
}

/** The recipe a fit uses: the options over the spec's defaults (recorded in config_used.json). */
export function gbdtRecipe(opts: Omit<GbdtOptions, 'seed' | 'throwIfCancelled'>) {
  return {
    learningRate: opts.learningRate ?? 0.05,
    maxDepth: opts.maxDepth ?? 6,
    rounds: opts.rounds ?? 500,
    minChildWeight: opts.minChildWeight ?? 20,
    l2Regularization: opts.l2Regularization ?? 1e-4,
    earlyStoppingRounds: opts.earlyStoppingRounds ?? 30,
    subsample: opts.subsample ?? 1,
    colsampleBytree: opts.colsampleBytree ?? 1,
    projectionDim: opts.projectionDim ?? PROJECTION_DIM,
  };
}

/** XGBoost's params for a recipe, in the order they are set (python sets them in dict order too). */
export function gbdtParams(opts: GbdtOptions, baseScore: number): Record<string, string> {
  const r = gbdtRecipe(opts);
  return {
    objective: 'reg:squarederror',
    eval_metric: 'rmse',
    tree_method: 'hist',
    eta: String(r.learningRate),
    max_depth: String(r.maxDepth),
    min_child_weight: String(r.minChildWeight),
    lambda: String(r.l2Regularization),
    subsample: String(r.subsample),
    colsample_bytree: String(r.colsampleBytree),
    base_score: String(baseScore),
    seed: String(opts.seed),
    nthread: String(opts.threads ?? os.availableParallelism()),
    // python's Booster sets it too: unknown parameter names are reported, not ignored.
    validate_parameters: '1',
  };
}

/** The "<name>-rmse:<value>" pairs of an XGBoost evaluation line. */
export function parseEvalLine(line: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of line.matchAll(/\t([^\t:]+)-rmse:([^\t]+)/g)) out[m[1]!] = Number(m[2]);
  return out;
}

export function fitGbdt(
  src: FeatureSource,
  trainRows: readonly number[],
  y: Float64Array,
  features: { numeric: readonly string[]; categorical: readonly string[] },
  opts: GbdtOptions,
): GbdtFit {
  const xgb = loadXgboost(appRoot());
  const { fitRows, stopRows } = holdOutStopRows(trainRows, opts.seed);
  // Pipeline and projection see only the rows the trees are grown on.
  const pipeline = fitPipeline({ ...src, embeddings: null }, fitRows, features.numeric, features.categorical);
  const projection = src.embeddings ? fitProjection(src.embeddings, src.embeddingDim, fitRows, gbdtRecipe(opts).projectionDim) : null;
  const makeFeatures = gbdtFeatureMaker(pipeline, projection);
  const fit = makeFeatures(src, fitRows);
  const stop = makeFeatures(src, stopRows);
  if (fit.p === 0) throw new FramelabError('INVALID_INPUT', 'gbdt has no features: the run has neither metadata features nor embeddings.');
  const yMean = fitRows.reduce((a, r) => a + y[r]!, 0) / fitRows.length;
  const params = gbdtParams(opts, yMean);
  const booster = new xgb.Booster({
    params,
    train: { x: fit.x, n: fitRows.length, p: fit.p, y: Float32Array.from(fitRows, (r) => y[r]!) },
    valid: { x: stop.x, n: stopRows.length, p: stop.p, y: Float32Array.from(stopRows, (r) => y[r]!) },
  });
  try {
    const { rounds, earlyStoppingRounds: patience } = gbdtRecipe(opts);
    const curve: GbdtRound[] = [];
    // xgb.train's EarlyStopping: a strictly lower valid-rmse (as printed by XGBoost) is better;
    // stop once `patience` rounds passed without one.
    let best = { rmse: Infinity, iteration: 0 };
    for (let it = 0; it < rounds; it++) {
      opts.throwIfCancelled?.();
      booster.update(it);
      const line = booster.evaluate(it);
      const scores = parseEvalLine(line);
      if (!Number.isFinite(scores.train) || !Number.isFinite(scores.valid))
        throw new FramelabError('INTERNAL', `gbdt: cannot read train/valid RMSE from XGBoost's evaluation line ${JSON.stringify(line)}.`);
      curve.push({ round: it + 1, trainRmse: scores.train!, valRmse: scores.valid! });
      if (scores.valid! < best.rmse) best = { rmse: scores.valid!, iteration: it };
      else if (it - best.iteration >= patience) break;
    }
    const model = booster.save('ubj');
    const end = best.iteration + 1;
    return {
      pipeline,
      projection,
      params,
      bestIteration: best.iteration,
      roundsTrained: curve.length,
      featureCount: fit.p,
      curve,
      model,
      predict: (s, rows) => predictWith(booster, makeFeatures, s, rows, end),
    };
  } catch (err) {
    booster.dispose();
    throw err;
  }
}

export function predictWith(
  booster: XgbBooster,
  makeFeatures: GbdtFeatureMaker,
  src: FeatureSource,
  rows: readonly number[],
  iterationEnd: number,
): Float64Array {
  if (!rows.length) return new Float64Array(0);
  const { x, p } = makeFeatures(src, rows);
  return Float64Array.from(booster.predict(x, rows.length, p, iterationEnd));
}

/** A saved booster (models/gbdt.ubj) with its pipeline and projection, ready to score. */
export function loadGbdt(model: Uint8Array, pipeline: PipelineState, projection: ProjectionState | null, bestIteration: number) {
  const booster = new (loadXgboost(appRoot()).Booster)({ model });
  const makeFeatures = gbdtFeatureMaker(pipeline, projection);
  return (src: FeatureSource, rows: readonly number[]) => predictWith(booster, makeFeatures, src, rows, bestIteration + 1);
}
