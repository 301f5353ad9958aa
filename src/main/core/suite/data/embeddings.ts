import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../../shared/errors';
import { readTorchObject, tensorProblem } from '../../vision/weights/pth';
import type { Tensor } from '../../vision/weights/tensor';
import { decodeUtf8 } from '../../workspace/utf8Text';
import { readNpy, readNpz, type NpyArray } from './npy';
import { readRegularFile } from '../../workspace/inputPaths';

/**
 * Per-video embedding vectors from the formats the lab has: `fused.pt` (torch.save of
 * {"ids": [...], "fused": Tensor[n, d]}), a `.npy` matrix with an ids.txt (one id a line, in
 * row order), an `.npz` with "ids" and one 2-d array, or a Parquet manifest (video_id, path,
 * row) pointing into `.npy`/`.npz` shards (read by the caller with DuckDB, see dataset.ts).
 */
export interface Embeddings {
  source: string;
  ids: string[];
  dim: number;
  /** ids.length × dim, row-major. */
  data: Float64Array;
}

function fail(message: string): never {
  throw new FramelabError('INVALID_INPUT', message);
}

function checkUnique(ids: readonly string[], source: string): void {
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    if (seen.has(id)) fail(`${source}: video id "${id}" appears twice (again at position ${i + 1}).`);
    seen.add(id);
  }
}

function matrix(arr: NpyArray, where: string): { rows: number; dim: number; data: Float64Array } {
  if (arr.kind !== 'number' || arr.shape.length !== 2)
    fail(`${where} must be a 2-d numeric array (rows × dims); it has shape [${arr.shape.join(', ')}].`);
  return { rows: arr.shape[0]!, dim: arr.shape[1]!, data: arr.data };
}

/** A torch.save dict {"ids": [...], <key>: Tensor[n, d]}; `key` is "fused" for fused.pt (per-modality files name theirs). */
export function readFusedPt(file: string, key = 'fused'): Embeddings {
  const { root } = readTorchObject(file);
  if (!(root instanceof Map)) fail(`${file} must hold a dict {"ids": [...], "${key}": tensor}; it holds something else.`);
  const ids = root.get('ids');
  const fused = root.get(key);
  if (!Array.isArray(ids)) fail(`${file}: "ids" must be a list of video ids.`);
  const problem = tensorProblem(fused);
  if (problem) fail(`${file}: "${key}" cannot be used: ${problem}.`);
  const t = fused as Tensor;
  if (t.shape.length !== 2) fail(`${file}: "${key}" must be 2-d (videos × dims); it has shape [${t.shape.join(', ')}].`);
  if (t.dtype === 'int64') fail(`${file}: "${key}" holds int64; embeddings must be float.`);
  const idStrings = ids.map((v, i) =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint'
      ? String(v)
      : fail(`${file}: ids[${i}] is not a string or number.`),
  );
  if (idStrings.length !== t.shape[0]) fail(`${file}: ${idStrings.length} ids but "${key}" has ${t.shape[0]} rows.`);
  checkUnique(idStrings, file);
  return { source: file, ids: idStrings, dim: t.shape[1]!, data: Float64Array.from(t.data as Float32Array) };
}

export function readIdsTxt(file: string): string[] {
  if (!fs.existsSync(file)) fail(`the ids file ${file} does not exist (a .npy needs "ids": one video id a line, in row order).`);
  // Strict UTF-8: a Latin-1 "café" would become "caf\uFFFD" and silently miss its metadata row.
  return decodeUtf8(readRegularFile(file, 'ids file'), file, 'save it as UTF-8 text, one video id a line')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length);
}

export function readNpyWithIds(file: string, idsFile: string | undefined): Embeddings {
  if (!idsFile) fail(`${file} is a .npy matrix: the config needs "embeddings.ids" (a text file, one video id a line).`);
  const m = matrix(readNpy(file), file);
  const ids = readIdsTxt(idsFile);
  if (ids.length !== m.rows) fail(`${idsFile} lists ${ids.length} ids but ${file} has ${m.rows} rows.`);
  checkUnique(ids, idsFile);
  return { source: file, ids, dim: m.dim, data: m.data };
}

/** Per-video flags that may sit beside the vectors in an .npz (e.g. `suite embed-text` output); never the matrix. */
const FLAG_ARRAYS = new Set(['ids', 'text_present']);

/** An .npz with an "ids" array and exactly one 2-d numeric array (or one named `key`); a "text_present" flag is allowed beside it. */
export function readNpzEmbeddings(file: string, key?: string): Embeddings {
  const arrays = readNpz(file);
  const ids = arrays.get('ids');
  if (!ids) fail(`${file} has no "ids" array; arrays: ${[...arrays.keys()].join(', ')}.`);
  const candidates = [...arrays.keys()].filter((k) => !FLAG_ARRAYS.has(k));
  const name =
    key ??
    (candidates.length === 1
      ? candidates[0]!
      : fail(`${file} holds several arrays (${candidates.join(', ')}); name one with "embeddings.key".`));
  const arr = arrays.get(name) ?? fail(`${file} has no array "${name}".`);
  const m = matrix(arr, `${file} (${name})`);
  const idStrings = ids.kind === 'string' ? ids.data : Array.from(ids.data, String);
  if (idStrings.length !== m.rows) fail(`${file}: ${idStrings.length} ids but "${name}" has ${m.rows} rows.`);
  checkUnique(idStrings, file);
  return { source: file, ids: idStrings, dim: m.dim, data: m.data };
}

/**
 * Embeddings assembled from a manifest's rows (video_id, path, row); shards are read once
 * each. `manifestFile` is named in errors; paths are relative to its folder.
 */
export function embeddingsFromManifest(
  manifestFile: string,
  rows: { video_id: string; path: string; row: number }[],
  key?: string,
): Embeddings {
  if (!rows.length) fail(`${manifestFile} lists no embeddings.`);
  const dir = path.dirname(manifestFile);
  const shards = new Map<string, { rows: number; dim: number; data: Float64Array }>();
  const load = (rel: string) => {
    const file = path.resolve(dir, rel);
    let shard = shards.get(file);
    if (!shard) {
      if (!fs.existsSync(file)) fail(`${manifestFile} points to ${rel}, which does not exist.`);
      if (file.endsWith('.npz')) {
        const arrays = readNpz(file);
        const names = [...arrays.keys()].filter((k) => !FLAG_ARRAYS.has(k));
        const name =
          key ??
          (names.length === 1 ? names[0]! : fail(`${file} holds several arrays (${names.join(', ')}); name one with "embeddings.key".`));
        shard = matrix(arrays.get(name) ?? fail(`${file} has no array "${name}".`), `${file} (${name})`);
      } else shard = matrix(readNpy(file), file);
      shards.set(file, shard);
    }
    return shard;
  };
  const ids = rows.map((r) => r.video_id);
  checkUnique(ids, manifestFile);
  let dim = -1;
  let data = new Float64Array(0);
  rows.forEach((r, i) => {
    const shard = load(r.path);
    if (dim < 0) {
      dim = shard.dim;
      data = new Float64Array(rows.length * dim);
    }
    if (shard.dim !== dim) fail(`${manifestFile} row ${i + 1}: ${r.path} has ${shard.dim}-d vectors, earlier shards ${dim}-d.`);
    if (!Number.isInteger(r.row) || r.row < 0 || r.row >= shard.rows)
      fail(`${manifestFile} row ${i + 1} (video ${r.video_id}): row ${r.row} is outside ${r.path} (${shard.rows} rows).`);
    data.set(shard.data.subarray(r.row * dim, (r.row + 1) * dim), i * dim);
  });
  return { source: manifestFile, ids, dim, data };
}
