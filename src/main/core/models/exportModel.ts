/**
 * The `models.export` job: writes a registered model as `.pth` (what the lab's scripts
 * torch.load), safetensors with its sidecar (the canonical format), or ONNX (for inference
 * elsewhere). Runs in a job process; writes only the requested file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { ModelsExportParams, ModelsExportResult } from '../../../shared/models';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import type { JobContext } from '../jobs/context';
import { writeOnnx } from '../vision/onnx/exportResNet50';
import { writePth } from '../vision/weights/pth';
import { readModel, weightsPath, writeModel } from '../vision/weights/safetensors';
import { verifyModelFile } from './importModel';
import { getModel } from './registry';

const EXTENSIONS: Record<ModelsExportParams['format'], string> = { pth: '.pth', safetensors: '.safetensors', onnx: '.onnx' };

export async function runModelExport(ctx: JobContext, db: Db, home: HomePaths, params: ModelsExportParams): Promise<ModelsExportResult> {
  const model = getModel(db, params.model);
  const out = path.resolve(params.out);
  if (!out.endsWith(EXTENSIONS[params.format])) {
    throw new FramelabError('INVALID_INPUT', `--out ${params.out} should end with ${EXTENSIONS[params.format]} for --format ${params.format}.`);
  }
  if (params.part !== 'full' && params.format !== 'onnx') {
    throw new FramelabError('INVALID_INPUT', `--part ${params.part} applies to --format onnx only.`);
  }
  if (!fs.existsSync(path.dirname(out))) throw new FramelabError('INVALID_INPUT', `The folder of --out (${path.dirname(out)}) does not exist.`);

  ctx.progress(0.1, `reading ${model.id}`);
  const file = await verifyModelFile(home, model.weightsPath, model.sha256);
  const { tensors, sidecar } = readModel(file);
  ctx.throwIfCancelled();
  ctx.progress(0.5, `writing ${params.format}`);
  if (params.format === 'pth') writePth(out, tensors);
  else if (params.format === 'safetensors') writeModel(out, tensors, { ...sidecar, parentVersion: model.parentId });
  else writeOnnx(out, tensors, { part: params.part, source: model.id });

  const bytes = fs.readFileSync(params.format === 'safetensors' ? weightsPath(out) : out);
  return {
    model: model.id,
    format: params.format,
    part: params.part,
    out,
    bytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
  };
}
