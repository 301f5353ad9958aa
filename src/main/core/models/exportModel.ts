/**
 * The `models.export` job: writes a registered model as `.pth` (what the lab's scripts
 * torch.load), safetensors with its sidecar (the canonical format), or ONNX (for inference
 * elsewhere). Runs in a job process; writes only the requested file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { FramelabError } from '../../../shared/errors';
import type { ModelsExportParams, ModelsExportResult } from '../../../shared/models';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import type { JobContext } from '../jobs/context';
import { exportResNet50Onnx } from '../vision/onnx/exportResNet50';
import { encodePth } from '../vision/weights/pth';
import { modelFiles, readModel } from '../vision/weights/safetensors';
import { checkFiles, modelExportFiles } from '../jobs/outputChecks';
import { writeOutputFile } from '../workspace/outputPaths';
import { verifyModelFile } from './importModel';
import { getModel } from './registry';

export async function runModelExport(ctx: JobContext, db: Db, home: HomePaths, params: ModelsExportParams): Promise<ModelsExportResult> {
  const model = getModel(db, params.model);
  if (params.part !== 'full' && params.format !== 'onnx') {
    throw new FramelabError('INVALID_INPUT', `--part ${params.part} applies to --format onnx only.`);
  }
  // The paths are checked before the weights are read, and again as each file is written.
  const [weightsOut, sidecarOut] = modelExportFiles(params);
  checkFiles([weightsOut!, sidecarOut ?? null]);

  ctx.progress(0.1, `reading ${model.id}`);
  const file = await verifyModelFile(home, model.weightsPath, model.sha256);
  const { tensors, sidecar } = readModel(file);
  ctx.throwIfCancelled();
  ctx.progress(0.5, `writing ${params.format}`);
  let out: string;
  if (params.format === 'pth') out = writeOutputFile(weightsOut!.file, encodePth(tensors), weightsOut!.rules);
  else if (params.format === 'onnx')
    out = writeOutputFile(weightsOut!.file, exportResNet50Onnx(tensors, { part: params.part, source: model.id }), weightsOut!.rules);
  else {
    const files = modelFiles(weightsOut!.file, tensors, { ...sidecar, parentVersion: model.parentId });
    out = writeOutputFile(weightsOut!.file, files.weights, weightsOut!.rules);
    writeOutputFile(sidecarOut!.file, files.sidecarJson, sidecarOut!.rules);
  }

  const bytes = fs.readFileSync(out);
  return {
    model: model.id,
    format: params.format,
    part: params.part,
    out,
    bytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
  };
}
