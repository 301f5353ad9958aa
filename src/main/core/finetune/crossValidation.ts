/**
 * The training runs of `finetune.run` (job.ts): each cross-validation fold's model is trained
 * from the base weights, scored on its held-out frames and checkpointed, then v7 and v8 are
 * compared on those frames; the final run (job.ts) reuses the same net, inputs and progress.
 */
import type { ResNet50Model, StateEntry } from '../../../../native/index';
import type {
  CvKind,
  FinetuneParams,
  FinetuneRecipe,
  FinetuneRunState,
  FoldOutcome,
  HeldOutPrediction,
  ModelComparison,
} from '../../../shared/finetune';
import type { JobContext } from '../jobs/context';
import { softmaxRows } from '../vision/inference/classify';
import { compareModels } from './comparison';
import type { Fold } from './folds';
import type { GoldTrainingFrame } from './goldData';
import { trainRun, stack, type FrameFeatures, type TrainHooks, type TrainOutcome } from './trainer';

/** What every training run of the job shares: the net, the base weights, and the gold frames' features and labels. */
export interface Training {
  net: ResNet50Model;
  baseEntries: StateEntry[];
  features: FrameFeatures[];
  labels: number[];
  size: { height: number; width: number };
  recipe: FinetuneRecipe;
  checkCancelled: () => void;
}

export interface Prediction {
  pred: number;
  probs: number[];
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

export async function predict(
  net: ResNet50Model,
  features: readonly FrameFeatures[],
  indices: readonly number[],
  size: { height: number; width: number },
): Promise<Prediction[]> {
  const logits = await net.forwardFromFeatures(stack(features, indices), indices.length, size);
  const probs = softmaxRows(logits, net.numClasses);
  return indices.map((_, k) => {
    const row = Array.from(probs.subarray(k * net.numClasses, (k + 1) * net.numClasses));
    return { pred: argmax(row), probs: row };
  });
}

/** Trains `run.train` from the base weights with the run's seed (trainer.ts). */
export function train(training: Training, run: { train: readonly number[]; runIndex: number }, hooks: TrainHooks): Promise<TrainOutcome> {
  const { net, baseEntries, features, labels, size, recipe } = training;
  return trainRun(net, baseEntries, features, labels, size, recipe, run, hooks);
}

/**
 * The job's progress over its training runs (every fold, then the final run) from 5 % to 98 %;
 * the ETA comes from the pace of the runs trained in this attempt (resumed folds are skipped).
 */
export class RunProgress {
  private runIndex = 0;
  private runsThisAttempt = 0;
  private readonly started = Date.now();

  constructor(
    private readonly ctx: JobContext<FinetuneRunState>,
    private readonly maxEpochs: number,
    private readonly totalRuns: number,
  ) {}

  /** Counts the next run (also one a resumed job skips); returns its index for the seed. */
  nextRun(): number {
    this.runIndex++;
    return this.runIndex - 1;
  }

  /** A run trained in this attempt. */
  runTrained(): void {
    this.runsThisAttempt++;
  }

  report(epoch: number, loss: number | null, what: string): void {
    const { runIndex, runsThisAttempt, totalRuns, maxEpochs } = this;
    const done = runIndex + epoch / maxEpochs;
    const perRun = runsThisAttempt > 0 ? (Date.now() - this.started) / 1000 / runsThisAttempt : null;
    const eta = perRun === null ? undefined : perRun * (totalRuns - runIndex - epoch / maxEpochs);
    this.ctx.progress(
      0.05 + (0.93 * done) / totalRuns,
      `${what} · epoch ${epoch}/${maxEpochs}${loss === null ? '' : ` · loss ${loss.toFixed(4)}`}`,
      eta,
    );
  }
}

/** How the folds' predictions are compared (comparison.ts). */
type CompareParams = Pick<FinetuneParams, 'metric' | 'bootstrapResamples' | 'requireSignificant'> & { classes: readonly string[] };

/**
 * Every fold of every kind of cross-validation (the ones a resumed job finished are skipped),
 * then per kind the comparison of v7 (`v7`: its predictions on every frame) and the folds' v8
 * on the held-out frames.
 */
export async function crossValidate(
  ctx: JobContext<FinetuneRunState>,
  training: Training,
  progress: RunProgress,
  state: FinetuneRunState,
  foldsByCv: ReadonlyMap<CvKind, readonly Fold[]>,
  frames: readonly GoldTrainingFrame[],
  v7: readonly Prediction[],
  compare: CompareParams,
): Promise<Map<CvKind, ModelComparison>> {
  const comparisons = new Map<CvKind, ModelComparison>();
  for (const [cv, folds] of foldsByCv) {
    for (const [k, fold] of folds.entries()) {
      const runIndex = progress.nextRun();
      if (state.folds[fold.id]) continue;
      const what = `${cv === 'loo' ? 'leave-one-out' : 'leave-one-video-out'} fold ${k + 1}/${folds.length}`;
      await trainFold(ctx, training, progress, state, { cv, fold, runIndex, what }, frames);
      progress.runTrained();
    }
    comparisons.set(
      cv,
      compareModels({
        predictions: heldOutPredictions(folds, state, v7, frames),
        classes: compare.classes,
        metric: compare.metric,
        seed: training.recipe.seed,
        resamples: compare.bootstrapResamples,
        requireSignificant: compare.requireSignificant,
      }),
    );
  }
  return comparisons;
}

/** One fold: trained (each epoch checkpointed), scored on its held-out frames, and saved as finished. */
async function trainFold(
  ctx: JobContext<FinetuneRunState>,
  training: Training,
  progress: RunProgress,
  state: FinetuneRunState,
  run: { cv: CvKind; fold: Fold; runIndex: number; what: string },
  frames: readonly GoldTrainingFrame[],
): Promise<void> {
  const { cv, fold, what } = run;
  state.current = { foldId: fold.id, cv, epochs: [] };
  progress.report(0, null, what);
  const outcome = await train(
    training,
    { train: fold.train, runIndex: run.runIndex },
    {
      checkCancelled: training.checkCancelled,
      onEpoch: (e) => {
        state.current!.epochs.push(e);
        ctx.saveCheckpoint(state);
        progress.report(e.epoch, e.loss, what);
      },
    },
  );
  const held = await predict(training.net, training.features, fold.test, training.size);
  state.folds[fold.id] = foldOutcome(fold, cv, outcome, held, frames);
  state.current = null;
  ctx.saveCheckpoint(state);
}

function foldOutcome(
  fold: Fold,
  cv: CvKind,
  outcome: { epochs: { epoch: number; loss: number }[]; stoppedEarly: boolean },
  held: Prediction[],
  frames: readonly { frameId: string }[],
): FoldOutcome {
  return {
    foldId: fold.id,
    cv,
    epochs: outcome.epochs,
    stoppedEarly: outcome.stoppedEarly,
    heldOut: fold.test.map((i, k) => ({ frameId: frames[i]!.frameId, v8Pred: held[k]!.pred, v8Probs: held[k]!.probs })),
  };
}

function heldOutPredictions(
  folds: readonly Fold[],
  state: FinetuneRunState,
  v7: readonly Prediction[],
  frames: readonly { frameId: string; videoId: string; label: number }[],
): HeldOutPrediction[] {
  return folds.flatMap((fold) =>
    fold.test.map((i, k) => {
      const held = state.folds[fold.id]!.heldOut[k]!;
      return {
        frameId: frames[i]!.frameId,
        videoId: frames[i]!.videoId,
        trueLabel: frames[i]!.label,
        v7Pred: v7[i]!.pred,
        v8Pred: held.v8Pred,
        v7Probs: v7[i]!.probs,
        v8Probs: held.v8Probs,
      };
    }),
  );
}
