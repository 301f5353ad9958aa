import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SuiteConfig, SuiteRunResult } from '../../../../shared/suite';
import type {
  CurvePoint,
  DatasetPreview,
  PredictionPoints,
  SuiteCompare,
  SuiteLiveCurves,
  SuiteRunDetail,
} from '../../../../shared/suiteViews';
import { parseCsv } from '../../annotations/csv';
import { readLiveCurves } from './live';
import { prepareData } from '../data/prepare';
import { nameAndTags, runDirOf, suiteRunsDir } from './run';
import { manifestAssignment } from '../data/splits';

/**
 * Views of suite runs for the screens: everything one run holds (read from its immutable
 * folder), runs side by side, the live curves of a running job, and a dry run of the data
 * step (what a run would train on, which columns are features and why the others are not).
 */

/** Predicted-vs-actual points per model and split beyond this are sampled evenly (a scatter of 50k dots says nothing more). */
export const MAX_SCATTER_POINTS = 2000;

const readJson = <T>(file: string, fallback: T): T => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : fallback);

function readCsvRecords(file: string): Record<string, string>[] {
  if (!fs.existsSync(file)) return [];
  const { records } = parseCsv(fs.readFileSync(file, 'utf8'));
  const [header, ...rows] = records.filter((r) => r.length > 1 || r[0] !== '');
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

const num = (text: string | undefined): number | null => {
  if (text === undefined || text === '') return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
};

/**
 * Every curves/*.csv: neural models write `epoch,train_loss,val_rmse`, gbdt writes
 * `round,train_rmse,val_rmse` (the boosting rounds, RMSE on the training rows and on the
 * early-stopping rows); both become the same points, with the x axis's unit beside them.
 */
function readCurves(runDir: string): { curves: Record<string, CurvePoint[]>; units: Record<string, 'epoch' | 'round'> } {
  const dir = path.join(runDir, 'curves');
  const curves: Record<string, CurvePoint[]> = {};
  const units: Record<string, 'epoch' | 'round'> = {};
  if (!fs.existsSync(dir)) return { curves, units };
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()) {
    const name = file.slice(0, -4);
    const rows = readCsvRecords(path.join(dir, file));
    const rounds = rows.length > 0 && 'round' in rows[0]!;
    units[name] = rounds ? 'round' : 'epoch';
    curves[name] = rows
      .map((r) => ({
        epoch: Number(rounds ? r.round : r.epoch),
        trainLoss: num(rounds ? r.train_rmse : r.train_loss),
        valRmse: num(r.val_rmse),
      }))
      .filter((p) => Number.isFinite(p.epoch));
  }
  return { curves, units };
}

function readImportance(runDir: string): SuiteRunDetail['importance'] {
  const dir = path.join(runDir, 'importance');
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f.slice(0, -5), readJson(path.join(dir, f), [])]),
  );
}

/** Every `step`-th row, so a big split keeps its shape in the scatter. */
function evenSample<T>(rows: T[], cap: number): T[] {
  if (rows.length <= cap) return rows;
  const step = rows.length / cap;
  return Array.from({ length: cap }, (_, i) => rows[Math.floor(i * step)]!);
}

function readPredictions(runDir: string, cap: number): PredictionPoints[] {
  const out: PredictionPoints[] = [];
  for (const split of ['val', 'test', 'oof'] as const) {
    const byModel = new Map<string, { id: string; yTrue: number; yPred: number }[]>();
    for (const r of readCsvRecords(path.join(runDir, 'predictions', `${split}.csv`))) {
      const list = byModel.get(r.model!) ?? [];
      list.push({ id: r.video_id!, yTrue: Number(r.y_true), yPred: Number(r.y_pred) });
      byModel.set(r.model!, list);
    }
    for (const [model, points] of byModel) out.push({ model, split, total: points.length, points: evenSample(points, cap) });
  }
  return out;
}

export function runDetail(homeRoot: string, runId: string, cap = MAX_SCATTER_POINTS): SuiteRunDetail {
  const dir = runDirOf(homeRoot, runId);
  const used = readJson<{
    config?: Record<string, unknown>;
    configFile?: string | null;
    versions?: Record<string, string>;
    createdAt?: string;
  }>(path.join(dir, 'config_used.json'), {});
  const { curves, units } = readCurves(dir);
  return {
    runId,
    result: readJson(path.join(dir, 'result.json'), {} as SuiteRunResult),
    config: used.config ?? {},
    configFile: used.configFile ?? null,
    versions: used.versions ?? {},
    createdAt: used.createdAt ?? null,
    dataSummary: readJson(path.join(dir, 'data_summary.json'), {}),
    intervals: readJson(path.join(dir, 'metric_intervals.json'), {}),
    slices: readJson(path.join(dir, 'slice_metrics.json'), { column: null, models: {} }),
    curves,
    curveUnits: units,
    importance: readImportance(dir),
    predictions: readPredictions(dir, cap),
  };
}

/** Dotted paths of every leaf (arrays are leaves: a list of models differs as a whole). */
function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

/**
 * Runs compared on different splits measure their models on different rows, so a gap between
 * them mixes the models' difference with the rows'. The split manifests (which row went to
 * train, val, test or which fold) are the evidence; the differing config fields say why.
 */
function splitWarning(hashes: (string | null)[], diffs: SuiteCompare['configDiffs']): string | null {
  if (hashes.length < 2 || new Set(hashes).size === 1) return null;
  const causes = diffs
    .filter((d) => /^(split\.|metadata$|filter\.|dedupe\.|idColumn$|target\.|embeddings\.)/.test(d.field))
    .map((d) => d.field);
  const why = hashes.includes(null)
    ? 'one of them has no split manifest'
    : causes.length
      ? `${causes.join(', ')} differ${causes.length === 1 ? 's' : ''}`
      : 'their split manifests differ (the data changed between them)';
  return `These runs used different splits (${why}): their metrics are measured on different rows, so a difference between runs is not only the models'. Compare models within one run, or rerun with the same data and split.`;
}

export function compareRuns(homeRoot: string, runIds: string[]): SuiteCompare {
  const runs = runIds.map((id) => {
    const dir = runDirOf(homeRoot, id);
    const result = readJson(path.join(dir, 'result.json'), {} as SuiteRunResult);
    const used = readJson<{ config?: Record<string, unknown>; createdAt?: string }>(path.join(dir, 'config_used.json'), {});
    const manifest = path.join(dir, 'split_manifest.csv');
    // Hashed on video_id + split only: runs saved before the manifest had text_present/target_* still compare.
    const splitHash = fs.existsSync(manifest)
      ? crypto
          .createHash('sha256')
          .update(manifestAssignment(fs.readFileSync(manifest, 'utf8')))
          .digest('hex')
      : null;
    // Runs saved before tags existed have none: [] (the default), so tags differ only when they do.
    return { result, config: { tags: [], ...(used.config ?? {}) }, createdAt: used.createdAt ?? null, splitHash };
  });
  const modelNames = [...new Set(runs.flatMap((r) => r.result.leaderboard.map((row) => row.model)))];
  const models = modelNames.map((model) => ({
    model,
    byRun: runs.map((r) => {
      const rank = r.result.leaderboard.findIndex((row) => row.model === model);
      if (rank < 0) return null;
      const row = r.result.leaderboard[rank]!;
      return { rank: rank + 1, val: row.val, test: row.test };
    }),
  }));
  const flat = runs.map((r) => flatten(r.config));
  const fields = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const configDiffs = fields
    .map((field) => ({ field, values: flat.map((f) => (f.has(field) ? f.get(field) : null)) }))
    .filter(({ values }) => new Set(values.map((v) => JSON.stringify(v))).size > 1);
  return {
    runs: runs.map((r) => ({
      runId: r.result.runId,
      ...nameAndTags(r.config),
      createdAt: r.createdAt,
      rows: r.result.rows,
      folds: r.result.folds,
      rankMetric: r.result.rankMetric,
      splitHash: r.splitHash,
    })),
    models,
    configDiffs,
    splitWarning: splitWarning(
      runs.map((r) => r.splitHash),
      configDiffs,
    ),
  };
}

export function liveCurves(homeRoot: string, jobId: string): SuiteLiveCurves {
  const live = readLiveCurves(suiteRunsDir(homeRoot), jobId);
  return { jobId, runId: live?.runId ?? null, curves: live?.curves ?? {} };
}

const ROLE_OF_REASON: [RegExp, DatasetPreview['columns'][number]['role']][] = [
  [/^leakage/, 'leakage'],
  [/^id/, 'id'],
  [/^date\/time/, 'time'],
  [/^high cardinality/, 'high_cardinality'],
];

const REASON_TEXT: Record<string, string> = {
  leakage: 'leakage: known only after the outcome (a label, a counter or a rate derived from them)',
  id: 'id: identifies a row or a channel, a model would memorise it',
  'date/time': 'date/time: encodes how long a video had, not what it is',
};

/**
 * The data step of a run without training: load, filter, dedupe, join, choose features, and
 * describe every column's role. Errors are the run's own (empty filter or join, a leakage
 * column named as a feature, …), so the screen shows exactly what a run would say.
 */
export async function previewDataset(config: SuiteConfig): Promise<DatasetPreview> {
  const prepared = await prepareData(config);
  const { table, choice } = prepared;
  const summary = prepared.summary as {
    metadata: { file: string; rowsRead: number; rowsAfterFilter: number; rowsAfterDedupe: number };
    rowsMissingTarget: number;
    rowsWithoutEmbedding: number;
    rows: number;
    embeddings: DatasetPreview['embeddings'];
    target: { column: string; transform: string; mean: number; min: number; max: number };
    guests: number | null;
  };
  const excluded = new Map(choice.excluded.map((e) => [e.column, e.reason]));
  const patterns = new Map(choice.excluded.flatMap((e) => (e.pattern ? [[e.column, e.pattern] as const] : [])));
  const numeric = new Set(choice.numeric);
  const categorical = new Set(choice.categorical);
  const fin = (v: number) => (Number.isFinite(v) ? v : null);
  const columns = [...table.columns].map(([name, col]) => {
    const temporal = prepared.temporal.has(name);
    const missing =
      col.kind === 'numeric' ? Array.from(col.values).filter(Number.isNaN).length : col.values.filter((v) => v === null).length;
    const distinct = col.kind === 'text' ? new Set(col.values.filter((v) => v !== null)).size : null;
    const type = temporal ? ('time' as const) : col.kind === 'numeric' ? ('numeric' as const) : ('text' as const);
    let role: DatasetPreview['columns'][number]['role'];
    let reason: string | null = null;
    if (name === config.target.column) [role, reason] = ['target', `target (${config.target.transform})`];
    else if (name === config.guestColumn)
      [role, reason] = [
        'guest',
        'guest (channel): used by the guest-aware models as means inside each training fold, never as a raw feature',
      ];
    else if (numeric.has(name)) role = 'numeric';
    else if (categorical.has(name)) role = 'categorical';
    else if (excluded.has(name)) {
      // A date column excluded by its name (captured_at, published_at) is a time column first.
      const why = temporal && excluded.get(name) === 'id' ? 'date/time' : excluded.get(name)!;
      role = ROLE_OF_REASON.find(([re]) => re.test(why))?.[1] ?? 'not_selected';
      reason = REASON_TEXT[why] ?? why;
      const pattern = patterns.get(name);
      if (pattern)
        reason += `; caught by the name pattern ${pattern} (if it is known when a video is published, add it to leakageAllow in the config)`;
    } else [role, reason] = ['not_selected', 'not in the configured feature lists'];
    return { name, type, role, reason, pattern: patterns.get(name) ?? null, missing, distinct };
  });
  return {
    metadata: summary.metadata.file,
    rowsRead: summary.metadata.rowsRead,
    rowsAfterFilter: summary.metadata.rowsAfterFilter,
    rowsAfterDedupe: summary.metadata.rowsAfterDedupe,
    rowsMissingTarget: summary.rowsMissingTarget,
    rowsWithoutEmbedding: summary.rowsWithoutEmbedding,
    rows: summary.rows,
    embeddings: summary.embeddings,
    target: {
      column: summary.target.column,
      transform: summary.target.transform,
      mean: fin(summary.target.mean),
      min: fin(summary.target.min),
      max: fin(summary.target.max),
    },
    guests: summary.guests,
    columns,
  };
}
