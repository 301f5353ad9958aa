/**
 * The `models.predict` job: a registered model on a few images, through ONNX Runtime (CUDA
 * when its provider is present). The same preprocessing and graph batch inference uses.
 */
import fs from 'node:fs';
import os from 'node:os';
import { FramelabError } from '../../../shared/errors';
import type { ModelsPredictParams, ModelsPredictResult, Prediction } from '../../../shared/models';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import type { JobContext } from '../jobs/context';
import { OrtSession } from '../vision/inference/session';
import { ensureOnnx } from '../vision/onnx/modelCache';
import { preprocessBatch } from '../vision/preprocess';
import { preprocessBackend } from '../vision/preprocessBackend';
import { readModel } from '../vision/weights/safetensors';
import { regularFile } from '../workspace/inputPaths';
import { verifyModelFile } from './importModel';
import { getModel } from './registry';

export async function runModelPredict(ctx: JobContext, db: Db, home: HomePaths, params: ModelsPredictParams): Promise<ModelsPredictResult> {
  const model = getModel(db, params.model);
  const missing = params.images.filter((image) => !fs.existsSync(image));
  if (missing.length) throw new FramelabError('INVALID_INPUT', `Image not found: ${missing.join(', ')}.`);
  for (const image of params.images) regularFile(image, 'image');

  ctx.progress(0.02, `preparing ${model.id}`);
  const file = await verifyModelFile(home, model.weightsPath, model.sha256);
  const onnx = ensureOnnx(home.root, model.sha256, 'full', () => readModel(file).tensors, model.id);
  const session = await OrtSession.open(onnx, { threads: os.availableParallelism(), batchSize: params.batchSize });
  if (session.fallbackReason) ctx.log('info', `running on the CPU: ${session.fallbackReason}`);
  ctx.log('info', `preprocessing: ${preprocessBackend().detail}`);
  try {
    const predictions: Prediction[] = [];
    const started = Date.now();
    for (let start = 0; start < params.images.length; start += params.batchSize) {
      ctx.throwIfCancelled();
      const batch = params.images.slice(start, start + params.batchSize);
      const input = await preprocessBatch(batch, model.preprocessing);
      const { probabilities, predictions: best } = await session.classify(input, batch.length);
      batch.forEach((image, i) => {
        const row = probabilities.subarray(i * model.classes.length, (i + 1) * model.classes.length);
        predictions.push({
          image,
          class: model.classes[best[i]!.classIndex]!,
          confidence: best[i]!.confidence,
          probabilities: Object.fromEntries(model.classes.map((c, k) => [c, row[k]!])),
        });
      });
      const done = start + batch.length;
      const rate = done / ((Date.now() - started) / 1000);
      ctx.progress(
        0.1 + (0.9 * done) / params.images.length,
        `${done} of ${params.images.length} images`,
        (params.images.length - done) / rate,
      );
    }
    return { model: model.id, provider: session.provider, predictions };
  } finally {
    await session.close();
  }
}
