import type { Db } from '../../db/open';
import { resolveSuiteModelRef } from './registry';
import path from 'node:path';
import { FramelabError } from '../../../../shared/errors';
import type { SuiteScoreParams, SuiteScoreResult } from '../../../../shared/suite';
import { writeCsvForPeople } from '../../annotations/csvForPeople';
import type { JobContext } from '../../jobs/context';
import { checkFiles, scoreFile } from '../../jobs/outputChecks';
import { writeOutputFile } from '../../workspace/outputPaths';
import { loadTable } from '../data/dataset';
import { modelNeeds, readRunConfig, type SavedModelFile } from './newVideo';
import { loadEmbeddings } from '../data/prepare';
import { nonFiniteProblem } from '../data/finite';
import type { FeatureSource } from '../data/suiteData';
import { readSavedModel, scorerOf } from '../models/saved';
import { runDirOf } from './run';
import { describeHeader } from '../../workspace/describeContent';

/**
 * Scores many videos with one saved run model in one pass (the `suite.score` job): the
 * metadata file is read once (the run's dedupe: latest capture per video; not its filter,
 * which picks the *target's* horizon new videos have not reached), the embeddings once, and
 * the saved pipeline transforms all rows exactly as at training time — the same numbers as
 * `suite predict` gives one video at a time. A video lacking what the model needs (a feature
 * value the pipeline cannot impute is never the case: medians and "missing" categories cover
 * those; so: its guest, its embedding) gets its reason in the `error` column; the others are
 * scored. Runs that embedded text or fused modalities in-run are scored per video
 * (`suite predict`), which re-embeds text with the run's model folder.
 */
const CHUNK = 4096;

export interface ScoredRow {
  videoId: string;
  yPred: number | null;
  viewsPred: number | null;
  error: string | null;
}

function idText(value: string | number | null | undefined): string | null {
  return value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? null : String(value);
}

export async function scoreMany(
  params: Pick<SuiteScoreParams, 'model' | 'metadata' | 'embeddings'> & { runId: string },
  homeRoot: string,
  progress: (fraction: number, stage: string) => void = () => {},
): Promise<{ rows: ScoredRow[]; log1p: boolean }> {
  const runDir = runDirOf(homeRoot, params.runId);
  const config = readRunConfig(runDir);
  const saved = readSavedModel(runDir, params.model);
  if (config.text || config.modalities) {
    throw new FramelabError(
      'INVALID_INPUT',
      `run ${params.runId} ${config.text ? 'embedded text' : 'fused per-modality embeddings'} itself; score its videos one at a time with \`framelab suite predict\` (batch scoring takes runs on a metadata table and one embeddings file).`,
    );
  }
  const needs = modelNeeds(saved as unknown as SavedModelFile);

  progress(0.05, `reading ${path.basename(params.metadata)}`);
  const table = await loadTable({ file: params.metadata, dedupe: config.dedupe, orderBy: config.idColumn });
  const idColumn = table.columns.get(config.idColumn);
  if (!idColumn)
    throw new FramelabError(
      'INVALID_INPUT',
      `${params.metadata} has no id column "${config.idColumn}"; ${describeHeader([...table.columns.keys()])}.`,
    );
  for (const name of needs.numeric) {
    const col = table.columns.get(name);
    if (!col)
      throw new FramelabError(
        'INVALID_INPUT',
        `${params.metadata} has no column "${name}", a feature of model ${params.model}; add it (empty cells are imputed as in training).`,
      );
    if (col.kind !== 'numeric')
      throw new FramelabError(
        'INVALID_INPUT',
        `${params.metadata}: column "${name}" holds text, but model ${params.model} takes it as a number.`,
      );
  }
  for (const name of needs.categorical) {
    if (!table.columns.has(name))
      throw new FramelabError(
        'INVALID_INPUT',
        `${params.metadata} has no column "${name}", a feature of model ${params.model}; add it (empty cells count as missing, as in training).`,
      );
  }
  const guestColumn = needs.guest ? table.columns.get(config.guestColumn!) : undefined;
  if (needs.guest && !guestColumn)
    throw new FramelabError(
      'INVALID_INPUT',
      `${params.metadata} has no guest column "${config.guestColumn}", which model ${params.model} needs.`,
    );

  const rowOf = new Map<string, number>();
  for (let r = 0; r < table.rowCount; r++) {
    const id = idText(idColumn.values[r]);
    if (id !== null) rowOf.set(id, r);
  }
  const rows: ScoredRow[] = [...rowOf.keys()].map((videoId) => ({ videoId, yPred: null, viewsPred: null, error: null }));

  let embeddings: Float64Array | null = null;
  if (needs.embeddingDim) {
    const spec = params.embeddings ?? config.embeddings;
    if (!spec)
      throw new FramelabError('INVALID_INPUT', `model ${params.model} needs ${needs.embeddingDim}-d embeddings; give an embeddings file.`);
    progress(0.2, `reading ${path.basename(spec.path)}`);
    const emb = await loadEmbeddings(spec);
    if (emb.dim !== needs.embeddingDim)
      throw new FramelabError(
        'INVALID_INPUT',
        `${emb.source} holds ${emb.dim}-d embeddings; model ${params.model} was trained on ${needs.embeddingDim}-d.`,
      );
    const at = new Map(emb.ids.map((id, i) => [id, i]));
    embeddings = new Float64Array(table.rowCount * emb.dim);
    for (const row of rows) {
      if (row.error) continue;
      const i = at.get(row.videoId);
      const problem = i === undefined ? null : nonFiniteProblem(emb.data.subarray(i * emb.dim, (i + 1) * emb.dim));
      if (i === undefined) row.error = `no embedding in ${path.basename(emb.source)}`;
      // A NaN vector would score as NaN: that video gets its reason, the others are scored.
      else if (problem) row.error = `its embedding in ${path.basename(emb.source)} has ${problem}`;
      else embeddings.set(emb.data.subarray(i * emb.dim, (i + 1) * emb.dim), rowOf.get(row.videoId)! * emb.dim);
    }
  }
  const guests = guestColumn ? Array.from({ length: table.rowCount }, (_, r) => idText(guestColumn.values[r])) : null;
  if (guests)
    for (const row of rows) if (!row.error && guests[rowOf.get(row.videoId)!] === null) row.error = `no ${config.guestColumn} (the guest)`;

  const src: FeatureSource = { table, embeddings, embeddingDim: needs.embeddingDim };
  const score = scorerOf(saved);
  const todo = rows.filter((r) => !r.error);
  const log1p = config.target.transform === 'log1p';
  for (let start = 0; start < todo.length; start += CHUNK) {
    const chunk = todo.slice(start, start + CHUNK);
    const pred = await score(
      src,
      guests as string[] | null,
      chunk.map((r) => rowOf.get(r.videoId)!),
    );
    chunk.forEach((r, i) => {
      r.yPred = pred[i]!;
      r.viewsPred = log1p ? Math.expm1(pred[i]!) : null;
    });
    progress(0.3 + (0.65 * (start + chunk.length)) / todo.length, `scored ${start + chunk.length} of ${todo.length} videos`);
  }
  return { rows, log1p };
}

/** `video_id, y_pred, views_pred, error`: log-space prediction with 6 decimals, views with 1. */
export function scoresCsv(rows: readonly ScoredRow[]): string {
  // For people: the error text is neutralised; video_id stays raw (the key scripts join on).
  return writeCsvForPeople(
    ['video_id', 'y_pred', 'views_pred', 'error'],
    rows.map((r) => [
      r.videoId,
      r.yPred === null ? '' : r.yPred.toFixed(6),
      r.viewsPred === null ? '' : r.viewsPred.toFixed(1),
      r.error ?? '',
    ]),
    ['video_id'],
  );
}

export async function runSuiteScore(ctx: JobContext, db: Db, homeRoot: string, params: SuiteScoreParams): Promise<SuiteScoreResult> {
  const out = scoreFile(params);
  checkFiles([out]);
  // A registry id (suite_7d_ridge@v3) names its run and model; the CSV says which version scored.
  const { runId, model, registryId } = resolveSuiteModelRef(db, params);
  if (registryId) ctx.log('info', `${registryId} is ${model} of run ${runId}`);
  const { rows } = await scoreMany({ ...params, runId, model }, homeRoot, (fraction, stage) => {
    ctx.throwIfCancelled();
    ctx.progress(fraction, stage);
  });
  // Whole or not at all: a reader never sees half a file.
  writeOutputFile(out.file, scoresCsv(rows), out.rules);
  const failed = rows.filter((r) => r.error);
  if (failed.length)
    ctx.log(
      'warn',
      `${failed.length} of ${rows.length} videos not scored (e.g. ${failed[0]!.videoId}: ${failed[0]!.error}); see the error column.`,
    );
  return { runId, model, registryId, out: params.out, scored: rows.length - failed.length, failed: failed.length };
}
