import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../../shared/errors';
import { SuiteConfig } from '../../../../shared/suite';
import { loadTable } from '../data/dataset';
import type { Embeddings } from '../data/embeddings';
import { leakageGuard } from '../data/leakage';
import { GUEST_FEATURE } from '../models/families';
import { loadEmbeddings } from '../data/prepare';
import { nonFiniteProblem } from '../data/finite';
import type { PipelineState } from '../models/preprocess';
import type { FeatureSource } from '../data/suiteData';
import { predictVideo, readSavedModel, scorerOf } from '../models/saved';
import type { Column, Table } from '../data/table';
import { describeHeader } from '../../workspace/describeContent';

/**
 * Scoring any video with a saved run model — one of the run's rows, or a video the run never
 * saw. A new video's inputs come from, in this order:
 * - feature values: `features` (JSON) › its row in `metadata` (read like training: the run's
 *   dedupe, latest capture per video; not the run's filter, which picks the *target's*
 *   horizon a new video may not have reached) › its row in the run's own metadata file;
 * - guest (channel): `features[guestColumn]` › the same metadata row;
 * - embedding: `embedding` (a vector) › `embeddings` (a file, the training readers) › the
 *   run's embeddings file.
 * Whatever the model needs and none of them has is an error naming it and the flag to give.
 * The saved pipeline (medians, scales, categories) then transforms the row exactly as at
 * training time. Leakage columns are refused as inputs, by name.
 */
export type FeatureValues = Record<string, string | number | null>;

export interface PredictInputs {
  features?: FeatureValues;
  /** CSV/Parquet holding the video's metadata row. */
  metadata?: string;
  /** An embeddings file holding the video's vector (fused.pt, .npy + ids, .npz, manifest). */
  embeddings?: { path: string; ids?: string; key?: string };
  /** The video's embedding vector itself. */
  embedding?: number[];
}

export interface PredictResult {
  runId: string;
  model: string;
  videoId: string;
  yPred: number;
  viewsPred: number | null;
  /** "run": a row of the run's data; "new": assembled from the given inputs. */
  source: 'run' | 'new';
}

export interface SavedModelFile {
  features?: { numeric: string[]; categorical: string[] };
  /** gbdt's pipeline covers the metadata only; its embedding goes through `projection` (null: none). */
  state: { kind: string; pipeline?: PipelineState; projection?: { inputDim: number } | null };
}

const GUEST_MODELS = new Set(['guest_mean', 'ridge_guestnorm', 'ridge_guestfeat']);

export function readRunConfig(runDir: string): SuiteConfig {
  return SuiteConfig.parse((JSON.parse(fs.readFileSync(path.join(runDir, 'config_used.json'), 'utf8')) as { config: unknown }).config);
}

/** The inputs a model's saved state asks for: feature columns, an embedding width, a guest. */
export function modelNeeds(saved: SavedModelFile) {
  const pipe = saved.state.pipeline;
  return {
    numeric: pipe ? pipe.numeric.map((n) => n.column).filter((c) => c !== GUEST_FEATURE) : [],
    categorical: pipe ? pipe.categorical.map((c) => c.column) : [],
    embeddingDim: saved.state.kind === 'gbdt' ? (saved.state.projection?.inputDim ?? 0) : (pipe?.embeddingDim ?? 0),
    guest: GUEST_MODELS.has(saved.state.kind),
  };
}

/** Refuses leakage columns and names that are neither a feature nor the guest column. */
function checkFeatureKeys(values: FeatureValues, config: SuiteConfig, allowed: Set<string>): void {
  const leakOf = leakageGuard({ target: config.target.column, extra: config.leakage, allow: config.leakageAllow });
  const leaked = Object.keys(values).filter((k) => leakOf(k) !== null);
  if (leaked.length) {
    throw new FramelabError(
      'INVALID_INPUT',
      `refused: ${leaked.map((k) => `"${k}"`).join(', ')} ${leaked.length > 1 ? 'are' : 'is'} in the leakage set (known only after the video's outcome); a prediction cannot take ${leaked.length > 1 ? 'them' : 'it'} as input.`,
      { columns: leaked },
    );
  }
  const unknown = Object.keys(values).filter((k) => !allowed.has(k));
  if (unknown.length) {
    throw new FramelabError(
      'INVALID_INPUT',
      `${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length > 1 ? 'are not features' : 'is not a feature'} of this model; it takes: ${[...allowed].join(', ') || 'nothing'}.`,
    );
  }
}

/** The video's row of a metadata file (the run's dedupe applied), or null when it is not there. */
async function metadataRow(file: string, config: SuiteConfig, videoId: string): Promise<{ table: Table; row: number } | null> {
  if (!fs.existsSync(file)) throw new FramelabError('NOT_FOUND', `the metadata file ${file} does not exist.`);
  const table = await loadTable({ file, dedupe: config.dedupe, orderBy: config.idColumn });
  const ids = table.columns.get(config.idColumn);
  if (!ids)
    throw new FramelabError(
      'INVALID_INPUT',
      `${file} has no id column "${config.idColumn}"; ${describeHeader([...table.columns.keys()])}.`,
    );
  const row = ids.kind === 'text' ? ids.values.indexOf(videoId) : Array.from(ids.values).findIndex((v) => String(v) === videoId);
  return row < 0 ? null : { table, row };
}

function vectorOf(embeddings: Embeddings, videoId: string): Float64Array | null {
  const i = embeddings.ids.indexOf(videoId);
  return i < 0 ? null : embeddings.data.slice(i * embeddings.dim, (i + 1) * embeddings.dim);
}

async function findEmbedding(videoId: string, inputs: PredictInputs, config: SuiteConfig, dim: number): Promise<Float64Array> {
  let vector: Float64Array | null;
  let where: string;
  if (inputs.embedding) {
    vector = Float64Array.from(inputs.embedding);
    where = 'the given embedding vector';
  } else {
    const spec = inputs.embeddings ?? config.embeddings;
    if (!spec)
      throw new FramelabError(
        'INVALID_INPUT',
        `video "${videoId}": the model needs a ${dim}-d embedding; give --embeddings FILE or an embedding vector.`,
      );
    const emb = await loadEmbeddings(spec);
    vector = vectorOf(emb, videoId);
    where = emb.source;
    if (!vector) {
      const hint = inputs.embeddings
        ? 'give a file that holds it, or an embedding vector'
        : 'give --embeddings FILE (or an embedding vector)';
      throw new FramelabError('INVALID_INPUT', `video "${videoId}" has no embedding in ${where}; ${hint}.`, { videoId, file: where });
    }
  }
  if (vector.length !== dim)
    throw new FramelabError(
      'INVALID_INPUT',
      `video "${videoId}": ${where} gives a ${vector.length}-d embedding; the model was trained on ${dim}-d.`,
    );
  const problem = nonFiniteProblem(vector);
  if (problem)
    throw new FramelabError(
      'INVALID_INPUT',
      `video "${videoId}": ${where} gives an embedding with ${problem}; embeddings must be finite numbers.`,
      { videoId, file: where },
    );
  return vector;
}

/** One feature value as a one-row column: JSON values first, else the metadata row, else undefined. */
function columnFor(name: string, numeric: boolean, values: FeatureValues, meta: { table: Table; row: number } | null): Column | undefined {
  if (name in values) {
    const v = values[name]!;
    if (!numeric) return { kind: 'text', values: [v === null ? null : String(v)] };
    if (v !== null && typeof v !== 'number')
      throw new FramelabError('INVALID_INPUT', `feature "${name}" is numeric; got ${JSON.stringify(v)}.`);
    return { kind: 'numeric', values: Float64Array.of(v ?? NaN) };
  }
  const col = meta?.table.columns.get(name);
  if (!col || !meta) return undefined;
  if (col.kind === 'numeric') return { kind: 'numeric', values: Float64Array.of(col.values[meta.row]!) };
  if (numeric)
    throw new FramelabError('INVALID_INPUT', `${meta.table.source}: column "${name}" is text, but the model takes it as a number.`);
  return { kind: 'text', values: [col.values[meta.row]!] };
}

async function predictNewVideo(
  runDir: string,
  modelName: string,
  videoId: string,
  inputs: PredictInputs,
  config: SuiteConfig,
): Promise<PredictResult> {
  const saved = readSavedModel(runDir, modelName);
  if (saved.state.kind === 'gated_fusion_mlp') {
    // Its inputs are per-modality vectors with presence flags, which these inputs cannot give.
    throw new FramelabError(
      'INVALID_INPUT',
      `model ${modelName} fuses per-modality embeddings; it scores the run's own videos (by id, without --metadata/--embeddings), not new ones.`,
      { videoId },
    );
  }
  const needs = modelNeeds(saved as unknown as SavedModelFile);
  const values = inputs.features ?? {};
  const metaFile = inputs.metadata ?? config.metadata;
  const needsRow =
    [...needs.numeric, ...needs.categorical].some((c) => !(c in values)) || (needs.guest && !(config.guestColumn! in values));
  const meta = needsRow || inputs.metadata ? await metadataRow(metaFile, config, videoId) : null;
  if (inputs.metadata && !meta)
    throw new FramelabError('NOT_FOUND', `video "${videoId}" is not in ${inputs.metadata} (column ${config.idColumn}).`, {
      videoId,
      file: inputs.metadata,
    });

  const columns = new Map<string, Column>();
  const missing: string[] = [];
  for (const [names, numeric] of [
    [needs.numeric, true],
    [needs.categorical, false],
  ] as const) {
    for (const name of names) {
      const col = columnFor(name, numeric, values, meta);
      if (col) columns.set(name, col);
      else missing.push(name);
    }
  }
  let guests: string[] | null = null;
  if (needs.guest) {
    const g = columnFor(config.guestColumn!, false, values, meta)?.values[0];
    if (g === undefined || g === null) missing.push(`${config.guestColumn} (the guest)`);
    else guests = [String(g)];
  }
  if (missing.length) {
    const from = meta ? `its row in ${metaFile} lacks them` : `it is not in ${metaFile}`;
    throw new FramelabError(
      'INVALID_INPUT',
      `video "${videoId}": no value for ${missing.join(', ')} (model ${modelName}; ${from}); give them in --features (null for unknown) or --metadata FILE.`,
      { videoId, missing },
    );
  }
  const embedding = needs.embeddingDim ? await findEmbedding(videoId, inputs, config, needs.embeddingDim) : null;
  const src: FeatureSource = {
    table: { source: `video ${videoId}`, rowCount: 1, columns },
    embeddings: embedding,
    embeddingDim: needs.embeddingDim,
  };
  const yPred = (await scorerOf(saved)(src, guests, [0]))[0]!;
  return {
    runId: path.basename(runDir),
    model: modelName,
    videoId,
    yPred,
    viewsPred: config.target.transform === 'log1p' ? Math.expm1(yPred) : null,
    source: 'new',
  };
}

/**
 * Scores `videoId`: a row of the run's data when no new inputs are given and the run has it
 * (feature overrides allowed), else a new video from the inputs.
 */
export async function predictAnyVideo(
  runDir: string,
  modelName: string,
  videoId: string,
  inputs: PredictInputs = {},
): Promise<PredictResult> {
  const config = readRunConfig(runDir);
  const saved = readSavedModel(runDir, modelName) as unknown as SavedModelFile;
  const needs = modelNeeds(saved);
  const allowed = new Set([
    ...(saved.features?.numeric ?? []),
    ...(saved.features?.categorical ?? []),
    ...needs.numeric,
    ...needs.categorical,
  ]);
  if (config.guestColumn) allowed.add(config.guestColumn);
  const values = inputs.features ?? {};
  checkFeatureKeys(values, config, allowed);
  const fresh = inputs.metadata || inputs.embeddings || inputs.embedding || (config.guestColumn && config.guestColumn in values);
  if (!fresh) {
    try {
      return { ...(await predictVideo(runDir, modelName, videoId, values)), source: 'run' };
    } catch (e) {
      // The model exists (read above), so NOT_FOUND here means: not one of the run's rows.
      if (!(e instanceof FramelabError && e.code === 'NOT_FOUND')) throw e;
    }
  }
  return predictNewVideo(runDir, modelName, videoId, inputs, config);
}
