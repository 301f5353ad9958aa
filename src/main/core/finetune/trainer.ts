/**
 * One training run of the lab's recipe on cached layer-3 features: start from the base
 * weights, fresh optimiser, inverse-frequency class weights over the run's own training
 * frames, shuffled mini-batches, at most `maxEpochs`, early stopping on the training loss.
 * Every run starts from the same state with its own seed, so a fold's result does not depend
 * on the folds before it: an interrupted job resumes at the next fold with identical results.
 */
import type { ResNet50Model, StateEntry } from '../../../../native/index';
import type { FinetuneRecipe } from '../../../shared/finetune';
import { mulberry32, seededShuffle } from '../random';
import { classWeights } from './classWeights';

/** One frame's layer-3 output (1024 × h × w, row-major). */
export type FrameFeatures = Float32Array;

export interface TrainRun {
  /** Indices into `features` / `labels` to train on. */
  train: readonly number[];
  /** Distinguishes runs (fold number; the final run uses the fold count) in the seed. */
  runIndex: number;
}

export interface EpochReport {
  epoch: number;
  loss: number;
}

export interface TrainOutcome {
  epochs: EpochReport[];
  stoppedEarly: boolean;
}

/** A 32-bit seed from the recipe's seed, the run and the epoch (the same on every machine). */
export function runSeed(seed: number, runIndex: number, epoch: number): number {
  const rng = mulberry32((seed ^ Math.imul(runIndex + 1, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0);
  return Math.floor(rng() * 2 ** 32);
}

/** The order of the training frames in an epoch; batches are consecutive slices of it. */
export function epochOrder(seed: number, runIndex: number, epoch: number, train: readonly number[]): number[] {
  return seededShuffle(train, runSeed(seed, runIndex, epoch));
}

/** The optimiser settings of the recipe, in the addon's terms. */
export function optimizerOf(recipe: FinetuneRecipe) {
  if (recipe.optimizer === 'sgd')
    return { kind: 'sgd' as const, lr: recipe.lr, momentum: recipe.momentum, weightDecay: recipe.weightDecay };
  return { kind: recipe.optimizer, lr: recipe.lr, weightDecay: recipe.weightDecay };
}

/** Stacks frames into one n × 1024 × h × w batch. */
export function stack(features: readonly FrameFeatures[], indices: readonly number[]): Float32Array {
  const per = features[indices[0]!]!.length;
  const out = new Float32Array(per * indices.length);
  indices.forEach((i, k) => out.set(features[i]!, k * per));
  return out;
}

export interface TrainHooks {
  onEpoch?: (report: EpochReport) => void;
  /** Throws to stop between batches (cancel). */
  checkCancelled?: () => void;
}

/**
 * Trains `net` (its state is replaced by `base` first) on `run.train`. The epoch loss is the
 * mean of the batch losses weighted by batch size. Early stopping: after `patience` epochs
 * without a lower loss than the best so far, training stops and keeps the last weights.
 */
export async function trainRun(
  net: ResNet50Model,
  base: StateEntry[],
  features: readonly FrameFeatures[],
  labels: readonly number[],
  featureSize: { height: number; width: number },
  recipe: FinetuneRecipe,
  run: TrainRun,
  hooks: TrainHooks = {},
): Promise<TrainOutcome> {
  net.loadState(base);
  net.setOptimizer(optimizerOf(recipe));
  const trainLabels = run.train.map((i) => labels[i]!);
  const weights =
    recipe.classWeights === 'inverse_frequency'
      ? Float32Array.from(classWeights(trainLabels, net.numClasses))
      : new Float32Array(net.numClasses).fill(1);
  const epochs: EpochReport[] = [];
  let best = Infinity;
  let sinceBest = 0;
  for (let epoch = 1; epoch <= recipe.maxEpochs; epoch++) {
    const order = epochOrder(recipe.seed, run.runIndex, epoch, run.train);
    let sum = 0;
    for (let start = 0; start < order.length; start += recipe.batchSize) {
      hooks.checkCancelled?.();
      const batch = order.slice(start, start + recipe.batchSize);
      const { loss } = await net.trainStep({
        features: stack(features, batch),
        n: batch.length,
        labels: Int32Array.from(batch.map((i) => labels[i]!)),
        classWeights: weights,
        ...featureSize,
      });
      sum += loss * batch.length;
    }
    const report = { epoch, loss: sum / order.length };
    epochs.push(report);
    hooks.onEpoch?.(report);
    if (report.loss < best) {
      best = report.loss;
      sinceBest = 0;
    } else if (++sinceBest >= recipe.patience) {
      return { epochs, stoppedEarly: epoch < recipe.maxEpochs };
    }
  }
  return { epochs, stoppedEarly: false };
}
