import type { StateEntry } from '../../../../../native/index';
import { widenHalf, type StateDict } from './tensor';

/**
 * Between the weights readers/writers (a name → tensor map) and the training addon (a list of
 * entries). It lives with the weights, not in native/: the addon's wrapper knows nothing of
 * the app's file formats, and native/ imports nothing from src/main.
 */

/** A state dict from the TS weights reader (readPth / safetensors) as addon entries; float16 becomes float32. */
export function stateDictToEntries(dict: StateDict): StateEntry[] {
  return [...dict].map(([name, tensor]) => {
    const wide = widenHalf(tensor);
    return { name, shape: [...wide.shape], dtype: wide.dtype as StateEntry['dtype'], data: wide.data as Float32Array | BigInt64Array };
  });
}

/** Addon entries as a state dict for the TS weights writers (writePth / safetensors). */
export function entriesToStateDict(entries: readonly StateEntry[]): StateDict {
  const dict: StateDict = new Map();
  for (const e of entries) dict.set(e.name, { dtype: e.dtype, shape: [...e.shape], data: e.data });
  return dict;
}
