import os from 'node:os';
import { loadXgboost, type XgbBooster } from '../../../../native/index';
import { FramelabError } from '../../../shared/errors';
import type { ForestWeights } from '../../../shared/preferenceModel';
import { appRoot } from '../appRoot';
import type { Matrix } from './normalize';

/**
 * The random forest: XGBoost's random-forest mode through the addon (the C API the suite's
 * gbdt already uses) — one boosting round of `trees` parallel trees with learning rate 1, so
 * the prediction is base_score + the mean of the trees' outputs, i.e. the mean of their leaf
 * means, as sklearn's forest. Chosen over a forest of our own because the addon already links
 * XGBoost (CI builds it), its exact greedy trees are C++, and it gives TreeSHAP contributions
 * (`pred_contribs`) for the scores' top factors, tested by XGBoost itself.
 *
 * Set to sklearn's RandomForestRegressor defaults as closely as XGBoost allows:
 * - trees 100 (n_estimators), every feature at every split (colsample_bynode 1 = max_features
 *   1.0), at least one row per leaf (min_child_weight 1 with squared error's unit hessians =
 *   min_samples_leaf 1), no penalty on leaves (lambda 0: a leaf is its rows' mean), no
 *   minimum gain (gamma 0);
 * - every split point of every feature is tried (tree_method exact; "hist" would bin values
 *   into 256 buckets and, measured, is ~10× slower with unbounded depth in XGBoost 1.7);
 * - no depth limit: exact needs a number, so max_depth = the row count, deeper than any tree
 *   on those rows can grow.
 * Differences that remain: sklearn bootstraps (n draws with replacement: ~63.2 % distinct rows,
 * some counted twice); XGBoost keeps each row in a tree with probability `subsample` = 0.632,
 * without replacement, so no row weighs double. XGBoost stops a split whose gain is under
 * 1e-6 (sklearn splits while a node is impure), ties between equally good splits go to the
 * first feature rather than a random one, and predictions are float32. The CV MAE is held to
 * sklearn's within noise in test/preference/forest.test.ts.
 */
export interface ForestOptions {
  trees: number;
  seed: number;
  threads?: number;
}

/** 1 − 1/e: the expected share of distinct rows in a bootstrap sample. */
export const FOREST_SUBSAMPLE = 0.632;

export function forestParams(opts: ForestOptions, rows: number, baseScore: number): Record<string, string> {
  return {
    objective: 'reg:squarederror',
    tree_method: 'exact',
    num_parallel_tree: String(opts.trees),
    eta: '1',
    subsample: String(FOREST_SUBSAMPLE),
    colsample_bynode: '1',
    max_depth: String(Math.max(1, rows)),
    min_child_weight: '1',
    lambda: '0',
    alpha: '0',
    gamma: '0',
    base_score: String(baseScore),
    seed: String(opts.seed),
    nthread: String(opts.threads ?? os.availableParallelism()),
    validate_parameters: '1',
  };
}

const boosters = new WeakMap<ForestWeights, XgbBooster>();

function toF32(x: Matrix): Float32Array {
  return Float32Array.from(x.data);
}

export function fitForest(x: Matrix, y: Float64Array, opts: ForestOptions): ForestWeights {
  if (x.cols === 0) throw new FramelabError('INVALID_INPUT', 'the random forest has no feature to split on.');
  if (x.rows !== y.length) throw new FramelabError('INTERNAL', `forest: ${x.rows} rows but ${y.length} targets.`);
  const xgb = loadXgboost(appRoot());
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  const params = forestParams(opts, x.rows, mean);
  const booster = new xgb.Booster({ params, train: { x: toF32(x), n: x.rows, p: x.cols, y: Float32Array.from(y) } });
  try {
    booster.update(0);
    const weights: ForestWeights = {
      engine: 'xgboost',
      xgboostVersion: xgb.version(),
      params,
      ubjBase64: Buffer.from(booster.save('ubj')).toString('base64'),
    };
    boosters.set(weights, booster);
    return weights;
  } catch (err) {
    booster.dispose();
    throw err;
  }
}

/** The booster of saved weights (loaded once per weights object). */
function boosterOf(weights: ForestWeights): XgbBooster {
  let b = boosters.get(weights);
  if (!b) {
    const xgb = loadXgboost(appRoot());
    b = new xgb.Booster({
      model: new Uint8Array(Buffer.from(weights.ubjBase64, 'base64')),
      params: { nthread: String(os.availableParallelism()) },
    });
    boosters.set(weights, b);
  }
  return b;
}

export function predictForest(weights: ForestWeights, x: Matrix): Float64Array {
  if (x.rows === 0) return new Float64Array(0);
  return Float64Array.from(boosterOf(weights).predict(toF32(x), x.rows, x.cols));
}

/** TreeSHAP: rows × (cols + 1), the bias last in each row; a row sums to its prediction. */
export function forestContributions(weights: ForestWeights, x: Matrix): Float64Array {
  if (x.rows === 0) return new Float64Array(0);
  const b = boosterOf(weights);
  if (typeof b.contributions !== 'function') {
    throw new FramelabError(
      'CAPABILITY_MISSING',
      'the native addon predates TreeSHAP contributions (XGBooster.contributions): rebuild it with `npm run build:native`.',
    );
  }
  return Float64Array.from(b.contributions(toF32(x), x.rows, x.cols));
}

/** Frees the booster now rather than at garbage collection (fold models in a CV). */
export function disposeForest(weights: ForestWeights): void {
  boosters.get(weights)?.dispose();
  boosters.delete(weights);
}
