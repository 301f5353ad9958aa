/**
 * framelab_image.node (native/src/image): the model-input resize (Pillow-exact, any of its five
 * filters), centre crop and normalisation in plain C++, built by `npm run build:native` next to
 * the training addon but without LibTorch, so any process can load it cheaply. The app runs
 * without it: src/main/core/vision/preprocess.ts then uses its TypeScript port.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface ImageAddon {
  /**
   * The crop (cropWidth × cropHeight × 3 bytes) of Pillow's `Image.resize((resizedWidth,
   * resizedHeight), filter)` of `src`, with its top-left at (left, top) of the resized image;
   * pixels outside it are 0 (torchvision's padding). Synchronous, one thread.
   */
  resizeCrop(
    src: Uint8Array,
    width: number,
    height: number,
    resizedWidth: number,
    resizedHeight: number,
    left: number,
    top: number,
    cropWidth: number,
    cropHeight: number,
    filter: string,
  ): Uint8Array;
  /** The same square crop written as CHW float32 into `out` at `offset`: value v of channel c → tables[c·256 + v]. */
  resizeCropNormalize(
    src: Uint8Array,
    width: number,
    height: number,
    resizedWidth: number,
    resizedHeight: number,
    left: number,
    top: number,
    crop: number,
    filter: string,
    tables: Float32Array,
    out: Float32Array,
    offset: number,
  ): void;
  readonly filters: readonly string[];
}

export const IMAGE_ADDON_FILE = 'framelab_image.node';

export function imageAddonPath(appRoot: string): string {
  return process.env.FRAMELAB_IMAGE_ADDON || path.join(appRoot, 'native', 'build', 'Release', IMAGE_ADDON_FILE);
}

export interface ImageAddonStatus {
  addon: ImageAddon | null;
  path: string;
  /** What was loaded, or why nothing was (with the fix). */
  detail: string;
}

export function loadImageAddon(appRoot: string): ImageAddonStatus {
  const file = imageAddonPath(appRoot);
  if (!fs.existsSync(file)) {
    return { addon: null, path: file, detail: `the image addon is not built (${file} is missing; \`npm run build:native\` builds it)` };
  }
  try {
    const addon = createRequire(import.meta.url)(file) as ImageAddon;
    if (typeof addon.resizeCropNormalize !== 'function') throw new Error('it has no resizeCropNormalize (an older build?)');
    return { addon, path: file, detail: `native (${file})` };
  } catch (err) {
    return {
      addon: null,
      path: file,
      detail: `the image addon at ${file} failed to load: ${(err as Error).message}; rebuild it with \`npm run build:native\``,
    };
  }
}
