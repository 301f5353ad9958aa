import { loadTrainingAddon, type MlpModel, type StateEntry } from '../../../../native/index';
import { appRoot } from '../appRoot';
import { mulberry32, seededShuffle } from '../random';
import { fitPipeline, transform, type FeatureSource, type PipelineState } from './preprocess';

/**
 * The concat MLP of the horizon suite (REFERENCE §5): the preprocessed features (scaled
 * numerics, one-hot categoricals, the embedding) → 1024-512-256 → 1, GELU, dropout 0.2,
 * AdamW, MSE on the log target, early stopping on validation RMSE (max 40 epochs, patience
 * 6), trained by the LibTorch addon's generic MLP. The early-stopping rows are carved out
 * of the training rows (15%, seeded) so the run's val and test stay untouched by training.
 * The target is centred on the training mean (added back when scoring) so the last layer
 * starts near the right scale.
 */
/** The training recipe both neural suite models share (AdamW, MSE, early stopping). */
export interface NeuralRecipe {
  seed: number;
  dropout?: number;
  maxEpochs?: number;
  patience?: number;
  batchSize?: number;
  lr?: number;
  weightDecay?: number;
  threads?: number;
  /** The run's cancel flag (SharedArrayBuffer): a set flag stops the current step. */
  cancelFlag?: Int32Array;
  /** Called after every epoch (the suite job writes live curves from it). */
  onEpoch?: (point: { epoch: number; trainLoss: number; valRmse: number }) => void;
}

export interface MlpOptions extends NeuralRecipe {
  hidden?: number[];
}

export interface MlpFit {
  pipeline: PipelineState;
  yMean: number;
  sizes: number[];
  state: StateEntry[];
  curve: { epoch: number; trainLoss: number; valRmse: number }[];
  bestEpoch: number;
  predict(src: FeatureSource, rows: readonly number[]): Promise<Float64Array>;
}

/** The early-stopping rows: 15% of the training rows (at least one), seeded; the rest train the network. */
export function holdOutStopRows(trainRows: readonly number[], seed: number): { fitRows: number[]; stopRows: number[] } {
  const shuffled = seededShuffle(trainRows, seed);
  const nStop = Math.max(1, Math.round(shuffled.length * 0.15));
  return { stopRows: shuffled.slice(0, nStop), fitRows: shuffled.slice(nStop) };
}

/** The per-epoch batch orders: epochOrders(seed)() gives the next epoch's order of positions 0…n−1. */
export function epochOrders(seed: number, n: number): () => number[] {
  const rnd = mulberry32(seed ^ 0x5bd1e995);
  return () =>
    seededShuffle(
      Array.from({ length: n }, (_, i) => i),
      Math.floor(rnd() * 2 ** 31),
    );
}

export async function fitConcatMlp(
  src: FeatureSource,
  trainRows: readonly number[],
  y: Float64Array,
  features: { numeric: readonly string[]; categorical: readonly string[] },
  opts: MlpOptions,
): Promise<MlpFit> {
  const addon = loadTrainingAddon(appRoot());
  const { stopRows, fitRows } = holdOutStopRows(trainRows, opts.seed);
  // The pipeline is fitted on the rows the network trains on, like every other model.
  const pipeline = fitPipeline(src, fitRows, features.numeric, features.categorical);
  const yMean = fitRows.reduce((a, r) => a + y[r]!, 0) / fitRows.length;
  const toF32 = (rows: readonly number[]) => Float32Array.from(transform(pipeline, src, rows).data);
  const xFit = toF32(fitRows);
  const xStop = toF32(stopRows);
  const p = pipeline.numeric.length + pipeline.categorical.reduce((a, c) => a + c.categories.length, 0) + pipeline.embeddingDim;
  const sizes = [p, ...(opts.hidden ?? [1024, 512, 256]), 1];
  const net: MlpModel = new addon.MLP({ sizes, loss: 'mse', activation: 'gelu', dropout: opts.dropout ?? 0.2, seed: opts.seed, threads: opts.threads, device: 'cpu' });
  if (opts.cancelFlag) net.setCancelFlag(opts.cancelFlag);
  net.setOptimizer({ kind: 'adamw', lr: opts.lr ?? 1e-3, weightDecay: opts.weightDecay ?? 1e-2 });
  const batch = opts.batchSize ?? 32;
  const maxEpochs = opts.maxEpochs ?? 40;
  const patience = opts.patience ?? 6;
  const yFit = Float32Array.from(fitRows, (r) => y[r]! - yMean);
  const yStop = Float64Array.from(stopRows, (r) => y[r]!);
  const nextOrder = epochOrders(opts.seed, fitRows.length);
  const curve: MlpFit['curve'] = [];
  let best = { rmse: Infinity, epoch: 0, state: net.state() };
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    const order = nextOrder();
    let lossSum = 0;
    for (let b = 0; b < order.length; b += batch) {
      const idx = order.slice(b, b + batch);
      const inputs = new Float32Array(idx.length * p);
      idx.forEach((i, k) => inputs.set(xFit.subarray(i * p, (i + 1) * p), k * p));
      const targets = Float32Array.from(idx, (i) => yFit[i]!);
      lossSum += (await net.trainStep({ inputs, n: idx.length, targets })).loss * idx.length;
    }
    const pred = await net.predict(xStop, stopRows.length);
    let se = 0;
    pred.forEach((v, i) => (se += (v + yMean - yStop[i]!) ** 2));
    const valRmse = Math.sqrt(se / stopRows.length);
    curve.push({ epoch, trainLoss: lossSum / fitRows.length, valRmse });
    opts.onEpoch?.(curve.at(-1)!);
    if (valRmse < best.rmse) best = { rmse: valRmse, epoch, state: net.state() };
    else if (epoch - best.epoch >= patience) break;
  }
  net.loadState(best.state);
  return {
    pipeline,
    yMean,
    sizes,
    state: best.state,
    curve,
    bestEpoch: best.epoch,
    predict: async (s, rows) => {
      const out = await net.predict(Float32Array.from(transform(pipeline, s, rows).data), rows.length);
      return Float64Array.from(out, (v) => v + yMean);
    },
  };
}
