/**
 * Text embeddings for the suite (e.g. video titles): a local sentence-transformer folder
 * (all-MiniLM-L6-v2 or any BERT-style export), mean pooling over real tokens, L2-normalised,
 * computed in batches and cached per model under the home, so a re-run embeds only texts it
 * has not seen with that exact model.
 *
 * Missing text: null, empty or whitespace-only text gets a zero vector and text_present 0
 * (it is never sent to the model and never cached); any other text gets text_present 1.
 */
import { FramelabError } from '../../../../shared/errors';
import { TextEmbeddingCache, textHash } from './cache';
import { loadTextEncoder, type TextEncoder } from './encoder';
import { modelIdentity, type ModelIdentity } from './modelFolder';

export const DEFAULT_TEXT_BATCH = 32;

export interface TextEmbeddingOptions {
  /** The model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx). */
  modelDir: string;
  /** The home whose cache/text-embeddings keeps computed vectors. */
  homeRoot: string;
  batchSize?: number;
  /** Called after every batch (and once at the start) with texts done / texts to compute. */
  onProgress?: (done: number, total: number) => void;
  /** Called between batches: a cancelled job stops there. */
  throwIfCancelled?: () => void;
}

export interface TextEmbeddingStats {
  texts: number;
  present: number;
  /** Distinct non-empty texts. */
  unique: number;
  /** Distinct texts found in the cache. */
  cached: number;
  /** Distinct texts sent to the model. */
  computed: number;
  batches: number;
}

export interface TextEmbeddingResult {
  model: ModelIdentity;
  dim: number;
  /** texts.length × dim, row-major; zero rows where text is missing. */
  vectors: Float32Array;
  /** 1 where the text is present, 0 where it is missing. */
  present: Uint8Array;
  stats: TextEmbeddingStats;
}

export const isTextPresent = (text: string | null | undefined): text is string => typeof text === 'string' && text.trim().length > 0;

// One loaded model per folder identity and process (the owner scores videos repeatedly).
const encoders = new Map<string, Promise<TextEncoder>>();

export function encoderFor(model: ModelIdentity): Promise<TextEncoder> {
  let encoder = encoders.get(model.identity);
  if (!encoder) {
    encoder = loadTextEncoder(model.dir);
    encoders.set(model.identity, encoder);
    encoder.catch(() => encoders.delete(model.identity));
  }
  return encoder;
}

/** Drops the loaded models (tests count forward passes per encoder; benchmarks start cold). */
export async function releaseTextEncoders(): Promise<void> {
  const all = [...encoders.values()];
  encoders.clear();
  for (const e of all) await (await e.catch(() => null))?.dispose();
}

export async function embedTexts(
  texts: readonly (string | null | undefined)[],
  options: TextEmbeddingOptions,
): Promise<TextEmbeddingResult> {
  const batchSize = options.batchSize ?? DEFAULT_TEXT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new FramelabError('INVALID_INPUT', `text batch size must be a whole number ≥ 1; got ${batchSize}.`);
  const model = modelIdentity(options.modelDir);
  const cache = new TextEmbeddingCache(options.homeRoot, model.identity, model.dir);

  const present = Uint8Array.from(texts, (t) => (isTextPresent(t) ? 1 : 0));
  const hashes = texts.map((t) => (isTextPresent(t) ? textHash(t) : null));
  const textOf = new Map<string, string>();
  hashes.forEach((h, i) => h && textOf.set(h, texts[i]!));
  // Longest first, similar lengths together: less padding per batch (padding never changes a vector).
  const misses = [...textOf.keys()]
    .filter((h) => !cache.get(h))
    .sort((a, b) => textOf.get(b)!.length - textOf.get(a)!.length || (a < b ? -1 : 1));

  let batches = 0;
  options.onProgress?.(0, misses.length);
  if (misses.length || cache.dim === null) {
    const encoder = await encoderFor(model);
    for (let start = 0; start < misses.length; start += batchSize) {
      options.throwIfCancelled?.();
      const chunk = misses.slice(start, start + batchSize);
      const vectors = await encoder.embed(chunk.map((h) => textOf.get(h)!));
      cache.putMany(chunk, vectors, encoder.dim);
      batches++;
      options.onProgress?.(Math.min(start + batchSize, misses.length), misses.length);
    }
    if (cache.dim === null) cache.putMany([], new Float32Array(0), encoder.dim); // remembers the width for all-empty inputs
  }

  const dim = cache.dim!;
  const vectors = new Float32Array(texts.length * dim);
  hashes.forEach((h, i) => h && vectors.set(cache.get(h)!, i * dim));
  const stats: TextEmbeddingStats = {
    texts: texts.length,
    present: present.reduce((a, b) => a + b, 0),
    unique: textOf.size,
    cached: textOf.size - misses.length,
    computed: misses.length,
    batches,
  };
  return { model, dim, vectors, present, stats };
}
