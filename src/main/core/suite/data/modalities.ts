import { FramelabError } from '../../../../shared/errors';
import type { SuiteConfig } from '../../../../shared/suite';
import { readNpz } from './npy';
import { readFusedPt, type Embeddings } from './embeddings';
import { readTorchObject } from '../../vision/weights/pth';

/**
 * Per-modality embeddings (docs/reference.md §5's video / audio / text vectors) for the gated-fusion
 * model, each read with the same readers as the fused embeddings and joined by video id.
 *
 * Join rule: video and audio are required, so a row missing from either file is dropped (an
 * inner join; a join that keeps nothing fails naming the file and an example id from each
 * side). Text may be absent: such a row gets a zero text vector and text_present = 0.
 *
 * text_present of a row (1/0) is 0 when the row is missing from the text file, when the file
 * carries a flag array (`text_present`, an .npz array or a list/tensor in a .pt dict) that says
 * 0 for it, or when its text vector is all zeros (how the lab's exports mark "no text");
 * otherwise 1.
 */
export const MODALITY_ORDER = ['video', 'audio', 'text'] as const;
export type ModalityName = (typeof MODALITY_ORDER)[number];
export const TEXT_PRESENT = 'text_present';

/** One modality's vectors aligned to the prepared rows. */
export interface ModalityBlock {
  name: ModalityName;
  source: string;
  dim: number;
  /** rows × dim, row-major (zeros where absent). */
  data: Float64Array;
  /** 1 where the row has this modality, 0 where not (only text can be 0). */
  present: Uint8Array;
}

export type ModalitySpec = NonNullable<SuiteConfig['modalities']>[ModalityName] & object;

export interface LoadedModality {
  name: ModalityName;
  embeddings: Embeddings;
  /** Per file row: the file's own text_present flag, when it has one. */
  flag: Float64Array | null;
}

function fail(message: string): never {
  throw new FramelabError('INVALID_INPUT', message);
}

/** The vectors of one modality file plus its text_present flag array, if any. */
export async function loadModality(
  name: ModalityName,
  spec: ModalitySpec,
  loadEmbeddings: (spec: { path: string; ids?: string; key?: string }) => Promise<Embeddings>,
): Promise<LoadedModality> {
  const lower = spec.path.toLowerCase();
  const flagKey = spec.flagKey ?? TEXT_PRESENT;
  let flag: Float64Array | null = null;
  let embeddings: Embeddings;
  if (lower.endsWith('.npz')) {
    const arrays = readNpz(spec.path);
    const f = arrays.get(flagKey);
    if (f) {
      if (f.kind !== 'number') fail(`${spec.path}: "${flagKey}" must be a numeric (0/1) array.`);
      flag = f.data;
    }
    // The flag is not a vector array: leave it out when choosing the one array to read.
    const key = spec.key ?? [...arrays.keys()].filter((k) => k !== 'ids' && k !== flagKey).find((_, __, all) => all.length === 1);
    embeddings = await loadEmbeddings({
      path: spec.path,
      key:
        key ??
        fail(`${spec.path} (${name}) holds several arrays (${[...arrays.keys()].join(', ')}); name one with "modalities.${name}.key".`),
    });
  } else if (lower.endsWith('.pt') || lower.endsWith('.pth')) {
    embeddings = readModalityPt(spec.path, spec.key, name);
    const { root } = readTorchObject(spec.path);
    const f = root instanceof Map ? root.get(flagKey) : undefined;
    if (Array.isArray(f)) flag = Float64Array.from(f, (v) => Number(v));
    else if (f && typeof f === 'object' && 'data' in f)
      flag = Float64Array.from((f as { data: ArrayLike<number | bigint> }).data, (v) => Number(v));
  } else {
    embeddings = await loadEmbeddings({ path: spec.path, ids: spec.ids, key: spec.key });
  }
  if (flag && flag.length !== embeddings.ids.length)
    fail(`${spec.path}: "${flagKey}" has ${flag.length} values but the file has ${embeddings.ids.length} ids.`);
  return { name, embeddings, flag };
}

/** A .pt dict {ids, <key>}: the key given, else "<modality>", else "fused". */
function readModalityPt(file: string, key: string | undefined, name: ModalityName): Embeddings {
  if (key) return readFusedPt(file, key);
  const { root } = readTorchObject(file);
  const chosen = root instanceof Map && root.has(name) ? name : 'fused';
  return readFusedPt(file, chosen);
}

/**
 * Rows of `keep` (indices into `ids`) that every required modality (all but text) has; an
 * empty result fails naming the modality's file and an example id from each side.
 */
export function joinRequired(
  keep: number[],
  ids: readonly string[],
  loaded: readonly LoadedModality[],
  metadata: string,
  idColumn: string,
): number[] {
  let out = keep;
  for (const m of loaded) {
    if (m.name === 'text') continue;
    const at = new Set(m.embeddings.ids);
    const joined = out.filter((i) => at.has(ids[i]!));
    if (!joined.length) {
      fail(
        `joining ${metadata} to the ${m.name} embeddings ${m.embeddings.source} on ${idColumn} kept no rows: e.g. metadata has "${ids[out[0] ?? 0]}", ${m.name} has "${m.embeddings.ids[0]}".`,
      );
    }
    out = joined;
  }
  return out;
}

/** Each modality's vectors for the kept row ids (zeros + present 0 for text a row lacks). */
export function alignModalities(rowIds: readonly string[], loaded: readonly LoadedModality[]): ModalityBlock[] {
  return MODALITY_ORDER.flatMap((name) => {
    const m = loaded.find((l) => l.name === name);
    if (!m) return [];
    const { embeddings: e, flag } = m;
    const at = new Map(e.ids.map((id, i) => [id, i]));
    const d = e.dim;
    const data = new Float64Array(rowIds.length * d);
    const present = new Uint8Array(rowIds.length);
    rowIds.forEach((id, i) => {
      const r = at.get(id);
      if (r === undefined) {
        if (name !== 'text') fail(`video "${id}" has no ${name} embedding in ${e.source}.`);
        return;
      }
      const vec = e.data.subarray(r * d, (r + 1) * d);
      const flagged = flag ? flag[r]! !== 0 && !Number.isNaN(flag[r]!) : true;
      const nonZero = vec.some((v) => v !== 0);
      if (name === 'text' && !(flagged && nonZero)) return;
      data.set(vec, i * d);
      present[i] = 1;
    });
    return [{ name, source: e.source, dim: d, data, present }];
  });
}

/** The modalities side by side (video ‖ audio ‖ text): the embedding of the non-fusion models when no fused file is given. */
export function concatModalities(blocks: readonly ModalityBlock[], rows: number): { dim: number; data: Float64Array } {
  const dim = blocks.reduce((a, b) => a + b.dim, 0);
  const data = new Float64Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    let offset = 0;
    for (const b of blocks) {
      data.set(b.data.subarray(i * b.dim, (i + 1) * b.dim), i * dim + offset);
      offset += b.dim;
    }
  }
  return { dim, data };
}
