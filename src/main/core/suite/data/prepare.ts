import path from 'node:path';
import { FramelabError } from '../../../../shared/errors';
import type { SuiteConfig } from '../../../../shared/suite';
import { loadTable, readManifest, type LoadedTable } from './dataset';
import { assertFiniteColumn, assertFiniteVectors } from './finite';
import { embeddingsFromManifest, readFusedPt, readNpyWithIds, readNpzEmbeddings, type Embeddings } from './embeddings';
import { assertNoLeakage, chooseFeatures, type FeatureChoice } from './leakage';
import { alignModalities, concatModalities, joinRequired, loadModality, MODALITY_ORDER, TEXT_PRESENT, type LoadedModality } from './modalities';
import type { SuiteData } from '../models/families';
import { takeRows, textColumn, type Table } from './table';
import { embedTexts, isTextPresent, type TextEmbeddingStats } from '../text/textEmbeddings';
import type { ModelIdentity } from '../text/modelFolder';
import { describeHeader } from '../../workspace/describeContent';

/**
 * From a config to the rows a suite trains on: the metadata table (filtered, deduplicated),
 * inner-joined to the embeddings by video id, the target transformed, the features chosen
 * and checked against the leakage set. Everything dropped on the way is counted in the
 * summary the run saves.
 */
export interface PreparedData {
  data: SuiteData;
  table: Table;
  choice: FeatureChoice;
  summary: Record<string, unknown>;
  /** The text model a run used (recorded in config_used.json; predictions check it). */
  textModel: (ModelIdentity & { dim: number; column: string }) | null;
  /** Date/time columns of the metadata (epoch ms). */
  temporal: ReadonlySet<string>;
}

/** Column holding 1 where a video has text, 0 where not (from `text.column` or the text modality). */
export { TEXT_PRESENT };

export interface PrepareOptions {
  /** The home whose cache/text-embeddings keeps text vectors (needed when the config has "text"). */
  homeRoot?: string;
  /** Text-embedding progress: texts computed / texts to compute. */
  onTextProgress?: (done: number, total: number) => void;
  throwIfCancelled?: () => void;
  /** Replacement text for some videos (scoring a video under a new title). */
  textOverrides?: ReadonlyMap<string, string | null>;
  /** Embed only these videos' text (scoring one video); the others get zero vectors. */
  embedTextOnlyFor?: ReadonlySet<string>;
}

/** Paths in a config are relative to the config file's folder. */
export function resolveConfigPaths(config: SuiteConfig, baseDir: string): SuiteConfig {
  const abs = (p: string) => path.resolve(baseDir, p);
  return {
    ...config,
    metadata: abs(config.metadata),
    embeddings: config.embeddings ? { ...config.embeddings, path: abs(config.embeddings.path), ids: config.embeddings.ids ? abs(config.embeddings.ids) : undefined } : undefined,
    modalities: config.modalities
      ? Object.fromEntries(Object.entries(config.modalities).map(([k, m]) => [k, m && { ...m, path: abs(m.path), ids: m.ids ? abs(m.ids) : undefined }]))
      : undefined,
    text: config.text ? { ...config.text, model: abs(config.text.model) } : undefined,
  };
}

export async function loadEmbeddings(spec: NonNullable<SuiteConfig['embeddings']>): Promise<Embeddings> {
  const lower = spec.path.toLowerCase();
  if (lower.endsWith('.pt') || lower.endsWith('.pth')) return readFusedPt(spec.path);
  if (lower.endsWith('.npy')) return readNpyWithIds(spec.path, spec.ids);
  if (lower.endsWith('.npz')) return readNpzEmbeddings(spec.path, spec.key);
  if (lower.endsWith('.parquet') || lower.endsWith('.csv')) return embeddingsFromManifest(spec.path, await readManifest(spec.path), spec.key);
  throw new FramelabError('INVALID_INPUT', `embeddings ${spec.path}: expected fused.pt, .npy (+ ids), .npz or a manifest .parquet.`);
}

/**
 * The text of each kept row (with overrides applied) and its text_present flag, written into
 * the table as a numeric column before features are chosen (a metadata column of that name
 * is replaced: the flag must agree with the text that is embedded).
 */
function deriveTextPresent(table: Table, config: SuiteConfig, rowIds: string[], overrides?: ReadonlyMap<string, string | null>): { texts: (string | null)[]; replaced: boolean } {
  const column = config.text!.column;
  const col = table.columns.get(column);
  if (!col) throw new FramelabError('INVALID_INPUT', `${config.metadata} has no text column "${column}" (text.column); ${describeHeader([...table.columns.keys()])}.`);
  if (col.kind !== 'text') throw new FramelabError('INVALID_INPUT', `text.column "${column}" of ${config.metadata} is numeric; it must hold text (e.g. the title).`);
  const texts = col.values.map((v, i) => (overrides?.has(rowIds[i]!) ? overrides.get(rowIds[i]!)! : v));
  if (overrides) table.columns.set(column, { kind: 'text', values: texts });
  const replaced = table.columns.has(TEXT_PRESENT);
  table.columns.set(TEXT_PRESENT, { kind: 'numeric', values: Float64Array.from(texts, (t) => (isTextPresent(t) ? 1 : 0)) });
  return { texts, replaced };
}

export async function prepareData(config: SuiteConfig, options: PrepareOptions = {}): Promise<PreparedData> {
  const loaded: LoadedTable = await loadTable({ file: config.metadata, filter: config.filter, dedupe: config.dedupe, orderBy: config.idColumn });
  const ids = textColumn(loaded, config.idColumn, 'the video id');
  const targetCol = loaded.columns.get(config.target.column);
  if (!targetCol) throw new FramelabError('INVALID_INPUT', `${config.metadata} has no target column "${config.target.column}".`);
  if (targetCol.kind !== 'numeric') throw new FramelabError('INVALID_INPUT', `target "${config.target.column}" of ${config.metadata} is not numeric.`);

  // An empty target is an outcome still to come; NaN written in the file or ±Infinity is an
  // export gone wrong, and would poison every metric: refused before anything is fitted.
  assertFiniteColumn(targetCol.values, ids, {
    file: config.metadata,
    column: config.target.column,
    purpose: 'the target',
    allowNaN: false,
    nanInFile: loaded.nanInFile.get(config.target.column) ?? new Set(),
    fix: 'leave the cell empty for an outcome not known yet, or fix the value, then run again.',
  });
  // Rows whose outcome is unknown (not yet at the horizon) cannot train or score.
  let keep = ids.map((_, i) => i).filter((i) => !Number.isNaN(targetCol.values[i]!));
  const missingTarget = ids.length - keep.length;
  const negative = keep.find((i) => config.target.transform === 'log1p' && targetCol.values[i]! < 0);
  if (negative !== undefined) throw new FramelabError('INVALID_INPUT', `${config.metadata}: video ${ids[negative]} has ${config.target.column} = ${targetCol.values[negative]}; log1p needs ≥ 0.`);

  let embeddings: Embeddings | null = null;
  let embeddingRowOf: Map<string, number> | null = null;
  let notEmbedded = 0;
  if (config.embeddings) {
    embeddings = await loadEmbeddings(config.embeddings);
    const at = new Map(embeddings.ids.map((id, i) => [id, i]));
    const joined = keep.filter((i) => at.has(ids[i]!));
    if (!joined.length) {
      throw new FramelabError(
        'INVALID_INPUT',
        `joining ${config.metadata} to ${embeddings.source} on ${config.idColumn} kept no rows: e.g. metadata has "${ids[keep[0] ?? 0]}", embeddings have "${embeddings.ids[0]}".`,
      );
    }
    notEmbedded = keep.length - joined.length;
    keep = joined;
    embeddingRowOf = at;
  }

  // Per-modality vectors: video/audio inner-joined, text optional (see modalities.ts).
  const loadedModalities: LoadedModality[] = [];
  let withoutModality = 0;
  if (config.modalities) {
    for (const name of MODALITY_ORDER) {
      const spec = config.modalities[name];
      if (spec) loadedModalities.push(await loadModality(name, spec, loadEmbeddings));
    }
    const joined = joinRequired(keep, ids, loadedModalities, config.metadata, config.idColumn);
    withoutModality = keep.length - joined.length;
    keep = joined;
  }

  const rowIds = keep.map((i) => ids[i]!);
  // Only the rows the run uses: a bad vector of a video the metadata drops harms nothing.
  if (embeddings) assertFiniteVectors(embeddings.data, embeddings.dim, rowsOf(rowIds, embeddingRowOf!), embeddings.source);
  for (const m of loadedModalities) {
    assertFiniteVectors(m.embeddings.data, m.embeddings.dim, rowsOf(rowIds, new Map(m.embeddings.ids.map((id, i) => [id, i]))), `${m.embeddings.source} (${m.name})`);
  }
  const table = takeRows(loaded, keep);
  const modalities = loadedModalities.length ? alignModalities(rowIds, loadedModalities) : undefined;
  const raw = Float64Array.from(keep, (i) => targetCol.values[i]!);
  const y = config.target.transform === 'log1p' ? raw.map(Math.log1p) : raw;
  const guests = config.guestColumn ? textColumn(table, config.guestColumn, 'the guest (channel) column') : null;
  const text = config.text ? deriveTextPresent(table, config, rowIds, options.textOverrides) : null;

  const choice = chooseFeatures(table, {
    target: config.target.column,
    guestColumn: config.guestColumn,
    idColumn: config.idColumn,
    extraLeakage: config.leakage,
    allowLeakage: config.leakageAllow,
    numeric: config.features?.numeric,
    categorical: config.features?.categorical,
  });
  // Date/time columns are never defaulted in (they encode when, i.e. how long a video had).
  if (!config.features) {
    choice.numeric = choice.numeric.filter((c) => {
      if (!loaded.temporal.has(c)) return true;
      choice.excluded.push({ column: c, reason: 'date/time' });
      return false;
    });
  }
  assertNoLeakage([...choice.numeric, ...choice.categorical], { target: config.target.column, extra: config.leakage, allow: config.leakageAllow });
  for (const column of choice.numeric) {
    const col = table.columns.get(column);
    if (col?.kind !== 'numeric') continue;
    assertFiniteColumn(col.values, rowIds, {
      file: config.metadata,
      column,
      purpose: 'a numeric feature; an empty cell or NaN is imputed with the median, Infinity cannot be',
      allowNaN: true,
      fix: 'fix the value or leave the cell empty, then run again.',
    });
  }

  // text_present from the text modality, for slices (after feature choice: a label of the row, not a feature).
  const textModality = modalities?.find((m) => m.name === 'text');
  if (textModality && !table.columns.has(TEXT_PRESENT)) table.columns.set(TEXT_PRESENT, { kind: 'numeric', values: Float64Array.from(textModality.present) });

  // Text vectors are computed after the leakage check: a bad config fails before the slow part.
  let textModel: PreparedData['textModel'] = null;
  let textStats: TextEmbeddingStats | null = null;
  let textVectors: Float32Array | null = null;
  if (config.text && text) {
    if (!options.homeRoot) throw new Error('prepareData: a config with "text" needs options.homeRoot (the text-embedding cache)');
    const only = options.embedTextOnlyFor;
    const embedded = await embedTexts(only ? text.texts.map((t, i) => (only.has(rowIds[i]!) ? t : null)) : text.texts, {
      modelDir: config.text.model,
      homeRoot: options.homeRoot,
      batchSize: config.text.batchSize,
      onProgress: options.onTextProgress,
      throwIfCancelled: options.throwIfCancelled,
    });
    textModel = { ...embedded.model, dim: embedded.dim, column: config.text.column };
    textStats = embedded.stats;
    textVectors = embedded.vectors;
    assertFiniteVectors(textVectors, textModel.dim, rowIds.map((id, row) => ({ id, row })), `the text embeddings of ${config.text.model}`);
  }

  // Each row: [given embedding | text embedding]; either part may be absent. The given
  // embedding is the fused file's row, or the modalities side by side when there is none.
  const modalityConcat = !embeddings && modalities ? concatModalities(modalities, keep.length) : null;
  const baseDim = embeddings?.dim ?? modalityConcat?.dim ?? 0;
  const textDim = textModel?.dim ?? 0;
  const dim = baseDim + textDim;
  const emb = dim ? new Float64Array(keep.length * dim) : null;
  if (emb) {
    for (let i = 0; i < keep.length; i++) {
      // Looked up by id here, after every join: the modality join may have dropped rows since.
      if (embeddings) {
        const from = embeddingRowOf!.get(rowIds[i]!)!;
        emb.set(embeddings.data.subarray(from * baseDim, (from + 1) * baseDim), i * dim);
      }
      if (modalityConcat) emb.set(modalityConcat.data.subarray(i * baseDim, (i + 1) * baseDim), i * dim);
      if (textVectors) for (let k = 0; k < textDim; k++) emb[i * dim + baseDim + k] = textVectors[i * textDim + k]!;
    }
  }

  const data: SuiteData = {
    src: { table, embeddings: emb, embeddingDim: dim, modalities },
    ids: rowIds,
    y,
    guests,
    features: { numeric: choice.numeric, categorical: choice.categorical },
  };
  const summary = {
    metadata: loaded.summary,
    rowsMissingTarget: missingTarget,
    rowsWithoutEmbedding: notEmbedded,
    rows: keep.length,
    embeddings: embeddings ? { source: embeddings.source, count: embeddings.ids.length, dim: baseDim } : modalities ? { source: 'modalities (video ‖ audio ‖ text)', dim: baseDim } : null,
    rowsWithoutModality: withoutModality,
    modalities: modalities?.map((m) => ({
      name: m.name,
      source: m.source,
      dim: m.dim,
      count: loadedModalities.find((l) => l.name === m.name)!.embeddings.ids.length,
      rowsPresent: m.present.reduce((a, b) => a + b, 0),
    })) ?? null,
    text:
      textModel && textStats && text
        ? {
            column: textModel.column,
            model: textModel.dir,
            identity: textModel.identity,
            files: textModel.files,
            dim: textDim,
            present: textStats.present,
            absent: textStats.texts - textStats.present,
            unique: textStats.unique,
            cached: textStats.cached,
            computed: textStats.computed,
            textPresentReplacedMetadataColumn: text.replaced,
          }
        : null,
    embeddingDim: dim,
    target: { ...config.target, mean: mean(y), min: Math.min(...y), max: Math.max(...y) },
    guests: guests ? new Set(guests).size : null,
    // Every input column, feature or not: missing cells among the rows the run uses.
    missingness: missingness(table),
    // numeric and categorical are the features used; every other column is in excluded, with its reason.
    features: { numeric: choice.numeric, categorical: choice.categorical, excluded: choice.excluded },
  };
  return { data, table, choice, summary, textModel, temporal: loaded.temporal };
}

/** The file rows of `rowIds` in a vector file (a text modality may lack some: those are skipped). */
function rowsOf(rowIds: readonly string[], rowOf: ReadonlyMap<string, number>): { row: number; id: string }[] {
  return rowIds.flatMap((id) => {
    const row = rowOf.get(id);
    return row === undefined ? [] : [{ row, id }];
  });
}

/**
 * Per column of the rows a run uses (after filter, dedupe and joins): how many cells are
 * missing (an empty cell, NaN, or a text column's null) and their share of the rows.
 */
export function missingness(table: Table): Record<string, { missing: number; share: number }> {
  const out: Record<string, { missing: number; share: number }> = {};
  for (const [name, col] of table.columns) {
    let missing = 0;
    if (col.kind === 'numeric') for (const v of col.values) missing += Number.isNaN(v) ? 1 : 0;
    else for (const v of col.values) missing += v === null ? 1 : 0;
    out[name] = { missing, share: table.rowCount ? missing / table.rowCount : 0 };
  }
  return out;
}

function mean(xs: Float64Array): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
