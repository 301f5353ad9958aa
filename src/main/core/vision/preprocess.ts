/**
 * Image → model input, the one implementation that training (the feature cache) and inference
 * share, equal to torchvision's evaluation transform on a PIL image:
 *
 *   Image.open(p).convert('RGB') → Resize(resize) → CenterCrop(crop) → ToTensor() → Normalize(mean, std)
 *
 * Decoding is sharp's (8-bit sRGB, alpha dropped without compositing, as convert('RGB') does;
 * no EXIF auto-rotation, as PIL does none). Resizing is Pillow's resampler, in C++ in the image
 * addon when it is built (native/imageAddon.ts; only the crop's pixels are computed) and
 * otherwise its TypeScript port (preprocessResample.ts): the two give the same bytes, so PNG
 * inputs give exactly torchvision's tensor either way; JPEG decoders may differ by a level here
 * and there between libjpeg builds. preprocessBackend() says which one runs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import type { z } from 'zod';
import { FramelabError } from '../../../shared/errors';
import type { preprocessingSchema } from './weights/safetensors';
import { centerCrop, centerCropOrigin, shorterSideSize } from './preprocessGeometry';
import { imageAddon } from './preprocessBackend';
import { RESAMPLE_FILTERS, resizeRgb, type ResampleFilter, type RgbImage } from './preprocessResample';
import { IMAGENET_PREPROCESSING } from '../../../shared/models';
import { regularFile } from '../workspace/inputPaths';

/** The `preprocessing` object of a model's sidecar. */
export type PreprocessingConfig = z.infer<typeof preprocessingSchema>;

/** torchvision's ImageNet evaluation transform (one definition, in the shared contract). */
export const DEFAULT_PREPROCESSING: Readonly<Required<PreprocessingConfig>> = Object.freeze({
  ...IMAGENET_PREPROCESSING,
  interpolation: IMAGENET_PREPROCESSING.interpolation ?? 'bilinear',
});

/**
 * Bump when any step changes the numbers it produces: preprocessingKey includes it, so cached
 * features computed by an older pipeline stop matching.
 */
export const PREPROCESS_VERSION = 1;

export type ImageSource = string | Buffer;

function describe(source: ImageSource): string {
  return typeof source === 'string' ? source : `an in-memory image (${source.length} bytes)`;
}

/** The filter named by the config (torchvision InterpolationMode values; default bilinear). */
function filterOf(config: PreprocessingConfig): ResampleFilter {
  const name = (config.interpolation ?? DEFAULT_PREPROCESSING.interpolation).toLowerCase();
  if (!(RESAMPLE_FILTERS as string[]).includes(name)) {
    throw new FramelabError(
      'INVALID_INPUT',
      `Preprocessing interpolation "${config.interpolation}" is not supported: use one of ${RESAMPLE_FILTERS.join(', ')}.`,
    );
  }
  return name as ResampleFilter;
}

/** Decodes a JPEG/PNG (or anything sharp reads) to 8-bit sRGB without alpha. */
export async function decodeRgb(source: ImageSource): Promise<RgbImage> {
  if (typeof source === 'string' && !fs.existsSync(source)) {
    throw new FramelabError('NOT_FOUND', `Cannot read image ${source}: the file does not exist.`);
  }
  // sharp would wait forever on a FIFO or read a device without end.
  if (typeof source === 'string') regularFile(source, 'image');
  try {
    const { data, info } = await sharp(source).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    throw new FramelabError(
      'INVALID_INPUT',
      `Cannot read image ${describe(source)}: ${(err as Error).message}. Use a readable JPEG or PNG file.`,
    );
  }
}

/**
 * Resize shorter side → centre crop, on 8-bit pixels (the PIL image torchvision's ToTensor
 * receives). Exported for tests and for showing the model's exact view of a frame.
 */
export function resizeAndCrop(img: RgbImage, config: PreprocessingConfig): RgbImage {
  const size = shorterSideSize(img.width, img.height, config.resize);
  const addon = imageAddon();
  if (addon) {
    const { left, top } = centerCropOrigin(size.width, size.height, config.crop);
    const data = addon.resizeCrop(
      img.data,
      img.width,
      img.height,
      size.width,
      size.height,
      left,
      top,
      config.crop,
      config.crop,
      filterOf(config),
    );
    return { width: config.crop, height: config.crop, data };
  }
  // torchvision returns the image untouched when it already has the target size.
  const resized = size.width === img.width && size.height === img.height ? img : resizeRgb(img, size.width, size.height, filterOf(config));
  return centerCrop(resized, config.crop);
}

/**
 * Pillow's `Image.resize((width, height), filter)` of a whole image: natively when the addon is
 * built (a crop that is the whole resized image), else the TypeScript port; the same bytes.
 * Coding thumbnails use it, so the coder's thumbnail is resampled as the model's input is.
 */
export function resizeImage(img: RgbImage, width: number, height: number, filter: ResampleFilter = 'bilinear'): RgbImage {
  if (width === img.width && height === img.height) return img;
  const addon = imageAddon();
  if (!addon) return resizeRgb(img, width, height, filter);
  return { width, height, data: addon.resizeCrop(img.data, img.width, img.height, width, height, 0, 0, width, height, filter) };
}

/**
 * Per channel c, value v (0…255) → tables[c·256 + v] = (v/255 − mean)/std, computed in float32
 * step by step as ToTensor and Normalize compute it, so the result is bit-identical to torch's.
 */
function normalisationTable(config: PreprocessingConfig): Float32Array {
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const mean = Math.fround(config.mean[c]!);
    const std = Math.fround(config.std[c]!);
    for (let v = 0; v < 256; v++) table[c * 256 + v] = Math.fround(Math.fround(v / 255) - mean) / std;
  }
  return table;
}

/** Writes the crop as normalised CHW float32 into `out` at `offset`. */
function toChw(img: RgbImage, tables: Float32Array, out: Float32Array, offset: number): void {
  const plane = img.width * img.height;
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    out[offset + i] = tables[img.data[p]!]!;
    out[offset + plane + i] = tables[256 + img.data[p + 1]!]!;
    out[offset + 2 * plane + i] = tables[512 + img.data[p + 2]!]!;
  }
}

/** Resize → crop → normalise one decoded image into `out` at `offset` (natively in one call when the addon is built). */
function preprocessInto(
  img: RgbImage,
  config: Required<PreprocessingConfig>,
  tables: Float32Array,
  out: Float32Array,
  offset: number,
): void {
  const addon = imageAddon();
  if (!addon) return toChw(resizeAndCrop(img, config), tables, out, offset);
  const size = shorterSideSize(img.width, img.height, config.resize);
  const { left, top } = centerCropOrigin(size.width, size.height, config.crop);
  addon.resizeCropNormalize(
    img.data,
    img.width,
    img.height,
    size.width,
    size.height,
    left,
    top,
    config.crop,
    filterOf(config),
    tables,
    out,
    offset,
  );
}

/** Fills in defaults and checks sizes, so every entry point agrees on what a config means. */
export function resolvePreprocessing(config: Partial<PreprocessingConfig> = {}): Required<PreprocessingConfig> {
  const given = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  const full = { ...DEFAULT_PREPROCESSING, ...given } as Required<PreprocessingConfig>;
  for (const key of ['resize', 'crop'] as const) {
    if (!Number.isInteger(full[key]) || full[key] <= 0) {
      throw new FramelabError('INVALID_INPUT', `Preprocessing "${key}" must be a positive integer, got ${full[key]}.`);
    }
  }
  if (full.mean.length !== 3 || full.std.length !== 3 || full.std.some((s) => !(s > 0))) {
    throw new FramelabError('INVALID_INPUT', 'Preprocessing needs three means and three positive standard deviations (R, G, B).');
  }
  filterOf(full);
  return full;
}

/** Float32Array [3, crop, crop] (CHW, RGB) for one image. */
export async function preprocessImage(source: ImageSource, config: Partial<PreprocessingConfig> = {}): Promise<Float32Array> {
  const full = resolvePreprocessing(config);
  const out = new Float32Array(3 * full.crop * full.crop);
  preprocessInto(await decodeRgb(source), full, normalisationTable(full), out, 0);
  return out;
}

export interface BatchOptions {
  /** Images decoded at once (sharp decodes on its own threads). Default 4. */
  concurrency?: number;
}

/** Float32Array [n, 3, crop, crop] for `sources`, in order. Fails on the first unreadable image, naming it. */
export async function preprocessBatch(
  sources: readonly ImageSource[],
  config: Partial<PreprocessingConfig> = {},
  options: BatchOptions = {},
): Promise<Float32Array> {
  const full = resolvePreprocessing(config);
  const tables = normalisationTable(full);
  const itemSize = 3 * full.crop * full.crop;
  const out = new Float32Array(sources.length * itemSize);
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const i = next++;
      preprocessInto(await decodeRgb(sources[i]!), full, tables, out, i * itemSize);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, sources.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/**
 * A stable key for "these settings on this pipeline": equal configs (defaults filled in,
 * interpolation case-insensitive) give the same key on every machine; any change to the
 * numbers, or to PREPROCESS_VERSION, gives another. 32 hex characters.
 */
export function preprocessingKey(config: Partial<PreprocessingConfig> = {}): string {
  const full = resolvePreprocessing(config);
  const canonical = JSON.stringify({
    version: PREPROCESS_VERSION,
    decode: 'srgb8-drop-alpha',
    resize: full.resize,
    crop: full.crop,
    mean: full.mean,
    std: full.std,
    interpolation: filterOf(full),
  });
  return crypto.createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/**
 * Float32Array [n, 3, crop, crop] for images already decoded to RGB (video frames from
 * ffmpeg): the same resize, crop and normalisation as preprocessBatch after its decode step.
 */
export function preprocessRgbBatch(images: readonly RgbImage[], config: Partial<PreprocessingConfig> = {}): Float32Array {
  const full = resolvePreprocessing(config);
  const tables = normalisationTable(full);
  const itemSize = 3 * full.crop * full.crop;
  const out = new Float32Array(images.length * itemSize);
  images.forEach((img, i) => preprocessInto(img, full, tables, out, i * itemSize));
  return out;
}
