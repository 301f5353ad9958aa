import { loadTrainingAddon, type MlpModel, type StateEntry } from '../../../../../native/index';
import { appRoot } from '../../appRoot';
import { holdOutStopRows, trainWithEarlyStopping, type EpochPoint, type NeuralRecipe } from './earlyStopping';
import { fitPipeline, transform, type PipelineState } from './preprocess';
import type { FeatureSource } from '../data/suiteData';

/**
 * The concat MLP of the horizon suite (docs/reference.md §5): the preprocessed features (scaled
 * numerics, one-hot categoricals, the embedding) → 1024-512-256 → 1, GELU, dropout 0.2,
 * AdamW, MSE on the log target, early stopping on validation RMSE (max 40 epochs, patience
 * 6), trained by the LibTorch addon's generic MLP. The early-stopping rows are carved out
 * of the training rows (15%, seeded) so the run's val and test stay untouched by training.
 * The target is centred on the training mean (added back when scoring) so the last layer
 * starts near the right scale.
 */
export interface MlpOptions extends NeuralRecipe {
  hidden?: number[];
}

export interface MlpFit {
  pipeline: PipelineState;
  yMean: number;
  sizes: number[];
  state: StateEntry[];
  curve: EpochPoint[];
  bestEpoch: number;
  predict(src: FeatureSource, rows: readonly number[]): Promise<Float64Array>;
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
  const net: MlpModel = new addon.MLP({
    sizes,
    loss: 'mse',
    activation: 'gelu',
    dropout: opts.dropout ?? 0.2,
    seed: opts.seed,
    threads: opts.threads,
    device: 'cpu',
  });
  const yFit = Float32Array.from(fitRows, (r) => y[r]! - yMean);
  const { curve, bestEpoch, state } = await trainWithEarlyStopping(net, opts, {
    fitCount: fitRows.length,
    trainStep: async (positions) => {
      const inputs = new Float32Array(positions.length * p);
      positions.forEach((i, k) => inputs.set(xFit.subarray(i * p, (i + 1) * p), k * p));
      const targets = Float32Array.from(positions, (i) => yFit[i]!);
      return (await net.trainStep({ inputs, n: positions.length, targets })).loss;
    },
    predictStop: async () => Float64Array.from(await net.predict(xStop, stopRows.length), (v) => v + yMean),
    stopTargets: Float64Array.from(stopRows, (r) => y[r]!),
  });
  return {
    pipeline,
    yMean,
    sizes,
    state,
    curve,
    bestEpoch,
    predict: async (s, rows) => {
      const out = await net.predict(Float32Array.from(transform(pipeline, s, rows).data), rows.length);
      return Float64Array.from(out, (v) => v + yMean);
    },
  };
}
