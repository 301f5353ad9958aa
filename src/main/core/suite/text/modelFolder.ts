/**
 * A text-embedding model is a local folder in the layout transformers.js loads
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx). Framelab never
 * downloads it: the user fetches it once, and every run names the folder. The folder's
 * identity is the hash of those files, so a cache or a saved run can tell when the model
 * behind a folder name changed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../../shared/errors';
import { regularFile } from '../../workspace/inputPaths';

export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;
/** Read when present (sentence-transformers' truncation length); part of the identity too. */
export const OPTIONAL_FILES = ['sentence_bert_config.json'] as const;

/**
 * The embedding recipe this code applies on top of the model (mean pooling over real tokens,
 * L2 normalisation, zero vector for empty text). Part of the identity: changing the recipe
 * must not reuse vectors cached under the old one.
 */
export const TEXT_EMBEDDING_RECIPE = 'mean-pool+l2-normalise+keep-sep/v1';

export const HOW_TO_GET_A_MODEL =
  'Get one on a machine with network access, e.g. `huggingface-cli download sentence-transformers/all-MiniLM-L6-v2 ' +
  '--include "*.json" "onnx/model.onnx" --local-dir DIR` (or the transformers.js export Xenova/all-MiniLM-L6-v2), ' +
  'then name DIR as "text.model".';

/** Fails with a message naming the folder, what is missing and how to get a model. */
export function checkModelFolder(dir: string): void {
  if (!fs.existsSync(dir)) throw new FramelabError('NOT_FOUND', `the text model folder ${dir} does not exist. ${HOW_TO_GET_A_MODEL}`);
  if (!fs.statSync(dir).isDirectory())
    throw new FramelabError(
      'INVALID_INPUT',
      `the text model ${dir} is a file; it must be a folder holding ${MODEL_FILES.join(', ')}. ${HOW_TO_GET_A_MODEL}`,
    );
  const missing = MODEL_FILES.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length) {
    throw new FramelabError(
      'NOT_FOUND',
      `the text model folder ${dir} is incomplete: ${missing.map((f) => path.join(dir, f)).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ${HOW_TO_GET_A_MODEL}`,
    );
  }
  // Each is hashed and loaded: a FIFO or a device among them would block or never end.
  for (const f of MODEL_FILES) regularFile(path.join(dir, f), 'text model file');
}

const hashes = new Map<string, { stamp: string; sha256: string }>();

/** sha256 of a file, remembered per (path, size, mtime) so a 90 MB model is hashed once per process. */
function fileSha256(file: string): string {
  const st = fs.statSync(file);
  const stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
  const known = hashes.get(file);
  if (known?.stamp === stamp) return known.sha256;
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) hash.update(chunk.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  const sha256 = hash.digest('hex');
  hashes.set(file, { stamp, sha256 });
  return sha256;
}

export interface ModelIdentity {
  /** The folder, absolute. */
  dir: string;
  /** sha256 over the recipe and each model file's name and sha256. */
  identity: string;
  files: Record<string, string>;
  recipe: string;
}

export function modelIdentity(dir: string): ModelIdentity {
  const abs = path.resolve(dir);
  checkModelFolder(abs);
  const files: Record<string, string> = Object.fromEntries(MODEL_FILES.map((f) => [f, fileSha256(path.join(abs, f))]));
  for (const f of OPTIONAL_FILES) if (fs.existsSync(path.join(abs, f))) files[f] = fileSha256(path.join(abs, f));
  const hash = crypto.createHash('sha256').update(TEXT_EMBEDDING_RECIPE);
  for (const [f, sha] of Object.entries(files)) hash.update(`\0${f}\0${sha}`);
  return { dir: abs, identity: hash.digest('hex'), files, recipe: TEXT_EMBEDDING_RECIPE };
}
