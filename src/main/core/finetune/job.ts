/**
 * The `finetune.run` job (docs/reference.md §2): fine-tune a base model (v7) on a gold snapshot with
 * cross-validation, score v7 as is and each fold's model on the same held-out frames, compare
 * honestly, and — only when v8 is better on the chosen metric — train v8 on every gold frame
 * and stage it for the registry. Runs in a job process: layer-3 features come from the cache
 * (computed once by ONNX Runtime), training from the LibTorch addon.
 *
 * Resume: the checkpoint holds every finished fold (and the losses so far); a restarted job
 * skips them. Each fold starts from the base weights with its own seed, so the final JSON is
 * the same as an uninterrupted run's.
 */
import os from 'node:os';
import path from 'node:path';
import { featureSize, isCancelled, loadTrainingAddon, type ResNet50Model } from '../../../../native/index';
import { FramelabError } from '../../../shared/errors';
import type {
  ComparisonEntry,
  CvKind,
  FinetuneParams,
  FinetuneResult,
  FinetuneRunState,
  FoldOutcome,
  HeldOutPrediction,
  ModelComparison,
} from '../../../shared/finetune';
import type { StagedModel } from '../../../shared/models';
import { appRoot } from '../appRoot';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { cancelledError, type JobContext } from '../jobs/context';
import { verifyModelFile } from '../models/importModel';
import { assertNewModel, getModel, parseModelId } from '../models/registry';
import { stageModelFiles } from '../models/stage';
import { FeatureCache } from '../vision/features/cache';
import { OrtFeatureExtractor } from '../vision/features/ortExtractor';
import { softmaxRows } from '../vision/inference/classify';
import { preprocessImage } from '../vision/preprocess';
import { preprocessBackend } from '../vision/preprocessBackend';
import { RESNET50 } from '../vision/resnet50';
import { writePth } from '../vision/weights/pth';
import { folderOutput } from '../workspace/outputPaths';
import { readModel } from '../vision/weights/safetensors';
import { compareModels, mergeComparisonFile } from './comparison';
import { crossValidationFolds, type Fold } from './folds';
import { loadGoldTrainingSet } from './goldData';
import { trainRun, stack, type FrameFeatures } from './trainer';
import { stateDictToEntries, entriesToStateDict } from '../vision/weights/stateEntries';

export const COMPARISON_FILE = 'v8_comparison.json';

/** v7 → v8; a version without a number needs --version. */
export function nextVersion(version: string): string {
  const match = /^v([0-9]+)/.exec(version);
  if (!match) throw new FramelabError('INVALID_INPUT', `Cannot derive the next version from "${version}": give --version.`);
  return `v${Number(match[1]) + 1}`;
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

async function predict(net: ResNet50Model, features: readonly FrameFeatures[], indices: readonly number[], size: { height: number; width: number }) {
  const logits = await net.forwardFromFeatures(stack(features, indices), indices.length, size);
  const probs = softmaxRows(logits, net.numClasses);
  return indices.map((_, k) => {
    const row = Array.from(probs.subarray(k * net.numClasses, (k + 1) * net.numClasses));
    return { pred: argmax(row), probs: row };
  });
}

const emptyRun = (): FinetuneRunState => ({ folds: {}, current: null, final: null });

export async function runFinetune(ctx: JobContext<FinetuneRunState>, db: Db, home: HomePaths, params: FinetuneParams): Promise<FinetuneResult> {
  const base = getModel(db, params.baseModel);
  const { dimension } = parseModelId(base.id);
  const version = params.version ?? nextVersion(base.version);
  const newId = `${dimension}@${version}`;
  // The snapshot first: an unknown snapshot is the more basic mistake than an existing version.
  const gold = loadGoldTrainingSet(db, home, params.goldSnapshotId, base.classes, { id: base.id, dimension });
  assertNewModel(db, newId);
  const recipe = params.recipe;
  const threads = recipe.threads || os.availableParallelism();
  const cvKinds: CvKind[] = params.cv === 'both' ? ['loo', 'video'] : [params.cv];
  const foldsByCv = new Map(cvKinds.map((cv) => [cv, crossValidationFolds(gold.frames, cv)] as const));
  const totalRuns = [...foldsByCv.values()].reduce((n, f) => n + f.length, 0) + 1;
  const state: FinetuneRunState = ctx.checkpoint ?? emptyRun();

  // The addon first: without it nothing below can run, and the message says how to get it.
  const addon = loadTrainingAddon(appRoot());
  ctx.progress(0.01, `loading ${base.id}`);
  const weightsFile = await verifyModelFile(home, base.weightsPath, base.sha256);
  const baseDict = readModel(weightsFile).tensors;
  const baseEntries = stateDictToEntries(baseDict);

  // Layer-3 features of every gold frame, computed once (shared with earlier runs of any model with these frozen layers).
  const extractor = await OrtFeatureExtractor.open(home.root, base.sha256, baseDict, base.preprocessing, { threads });
  let features: FrameFeatures[];
  try {
    const cache = FeatureCache.inHome(home.root);
    const result = await cache.features(
      gold.frames.map((f) => ({ id: f.frameId, file: f.imageFile, sha256: f.imageSha256 })),
      extractor,
      preprocessImage,
      {
        batchSize: recipe.batchSize,
        checkCancelled: () => ctx.throwIfCancelled(),
        onProgress: (done, total) => ctx.progress(0.01 + (0.04 * done) / total, `layer-3 features: ${done} of ${total} frames`),
      },
    );
    features = result.features.map((f) => f.data);
    ctx.log('info', `layer-3 features: ${result.stats.hits} from the cache, ${result.stats.computed} computed (${extractor.provider}; preprocessing: ${preprocessBackend().detail})`);
  } finally {
    await extractor.close();
  }
  const size = featureSize({ height: base.preprocessing.crop, width: base.preprocessing.crop });
  const labels = gold.frames.map((f) => f.label);

  const net = new addon.ResNet50({ numClasses: base.classes.length, threads, seed: recipe.seed });
  const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  net.setCancelFlag(cancelFlag);
  const watcher = setInterval(() => {
    if (ctx.cancelled) Atomics.store(cancelFlag, 0, 1);
  }, 100);
  const checkCancelled = () => ctx.throwIfCancelled();
  ctx.log('info', `training on ${net.device} with ${threads} threads; ${gold.frames.length} gold frames; ${cvKinds.join(' + ')} cross-validation`);

  try {
    // v7 as is, on every frame (eval mode: its predictions do not depend on the fold).
    net.loadState(baseEntries);
    const v7 = await predict(net, features, gold.frames.map((_, i) => i), size);

    let runIndex = 0;
    const started = Date.now();
    let runsThisAttempt = 0;
    const progress = (epoch: number, loss: number | null, what: string) => {
      const done = runIndex + epoch / recipe.maxEpochs;
      const perRun = runsThisAttempt > 0 ? (Date.now() - started) / 1000 / runsThisAttempt : null;
      const eta = perRun === null ? undefined : perRun * (totalRuns - runIndex - epoch / recipe.maxEpochs);
      ctx.progress(0.05 + (0.93 * done) / totalRuns, `${what} · epoch ${epoch}/${recipe.maxEpochs}${loss === null ? '' : ` · loss ${loss.toFixed(4)}`}`, eta);
    };

    const comparisons = new Map<CvKind, ModelComparison>();
    for (const [cv, folds] of foldsByCv) {
      for (const [k, fold] of folds.entries()) {
        runIndex++;
        if (state.folds[fold.id]) continue;
        const what = `${cv === 'loo' ? 'leave-one-out' : 'leave-one-video-out'} fold ${k + 1}/${folds.length}`;
        state.current = { foldId: fold.id, cv, epochs: [] };
        progress(0, null, what);
        const outcome = await trainRun(net, baseEntries, features, labels, size, recipe, { train: fold.train, runIndex: runIndex - 1 }, {
          checkCancelled,
          onEpoch: (e) => {
            state.current!.epochs.push(e);
            ctx.saveCheckpoint(state);
            progress(e.epoch, e.loss, what);
          },
        });
        const held = await predict(net, features, fold.test, size);
        state.folds[fold.id] = foldOutcome(fold, cv, outcome, held, gold.frames);
        state.current = null;
        ctx.saveCheckpoint(state);
        runsThisAttempt++;
      }
      comparisons.set(cv, compareModels({
        predictions: heldOutPredictions(folds, state, v7, gold.frames),
        classes: base.classes,
        metric: params.metric,
        seed: recipe.seed,
        resamples: params.bootstrapResamples,
        requireSignificant: params.requireSignificant,
      }));
    }

    const deciding = comparisons.get(cvKinds[0]!)!;
    // A folder the caller chose is created when its parent exists (outputPaths); reusing it is no overwrite.
    const outDir = params.outDir !== undefined ? folderOutput(params.outDir) : path.join(home.root, 'runs', 'finetune', ctx.jobId);
    let staged: StagedModel | null = null;
    let pthFile: string | null = null;
    if (deciding.decision.save) {
      runIndex++;
      state.current = null;
      state.final = null; // a resumed job trains the final run again from the start
      const final = await trainRun(net, baseEntries, features, labels, size, recipe, { train: gold.frames.map((_, i) => i), runIndex: runIndex - 1 }, {
        checkCancelled,
        onEpoch: (e) => {
          // Shown live by the run view; not a resume point (the final run is short and repeatable).
          state.final = { epochs: [...(state.final?.epochs ?? []), e], stoppedEarly: false };
          ctx.saveCheckpoint(state);
          progress(e.epoch, e.loss, `${newId} on all ${gold.frames.length} gold frames`);
        },
      });
      state.final = { epochs: final.epochs, stoppedEarly: final.stoppedEarly };
      const dict = entriesToStateDict(net.state());
      ctx.progress(0.99, `saving ${newId}`);
      staged = stageModelFiles(
        home,
        ctx.jobId,
        { id: newId, dimension, version, source: `job:${ctx.jobId}`, activate: false },
        dict,
        {
          architecture: RESNET50,
          classes: base.classes,
          preprocessing: base.preprocessing,
          parentVersion: base.id,
          trainingConfig: { ...recipe, cv: params.cv, goldSnapshotId: gold.snapshotId, frozen: 'conv1, bn1, layer1-3', trained: 'layer4, fc' },
          metrics: { cv: cvKinds[0]!, accuracy: deciding.metrics.v8.accuracy, macroF1: deciding.metrics.v8.macroF1, n: deciding.n },
        },
      );
      pthFile = path.join(outDir, `${dimension}_resnet50_${version}.pth`);
      writePth(pthFile, dict);
    }

    const entry: ComparisonEntry = {
      ...deciding,
      config: { ...recipe, metric: params.metric, bootstrapResamples: params.bootstrapResamples, frozen: 'conv1, bn1, layer1-3', trained: 'layer4, fc', device: net.device },
      goldSnapshotId: gold.snapshotId,
      baseModel: { id: base.id, sha256: base.sha256 },
      newModel: staged ? { id: newId, sha256: staged.weights.sha256 } : null,
      annotationsSource: gold.annotationsSource,
      cv: cvKinds[0]!,
      folds: foldsByCv.get(cvKinds[0]!)!.length,
      createdAt: new Date().toISOString(),
    };
    const comparisonFile = path.join(outDir, COMPARISON_FILE);
    mergeComparisonFile(comparisonFile, dimension, entry);
    ctx.log('info', deciding.decision.reason);
    return {
      dimension,
      entry,
      alsoCv: Object.fromEntries([...comparisons].filter(([cv]) => cv !== cvKinds[0]).map(([cv, c]) => [cv, c])),
      comparisonFile,
      pthFile,
      staged,
      run: state,
    };
  } catch (err) {
    // A cancel that lands inside an addon call rejects it with the addon's own CANCELLED: the job was cancelled, it did not fail.
    throw isCancelled(err) ? cancelledError() : err;
  } finally {
    clearInterval(watcher);
  }
}

function foldOutcome(
  fold: Fold,
  cv: CvKind,
  outcome: { epochs: { epoch: number; loss: number }[]; stoppedEarly: boolean },
  held: { pred: number; probs: number[] }[],
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
  v7: { pred: number; probs: number[] }[],
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
