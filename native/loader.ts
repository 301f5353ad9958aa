import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Finds and loads the LibTorch training addon (built by `npm run build:native`). The app runs
 * without it; training then explains what is missing and how to get it.
 */
export interface NativeAddonStatus {
  available: boolean;
  path: string;
  /** Why it is unavailable, with the fix; or what was loaded. */
  detail: string;
  addon: unknown | null;
}

export const NATIVE_ADDON_FILE = 'framelab_native.node';

export function nativeAddonPath(appRoot: string): string {
  return process.env.FRAMELAB_NATIVE_ADDON || path.join(appRoot, 'native', 'build', 'Release', NATIVE_ADDON_FILE);
}

export const BUILD_HINT =
  'Build it with `npm run build:native` (needs LibTorch: Debian `apt-get install -y libtorch-dev cmake g++`, ' +
  'or LIBTORCH=/path/to/libtorch for a CUDA build; see README "Training addon").';

export const XGBOOST_HINT =
  'gbdt needs libxgboost-dev; install it (apt-get install -y libxgboost-dev) and rebuild the addon (npm run build:native).';

/** Where the addon should be, and why it cannot be loaded when it visibly cannot (without loading it). */
export function locateNativeAddon(appRoot: string): { path: string; problem: string | null } {
  const file = nativeAddonPath(appRoot);
  if (!fs.existsSync(path.join(appRoot, 'native', 'CMakeLists.txt')) && !process.env.FRAMELAB_NATIVE_ADDON) {
    return { path: file, problem: 'This version of Framelab does not include the LibTorch training addon; training is not available.' };
  }
  if (!fs.existsSync(file)) return { path: file, problem: `The training addon is not built (${file} is missing). ${BUILD_HINT}` };
  return { path: file, problem: null };
}

export function loadNativeAddon(appRoot: string): NativeAddonStatus {
  const { path: file, problem } = locateNativeAddon(appRoot);
  if (problem) return { available: false, path: file, detail: problem, addon: null };
  try {
    const addon = createRequire(import.meta.url)(file) as unknown;
    return { available: true, path: file, detail: `loaded ${file}`, addon };
  } catch (err) {
    return {
      available: false,
      path: file,
      detail: `The training addon at ${file} failed to load: ${(err as Error).message}. Rebuild it: ${BUILD_HINT}`,
      addon: null,
    };
  }
}
