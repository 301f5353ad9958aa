/**
 * The `models.import` job: reads a `.pth` state dict (or safetensors), checks it against
 * ResNet-50 with the given classes, and writes the canonical safetensors + sidecar under the
 * files folder. The owner registers the result (registry.ts); this runs in a job process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { IMAGENET_PREPROCESSING, type ModelsImportParams, type ModelsImportResult } from '../../../shared/models';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import type { JobContext } from '../jobs/context';
import { RESNET50, resnet50Shapes } from '../vision/resnet50';
import { readPth } from '../vision/weights/pth';
import { readModel, readSafetensors, sidecarPath, type ModelSidecar } from '../vision/weights/safetensors';
import { stripModulePrefix, widenHalf, type StateDict } from '../vision/weights/tensor';
import { checkStateDict } from '../vision/weights/validate';
import { absoluteStoredPath, sha256OfFile } from '../workspace/files';
import { regularFile } from '../workspace/inputPaths';
import { assertNewModel, assertParentExists, modelId } from './registry';
import { stageModelFiles } from './stage';

interface LoadedWeights {
  dict: StateDict;
  sidecar: ModelSidecar | null;
  notes: string[];
}

function loadWeightsFile(file: string): LoadedWeights {
  regularFile(file, 'weights file');
  const notes: string[] = [];
  if (file.endsWith('.safetensors')) {
    if (fs.existsSync(sidecarPath(file))) {
      regularFile(sidecarPath(file), 'model sidecar');
      const { tensors, sidecar } = readModel(file);
      return { dict: tensors, sidecar, notes };
    }
    return { dict: readSafetensors(file).tensors, sidecar: null, notes };
  }
  const raw = readPth(file, { stripModulePrefix: false });
  const dict = stripModulePrefix(raw);
  if (dict !== raw) notes.push('removed the DataParallel "module." prefix from every key');
  return { dict, sidecar: null, notes };
}

function knownDimensions(db: Db): string[] {
  return (db.prepare('SELECT name FROM dimensions ORDER BY position').all() as { name: string }[]).map((r) => r.name);
}

export async function runModelImport(ctx: JobContext, db: Db, home: HomePaths, params: ModelsImportParams): Promise<ModelsImportResult> {
  const id = modelId(params.dimension, params.version);
  const dimensions = knownDimensions(db);
  if (!dimensions.includes(params.dimension)) {
    throw new FramelabError('INVALID_INPUT', `--dimension "${params.dimension}" is not in the codebook (${dimensions.join(', ')}).`);
  }
  assertNewModel(db, id);
  assertParentExists(db, params.parentId);
  if (new Set(params.classes).size !== params.classes.length) {
    throw new FramelabError('INVALID_INPUT', `--classes has a repeated name: ${params.classes.join(', ')}.`);
  }

  ctx.progress(0.05, `reading ${path.basename(params.file)}`);
  const loaded = loadWeightsFile(params.file);
  ctx.throwIfCancelled();

  const dict: StateDict = new Map();
  let widened = false;
  for (const [key, tensor] of loaded.dict) {
    const wide = widenHalf(tensor);
    widened ||= wide !== tensor;
    dict.set(key, wide);
  }
  if (widened) loaded.notes.push('float16 tensors were widened to float32');
  checkStateDict(
    dict,
    resnet50Shapes(params.classes.length),
    `${params.file} (ResNet-50 with ${params.classes.length} classes: ${params.classes.join(', ')})`,
  );
  if (loaded.sidecar && loaded.sidecar.classes.join('\u0000') !== params.classes.join('\u0000')) {
    throw new FramelabError(
      'INVALID_INPUT',
      `--classes (${params.classes.join(', ')}) differ from the classes in ${sidecarPath(params.file)} (${loaded.sidecar.classes.join(', ')}).`,
    );
  }

  ctx.progress(0.5, 'writing safetensors');
  const preprocessing = params.preprocessing ?? loaded.sidecar?.preprocessing ?? IMAGENET_PREPROCESSING;
  const sidecarInput = {
    architecture: RESNET50,
    classes: params.classes,
    preprocessing,
    parentVersion: params.parentId,
    trainingConfig: loaded.sidecar?.trainingConfig ?? {},
    metrics: loaded.sidecar?.metrics ?? {},
  };
  const model = stageModelFiles(
    home,
    ctx.jobId,
    { id, dimension: params.dimension, version: params.version, source: path.resolve(params.file), activate: params.activate },
    dict,
    sidecarInput,
  );
  ctx.progress(0.95, 'written');
  return { model, notes: loaded.notes };
}

/** Verifies a registered model's weights on disk still match the registry (before using them). */
export async function verifyModelFile(home: HomePaths, weightsPath: string, sha256: string): Promise<string> {
  const file = absoluteStoredPath(home, weightsPath);
  if (!fs.existsSync(file)) throw new FramelabError('NOT_FOUND', `The weights file ${file} is missing; run the workspace integrity check.`);
  const actual = await sha256OfFile(file);
  if (actual !== sha256) throw new FramelabError('INVALID_INPUT', `${file} changed on disk (sha256 ${actual}, registered ${sha256}).`);
  return file;
}
