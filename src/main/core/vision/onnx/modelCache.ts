/**
 * ONNX graphs derived from registered weights, exported once and kept under
 * `<home>/cache/onnx/<weights sha256>-<part>-e<exporter version>.onnx`. They are derived data:
 * deleting the folder only costs a re-export.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StateDict } from '../weights/tensor';
import { ONNX_EXPORTER_VERSION, writeOnnx, type ResNet50Part } from './exportResNet50';

export function onnxCacheFile(homeRoot: string, weightsSha256: string, part: ResNet50Part): string {
  return path.join(homeRoot, 'cache', 'onnx', `${weightsSha256}-${part}-e${ONNX_EXPORTER_VERSION}.onnx`);
}

/** The cached graph's path, exporting it first when missing (`load` reads the weights only then). */
export function ensureOnnx(homeRoot: string, weightsSha256: string, part: ResNet50Part, load: () => StateDict, source: string): string {
  const file = onnxCacheFile(homeRoot, weightsSha256, part);
  if (!fs.existsSync(file)) writeOnnx(file, load(), { part, source });
  return file;
}
