import path from 'node:path';
import { FramelabError } from '../../../../shared/errors';
import type { SuiteConfig } from '../../../../shared/suite';
import { loadTable, readManifest, type LoadedTable } from './dataset';
import { assertFiniteColumn, assertFiniteVectors } from './finite';
import { embeddingsFromManifest, readFusedPt, readNpyWithIds, readNpzEmbeddings, type Embeddings } from './embeddings';
import { assertNoLeakage, chooseFeatures, type FeatureChoice } from './leakage';
import {
  alignModalities,
  concatModalities,
  joinRequired,
  loadModality,
  MODALITY_ORDER,
  TEXT_PRESENT,
  type LoadedModality,
  type ModalityBlock,
} from './modalities';
import type { SuiteData } from './suiteData';
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
    embeddings: config.embeddings
      ? { ...config.embeddings, path: abs(config.embeddings.path), ids: config.embeddings.ids ? abs(config.embeddings.ids) : undefined }
      : undefined,
    modalities: config.modalities
      ? Object.fromEntries(
          Object.entries(config.modalities).map(([k, m]) => [k, m && { ...m, path: abs(m.path), ids: m.ids ? abs(m.ids) : undefined }]),
        )
      : undefined,
    text: config.text ? { ...config.text, model: abs(config.text.model) } : undefined,
  };
}

export async function loadEmbeddings(spec: NonNullable<SuiteConfig['embeddings']>): Promise<Embeddings> {
  const lower = spec.path.toLowerCase();
  if (lower.endsWith('.pt') || lower.endsWith('.pth')) return readFusedPt(spec.path);
  if (lower.endsWith('.npy')) return readNpyWithIds(spec.path, spec.ids);
  if (lower.endsWith('.npz')) return readNpzEmbeddings(spec.path, spec.key);
  if (lower.endsWith('.parquet') || lower.endsWith('.csv'))
    return embeddingsFromManifest(spec.path, await readManifest(spec.path), spec.key);
  throw new FramelabError('INVALID_INPUT', `embeddings ${spec.path}: expected fused.pt, .npy (+ ids), .npz or a manifest .parquet.`);
}

/**
 * The text of each kept row (with overrides applied) and its text_present flag, written into
 * the table as a numeric column before features are chosen (a metadata column of that name
 * is replaced: the flag must agree with the text that is embedded).
 */
function deriveTextPresent(
  table: Table,
  config: SuiteConfig,
  rowIds: string[],
  overrides?: ReadonlyMap<string, string | null>,
): { texts: (string | null)[]; replaced: boolean } {
  const column = config.text!.column;
  const col = table.columns.get(column);
  if (!col)
    throw new FramelabError(
      'INVALID_INPUT',
      `${config.metadata} has no text column "${column}" (text.column); ${describeHeader([...table.columns.keys()])}.`,
    );
  if (col.kind !== 'text')
    throw new FramelabError(
      'INVALID_INPUT',
      `text.column "${column}" of ${config.metadata} is numeric; it must hold text (e.g. the title).`,
    );
  const texts = col.values.map((v, i) => (overrides?.has(rowIds[i]!) ? overrides.get(rowIds[i]!)! : v));
  if (overrides) table.columns.set(column, { kind: 'text', values: texts });
  const replaced = table.columns.has(TEXT_PRESENT);
  table.columns.set(TEXT_PRESENT, { kind: 'numeric', values: Float64Array.from(texts, (t) => (isTextPresent(t) ? 1 : 0)) });
  return { texts, replaced };
}

/**
 * The data step, stage by stage: the metadata rows whose outcome is known, joined to the
 * embeddings and the modality files, their vectors checked, the target transformed, the
 * features chosen past the leakage guard, the text embedded, and each row's vector assembled.
 */
export async function prepareData(config: SuiteConfig, options: PrepareOptions = {}): Promise<PreparedData> {
  const metadata = await loadRowsWithTarget(config);
  const fused = await joinEmbeddings(config, metadata.ids, metadata.keep);
  const joined = await joinModalities(config, metadata.ids, fused.keep);
  const { keep } = joined;
  const rowIds = keep.map((i) => metadata.ids[i]!);
  assertFiniteInputVectors(rowIds, fused, joined.loaded);

  const table = takeRows(metadata.loaded, keep);
  const modalities = joined.loaded.length ? alignModalities(rowIds, joined.loaded) : undefined;
  const y = transformTarget(config, metadata.target, keep);
  const guests = config.guestColumn ? textColumn(table, config.guestColumn, 'the guest (channel) column') : null;
  const text = config.text ? deriveTextPresent(table, config, rowIds, options.textOverrides) : null;

  const choice = chooseRunFeatures(config, table, metadata.loaded.temporal);
  assertFiniteFeatures(config, table, choice.numeric, rowIds);
  flagTextFromModality(table, modalities);

  // Text vectors are computed after the leakage check: a bad config fails before the slow part.
  const embeddedText = config.text && text ? await embedTextColumn(config.text, text.texts, rowIds, options) : null;
  const vectors = assembleRowVectors(rowIds, fused, modalities, embeddedText);

  const data: SuiteData = {
    src: { table, embeddings: vectors.emb, embeddingDim: vectors.dim, modalities },
    ids: rowIds,
    y,
    guests,
    features: { numeric: choice.numeric, categorical: choice.categorical },
  };
  const summary = dataSummary(config, { metadata, fused, joined, modalities, text, embeddedText, vectors, y, guests, table, choice });
  return { data, table, choice, summary, textModel: embeddedText?.model ?? null, temporal: metadata.loaded.temporal };
}

/** The metadata table (filtered, deduplicated) and the rows of it whose outcome is known. */
interface TargetRows {
  loaded: LoadedTable;
  ids: string[];
  /** The target column's raw values, one per metadata row. */
  target: Float64Array;
  /** Metadata rows with a known outcome, in file order. */
  keep: number[];
  missingTarget: number;
}

async function loadRowsWithTarget(config: SuiteConfig): Promise<TargetRows> {
  const loaded: LoadedTable = await loadTable({
    file: config.metadata,
    filter: config.filter,
    dedupe: config.dedupe,
    orderBy: config.idColumn,
  });
  const ids = textColumn(loaded, config.idColumn, 'the video id');
  const targetCol = loaded.columns.get(config.target.column);
  if (!targetCol) throw new FramelabError('INVALID_INPUT', `${config.metadata} has no target column "${config.target.column}".`);
  if (targetCol.kind !== 'numeric')
    throw new FramelabError('INVALID_INPUT', `target "${config.target.column}" of ${config.metadata} is not numeric.`);

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
  const keep = ids.map((_, i) => i).filter((i) => !Number.isNaN(targetCol.values[i]!));
  const negative = keep.find((i) => config.target.transform === 'log1p' && targetCol.values[i]! < 0);
  if (negative !== undefined)
    throw new FramelabError(
      'INVALID_INPUT',
      `${config.metadata}: video ${ids[negative]} has ${config.target.column} = ${targetCol.values[negative]}; log1p needs ≥ 0.`,
    );
  return { loaded, ids, target: targetCol.values, keep, missingTarget: ids.length - keep.length };
}

/** The given (fused) embeddings, when the config has them, and the rows left after joining them by video id. */
interface EmbeddingJoin {
  embeddings: Embeddings | null;
  /** Video id → row of the embeddings file. */
  rowOf: Map<string, number> | null;
  keep: number[];
  notEmbedded: number;
}

async function joinEmbeddings(config: SuiteConfig, ids: readonly string[], keep: number[]): Promise<EmbeddingJoin> {
  if (!config.embeddings) return { embeddings: null, rowOf: null, keep, notEmbedded: 0 };
  const embeddings = await loadEmbeddings(config.embeddings);
  const at = new Map(embeddings.ids.map((id, i) => [id, i]));
  const joined = keep.filter((i) => at.has(ids[i]!));
  if (!joined.length) {
    throw new FramelabError(
      'INVALID_INPUT',
      `joining ${config.metadata} to ${embeddings.source} on ${config.idColumn} kept no rows: e.g. metadata has "${ids[keep[0] ?? 0]}", embeddings have "${embeddings.ids[0]}".`,
    );
  }
  return { embeddings, rowOf: at, keep: joined, notEmbedded: keep.length - joined.length };
}

/** The per-modality files, when the config has them, and the rows left after joining them. */
interface ModalityJoin {
  loaded: LoadedModality[];
  keep: number[];
  withoutModality: number;
}

/** Per-modality vectors: video/audio inner-joined, text optional (see modalities.ts). */
async function joinModalities(config: SuiteConfig, ids: readonly string[], keep: number[]): Promise<ModalityJoin> {
  if (!config.modalities) return { loaded: [], keep, withoutModality: 0 };
  const loaded: LoadedModality[] = [];
  for (const name of MODALITY_ORDER) {
    const spec = config.modalities[name];
    if (spec) loaded.push(await loadModality(name, spec, loadEmbeddings));
  }
  const joined = joinRequired(keep, ids, loaded, config.metadata, config.idColumn);
  return { loaded, keep: joined, withoutModality: keep.length - joined.length };
}

/** Only the rows the run uses: a bad vector of a video the metadata drops harms nothing. */
function assertFiniteInputVectors(rowIds: readonly string[], fused: EmbeddingJoin, modalities: readonly LoadedModality[]): void {
  if (fused.embeddings)
    assertFiniteVectors(fused.embeddings.data, fused.embeddings.dim, rowsOf(rowIds, fused.rowOf!), fused.embeddings.source);
  for (const m of modalities) {
    assertFiniteVectors(
      m.embeddings.data,
      m.embeddings.dim,
      rowsOf(rowIds, new Map(m.embeddings.ids.map((id, i) => [id, i]))),
      `${m.embeddings.source} (${m.name})`,
    );
  }
}

/** The target of the kept rows, as the models see it (log1p of views by default). */
function transformTarget(config: SuiteConfig, target: Float64Array, keep: readonly number[]): Float64Array {
  const raw = Float64Array.from(keep, (i) => target[i]!);
  return config.target.transform === 'log1p' ? raw.map(Math.log1p) : raw;
}

/** The features: the config's lists or, by default, every column the leakage guard lets through. */
function chooseRunFeatures(config: SuiteConfig, table: Table, temporal: ReadonlySet<string>): FeatureChoice {
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
      if (!temporal.has(c)) return true;
      choice.excluded.push({ column: c, reason: 'date/time' });
      return false;
    });
  }
  assertNoLeakage([...choice.numeric, ...choice.categorical], {
    target: config.target.column,
    extra: config.leakage,
    allow: config.leakageAllow,
  });
  return choice;
}

/** A numeric feature may have empty cells (imputed) but no ±Infinity. */
function assertFiniteFeatures(config: SuiteConfig, table: Table, numeric: readonly string[], rowIds: readonly string[]): void {
  for (const column of numeric) {
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
}

/** text_present from the text modality, for slices (after feature choice: a label of the row, not a feature). */
function flagTextFromModality(table: Table, modalities: readonly ModalityBlock[] | undefined): void {
  const textModality = modalities?.find((m) => m.name === 'text');
  if (textModality && !table.columns.has(TEXT_PRESENT))
    table.columns.set(TEXT_PRESENT, { kind: 'numeric', values: Float64Array.from(textModality.present) });
}

/** The text column's vectors, from the text model (through the home's cache). */
interface EmbeddedText {
  model: NonNullable<PreparedData['textModel']>;
  stats: TextEmbeddingStats;
  vectors: Float32Array;
}

async function embedTextColumn(
  textConfig: NonNullable<SuiteConfig['text']>,
  texts: (string | null)[],
  rowIds: readonly string[],
  options: PrepareOptions,
): Promise<EmbeddedText> {
  if (!options.homeRoot) throw new Error('prepareData: a config with "text" needs options.homeRoot (the text-embedding cache)');
  const only = options.embedTextOnlyFor;
  const embedded = await embedTexts(only ? texts.map((t, i) => (only.has(rowIds[i]!) ? t : null)) : texts, {
    modelDir: textConfig.model,
    homeRoot: options.homeRoot,
    batchSize: textConfig.batchSize,
    onProgress: options.onTextProgress,
    throwIfCancelled: options.throwIfCancelled,
  });
  const model = { ...embedded.model, dim: embedded.dim, column: textConfig.column };
  assertFiniteVectors(
    embedded.vectors,
    model.dim,
    rowIds.map((id, row) => ({ id, row })),
    `the text embeddings of ${textConfig.model}`,
  );
  return { model, stats: embedded.stats, vectors: embedded.vectors };
}

/**
 * Each row: [given embedding | text embedding]; either part may be absent. The given
 * embedding is the fused file's row, or the modalities side by side when there is none.
 */
function assembleRowVectors(
  rowIds: readonly string[],
  fused: EmbeddingJoin,
  modalities: ModalityBlock[] | undefined,
  text: EmbeddedText | null,
): { emb: Float64Array | null; dim: number; baseDim: number } {
  const { embeddings } = fused;
  const rows = rowIds.length;
  const modalityConcat = !embeddings && modalities ? concatModalities(modalities, rows) : null;
  const baseDim = embeddings?.dim ?? modalityConcat?.dim ?? 0;
  const textDim = text?.model.dim ?? 0;
  const dim = baseDim + textDim;
  const emb = dim ? new Float64Array(rows * dim) : null;
  if (emb) {
    for (let i = 0; i < rows; i++) {
      // Looked up by id here, after every join: the modality join may have dropped rows since.
      if (embeddings) {
        const from = fused.rowOf!.get(rowIds[i]!)!;
        emb.set(embeddings.data.subarray(from * baseDim, (from + 1) * baseDim), i * dim);
      }
      if (modalityConcat) emb.set(modalityConcat.data.subarray(i * baseDim, (i + 1) * baseDim), i * dim);
      if (text) for (let k = 0; k < textDim; k++) emb[i * dim + baseDim + k] = text.vectors[i * textDim + k]!;
    }
  }
  return { emb, dim, baseDim };
}

/** data_summary.json's data part: what was read, every row dropped on the way and why, the target, the features. */
function dataSummary(
  config: SuiteConfig,
  parts: {
    metadata: TargetRows;
    fused: EmbeddingJoin;
    joined: ModalityJoin;
    modalities: ModalityBlock[] | undefined;
    text: { replaced: boolean } | null;
    embeddedText: EmbeddedText | null;
    vectors: { dim: number; baseDim: number };
    y: Float64Array;
    guests: string[] | null;
    table: Table;
    choice: FeatureChoice;
  },
): Record<string, unknown> {
  const { metadata, fused, joined, modalities, text, embeddedText, vectors, y, guests, table, choice } = parts;
  const { embeddings } = fused;
  const { baseDim, dim } = vectors;
  return {
    metadata: metadata.loaded.summary,
    rowsMissingTarget: metadata.missingTarget,
    rowsWithoutEmbedding: fused.notEmbedded,
    rows: joined.keep.length,
    embeddings: embeddings
      ? { source: embeddings.source, count: embeddings.ids.length, dim: baseDim }
      : modalities
        ? { source: 'modalities (video ‖ audio ‖ text)', dim: baseDim }
        : null,
    rowsWithoutModality: joined.withoutModality,
    modalities:
      modalities?.map((m) => ({
        name: m.name,
        source: m.source,
        dim: m.dim,
        count: joined.loaded.find((l) => l.name === m.name)!.embeddings.ids.length,
        rowsPresent: m.present.reduce((a, b) => a + b, 0),
      })) ?? null,
    text:
      embeddedText && text
        ? {
            column: embeddedText.model.column,
            model: embeddedText.model.dir,
            identity: embeddedText.model.identity,
            files: embeddedText.model.files,
            dim: embeddedText.model.dim,
            present: embeddedText.stats.present,
            absent: embeddedText.stats.texts - embeddedText.stats.present,
            unique: embeddedText.stats.unique,
            cached: embeddedText.stats.cached,
            computed: embeddedText.stats.computed,
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
