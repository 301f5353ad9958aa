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
import {
  featureSize,
  isCancelled,
  loadTrainingAddon,
  type ResNet50Model,
  type StateEntry,
  type TrainingAddon,
} from '../../../../native/index';
import { FramelabError } from '../../../shared/errors';
import type {
  ComparisonEntry,
  CvKind,
  FinetuneParams,
  FinetuneRecipe,
  FinetuneResult,
  FinetuneRunState,
  ModelComparison,
} from '../../../shared/finetune';
import type { ModelSummary, StagedModel } from '../../../shared/models';
import { appRoot } from '../appRoot';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { cancelledError, type JobContext } from '../jobs/context';
import { verifyModelFile } from '../models/importModel';
import { assertNewModel, getModel, parseModelId } from '../models/registry';
import { stageModelFiles } from '../models/stage';
import { FeatureCache } from '../vision/features/cache';
import { OrtFeatureExtractor } from '../vision/features/ortExtractor';
import { preprocessImage } from '../vision/preprocess';
import { preprocessBackend } from '../vision/preprocessBackend';
import { RESNET50 } from '../vision/resnet50';
import { writePth } from '../vision/weights/pth';
import { folderOutput } from '../workspace/outputPaths';
import { readModel } from '../vision/weights/safetensors';
import type { StateDict } from '../vision/weights/tensor';
import { mergeComparisonFile } from './comparison';
import { crossValidate, predict, RunProgress, train, type Training } from './crossValidation';
import { crossValidationFolds, type Fold } from './folds';
import { loadGoldTrainingSet, type GoldTrainingSet } from './goldData';
import type { FrameFeatures } from './trainer';
import { stateDictToEntries, entriesToStateDict } from '../vision/weights/stateEntries';

export const COMPARISON_FILE = 'v8_comparison.json';

/** v7 → v8; a version without a number needs --version. */
export function nextVersion(version: string): string {
  const match = /^v([0-9]+)/.exec(version);
  if (!match) throw new FramelabError('INVALID_INPUT', `Cannot derive the next version from "${version}": give --version.`);
  return `v${Number(match[1]) + 1}`;
}

const emptyRun = (): FinetuneRunState => ({ folds: {}, current: null, final: null });

/** What the job will do, checked before anything is loaded: the base, the new model's id, the gold frames and the folds. */
interface FinetunePlan {
  base: ModelSummary;
  dimension: string;
  version: string;
  newId: string;
  gold: GoldTrainingSet;
  threads: number;
  /** The first kind decides; the other (with --cv both) is reported alongside. */
  cvKinds: CvKind[];
  foldsByCv: Map<CvKind, Fold[]>;
  /** Every fold, plus the final run. */
  totalRuns: number;
}

export async function runFinetune(
  ctx: JobContext<FinetuneRunState>,
  db: Db,
  home: HomePaths,
  params: FinetuneParams,
): Promise<FinetuneResult> {
  const plan = planFinetune(db, home, params);
  const { base, gold, cvKinds } = plan;
  const recipe = params.recipe;
  const state: FinetuneRunState = ctx.checkpoint ?? emptyRun();

  // The addon first: without it nothing below can run, and the message says how to get it.
  const addon = loadTrainingAddon(appRoot());
  const { baseDict, baseEntries } = await loadBaseWeights(ctx, home, base);
  const features = await goldFeatures(ctx, home, plan, baseDict, recipe);
  const size = featureSize({ height: base.preprocessing.crop, width: base.preprocessing.crop });
  const labels = gold.frames.map((f) => f.label);

  const { net, stopWatching } = openCancellableNet(ctx, addon, base, plan.threads, recipe.seed);
  const training: Training = { net, baseEntries, features, labels, size, recipe, checkCancelled: () => ctx.throwIfCancelled() };
  ctx.log(
    'info',
    `training on ${net.device} with ${plan.threads} threads; ${gold.frames.length} gold frames; ${cvKinds.join(' + ')} cross-validation`,
  );

  try {
    // v7 as is, on every frame (eval mode: its predictions do not depend on the fold).
    net.loadState(baseEntries);
    const v7 = await predict(
      net,
      features,
      gold.frames.map((_, i) => i),
      size,
    );
    const progress = new RunProgress(ctx, recipe.maxEpochs, plan.totalRuns);
    const comparisons = await crossValidate(ctx, training, progress, state, plan.foldsByCv, gold.frames, v7, {
      ...params,
      classes: base.classes,
    });

    const deciding = comparisons.get(cvKinds[0]!)!;
    // A folder the caller chose is created when its parent exists (outputPaths); reusing it is no overwrite.
    const outDir = params.outDir !== undefined ? folderOutput(params.outDir) : path.join(home.root, 'runs', 'finetune', ctx.jobId);
    let staged: StagedModel | null = null;
    let pthFile: string | null = null;
    if (deciding.decision.save) {
      const dict = await trainFinalModel(ctx, training, progress, state, plan);
      ctx.progress(0.99, `saving ${plan.newId}`);
      staged = stageNewModel(ctx, home, plan, params, deciding, dict);
      pthFile = path.join(outDir, `${plan.dimension}_resnet50_${plan.version}.pth`);
      writePth(pthFile, dict);
    }

    const entry = comparisonEntry(plan, params, deciding, net.device, staged);
    const comparisonFile = path.join(outDir, COMPARISON_FILE);
    mergeComparisonFile(comparisonFile, plan.dimension, entry);
    ctx.log('info', deciding.decision.reason);
    return {
      dimension: plan.dimension,
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
    stopWatching();
  }
}

function planFinetune(db: Db, home: HomePaths, params: FinetuneParams): FinetunePlan {
  const base = getModel(db, params.baseModel);
  const { dimension } = parseModelId(base.id);
  const version = params.version ?? nextVersion(base.version);
  const newId = `${dimension}@${version}`;
  // The snapshot first: an unknown snapshot is the more basic mistake than an existing version.
  const gold = loadGoldTrainingSet(db, home, params.goldSnapshotId, base.classes, { id: base.id, dimension });
  assertNewModel(db, newId);
  const threads = params.recipe.threads || os.availableParallelism();
  const cvKinds: CvKind[] = params.cv === 'both' ? ['loo', 'video'] : [params.cv];
  const foldsByCv = new Map(cvKinds.map((cv) => [cv, crossValidationFolds(gold.frames, cv)] as const));
  const totalRuns = [...foldsByCv.values()].reduce((n, f) => n + f.length, 0) + 1;
  return { base, dimension, version, newId, gold, threads, cvKinds, foldsByCv, totalRuns };
}

async function loadBaseWeights(
  ctx: JobContext<FinetuneRunState>,
  home: HomePaths,
  base: ModelSummary,
): Promise<{ baseDict: StateDict; baseEntries: StateEntry[] }> {
  ctx.progress(0.01, `loading ${base.id}`);
  const weightsFile = await verifyModelFile(home, base.weightsPath, base.sha256);
  const baseDict = readModel(weightsFile).tensors;
  return { baseDict, baseEntries: stateDictToEntries(baseDict) };
}

/** Layer-3 features of every gold frame, computed once (shared with earlier runs of any model with these frozen layers). */
async function goldFeatures(
  ctx: JobContext<FinetuneRunState>,
  home: HomePaths,
  plan: FinetunePlan,
  baseDict: StateDict,
  recipe: FinetuneRecipe,
): Promise<FrameFeatures[]> {
  const { base, gold } = plan;
  const extractor = await OrtFeatureExtractor.open(home.root, base.sha256, baseDict, base.preprocessing, { threads: plan.threads });
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
    const features = result.features.map((f) => f.data);
    ctx.log(
      'info',
      `layer-3 features: ${result.stats.hits} from the cache, ${result.stats.computed} computed (${extractor.provider}; preprocessing: ${preprocessBackend().detail})`,
    );
    return features;
  } finally {
    await extractor.close();
  }
}

/** The net the runs train, with the job's cancel passed to the addon (which checks a shared flag mid-call). */
function openCancellableNet(
  ctx: JobContext<FinetuneRunState>,
  addon: TrainingAddon,
  base: ModelSummary,
  threads: number,
  seed: number,
): { net: ResNet50Model; stopWatching: () => void } {
  const net = new addon.ResNet50({ numClasses: base.classes.length, threads, seed });
  const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  net.setCancelFlag(cancelFlag);
  const watcher = setInterval(() => {
    if (ctx.cancelled) Atomics.store(cancelFlag, 0, 1);
  }, 100);
  return { net, stopWatching: () => clearInterval(watcher) };
}

/** v8 trained on every gold frame; its weights. */
async function trainFinalModel(
  ctx: JobContext<FinetuneRunState>,
  training: Training,
  progress: RunProgress,
  state: FinetuneRunState,
  plan: FinetunePlan,
): Promise<StateDict> {
  const { gold, newId } = plan;
  const runIndex = progress.nextRun();
  state.current = null;
  state.final = null; // a resumed job trains the final run again from the start
  const final = await train(
    training,
    { train: gold.frames.map((_, i) => i), runIndex },
    {
      checkCancelled: training.checkCancelled,
      onEpoch: (e) => {
        // Shown live by the run view; not a resume point (the final run is short and repeatable).
        state.final = { epochs: [...(state.final?.epochs ?? []), e], stoppedEarly: false };
        ctx.saveCheckpoint(state);
        progress.report(e.epoch, e.loss, `${newId} on all ${gold.frames.length} gold frames`);
      },
    },
  );
  state.final = { epochs: final.epochs, stoppedEarly: final.stoppedEarly };
  return entriesToStateDict(training.net.state());
}

/** v8's files staged for the registry (the job's result adds it), with its parent, recipe and deciding metrics. */
function stageNewModel(
  ctx: JobContext<FinetuneRunState>,
  home: HomePaths,
  plan: FinetunePlan,
  params: FinetuneParams,
  deciding: ModelComparison,
  dict: StateDict,
): StagedModel {
  const { base, gold, cvKinds } = plan;
  return stageModelFiles(
    home,
    ctx.jobId,
    { id: plan.newId, dimension: plan.dimension, version: plan.version, source: `job:${ctx.jobId}`, activate: false },
    dict,
    {
      architecture: RESNET50,
      classes: base.classes,
      preprocessing: base.preprocessing,
      parentVersion: base.id,
      trainingConfig: {
        ...params.recipe,
        cv: params.cv,
        goldSnapshotId: gold.snapshotId,
        frozen: 'conv1, bn1, layer1-3',
        trained: 'layer4, fc',
      },
      metrics: { cv: cvKinds[0]!, accuracy: deciding.metrics.v8.accuracy, macroF1: deciding.metrics.v8.macroF1, n: deciding.n },
    },
  );
}

/** The deciding comparison as the comparison file records it (v8_comparison.json). */
function comparisonEntry(
  plan: FinetunePlan,
  params: FinetuneParams,
  deciding: ModelComparison,
  device: string,
  staged: StagedModel | null,
): ComparisonEntry {
  const { base, gold, cvKinds } = plan;
  return {
    ...deciding,
    config: {
      ...params.recipe,
      metric: params.metric,
      bootstrapResamples: params.bootstrapResamples,
      frozen: 'conv1, bn1, layer1-3',
      trained: 'layer4, fc',
      device,
    },
    goldSnapshotId: gold.snapshotId,
    baseModel: { id: base.id, sha256: base.sha256 },
    newModel: staged ? { id: plan.newId, sha256: staged.weights.sha256 } : null,
    annotationsSource: gold.annotationsSource,
    cv: cvKinds[0]!,
    folds: plan.foldsByCv.get(cvKinds[0]!)!.length,
    createdAt: new Date().toISOString(),
  };
}
