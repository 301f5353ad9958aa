/**
 * safetensors (the canonical weights format) and the model's JSON sidecar.
 *
 * Layout: u64 little-endian header length N, N bytes of JSON (padded with spaces to a multiple
 * of 8), then the tensor bytes. Header: {name: {dtype, shape, data_offsets: [begin, end]}} with
 * offsets relative to the data section, plus an optional `__metadata__` string map.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { FramelabError } from '../../../../shared/errors';
import { zodMessage } from '../../zodMessage';
import { assertTensor, DTYPE_BYTES, fromLittleEndian, numel, toLittleEndian, type DType, type StateDict } from './tensor';
import { Preprocessing } from '../../../../shared/models';
import { writeFileAtomic } from '../../workspace/atomic';
import { describeJsonError } from '../../workspace/describeContent';
import { readRegularFile } from '../../workspace/inputPaths';

const TO_ST: Record<DType, string> = { float32: 'F32', float16: 'F16', int64: 'I64' };
const FROM_ST: Record<string, DType> = { F32: 'float32', F16: 'float16', I64: 'int64' };
const MAX_HEADER = 100 * 1024 * 1024;

export function encodeSafetensors(dict: StateDict, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const blobs: Buffer[] = [];
  let offset = 0;
  for (const [key, tensor] of dict) {
    if (key === '__metadata__') throw new FramelabError('INVALID_INPUT', 'A tensor cannot be named "__metadata__" in safetensors.');
    assertTensor(key, tensor, 'writeSafetensors');
    const bytes = toLittleEndian(tensor);
    header[key] = { dtype: TO_ST[tensor.dtype], shape: tensor.shape, data_offsets: [offset, offset + bytes.length] };
    blobs.push(bytes);
    offset += bytes.length;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = Buffer.concat([json, Buffer.alloc(padded - json.length, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, ...blobs]);
}

export interface SafetensorsFile {
  tensors: StateDict;
  metadata: Record<string, string>;
}

export function decodeSafetensors(buf: Buffer, file: string): SafetensorsFile {
  const bad = (why: string): never => {
    throw new FramelabError('INVALID_INPUT', `${file} is not a valid safetensors file: ${why}.`);
  };
  if (buf.length < 8) bad('it is shorter than its 8-byte header length');
  const n = buf.readBigUInt64LE(0);
  if (n > BigInt(Math.min(MAX_HEADER, buf.length - 8))) bad(`its header length ${n} exceeds the file`);
  const headerEnd = 8 + Number(n);
  let header: unknown;
  const headerText = buf.toString('utf8', 8, headerEnd);
  try {
    header = JSON.parse(headerText);
  } catch (err) {
    bad(`its header cannot be read: ${describeJsonError(err, headerText)}`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) bad('its header is not a JSON object');
  const data = buf.subarray(headerEnd);
  const tensors: StateDict = new Map();
  let metadata: Record<string, string> = {};
  const spans: { key: string; begin: number; end: number }[] = [];
  for (const [key, info] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') {
      if (!info || typeof info !== 'object' || Object.values(info).some((v) => typeof v !== 'string'))
        bad('__metadata__ is not a map of strings');
      metadata = info as Record<string, string>;
      continue;
    }
    const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = typeof t?.dtype === 'string' ? FROM_ST[t.dtype] : undefined;
    if (!dtype) bad(`tensor "${key}" has dtype ${JSON.stringify(t?.dtype)} (F32, F16 and I64 are supported)`);
    const shape = t.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`tensor "${key}" has a malformed shape`);
    const offsets = t.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isInteger(d) && d >= 0))
      bad(`tensor "${key}" has malformed data_offsets`);
    const [begin, end] = offsets as [number, number];
    const bytes = numel(shape as number[]) * DTYPE_BYTES[dtype!];
    if (end - begin !== bytes)
      bad(`tensor "${key}" has shape [${(shape as number[]).join(', ')}] (${bytes} bytes) but data_offsets [${begin}, ${end}]`);
    if (end > data.length) bad(`tensor "${key}" ends at byte ${end} beyond the data (${data.length} bytes)`);
    spans.push({ key, begin, end });
    tensors.set(key, { dtype: dtype!, shape: shape as number[], data: fromLittleEndian(data, begin, dtype!, bytes / DTYPE_BYTES[dtype!]) });
  }
  // The spec forbids overlaps and holes: the tensors tile the data section exactly.
  const sorted = [...spans].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const s of sorted) {
    if (s.begin !== cursor) bad(`tensor "${s.key}" starts at byte ${s.begin}, expected ${cursor} (overlap or hole)`);
    cursor = s.end;
  }
  if (cursor !== data.length) bad(`${data.length - cursor} bytes after the last tensor`);
  return { tensors, metadata };
}

function readBytes(file: string): Buffer {
  try {
    // Not a FIFO or a device: either would block or never end.
    return readRegularFile(file, 'file');
  } catch (err) {
    if (err instanceof FramelabError) throw err;
    throw new FramelabError('INVALID_INPUT', `Cannot read ${file}: ${(err as Error).message}`);
  }
}

export function writeSafetensors(file: string, dict: StateDict, metadata: Record<string, string> = {}): void {
  writeFileAtomic(file, encodeSafetensors(dict, metadata));
}

export function readSafetensors(file: string): SafetensorsFile {
  return decodeSafetensors(readBytes(file), file);
}

// ---------------------------------------------------------------------------------------------
// The sidecar: everything needed to use and trace the weights.

/** One definition of preprocessing, shared with the API (src/shared/models.ts). */
export const preprocessingSchema = Preprocessing;

export const sidecarSchema = z.object({
  architecture: z.string().min(1),
  classes: z.array(z.string()),
  preprocessing: preprocessingSchema,
  parentVersion: z.string().nullable(),
  trainingConfig: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type ModelSidecar = z.infer<typeof sidecarSchema>;
export type SidecarInput = Omit<ModelSidecar, 'sha256'>;

/** `x` → `x.safetensors`; a path already ending in `.safetensors` is kept. */
export function weightsPath(base: string): string {
  return base.endsWith('.safetensors') ? base : `${base}.safetensors`;
}

export function sidecarPath(base: string): string {
  return `${weightsPath(base)}.json`;
}

/** The bytes of a model's safetensors file and of its sidecar (with the weights' sha256), validated; `file` names it in errors. */
export function modelFiles(
  file: string,
  dict: StateDict,
  sidecar: SidecarInput,
): { weights: Buffer; sidecarJson: Buffer; sidecar: ModelSidecar } {
  const weights = encodeSafetensors(dict, { format: 'pt', architecture: sidecar.architecture });
  const full: ModelSidecar = { ...sidecar, sha256: crypto.createHash('sha256').update(weights).digest('hex') };
  const parsed = sidecarSchema.safeParse(full);
  if (!parsed.success) throw new FramelabError('INVALID_INPUT', `Model sidecar for ${file}: ${zodMessage(parsed.error)}`);
  return { weights, sidecarJson: Buffer.from(`${JSON.stringify(full, null, 2)}\n`, 'utf8'), sidecar: full };
}

/** Writes `<base>.safetensors` and its sidecar `<base>.safetensors.json` (with the file's sha256). */
export function writeModel(base: string, dict: StateDict, sidecar: SidecarInput): ModelSidecar {
  const file = weightsPath(base);
  const files = modelFiles(file, dict, sidecar);
  writeFileAtomic(file, files.weights);
  writeFileAtomic(sidecarPath(base), files.sidecarJson);
  return files.sidecar;
}

/** Reads a model and its sidecar, verifying the weights' sha256 against the sidecar. */
export function readModel(base: string): { tensors: StateDict; metadata: Record<string, string>; sidecar: ModelSidecar } {
  const file = weightsPath(base);
  const jsonFile = sidecarPath(base);
  let raw: unknown;
  let text: string | undefined;
  try {
    text = readBytes(jsonFile).toString('utf8');
    raw = JSON.parse(text);
  } catch (err) {
    if (err instanceof FramelabError) throw err;
    throw new FramelabError('INVALID_INPUT', `${jsonFile} cannot be read as a model sidecar: ${describeJsonError(err, text)}.`);
  }
  const parsed = sidecarSchema.safeParse(raw);
  if (!parsed.success) throw new FramelabError('INVALID_INPUT', `${jsonFile}: ${zodMessage(parsed.error)}`);
  const bytes = readBytes(file);
  const actual = crypto.createHash('sha256').update(bytes).digest('hex');
  if (actual !== parsed.data.sha256) {
    throw new FramelabError(
      'INVALID_INPUT',
      `${file} does not match its sidecar: key "sha256" in ${jsonFile} is ${parsed.data.sha256} but the file hashes to ${actual} (modified or corrupted weights).`,
    );
  }
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  return { tensors, metadata, sidecar: parsed.data };
}
