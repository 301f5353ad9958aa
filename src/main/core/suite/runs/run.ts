import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isCancelled, loadTrainingAddon } from '../../../../../native/index';
import { appRoot } from '../../appRoot';
import { cancelledError } from '../../jobs/context';
import { FramelabError } from '../../../../shared/errors';
import { writeSafetensors } from '../../vision/weights/safetensors';
import { SuiteRunResult, type LeaderboardRow, type SuiteConfig, type SuiteLineage } from '../../../../shared/suite';
import { bootstrapIntervals, HIGHER_IS_BETTER, METRIC_NAMES, regressionMetrics, type Intervals, type Metrics } from '../models/metrics';
import { mulberry32 } from '../../random';
import { averageImportance, permutationImportance, type Importance } from '../models/importance';
import { leakageGuardRecord } from '../data/leakage';
import { runLineage } from './lineage';
import { liveCurvesWriter } from './live';
import { fitModel, recipesUsed, type FittedModel, type ModelOptions } from '../models/families';
import type { SuiteData } from '../data/suiteData';
import { prepareData, TEXT_PRESENT, type PreparedData } from '../data/prepare';
import {
  csvCell,
  foldManifestCsv,
  groupKFold,
  groupSplit,
  kFold,
  randomSplit,
  splitManifestCsv,
  splitSummary,
  timeSplit,
  type Fold,
  type ManifestRows,
  type Split,
  type SplitName,
  type TimeSplit,
} from '../data/splits';
import { numericColumn, textColumn, type Column } from '../data/table';
import { entriesToStateDict } from '../../vision/weights/stateEntries';

/**
 * One suite run: prepare the data, split, fit every model on the training rows, score val
 * and test (or every K-fold), and write an immutable run folder. The folder is assembled
 * under a temporary name and renamed at the end, so a run folder is either complete or
 * absent; its files are then made read-only.
 */
export interface RunReporter {
  progress(fraction: number, stage: string): void;
  throwIfCancelled(): void;
  /** The job's cancel state (a JobContext has it): watched so a cancel also stops a neural model mid-epoch. */
  readonly cancelled?: boolean;
  /** The job running this suite (live curves are kept under it). */
  readonly jobId?: string;
}

export const suiteRunsDir = (homeRoot: string): string => path.join(homeRoot, 'runs', 'suite');

/** A finished run's folder (it has result.json), or NOT_FOUND naming the run. */
export function runDirOf(homeRoot: string, runId: string): string {
  const dir = path.join(suiteRunsDir(homeRoot), runId);
  if (!fs.existsSync(path.join(dir, 'result.json')))
    throw new FramelabError('NOT_FOUND', `no suite run "${runId}"; see \`framelab suite runs\`.`);
  return dir;
}

export function makeSplit(config: SuiteConfig, prepared: PreparedData): Split | Fold[] {
  const { split } = config;
  const n = prepared.data.ids.length;
  const groupColumn = split.groupColumn ?? config.guestColumn;
  const groups = () => {
    if (!groupColumn) throw new FramelabError('INVALID_INPUT', `a "${split.kind}" split needs split.groupColumn (or guestColumn).`);
    return textColumn(prepared.table, groupColumn, 'the split group');
  };
  switch (split.kind) {
    case 'random':
      return randomSplit(n, split.ratios, split.seed);
    case 'time':
      return timeSplit(
        Array.from(numericColumn(prepared.table, split.timeColumn, 'the time column of a chronological split')),
        split.ratios,
        split.timeColumn,
        {
          source: config.metadata,
          format: timeFormat(prepared, split.timeColumn),
        },
      );
    case 'group':
      return groupSplit(groups(), split.ratios, split.seed, groupColumn!);
    case 'kfold':
      return kFold(n, split.k, split.seed);
    case 'group_kfold':
      return groupKFold(groups(), split.k, groupColumn!);
  }
}

/** Epoch milliseconds as ISO for a date/time column, the number itself otherwise. */
function timeFormat(prepared: PreparedData, column: string): (t: number) => string {
  return prepared.temporal.has(column) ? (t) => new Date(t).toISOString() : String;
}

/**
 * split_summary.json: the asked ratios beside the rows and ratios the split achieved (a
 * chronological split cuts only between distinct times, a grouped one between groups), and for
 * a chronological split the times at its two cuts.
 */
export function splitSummaryJson(config: SuiteConfig, prepared: PreparedData, split: Split): Record<string, unknown> {
  const [train, val, test] = config.split.ratios;
  const summary = splitSummary(split);
  const time =
    'bounds' in split
      ? (() => {
          const s = split as TimeSplit;
          const f = timeFormat(prepared, config.split.timeColumn);
          return {
            column: config.split.timeColumn,
            distinctTimes: s.distinct,
            trainEnd: f(s.bounds.trainEnd),
            valStart: f(s.bounds.valStart),
            valEnd: f(s.bounds.valEnd),
            testStart: f(s.bounds.testStart),
          };
        })()
      : null;
  return {
    kind: config.split.kind,
    requestedRatios: { train, val, test },
    achievedRatios: summary.ratios,
    rows: summary.rows,
    ...(time ? { time } : {}),
  };
}

/** The manifest's per-row columns (data/splits.ts ManifestRows): text_present when the run knows it, the raw target. */
function manifestRows(config: SuiteConfig, prepared: PreparedData): ManifestRows {
  const flag = prepared.table.columns.get(TEXT_PRESENT);
  return {
    textPresent: flag?.kind === 'numeric' ? flag.values : null,
    targetRaw: numericColumn(prepared.table, config.target.column, 'the target'),
  };
}

function newRunId(config: SuiteConfig): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const salt = crypto.createHash('sha256').update(JSON.stringify(config)).update(crypto.randomBytes(8)).digest('hex').slice(0, 6);
  return `suite-${stamp}-${salt}`;
}

function versions(): Record<string, string> {
  const read = (pkg: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(appRoot(), 'node_modules', pkg, 'package.json'), 'utf8')).version as string;
    } catch {
      return 'unknown';
    }
  };
  let app = 'unknown';
  try {
    app = JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version;
  } catch {
    /* not run from the repo: the version stays unknown rather than guessed */
  }
  // The addon's libraries (LibTorch for the neural models and Ridge's BLAS, XGBoost for gbdt);
  // a machine without the addon records that instead of failing a run that does not need it.
  let libtorch = 'addon not built';
  let xgboost = 'addon not built';
  try {
    const addon = loadTrainingAddon(appRoot());
    libtorch = addon.info().torchVersion;
    xgboost = addon.xgboost?.version() ?? 'not linked';
  } catch {
    /* recorded above */
  }
  return {
    framelab: app,
    node: process.version,
    '@duckdb/node-api': read('@duckdb/node-api'),
    '@huggingface/transformers': read('@huggingface/transformers'),
    'onnxruntime-node': read('onnxruntime-node'),
    libtorch,
    xgboost,
  };
}

interface Scored {
  model: string;
  val: Metrics;
  test: Metrics | null;
  sd: Partial<Metrics> | null;
}

function sortLeaderboard(rows: Scored[], metric: (typeof METRIC_NAMES)[number]): Scored[] {
  const sign = HIGHER_IS_BETTER.has(metric) ? -1 : 1;
  const key = (r: Scored) => (Number.isNaN(r.val[metric]) ? Infinity : sign * r.val[metric]);
  return [...rows].sort((a, b) => key(a) - key(b) || (a.model < b.model ? -1 : 1));
}

const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '' : String(v));
const nanToNull = <T extends object>(m: T): T =>
  JSON.parse(JSON.stringify(m, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));

function predictionsCsv(models: string[], ids: string[], rows: number[], y: Float64Array, preds: Map<string, Float64Array>): string {
  const lines = ['model,video_id,y_true,y_pred'];
  for (const m of models) rows.forEach((r, i) => lines.push(`${csvCell(m)},${csvCell(ids[r]!)},${y[r]},${preds.get(m)![i]}`));
  return lines.join('\n') + '\n';
}

function fitAndScore(
  name: string,
  data: SuiteData,
  train: number[],
  config: SuiteConfig,
  reporter: RunReporter,
  cancelFlag: Int32Array,
  onEpoch?: ModelOptions['onEpoch'],
): Promise<FittedModel> {
  return fitModel(name, data, train, {
    seed: config.seed,
    alphas: config.alphas,
    innerK: config.innerK,
    shrinkage: config.guestShrinkage,
    mlp: config.mlp,
    gbdt: config.gbdt,
    fusion: config.fusion,
    throwIfCancelled: () => reporter.throwIfCancelled(),
    cancelFlag,
    onEpoch,
  });
}

function curveCsv(curve: NonNullable<FittedModel['curve']>, header = 'epoch,train_loss,val_rmse'): string {
  return [header, ...curve.map((c) => `${c.epoch},${c.trainLoss},${c.valRmse}`)].join('\n') + '\n';
}

/**
 * Bootstrap 95% intervals and per-slice metrics of one model's predictions on `rows` (val,
 * test, or every row's out-of-fold prediction). The same seed for every model, so they compare.
 */
function intervalsAndSlices(
  config: SuiteConfig,
  data: SuiteData,
  sliceColumn: Column | undefined,
  rows: readonly number[],
  pred: Float64Array,
) {
  const truth = rows.map((r) => data.y[r]!);
  const slices: Record<string, Metrics> = {};
  if (sliceColumn) {
    const key = (r: number) => String(sliceColumn.values[r]);
    for (const value of [...new Set(rows.map(key))].sort()) {
      const idx = rows.map((r, i) => (key(r) === value ? i : -1)).filter((i) => i >= 0);
      slices[`${config.sliceColumn}=${value}`] = regressionMetrics(
        idx.map((i) => truth[i]!),
        idx.map((i) => pred[i]!),
        config.target.transform,
      );
    }
  }
  return { intervals: bootstrapIntervals(truth, pred, config.bootstrap, mulberry32(config.seed), config.target.transform), slices };
}

/**
 * A model's predictions are numbers: NaN or ±Infinity (inputs that overflow, training that
 * diverged) would give NaN metrics and a leaderboard that ranks a broken model quietly.
 */
function assertFinitePredictions(model: string, where: string, pred: Float64Array, rows: readonly number[], ids: readonly string[]): void {
  const bad = pred.findIndex((v) => !Number.isFinite(v));
  if (bad < 0) return;
  const count = pred.reduce((n, v) => n + (Number.isFinite(v) ? 0 : 1), 0);
  throw new FramelabError(
    'INVALID_INPUT',
    `model "${model}" predicted ${pred[bad]} for video "${ids[rows[bad]!]}" (${where} rows; ${count} of ${pred.length} predictions are not finite), so the run was not saved. ` +
      'Its inputs overflow or its training diverged: look for extreme values in the features (or a lower learning rate for a neural model), or leave the model out.',
    { model, split: where, videoId: ids[rows[bad]!], nonFinite: count },
  );
}

/**
 * The last gate before the rename: every leaderboard metric finite (Spearman may be undefined:
 * a constant prediction such as the mean model's has no rank correlation), every model's files
 * written, and the result what `suite runs` parses. A failure here leaves no run folder.
 */
function checkResult(result: SuiteRunResult, scored: readonly Scored[], work: string, artefacts: readonly string[]): void {
  for (const row of scored) {
    for (const [block, metrics] of [
      ['val', row.val],
      ['test', row.test],
    ] as const) {
      if (!metrics) continue;
      const bad = METRIC_NAMES.find((k) => k !== 'spearman' && !Number.isFinite(metrics[k]));
      if (bad) {
        throw new FramelabError(
          'INVALID_INPUT',
          `model "${row.model}" has ${block} ${bad} = ${metrics[bad]}, so the run was not saved: its predictions are too large to score (views are expm1 of them); check the target and the features for extreme values, or leave the model out.`,
          {
            model: row.model,
            metric: `${block}_${bad}`,
          },
        );
      }
    }
  }
  const missing = artefacts.filter((rel) => !fs.existsSync(path.join(work, rel)));
  if (missing.length) throw new Error(`suite run: ${missing.join(', ')} missing from the run folder before it was saved`);
  const parsed = SuiteRunResult.safeParse(result);
  if (!parsed.success) throw new Error(`suite run: the result does not match its schema (${parsed.error.message}); the run was not saved`);
}

function writeReadOnlyTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) writeReadOnlyTree(p);
    else fs.chmodSync(p, 0o444);
  }
}

/**
 * A suite run, stage by stage: prepare the data, split it, begin the run folder, record what
 * the run is, train and score every model (per fold, or on train then val and test), rank
 * them, and move the checked folder into place. Any failure removes the unfinished folder.
 */
export async function runSuite(
  config: SuiteConfig,
  homeRoot: string,
  reporter: RunReporter,
  configFile: string | null = null,
  rerunOf: string | null = null,
): Promise<SuiteRunResult> {
  const prepared = await loadRunData(config, homeRoot, reporter);
  reporter.throwIfCancelled();
  const split = makeSplit(config, prepared);
  const lineage = runLineage(config, prepared.data, appRoot());
  const runId = newRunId(config);
  const root = suiteRunsDir(homeRoot);
  const folder = beginRunFolder(root, runId);
  const run: RunContext = {
    config,
    prepared,
    models: [...new Set(config.models)],
    sliceColumn: prepared.table.columns.get(config.sliceColumn),
    folder,
    training: startTraining(root, runId, reporter),
    reporter,
  };
  try {
    run.training.live.start();
    writeRunRecord(run, split, { runId, configFile, rerunOf, lineage });
    const scored = Array.isArray(split) ? await trainFolds(run, split) : await trainOnSplit(run, split);
    const leaderboard = writeLeaderboard(run, scored, Array.isArray(split));
    const rows = Array.isArray(split)
      ? { train: prepared.data.ids.length, val: 0, test: 0 }
      : { train: split.train.length, val: split.val.length, test: split.test.length };
    const runDir = path.join(root, runId);
    const result: SuiteRunResult = {
      runId,
      runDir,
      rows,
      folds: Array.isArray(split) ? split.length : null,
      rankMetric: config.rankMetric,
      leaderboard,
      name: config.name?.trim() || null,
      tags: config.tags ?? [],
      lineage,
      rerunOf,
    };
    // The folder is moved into place only with a result every reader accepts.
    checkResult(result, scored, folder.work, folder.artefacts);
    publishRunFolder(folder, result, runDir);
    run.training.live.finished();
    reporter.progress(1, 'done');
    return result;
  } catch (e) {
    fs.rmSync(folder.work, { recursive: true, force: true });
    // A cancel that lands inside an addon call rejects it with the addon's CANCELLED: the job was cancelled, it did not fail.
    throw isCancelled(e) ? cancelledError() : e;
  } finally {
    run.training.stop();
  }
}

/** What every stage of a run works with. */
interface RunContext {
  config: SuiteConfig;
  prepared: PreparedData;
  /** The config's models, each once, in order. */
  models: string[];
  /** The column whose values the evaluation slices by, when the table has it. */
  sliceColumn: Column | undefined;
  folder: RunFolder;
  training: Training;
  reporter: RunReporter;
}

/** The data step, its text-embedding progress reported within the run's first 5%. */
function loadRunData(config: SuiteConfig, homeRoot: string, reporter: RunReporter): Promise<PreparedData> {
  reporter.progress(0.02, 'loading data');
  return prepareData(config, {
    homeRoot,
    onTextProgress: (done, total) => reporter.progress(0.02 + (0.03 * done) / Math.max(total, 1), `embedding text ${done}/${total}`),
    throwIfCancelled: () => reporter.throwIfCancelled(),
  });
}

/** The run folder while it is assembled, under a temporary name beside the finished runs. */
interface RunFolder {
  work: string;
  write(rel: string, text: string): void;
  /** Files each model must leave in the run (checked before the folder is moved into place). */
  artefacts: string[];
}

function beginRunFolder(root: string, runId: string): RunFolder {
  const work = path.join(root, `.${runId}.partial`);
  for (const sub of ['predictions', 'models', 'curves', 'importance']) fs.mkdirSync(path.join(work, sub), { recursive: true });
  return { work, write: (rel, text) => fs.writeFileSync(path.join(work, rel), text), artefacts: [] };
}

/** The finished folder: result.json last, every file read-only, then renamed into place. */
function publishRunFolder(folder: RunFolder, result: SuiteRunResult, runDir: string): void {
  folder.write('result.json', JSON.stringify(result, null, 2));
  writeReadOnlyTree(folder.work);
  fs.renameSync(folder.work, runDir);
}

/** What training needs from the job: the cancel flag the addon watches, live curves and progress per stage and epoch. */
interface Training {
  cancelFlag: Int32Array;
  live: ReturnType<typeof liveCurvesWriter>;
  /** A new stage of training (a model, or a model on a fold): reported, and named in its epochs' progress. */
  stage(fraction: number, text: string): void;
  /** The epoch callback of a model whose curve is `curve`. */
  onEpoch(curve: string): NonNullable<ModelOptions['onEpoch']>;
  stop(): void;
}

function startTraining(root: string, runId: string, reporter: RunReporter): Training {
  // The addon reads this flag inside every training step (finetune/job.ts does the same).
  const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  const watcher = setInterval(() => {
    if (reporter.cancelled) Atomics.store(cancelFlag, 0, 1);
  }, 100);
  watcher.unref();
  const live = liveCurvesWriter(root, reporter.jobId, runId);
  let current = { fraction: 0.05, text: '' };
  return {
    cancelFlag,
    live,
    stage(fraction, text) {
      current = { fraction, text };
      reporter.progress(fraction, text);
    },
    // Each epoch of a neural model: a live point, and a progress event so the screen refetches.
    onEpoch: (curve) => (_model, p) => {
      live.point(curve, p);
      reporter.progress(current.fraction, `${current.text}: epoch ${p.epoch}, val RMSE ${p.valRmse.toFixed(4)}`);
      // Cancel between epochs, not only between models: a long MLP stops within one epoch.
      reporter.throwIfCancelled();
    },
    stop: () => clearInterval(watcher),
  };
}

/** config_used.json (what ran, on what, with which code) and data_summary.json (the data step and the split's counts). */
function writeRunRecord(
  run: RunContext,
  split: Split | Fold[],
  record: { runId: string; configFile: string | null; rerunOf: string | null; lineage: SuiteLineage },
): void {
  const { config, prepared, folder } = run;
  const { runId, configFile, rerunOf, lineage } = record;
  const recipes = recipesUsed(run.models, { mlp: config.mlp, gbdt: config.gbdt, fusion: config.fusion });
  // git_sha as the spec's §11 keeps it, beside the lineage the registry binds a model version to.
  folder.write(
    'config_used.json',
    JSON.stringify(
      {
        runId,
        configFile,
        rerunOf,
        gitCommit: lineage.git,
        lineage,
        config,
        recipes,
        leakageGuard: leakageGuardRecord(config),
        textModel: prepared.textModel,
        versions: versions(),
        createdAt: new Date().toISOString(),
      },
      null,
      2,
    ),
  );
  // The spec's data summary has the split counts too (§9): rows per split, or per fold.
  const splitCounts = Array.isArray(split)
    ? { kind: config.split.kind, folds: split.map((f) => f.test.length) }
    : { kind: config.split.kind, ...splitSummary(split).rows };
  folder.write('data_summary.json', JSON.stringify(nanToNull({ ...prepared.summary, split: splitCounts }), null, 2));
}

/** Per model, keyed by where the predictions come from: val/test (split runs) or oof (K-fold). */
type EvaluationDetail = Record<string, { intervals: Record<string, Intervals>; slices: Record<string, Record<string, Metrics>> }>;

function writeEvaluation(run: RunContext, detail: EvaluationDetail): void {
  const { config, folder } = run;
  const per = (pick: (d: EvaluationDetail[string]) => unknown) => Object.fromEntries(Object.entries(detail).map(([m, d]) => [m, pick(d)]));
  folder.write('metric_intervals.json', JSON.stringify(nanToNull(per((d) => d.intervals)), null, 2));
  folder.write(
    'slice_metrics.json',
    JSON.stringify(nanToNull({ column: run.sliceColumn ? config.sliceColumn : null, models: per((d) => d.slices) }), null, 2),
  );
}

/** K-fold: out-of-fold predictions for every row; metrics per fold, mean ± sd. */
async function trainFolds(run: RunContext, folds: Fold[]): Promise<Scored[]> {
  const { config, prepared, models, folder, training, reporter } = run;
  const { data } = prepared;
  const oof = new Map(models.map((m) => [m, new Float64Array(data.ids.length)]));
  const perFold = new Map<string, Metrics[]>(models.map((m) => [m, []]));
  const foldImportance = new Map<string, Importance[][]>(models.map((m) => [m, []]));
  const foldOf = new Array<number>(data.ids.length);
  for (const [f, fold] of folds.entries()) {
    fold.test.forEach((r) => (foldOf[r] = f));
    for (const [mi, m] of models.entries()) {
      reporter.throwIfCancelled();
      training.stage(0.05 + (0.9 * (f * models.length + mi)) / (folds.length * models.length), `fold ${f + 1}/${folds.length}: ${m}`);
      const fitted = await fitAndScore(m, data, fold.train, config, reporter, training.cancelFlag, training.onEpoch(`${m}.fold${f + 1}`));
      const pred = await fitted.predict(data.src, data.guests, fold.test);
      assertFinitePredictions(m, `fold ${f + 1}`, pred, fold.test, data.ids);
      fold.test.forEach((r, i) => (oof.get(m)![r] = pred[i]!));
      perFold.get(m)!.push(
        regressionMetrics(
          fold.test.map((r) => data.y[r]!),
          pred,
          config.target.transform,
        ),
      );
      // Importance of the fold's model on the fold's held-out rows (as val rows for a split run).
      foldImportance
        .get(m)!
        .push(await permutationImportance(fitted, data.src, data.guests, fold.test, data.y, data.features, config.seed));
      if (fitted.curve) folder.write(`curves/${m}.fold${f + 1}.csv`, curveCsv(fitted.curve, fitted.curveHeader));
    }
  }
  folder.write('split_manifest.csv', foldManifestCsv(data.ids, foldOf, manifestRows(config, prepared)));
  const all = data.ids.map((_, i) => i);
  folder.write('predictions/oof.csv', predictionsCsv(models, data.ids, all, data.y, oof));
  const scored: Scored[] = [];
  const detail: EvaluationDetail = {};
  for (const m of models) {
    const { val, sd } = foldMeanAndSd(perFold.get(m)!, data.ids.length);
    scored.push({ model: m, val, test: null, sd });
    folder.write(`models/${m}.folds.json`, JSON.stringify(nanToNull(perFold.get(m)!), null, 2));
    folder.artefacts.push(`models/${m}.folds.json`);
    folder.write(`importance/${m}.json`, JSON.stringify(nanToNull(averageImportance(foldImportance.get(m)!)), null, 2));
    // K-fold: one set of intervals and slices over all out-of-fold predictions ("oof").
    const e = intervalsAndSlices(config, data, run.sliceColumn, all, oof.get(m)!);
    detail[m] = { intervals: { oof: e.intervals }, slices: { oof: e.slices } };
  }
  writeEvaluation(run, detail);
  return scored;
}

/** A model's leaderboard entry of a K-fold run: each metric's mean over the folds (n: every row) and its standard deviation. */
function foldMeanAndSd(folds: readonly Metrics[], rows: number): { val: Metrics; sd: Partial<Metrics> } {
  const meanOf = (k: keyof Metrics) => folds.reduce((a, x) => a + x[k], 0) / folds.length;
  const sdOf = (k: keyof Metrics) => Math.sqrt(folds.reduce((a, x) => a + (x[k] - meanOf(k)) ** 2, 0) / (folds.length - 1));
  const val = Object.fromEntries((['n', ...METRIC_NAMES] as const).map((k) => [k, k === 'n' ? rows : meanOf(k)])) as unknown as Metrics;
  const sd = Object.fromEntries(METRIC_NAMES.map((k) => [k, sdOf(k)]));
  return { val, sd };
}

/** A train/val/test split: each model fitted on train, scored on val and test, and saved. */
async function trainOnSplit(run: RunContext, split: Split): Promise<Scored[]> {
  const { config, prepared, models, folder, reporter } = run;
  const { data } = prepared;
  folder.write('split_manifest.csv', splitManifestCsv(data.ids, split, manifestRows(config, prepared)));
  const splitRecord = splitSummaryJson(config, prepared, split);
  folder.write('split_summary.json', JSON.stringify(splitRecord, null, 2));
  const achieved = splitRecord.achievedRatios as Record<SplitName, number>;
  reporter.progress(
    0.05,
    `${config.split.kind} split: train/val/test ${achieved.train}/${achieved.val}/${achieved.test} of the rows (asked ${config.split.ratios.join('/')})`,
  );
  const scored: Scored[] = [];
  const detail: EvaluationDetail = {};
  const preds = { val: new Map<string, Float64Array>(), test: new Map<string, Float64Array>() };
  for (const [mi, m] of models.entries()) {
    const model = await trainModelOnSplit(run, split, m, mi);
    detail[m] = model.detail;
    preds.val.set(m, model.val);
    preds.test.set(m, model.test);
    scored.push(model.scored);
  }
  folder.write('predictions/val.csv', predictionsCsv(models, data.ids, split.val, data.y, preds.val));
  folder.write('predictions/test.csv', predictionsCsv(models, data.ids, split.test, data.y, preds.test));
  writeEvaluation(run, detail);
  return scored;
}

/** One model of a split run: fit on train, predict val and test, and write its curve, importance, weights and state. */
async function trainModelOnSplit(
  run: RunContext,
  split: Split,
  m: string,
  index: number,
): Promise<{ val: Float64Array; test: Float64Array; scored: Scored; detail: EvaluationDetail[string] }> {
  const { config, prepared, models, folder, training, reporter } = run;
  const { data } = prepared;
  reporter.throwIfCancelled();
  training.stage(0.05 + (0.9 * index) / models.length, `training ${m}`);
  const fitted = await fitAndScore(m, data, split.train, config, reporter, training.cancelFlag, training.onEpoch(m));
  const val = await fitted.predict(data.src, data.guests, split.val);
  const test = await fitted.predict(data.src, data.guests, split.test);
  assertFinitePredictions(m, 'validation', val, split.val, data.ids);
  assertFinitePredictions(m, 'test', test, split.test, data.ids);
  if (fitted.curve) folder.write(`curves/${m}.csv`, curveCsv(fitted.curve, fitted.curveHeader));
  const ev = intervalsAndSlices(config, data, run.sliceColumn, split.val, val);
  const et = intervalsAndSlices(config, data, run.sliceColumn, split.test, test);
  const importance = await permutationImportance(fitted, data.src, data.guests, split.val, data.y, data.features, config.seed);
  folder.write(`importance/${m}.json`, JSON.stringify(nanToNull(importance), null, 2));
  const detail = { intervals: { val: ev.intervals, test: et.intervals }, slices: { val: ev.slices, test: et.slices } };
  if (fitted.weights) {
    writeSafetensors(path.join(folder.work, 'models', `${m}.safetensors`), entriesToStateDict(fitted.weights));
    folder.artefacts.push(`models/${m}.safetensors`);
  }
  for (const file of fitted.files ?? []) {
    fs.writeFileSync(path.join(folder.work, 'models', `${m}.${file.ext}`), file.data);
    folder.artefacts.push(`models/${m}.${file.ext}`);
  }
  const scored: Scored = {
    model: m,
    val: regressionMetrics(
      split.val.map((r) => data.y[r]!),
      val,
      config.target.transform,
    ),
    test: regressionMetrics(
      split.test.map((r) => data.y[r]!),
      test,
      config.target.transform,
    ),
    sd: null,
  };
  folder.write(
    `models/${m}.json`,
    JSON.stringify({
      model: m,
      features: data.features,
      target: config.target,
      guestColumn: config.guestColumn ?? null,
      state: fitted.state,
    }),
  );
  folder.artefacts.push(`models/${m}.json`);
  return { val, test, scored, detail };
}

/** metrics_summary.json and leaderboard.csv, the models ranked by the config's metric on val (or the fold mean). */
function writeLeaderboard(run: RunContext, scored: Scored[], kfold: boolean): LeaderboardRow[] {
  const { config, folder } = run;
  const board = sortLeaderboard(scored, config.rankMetric);
  const leaderboard: LeaderboardRow[] = board.map((r) => nanToNull({ model: r.model, val: r.val, test: r.test, sd: r.sd }));
  folder.write('metrics_summary.json', JSON.stringify({ rankMetric: config.rankMetric, models: leaderboard }, null, 2));
  // K-fold runs have no test split: their second block is the fold mean's standard deviation, named so.
  const second = kfold ? 'sd' : 'test';
  const header = ['rank', 'model', ...METRIC_NAMES.map((k) => `val_${k}`), ...METRIC_NAMES.map((k) => `${second}_${k}`)];
  folder.write(
    'leaderboard.csv',
    [
      header.join(','),
      ...board.map((r, i) =>
        [
          i + 1,
          r.model,
          ...METRIC_NAMES.map((k) => fmt(r.val[k])),
          ...METRIC_NAMES.map((k) => fmt(kfold ? (r.sd?.[k] as number | undefined) : r.test?.[k])),
        ].join(','),
      ),
    ].join('\n') + '\n',
  );
  return leaderboard;
}

/** A run's name and tags from its config (older configs have neither). */
export function nameAndTags(config: Record<string, unknown>): { name: string | null; tags: string[] } {
  const name = typeof config.name === 'string' && config.name.trim() ? config.name.trim() : null;
  const tags = Array.isArray(config.tags) ? config.tags.filter((t): t is string => typeof t === 'string') : [];
  return { name, tags };
}

/** Every finished run's result (with its name and tags), newest first. */
export function listRuns(homeRoot: string): SuiteRunResult[] {
  const root = suiteRunsDir(homeRoot);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((d) => d.startsWith('suite-') && fs.existsSync(path.join(root, d, 'result.json')))
    .sort()
    .reverse()
    .map((d) => {
      const result = JSON.parse(fs.readFileSync(path.join(root, d, 'result.json'), 'utf8')) as SuiteRunResult;
      if (result.name !== undefined && result.tags !== undefined) return result;
      // Runs saved before name and tags were in result.json: their config has them.
      const usedFile = path.join(root, d, 'config_used.json');
      const config = fs.existsSync(usedFile)
        ? ((JSON.parse(fs.readFileSync(usedFile, 'utf8')) as { config?: Record<string, unknown> }).config ?? {})
        : {};
      return { ...result, ...nameAndTags(config) };
    });
}
