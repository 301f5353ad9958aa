/**
 * Which implementation resizes, crops and normalises model inputs: the native image addon
 * (native/imageAddon.ts, ~4 ms per 1080×1920 frame) when it is built, else the TypeScript port
 * of Pillow's resampler (~90–240 ms). Both give the same bytes (test/vision/preprocessNative.test.ts).
 * FRAMELAB_PREPROCESS_JS=1 forces the TypeScript path.
 */
import { loadImageAddon, type ImageAddon } from '../../../../native/imageAddon';
import { appRoot } from '../appRoot';

export interface PreprocessBackend {
  kind: 'native' | 'js';
  /** For a log line or the doctor: what is used and, for the fallback, why. */
  detail: string;
}

let chosen: { addon: ImageAddon | null; backend: PreprocessBackend } | undefined;

function choose(): { addon: ImageAddon | null; backend: PreprocessBackend } {
  if (chosen) return chosen;
  if (process.env.FRAMELAB_PREPROCESS_JS === '1') {
    chosen = { addon: null, backend: { kind: 'js', detail: 'TypeScript resize (FRAMELAB_PREPROCESS_JS=1)' } };
  } else {
    const status = loadImageAddon(appRoot());
    chosen = status.addon
      ? { addon: status.addon, backend: { kind: 'native', detail: `native resize (${status.path})` } }
      : { addon: null, backend: { kind: 'js', detail: `TypeScript resize, slower: ${status.detail}` } };
  }
  return chosen;
}

/** The loaded image addon, or null when the TypeScript path is used. */
export function imageAddon(): ImageAddon | null {
  return choose().addon;
}

export function preprocessBackend(): PreprocessBackend {
  return choose().backend;
}

/** Forces the TypeScript path (true) or re-detects the addon (false): tests hold both to the same bytes. */
export function useJsPreprocess(on: boolean): void {
  chosen = on ? { addon: null, backend: { kind: 'js', detail: 'TypeScript resize (forced)' } } : undefined;
}
