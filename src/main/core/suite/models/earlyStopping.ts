import type { StateEntry, TrainableModel } from '../../../../../native/index';
import { mulberry32, seededShuffle } from '../../random';

/**
 * Early stopping as every suite model that trains iteratively does it (docs/reference.md §5): 15% of
 * the *training* rows (at least one, seeded) are held out to decide when to stop, so the run's
 * val and test rows never steer training. gbdt stops its rounds on them; the two neural models
 * share the whole loop below.
 */
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
  onEpoch?: (point: EpochPoint) => void;
}

/** The lab's neural recipe (spec §7): AdamW lr 1e-3, weight decay 1e-2, batch 32, 40 epochs, patience 6. */
export const NEURAL_DEFAULTS = { lr: 1e-3, weightDecay: 1e-2, batchSize: 32, maxEpochs: 40, patience: 6 } as const;

/** The training settings a recipe resolves to (recorded in config_used.json). */
export function neuralSettings(recipe: Partial<NeuralRecipe> = {}) {
  return {
    lr: recipe.lr ?? NEURAL_DEFAULTS.lr,
    weightDecay: recipe.weightDecay ?? NEURAL_DEFAULTS.weightDecay,
    batchSize: recipe.batchSize ?? NEURAL_DEFAULTS.batchSize,
    maxEpochs: recipe.maxEpochs ?? NEURAL_DEFAULTS.maxEpochs,
    patience: recipe.patience ?? NEURAL_DEFAULTS.patience,
  };
}

export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  valRmse: number;
}

export interface EarlyStoppingData {
  /** How many rows train the network (positions 0…fitCount−1 of the model's own fit inputs). */
  fitCount: number;
  /** One optimiser step on these fit positions; resolves to the batch's mean loss. */
  trainStep(positions: number[]): Promise<number>;
  /** Predictions for the held-out rows, in the target's own scale. */
  predictStop(): Promise<ArrayLike<number>>;
  /** The held-out rows' targets, same order. */
  stopTargets: Float64Array;
}

/**
 * AdamW (lr 1e-3, weight decay 1e-2 unless the recipe says), seeded batch orders (batch 32),
 * after every epoch the held-out RMSE; stops after `patience` (6) epochs without a strictly
 * better one, or at `maxEpochs` (40), and leaves the best epoch's weights in the network.
 */
export async function trainWithEarlyStopping(
  net: TrainableModel,
  recipe: NeuralRecipe,
  data: EarlyStoppingData,
): Promise<{ curve: EpochPoint[]; bestEpoch: number; state: StateEntry[] }> {
  if (recipe.cancelFlag) net.setCancelFlag(recipe.cancelFlag);
  const { lr, weightDecay, batchSize: batch, maxEpochs, patience } = neuralSettings(recipe);
  net.setOptimizer({ kind: 'adamw', lr, weightDecay });
  const nextOrder = epochOrders(recipe.seed, data.fitCount);
  const curve: EpochPoint[] = [];
  let best = { rmse: Infinity, epoch: 0, state: net.state() };
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    const order = nextOrder();
    let lossSum = 0;
    for (let b = 0; b < order.length; b += batch) {
      const positions = order.slice(b, b + batch);
      lossSum += (await data.trainStep(positions)) * positions.length;
    }
    const pred = await data.predictStop();
    let se = 0;
    for (let i = 0; i < data.stopTargets.length; i++) se += (pred[i]! - data.stopTargets[i]!) ** 2;
    const point = { epoch, trainLoss: lossSum / data.fitCount, valRmse: Math.sqrt(se / data.stopTargets.length) };
    curve.push(point);
    recipe.onEpoch?.(point);
    if (point.valRmse < best.rmse) best = { rmse: point.valRmse, epoch, state: net.state() };
    else if (epoch - best.epoch >= patience) break;
  }
  net.loadState(best.state);
  return { curve, bestEpoch: best.epoch, state: best.state };
}
