/**
 * Writing a model's files from a job process: the canonical safetensors + sidecar go to a
 * content-addressed folder under `<home>/files/models/`, so a retried job rewrites the same
 * bytes and never touches another version's files. The owner registers them (registry.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StagedModel } from '../../../shared/models';
import type { HomePaths } from '../home/paths';
import type { StateDict } from '../vision/weights/tensor';
import { writeModel, type SidecarInput } from '../vision/weights/safetensors';
import { absoluteStoredPath } from '../workspace/files';
import { stagedModelDir } from './registry';

export type StageRequest = Omit<
  StagedModel,
  'weights' | 'sidecar' | 'architecture' | 'classes' | 'preprocessing' | 'parentId' | 'trainingConfig' | 'metrics'
>;

export function stageModelFiles(home: HomePaths, jobId: string, model: StageRequest, dict: StateDict, sidecar: SidecarInput): StagedModel {
  // Hash first (in a private staging folder), then move into the folder named by the hash.
  const staging = absoluteStoredPath(home, path.posix.join('models', `.staging-${jobId}`, 'weights'));
  fs.mkdirSync(path.dirname(staging), { recursive: true });
  const written = writeModel(staging, dict, sidecar);
  const dir = stagedModelDir(model.id, written.sha256);
  const weightsRel = path.posix.join(dir, 'weights.safetensors');
  const sidecarRel = `${weightsRel}.json`;
  fs.mkdirSync(absoluteStoredPath(home, dir), { recursive: true });
  fs.renameSync(`${staging}.safetensors`, absoluteStoredPath(home, weightsRel));
  fs.renameSync(`${staging}.safetensors.json`, absoluteStoredPath(home, sidecarRel));
  fs.rmSync(path.dirname(staging), { recursive: true, force: true });
  const sidecarBytes = fs.readFileSync(absoluteStoredPath(home, sidecarRel));
  return {
    ...model,
    architecture: sidecar.architecture,
    classes: [...sidecar.classes],
    preprocessing: sidecar.preprocessing,
    parentId: sidecar.parentVersion,
    trainingConfig: sidecar.trainingConfig,
    metrics: sidecar.metrics,
    weights: { path: weightsRel, sha256: written.sha256, size: fs.statSync(absoluteStoredPath(home, weightsRel)).size },
    sidecar: { path: sidecarRel, sha256: crypto.createHash('sha256').update(sidecarBytes).digest('hex'), size: sidecarBytes.length },
  };
}
