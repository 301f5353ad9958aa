/**
 * The frozen-feature cache. Fine-tuning freezes conv1…layer3, so a frame's layer-3 output
 * depends only on (those weights, the image bytes, the preprocessing): it is computed once,
 * stored under `<home>/cache/features/<extractor key>/<image sha256>.f32`, and every later
 * epoch, fold and run reads it. v7 and a v8 fine-tuned from it share the extractor key, so
 * their caches are shared too. Files are written atomically; a corrupt file is recomputed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Preprocessing } from '../../../../shared/models';
import { writeFileAtomic } from '../../workspace/atomic';
import { preprocessingKey } from '../preprocess';
import { isFeatureExtractorKey } from '../resnet50';
import { toLittleEndian, type StateDict } from '../weights/tensor';

const MAGIC = 0x31464c46; // "FLF1"

/** Computes layer-3 outputs for a batch of preprocessed images (CHW float32, concatenated). */
export interface FeatureExtractor {
  /** Identifies the frozen weights + preprocessing; see `extractorKey`. */
  readonly key: string;
  readonly preprocessing: Preprocessing;
  extract(images: Float32Array, count: number): Promise<{ data: Float32Array; shape: number[] }>;
}

/** sha256 over the frozen layers' names, shapes and bytes, and the preprocessing. */
export function extractorKey(dict: StateDict, preprocessing: Preprocessing): string {
  const hash = crypto.createHash('sha256');
  for (const [key, tensor] of dict) {
    if (!isFeatureExtractorKey(key)) continue;
    hash.update(`${key}:${tensor.dtype}:${tensor.shape.join('x')}\n`);
    hash.update(toLittleEndian(tensor));
  }
  hash.update(preprocessingKey(preprocessing));
  return hash.digest('hex');
}

export function encodeFeatures(data: Float32Array, shape: number[]): Buffer {
  const header = Buffer.alloc(8 + shape.length * 4);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(shape.length, 4);
  shape.forEach((d, i) => header.writeUInt32LE(d, 8 + i * 4));
  const body = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) body.writeFloatLE(data[i]!, i * 4);
  return Buffer.concat([header, body]);
}

/** The features in `bytes`, or null when the file is not a complete feature file. */
export function decodeFeatures(bytes: Buffer): { data: Float32Array; shape: number[] } | null {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== MAGIC) return null;
  const ndim = bytes.readUInt32LE(4);
  const start = 8 + ndim * 4;
  if (ndim > 8 || bytes.length < start) return null;
  const shape = Array.from({ length: ndim }, (_, i) => bytes.readUInt32LE(8 + i * 4));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== start + count * 4) return null;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = bytes.readFloatLE(start + i * 4);
  return { data, shape };
}

export interface CachedImage {
  /** What the caller calls it (a frame id). */
  id: string;
  file: string;
  /** The image file's sha256 (the stored-files table has it); computed when absent. */
  sha256?: string;
}

export interface FeatureCacheStats {
  hits: number;
  computed: number;
}

export type Preprocess = (file: string, config: Preprocessing) => Promise<Float32Array>;

export class FeatureCache {
  constructor(private readonly root: string) {}

  static inHome(homeRoot: string): FeatureCache {
    return new FeatureCache(path.join(homeRoot, 'cache', 'features'));
  }

  fileFor(extractor: string, imageSha256: string): string {
    return path.join(this.root, extractor, `${imageSha256}.f32`);
  }

  /**
   * Layer-3 features for every image, in order: read from the cache, and the misses computed
   * in batches of `batchSize` and stored. `onProgress(done, total)` follows the work;
   * `checkCancelled` may throw between batches.
   */
  async features(
    images: CachedImage[],
    extractor: FeatureExtractor,
    preprocess: Preprocess,
    options: { batchSize?: number; onProgress?: (done: number, total: number) => void; checkCancelled?: () => void } = {},
  ): Promise<{ features: { data: Float32Array; shape: number[] }[]; stats: FeatureCacheStats }> {
    const batchSize = options.batchSize ?? 8;
    const out: ({ data: Float32Array; shape: number[] } | null)[] = images.map(() => null);
    const misses: number[] = [];
    const shas = images.map((img) => img.sha256 ?? crypto.createHash('sha256').update(fs.readFileSync(img.file)).digest('hex'));
    images.forEach((_, i) => {
      const file = this.fileFor(extractor.key, shas[i]!);
      const hit = fs.existsSync(file) ? decodeFeatures(fs.readFileSync(file)) : null;
      if (hit) out[i] = hit;
      else misses.push(i);
    });
    let done = images.length - misses.length;
    options.onProgress?.(done, images.length);
    for (let start = 0; start < misses.length; start += batchSize) {
      options.checkCancelled?.();
      const batch = misses.slice(start, start + batchSize);
      const tensors = await Promise.all(batch.map((i) => preprocess(images[i]!.file, extractor.preprocessing)));
      const per = tensors[0]!.length;
      const input = new Float32Array(per * batch.length);
      tensors.forEach((t, k) => input.set(t, k * per));
      const { data, shape } = await extractor.extract(input, batch.length);
      const each = data.length / batch.length;
      const itemShape = shape.slice(1);
      batch.forEach((i, k) => {
        const item = { data: data.slice(k * each, (k + 1) * each), shape: itemShape };
        writeFileAtomic(this.fileFor(extractor.key, shas[i]!), encodeFeatures(item.data, item.shape));
        out[i] = item;
      });
      done += batch.length;
      options.onProgress?.(done, images.length);
    }
    return {
      features: out as { data: Float32Array; shape: number[] }[],
      stats: { hits: images.length - misses.length, computed: misses.length },
    };
  }
}
