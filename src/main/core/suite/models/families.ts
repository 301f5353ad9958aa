import { FramelabError } from '../../../../shared/errors';
import { fitGuestMeans, lookupGuestMeans, outOfFoldGuestMeans, type GuestMeans } from './guest';
import type { FeatureSource, SuiteData } from '../data/suiteData';
import type { StateEntry } from '../../../../../native/index';
import { fitGbdt, gbdtRecipe, type GbdtOptions } from './gbdt';
import { fitGatedFusion, fusionArchitecture, type FusionOptions } from './fusionMlp';
import { neuralSettings } from './earlyStopping';
import { fitConcatMlp, type MlpOptions } from './mlp';
import { fitRidgePipeline, predictRidgePipeline, type RidgePipelineModel } from './ridge';

/**
 * The suite's model families behind one shape: fit on training rows, return a scorer plus
 * a JSON-able state (what a saved model holds to score new videos the same way).
 */
export interface ModelOptions {
  seed: number;
  alphas?: number[];
  innerK?: number;
  /** Guest-mean shrinkage toward the global mean (0: none). */
  shrinkage?: number;
  /** Overrides of the MLP recipe (tests use small networks and few epochs). */
  mlp?: Omit<MlpOptions, 'seed'>;
  /** Overrides of the gradient-boosting recipe. */
  gbdt?: Omit<GbdtOptions, 'seed' | 'throwIfCancelled'>;
  /** The job's cancel check, for models that train in many steps (gbdt checks it every round). */
  throwIfCancelled?: () => void;
  /** Overrides of the gated-fusion recipe. */
  fusion?: Omit<FusionOptions, 'seed' | 'cancelFlag'>;
  /** The run's cancel flag: the neural models hand it to the addon, so a cancel stops mid-epoch. */
  cancelFlag?: Int32Array;
  /** Per-epoch training points of neural models, by model name (live curves). */
  onEpoch?: (model: string, point: { epoch: number; trainLoss: number; valRmse: number }) => void;
}

export interface FittedModel {
  name: string;
  predict(src: FeatureSource, guests: readonly string[] | null, rows: readonly number[]): Float64Array | Promise<Float64Array>;
  state: object;
  /** Per-epoch training curve (neural models). */
  curve?: { epoch: number; trainLoss: number; valRmse: number }[];
  /** Network weights to save beside the JSON state (neural models). */
  weights?: StateEntry[];
  /** Header of curves/<name>.csv when the curve's columns mean something else (gbdt: round,train_rmse,val_rmse). */
  curveHeader?: string;
  /** Other model files to save beside the JSON state, by extension (gbdt: the booster as `ubj`). */
  files?: { ext: string; data: Uint8Array }[];
}

/**
 * The recipe each iteratively trained model of a run uses, its options over the defaults
 * (config_used.json's `recipes`): the config only holds what the user set.
 */
export function recipesUsed(models: readonly string[], opts: Pick<ModelOptions, 'mlp' | 'gbdt' | 'fusion'>): Record<string, object> {
  const out: Record<string, object> = {};
  if (models.includes('gbdt')) out.gbdt = gbdtRecipe(opts.gbdt ?? {});
  if (models.includes('concat_mlp')) {
    out.concat_mlp = {
      hidden: opts.mlp?.hidden ?? [1024, 512, 256],
      activation: 'gelu',
      dropout: opts.mlp?.dropout ?? 0.2,
      ...neuralSettings(opts.mlp),
    };
  }
  if (models.includes('gated_fusion_mlp'))
    out.gated_fusion_mlp = { ...fusionArchitecture(opts.fusion ?? {}), activation: 'gelu', ...neuralSettings(opts.fusion) };
  return out;
}

/** Column name of the guest-mean feature appended for guestfeat. */
export const GUEST_FEATURE = '__guest_mean__';

function needGuests(data: SuiteData, model: string): string[] {
  if (!data.guests)
    throw new FramelabError('INVALID_INPUT', `model "${model}" needs "guestColumn" in the config (the channel each video belongs to).`);
  return data.guests;
}

function fitMean(data: SuiteData, rows: readonly number[]): FittedModel {
  const mean = rows.reduce((a, r) => a + data.y[r]!, 0) / rows.length;
  return { name: 'mean', state: { kind: 'mean', mean }, predict: (_s, _g, r) => new Float64Array(r.length).fill(mean) };
}

function fitGuestMean(data: SuiteData, rows: readonly number[], opts: ModelOptions): FittedModel {
  const gm = fitGuestMeans(needGuests(data, 'guest_mean'), data.y, rows, opts.shrinkage ?? 0);
  return {
    name: 'guest_mean',
    state: { kind: 'guest_mean', guestMeans: gm },
    predict: (_s, guests, r) => lookupGuestMeans(gm, needGuestList(guests), r),
  };
}

function needGuestList(guests: readonly string[] | null): readonly string[] {
  if (!guests) throw new FramelabError('INVALID_INPUT', "this model needs each row's guest (channel).");
  return guests;
}

function ridgeOpts(opts: ModelOptions) {
  return { alphas: opts.alphas, innerK: opts.innerK };
}

function fitRidgeModel(data: SuiteData, rows: readonly number[], opts: ModelOptions): FittedModel {
  const model = fitRidgePipeline(data.src, rows, data.y, data.features, ridgeOpts(opts));
  return { name: 'ridge', state: ridgeState('ridge', model), predict: (src, _g, r) => predictRidgePipeline(model, src, r) };
}

/** guestnorm: Ridge on y − guest mean (training means), the guest mean added back when scoring. */
function fitGuestNorm(data: SuiteData, rows: readonly number[], opts: ModelOptions): FittedModel {
  const guests = needGuests(data, 'ridge_guestnorm');
  const gm = fitGuestMeans(guests, data.y, rows, opts.shrinkage ?? 0);
  const residual = new Float64Array(data.y.length);
  const base = lookupGuestMeans(gm, guests, rows);
  rows.forEach((r, i) => (residual[r] = data.y[r]! - base[i]!));
  const model = fitRidgePipeline(data.src, rows, residual, data.features, ridgeOpts(opts));
  return {
    name: 'ridge_guestnorm',
    state: { ...ridgeState('ridge_guestnorm', model), variant: 'guestnorm', guestMeans: gm },
    predict: (src, g, r) => {
      const pred = predictRidgePipeline(model, src, r);
      const back = lookupGuestMeans(gm, needGuestList(g), r);
      return pred.map((v, i) => v + back[i]!);
    },
  };
}

/**
 * guestfeat: the guest mean as one extra numeric feature. Training rows get out-of-fold
 * means (inner K-fold), scored rows the means of all training rows.
 */
function fitGuestFeat(data: SuiteData, rows: readonly number[], opts: ModelOptions): FittedModel {
  const guests = needGuests(data, 'ridge_guestfeat');
  const shrink = opts.shrinkage ?? 0;
  const oof = outOfFoldGuestMeans(guests, data.y, rows, opts.innerK ?? 5, opts.seed, shrink);
  const gm = fitGuestMeans(guests, data.y, rows, shrink);
  const trainSrc: FeatureSource = { ...data.src, extra: new Map([...(data.src.extra ?? []), [GUEST_FEATURE, oof]]) };
  const features = { numeric: [...data.features.numeric, GUEST_FEATURE], categorical: data.features.categorical };
  const model = fitRidgePipeline(trainSrc, rows, data.y, features, ridgeOpts(opts));
  return {
    name: 'ridge_guestfeat',
    state: { ...ridgeState('ridge_guestfeat', model), variant: 'guestfeat', guestMeans: gm },
    predict: (src, g, r) => {
      const column = new Float64Array(src.table.rowCount).fill(NaN);
      const values = lookupGuestMeans(gm, needGuestList(g), r);
      r.forEach((row, i) => (column[row] = values[i]!));
      return predictRidgePipeline(model, { ...src, extra: new Map([...(src.extra ?? []), [GUEST_FEATURE, column]]) }, r);
    },
  };
}

function ridgeState(kind: string, m: RidgePipelineModel) {
  return { kind, pipeline: m.pipeline, alpha: m.ridge.alpha, coef: Array.from(m.ridge.coef), intercept: m.ridge.intercept, cvMse: m.cvMse };
}

async function fitMlpModel(data: SuiteData, rows: readonly number[], opts: ModelOptions): Promise<FittedModel> {
  const fit = await fitConcatMlp(data.src, rows, data.y, data.features, {
    seed: opts.seed,
    ...opts.mlp,
    cancelFlag: opts.cancelFlag,
    onEpoch: (p) => opts.onEpoch?.('concat_mlp', p),
  });
  return {
    name: 'concat_mlp',
    state: {
      kind: 'concat_mlp',
      pipeline: fit.pipeline,
      yMean: fit.yMean,
      sizes: fit.sizes,
      bestEpoch: fit.bestEpoch,
      activation: 'gelu',
      dropout: opts.mlp?.dropout ?? 0.2,
    },
    curve: fit.curve,
    weights: fit.state,
    predict: (src, _g, r) => fit.predict(src, r),
  };
}

/** XGBoost on [preprocessed metadata | 128-d PCA of the embedding], early-stopped on held-out training rows (gbdt.ts). */
function fitGbdtModel(data: SuiteData, rows: readonly number[], opts: ModelOptions): FittedModel {
  const fit = fitGbdt(data.src, rows, data.y, data.features, { seed: opts.seed, ...opts.gbdt, throwIfCancelled: opts.throwIfCancelled });
  return {
    name: 'gbdt',
    state: {
      kind: 'gbdt',
      pipeline: fit.pipeline,
      projection: fit.projection,
      params: fit.params,
      bestIteration: fit.bestIteration,
      roundsTrained: fit.roundsTrained,
      featureCount: fit.featureCount,
      booster: 'gbdt.ubj',
    },
    curve: fit.curve.map((c) => ({ epoch: c.round, trainLoss: c.trainRmse, valRmse: c.valRmse })),
    curveHeader: 'round,train_rmse,val_rmse',
    files: [{ ext: 'ubj', data: fit.model }],
    predict: (src, _g, r) => fit.predict(src, r),
  };
}

async function fitFusionModel(data: SuiteData, rows: readonly number[], opts: ModelOptions): Promise<FittedModel> {
  const fit = await fitGatedFusion(data.src, rows, data.y, data.features, {
    seed: opts.seed,
    ...opts.fusion,
    cancelFlag: opts.cancelFlag,
    onEpoch: (p) => opts.onEpoch?.('gated_fusion_mlp', p),
  });
  return {
    name: 'gated_fusion_mlp',
    state: { kind: 'gated_fusion_mlp', ...fit.spec, bestEpoch: fit.bestEpoch },
    curve: fit.curve,
    weights: fit.state,
    predict: (src, _g, r) => fit.predict(src, r),
  };
}

type Fitter = (data: SuiteData, rows: readonly number[], opts: ModelOptions) => FittedModel | Promise<FittedModel>;

export const MODEL_FITTERS: Record<string, Fitter> = {
  mean: fitMean,
  guest_mean: fitGuestMean,
  ridge: fitRidgeModel,
  ridge_guestnorm: fitGuestNorm,
  ridge_guestfeat: fitGuestFeat,
  concat_mlp: fitMlpModel,
  gbdt: fitGbdtModel,
  gated_fusion_mlp: fitFusionModel,
};

export async function fitModel(name: string, data: SuiteData, rows: readonly number[], opts: ModelOptions): Promise<FittedModel> {
  const fitter = MODEL_FITTERS[name];
  if (!fitter) {
    throw new FramelabError('INVALID_INPUT', `unknown model "${name}"; available: ${Object.keys(MODEL_FITTERS).join(', ')}.`);
  }
  return fitter(data, rows, opts);
}

export type { GuestMeans };
