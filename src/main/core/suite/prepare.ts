import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { SuiteConfig } from '../../../shared/suite';
import { loadTable, readManifest, type LoadedTable } from './dataset';
import { embeddingsFromManifest, readFusedPt, readNpyWithIds, readNpzEmbeddings, type Embeddings } from './embeddings';
import { assertNoLeakage, chooseFeatures, type FeatureChoice } from './leakage';
import type { SuiteData } from './models';
import { takeRows, textColumn, type Table } from './table';

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
  /** Date/time columns of the metadata (epoch ms). */
  temporal: ReadonlySet<string>;
}

/** Paths in a config are relative to the config file's folder. */
export function resolveConfigPaths(config: SuiteConfig, baseDir: string): SuiteConfig {
  const abs = (p: string) => path.resolve(baseDir, p);
  return {
    ...config,
    metadata: abs(config.metadata),
    embeddings: config.embeddings ? { ...config.embeddings, path: abs(config.embeddings.path), ids: config.embeddings.ids ? abs(config.embeddings.ids) : undefined } : undefined,
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

export async function prepareData(config: SuiteConfig): Promise<PreparedData> {
  const loaded: LoadedTable = await loadTable({ file: config.metadata, filter: config.filter, dedupe: config.dedupe, orderBy: config.idColumn });
  const ids = textColumn(loaded, config.idColumn, 'the video id');
  const targetCol = loaded.columns.get(config.target.column);
  if (!targetCol) throw new FramelabError('INVALID_INPUT', `${config.metadata} has no target column "${config.target.column}".`);
  if (targetCol.kind !== 'numeric') throw new FramelabError('INVALID_INPUT', `target "${config.target.column}" of ${config.metadata} is not numeric.`);

  // Rows whose outcome is unknown (not yet at the horizon) cannot train or score.
  let keep = ids.map((_, i) => i).filter((i) => !Number.isNaN(targetCol.values[i]!));
  const missingTarget = ids.length - keep.length;
  const negative = keep.find((i) => config.target.transform === 'log1p' && targetCol.values[i]! < 0);
  if (negative !== undefined) throw new FramelabError('INVALID_INPUT', `${config.metadata}: video ${ids[negative]} has ${config.target.column} = ${targetCol.values[negative]}; log1p needs ≥ 0.`);

  let embeddings: Embeddings | null = null;
  let embeddingRows: number[] = [];
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
    embeddingRows = keep.map((i) => at.get(ids[i]!)!);
  }

  const table = takeRows(loaded, keep);
  const rowIds = keep.map((i) => ids[i]!);
  const raw = Float64Array.from(keep, (i) => targetCol.values[i]!);
  const y = config.target.transform === 'log1p' ? raw.map(Math.log1p) : raw;
  const guests = config.guestColumn ? textColumn(table, config.guestColumn, 'the guest (channel) column') : null;

  const choice = chooseFeatures(table, {
    target: config.target.column,
    guestColumn: config.guestColumn,
    extraLeakage: config.leakage,
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
  assertNoLeakage([...choice.numeric, ...choice.categorical], config.target.column, config.leakage);

  const dim = embeddings?.dim ?? 0;
  const emb = embeddings ? new Float64Array(keep.length * dim) : null;
  if (embeddings && emb) embeddingRows.forEach((r, i) => emb.set(embeddings.data.subarray(r * dim, (r + 1) * dim), i * dim));

  const data: SuiteData = {
    src: { table, embeddings: emb, embeddingDim: dim },
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
    embeddings: embeddings ? { source: embeddings.source, count: embeddings.ids.length, dim } : null,
    target: { ...config.target, mean: mean(y), min: Math.min(...y), max: Math.max(...y) },
    guests: guests ? new Set(guests).size : null,
    features: { numeric: choice.numeric, categorical: choice.categorical, excluded: choice.excluded },
  };
  return { data, table, choice, summary, temporal: loaded.temporal };
}

function mean(xs: Float64Array): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
