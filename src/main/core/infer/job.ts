/**
 * The `infer.run` job: a folder of videos through the registered models into the output
 * folder's CSVs. Resumable from the folder itself (outputState.ts): the same params on the same
 * folder pick up the videos not yet saved, and the CSVs are rendered from every saved video.
 * With a bucket target (outputTarget.ts) the folder's state is copied to the bucket at each
 * checkpoint and restored from it first, so the same params resume on a machine with an empty disk.
 */
import os from 'node:os';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { InferCheckpoint, InferParams, InferResult, InferTimings } from '../../../shared/infer';
import type { ModelSummary } from '../../../shared/models';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { cancelledError, type JobContext } from '../jobs/context';
import { verifyModelFile } from '../models/importModel';
import { getModel } from '../models/registry';
import { OrtSession } from '../vision/inference/session';
import { ensureOnnx } from '../vision/onnx/modelCache';
import { preprocessingKey, preprocessRgbBatch, type PreprocessingConfig } from '../vision/preprocess';
import { preprocessBackend } from '../vision/preprocessBackend';
import type { RgbImage } from '../vision/preprocessResample';
import { readModel } from '../vision/weights/safetensors';
import { resolveCredentials } from '../sync/credentials';
import { SyncFailure } from '../sync/failure';
import { createBucketClient } from '../sync/gcs';
import { readSyncSettings } from '../sync/settings';
import { bucketError, checkBucketState, discardBucketState, readBucketState, restoreParts } from './bucketState';
import { parseGsUrl } from './gsUrl';
import { renderCsvs, type VideoRecord } from './outputs';
import { modelsSidecar, openOutput, PARTS_DIR, readParts, writeCsvFiles, type InferManifest } from './outputState';
import { outputTarget, prepareStaging, type OutputTarget } from './outputTarget';
import { runPipeline, type PipelineModel, type PipelineTimings } from './pipeline';
import { hardwareDecoder } from './hwaccel';
import { accountingLine, inferTimings } from './runAccounting';
import { Checkpoints, InferProgress, uploadItems } from './runProgress';
import { checkpointUploader, type CheckpointUploader, type UploadItem } from './upload';
import { inShard, type VideoEntry } from './videoList';
import { listVideoSource } from './videoSource';

export function manifestFor(models: readonly ModelSummary[], params: InferParams): InferManifest {
  return {
    format: 1,
    models: models.map((m) => ({ id: m.id, dimension: m.dimension, sha256: m.sha256, classes: m.classes, preprocessing: m.preprocessing })),
    sampling: params.sampling,
    shard: params.shard,
  };
}

function resolveModels(db: Db, ids: readonly string[]): ModelSummary[] {
  const models = ids.map((id) => getModel(db, id));
  const seen = new Set<string>();
  for (const m of models) {
    if (seen.has(m.dimension))
      throw new FramelabError(
        'INVALID_INPUT',
        `Two models of dimension ${m.dimension}: give one version per dimension (their columns would collide).`,
      );
    seen.add(m.dimension);
  }
  return models;
}

type Prepare = (image: RgbImage, preprocessing: Partial<PreprocessingConfig>) => Float32Array;

/**
 * preprocessRgbBatch for one frame, shared by the models: the pipeline prepares a frame for each
 * model in turn, so models with the same preprocessing get the same (read-only) input, computed once.
 */
function sharedPreparer(): Prepare {
  let last: RgbImage | null = null;
  let inputs = new Map<string, Float32Array>();
  return (image, preprocessing) => {
    if (image !== last) {
      last = image;
      inputs = new Map();
    }
    const key = preprocessingKey(preprocessing);
    let input = inputs.get(key);
    if (!input) inputs.set(key, (input = preprocessRgbBatch([image], preprocessing)));
    return input;
  };
}

async function openModel(
  home: HomePaths,
  model: ModelSummary,
  params: InferParams,
  threads: number,
  ctx: JobContext,
  prepare: Prepare,
): Promise<{ model: PipelineModel; session: OrtSession }> {
  const file = await verifyModelFile(home, model.weightsPath, model.sha256);
  const onnx = ensureOnnx(home.root, model.sha256, 'full', () => readModel(file).tensors, model.id);
  const session = await OrtSession.open(onnx, { threads, batchSize: params.batchSize });
  if (session.fallbackReason) ctx.log('info', `${model.id} runs on the CPU: ${session.fallbackReason}`);
  const n = model.classes.length;
  return {
    session,
    model: {
      dimension: model.dimension,
      prepare: (image) => prepare(image, model.preprocessing),
      classify: async (input, count) => {
        const { probabilities } = await session.classify(input, count);
        return Array.from({ length: count }, (_, i) => Array.from(probabilities.subarray(i * n, (i + 1) * n)));
      },
    },
  };
}

/**
 * Opens the run's state folder, first reconciling it with the bucket copy when there is one:
 * another run's manifest there is refused, --fresh deletes the earlier run's objects, otherwise
 * the bucket's parts the folder lacks are downloaded. Returns whether the state (manifest and
 * parts) may be uploaded: not when the bucket could not be read for an `--upload` copy (a
 * warning; the folder is the output), since parts sent then could mix with another run's.
 */
async function openState(
  db: Db,
  target: OutputTarget,
  manifest: InferManifest,
  fresh: boolean,
  ctx: JobContext,
  uploader: CheckpointUploader | null,
): Promise<boolean> {
  const url = target.bucketUrl;
  const gs = url ? parseGsUrl(url) : null;
  if (!url || !gs || !uploader) {
    openOutput(target.stateDir, manifest, fresh);
    return false;
  }
  const unreachable = (err: unknown, doing: string): false => {
    if (target.bucketIsOutput || !(err instanceof SyncFailure)) throw bucketError(err, doing);
    ctx.log(
      'warn',
      `${doing}: ${err.message}. The results are still uploaded at checkpoints, but not the parts: this run cannot be resumed from the bucket.`,
    );
    return false;
  };
  let client;
  let state;
  try {
    client = await createBucketClient(gs.bucket, resolveCredentials(readSyncSettings(db)));
    state = await readBucketState(client, url, gs);
  } catch (err) {
    openOutput(target.stateDir, manifest, fresh);
    return unreachable(err, `could not read the saved run in ${url}`);
  }
  if (!fresh) checkBucketState(state, manifest);
  openOutput(target.stateDir, manifest, fresh);
  try {
    if (fresh) await discardBucketState(client, state, gs, (m) => ctx.log('info', m));
    else uploader.markSent((await restoreParts(client, state, target.stateDir, (m) => ctx.log('info', m))).map((n) => `${PARTS_DIR}/${n}`));
  } catch (err) {
    return unreachable(err, fresh ? `could not delete the earlier run from ${url}` : `could not restore the saved parts from ${url}`);
  }
  return true;
}

export async function runInfer(ctx: JobContext<InferCheckpoint>, db: Db, home: HomePaths, params: InferParams): Promise<InferResult> {
  const target = outputTarget(home.root, params);
  const outDir = target.stateDir;
  if (target.bucketIsOutput) prepareStaging(home.root, outDir);
  const models = resolveModels(db, params.models);
  const all = inShard(
    await listVideoSource(db, home, parseGsUrl(params.videos) ? params.videos : path.resolve(params.videos), params.keepCache ?? false),
    params.shard,
  );
  const manifest = manifestFor(models, params);
  const uploader = target.bucketUrl
    ? checkpointUploader(db, target.bucketUrl, { warn: (m) => ctx.log('warn', m), info: (m) => ctx.log('info', m) })
    : null;
  // A resumed attempt of a --fresh job keeps what its first attempt saved.
  const stateInBucket = await openState(db, target, manifest, params.fresh && ctx.checkpoint === null, ctx, uploader);
  const { saved, todo } = videosToGo(ctx, outDir, all, params.videos, target.outDir);
  const resumedFrom = saved.length;

  const progress = new InferProgress(ctx, resumedFrom, saved.filter((r) => r.error).length, todo.length);
  const columns = models.map((m) => ({ dimension: m.dimension, classes: m.classes }));
  const savedFiles = uploadItems(outDir, stateInBucket, columns, manifest);
  const checkpoints = new Checkpoints(ctx, outDir, progress, uploader, savedFiles);
  const accounting = todo.length ? await inferVideos(ctx, home, params, models, todo, progress, checkpoints, uploader) : null;

  ctx.progress(0.99, 'writing the CSVs');
  const records = readParts(outDir);
  writeCsvFiles(outDir, { ...renderCsvs(columns, records), ...modelsSidecar(manifest) });
  if (uploader) await uploadResults(ctx, uploader, savedFiles, target);
  return {
    videos: records.length,
    frames: records.reduce((s, r) => s + r.tenths.length, 0),
    errors: records.filter((r) => r.error).length,
    outDir: target.outDir,
    resumedFrom,
    // Only when this run decoded frames: a run that found every video done has nothing to account for.
    ...(accounting ? { timings: accounting } : {}),
  };
}

/** The saved videos (a resumed run), and the listed ones not saved yet; a saved video no longer listed keeps its rows. */
function videosToGo(
  ctx: JobContext<InferCheckpoint>,
  stateDir: string,
  all: readonly VideoEntry[],
  videos: string,
  outDir: string,
): { saved: VideoRecord[]; todo: VideoEntry[] } {
  const saved = readParts(stateDir);
  const savedIds = new Set(saved.map((r) => r.videoId));
  const listed = new Set(all.map((v) => v.videoId));
  const strays = saved.filter((r) => !listed.has(r.videoId));
  if (strays.length)
    ctx.log('warn', `${strays.length} saved video(s) are no longer in ${videos} (e.g. ${strays[0]!.videoId}); their rows are kept.`);
  const todo = all.filter((v) => !savedIds.has(v.videoId));
  if (saved.length) ctx.log('info', `resuming: ${saved.length} video(s) already in ${outDir}, ${todo.length} to go`);
  return { saved, todo };
}

/**
 * The videos to go through the models (pipeline.ts), saved at each checkpoint; the run's
 * accounting, also logged as the benchmark line. A cancel throws once the finished videos are saved.
 */
async function inferVideos(
  ctx: JobContext<InferCheckpoint>,
  home: HomePaths,
  params: InferParams,
  models: readonly ModelSummary[],
  todo: readonly VideoEntry[],
  progress: InferProgress,
  checkpoints: Checkpoints,
  uploader: CheckpointUploader | null,
): Promise<InferTimings> {
  ctx.progress(0.01, `loading ${models.map((m) => m.id).join(', ')}`);
  const threads = params.modelThreads ?? os.availableParallelism();
  ctx.log(
    'info',
    `preprocessing: ${preprocessBackend().detail}; decoding: ${(await hardwareDecoder()).detail}; models: ${threads} thread(s) each`,
  );
  const timings: PipelineTimings = { fetchMs: 0, probeMs: 0, decodeMs: 0, prepareMs: 0, perFrame: 0 };
  let pipelineStarted = Date.now();
  const opened: { model: PipelineModel; session: OrtSession }[] = [];
  try {
    const prepare = sharedPreparer();
    for (const m of models) opened.push(await openModel(home, m, params, threads, ctx, prepare));
    pipelineStarted = Date.now();
    await runPipeline(
      todo,
      opened.map((o) => o.model),
      {
        workers: params.workers,
        batchSize: params.batchSize,
        sampling: params.sampling,
        timings,
        stopped: () => ctx.cancelled,
        onVideo: (record) => {
          progress.videoDone(record);
          checkpoints.add(record, params.checkpointEvery);
          progress.report();
        },
        onWarning: (videoId, message) => ctx.log('warn', `${videoId}: ${message}`),
        onBatch: (n, ms) => progress.batchDone(n, ms),
      },
    );
  } finally {
    // Whole videos finished before a cancel or a failure are kept for the next run, and the
    // uploads under way finish before the job ends: a cancel or pause (or a spot VM's
    // shutdown, if it stops the job first) must not leave the last part only on this disk.
    checkpoints.flush();
    for (const o of opened) await o.session.close();
    await uploader?.settle();
  }
  if (ctx.cancelled) throw cancelledError();
  // The benchmark line: end-to-end vs model-only frames/s on the same frames of this run, and
  // per stage what it worked and waited, and what bounded the run (runAccounting.ts).
  const accounting = inferTimings(timings, {
    frames: progress.frames,
    seconds: (Date.now() - pipelineStarted) / 1000,
    modelMs: progress.modelMs,
    workers: params.workers,
  });
  ctx.log('info', accountingLine(accounting));
  return accounting;
}

/** The final upload of the results (and the state not sent yet). */
async function uploadResults(
  ctx: JobContext<InferCheckpoint>,
  uploader: CheckpointUploader,
  savedFiles: () => UploadItem[],
  target: OutputTarget,
): Promise<void> {
  ctx.progress(0.995, `uploading the results to ${target.bucketUrl}`);
  uploader.schedule(savedFiles, 'final');
  const failure = await uploader.settle();
  // An --upload copy that failed is a warning (the folder is the output); a bucket output must hold the results.
  if (failure && target.bucketIsOutput) {
    throw new FramelabError(
      'SERVER_UNREACHABLE',
      `The results could not be uploaded to ${target.bucketUrl}: ${failure}. Nothing is lost: they are in ${target.stateDir}, and running the same command again uploads them.`,
    );
  }
}
