import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadXgboost } from '../../../../native/index';
import { AnalysisRunResult, type AnalysisConfig, type AnalysisRunParams } from '../../../shared/analysis';
import { FramelabError } from '../../../shared/errors';
import { appRoot, appVersion, dependencyVersion } from '../appRoot';
import { cancelledError } from '../jobs/context';
import { checkAnalysisInput } from './config';
import { loadConfigData } from './data';
import { runPipeline, slopeRangeKey, type PipelineOutput } from './pipeline';
import type { PipelineReporter } from './pipelineProgress';
import { writePlots } from './plots';
import {
  comparisonCsv,
  countComparisonCsv,
  countModelsCsv,
  modelsCsv,
  overdispersionCsv,
  pairwiseScreenCsv,
  pdpCsv,
  simpleSlopesCsv,
} from './runFiles';
import { analysisRunsDir, type RunInfo } from './runs';

/**
 * The `analysis.run` job (issue 18 item 7): load the data, run the pipeline, and write an
 * immutable run folder `<home>/runs/analysis/<runId>`:
 *
 *   config.json          the config as run (paths absolute, defaults filled): runnable again
 *   run.json             run id, created at, the config file it came from, its name
 *   data_summary.json    rows, joins (matched/unmatched), per column type/missing/min/max/mean
 *   versions.json        Framelab, Node, DuckDB, XGBoost (when the run used it)
 *   result.json          the AnalysisRunResult (what `--json` prints)
 *   models.csv  pairwise_screen.csv  count_models.csv  overdispersion.csv
 *   count_comparison.csv  simple_slopes.csv  comparison.csv
 *   pdp/<outcome>__<x>__<y>[__<slice>_<Q25|Q50|Q75>].csv   (long: x, y, value)
 *   plots/<figure>.svg (+ .png with a Chromium)
 *
 * It is assembled in `.<runId>.<jobId>.partial` beside the runs and renamed at the end, its
 * files made read-only: a run folder is complete or absent. A failed or cancelled run removes
 * its partial folder; one left by a killed job process is removed by the next run that finds
 * its job no longer active.
 */

export interface AnalysisRunReporter extends PipelineReporter {
  readonly cancelled?: boolean;
  readonly jobId?: string;
}

export interface RunOptions {
  /** Whether a job is still queued or running (to tell a live partial folder from a leftover). */
  isJobActive?: (jobId: string) => boolean;
}

/** `analysis-<UTC yyyymmddThhmmss>-<6 random>`. */
export function newAnalysisRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `analysis-${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

const PARTIAL = /^\.(analysis-[0-9A-Za-z-]+)\.([^.]+)\.partial$/;

/**
 * Removes partial run folders whose job is no longer active (a job process killed mid-run
 * cannot remove its own). Without a way to ask, nothing is removed: a folder of a run still
 * in progress must never go.
 */
export function sweepPartialRuns(root: string, isJobActive: ((jobId: string) => boolean) | undefined): string[] {
  if (!isJobActive || !fs.existsSync(root)) return [];
  const removed: string[] = [];
  for (const name of fs.readdirSync(root)) {
    const m = PARTIAL.exec(name);
    if (!m || isJobActive(m[2]!)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function versions(usedXgboost: boolean): Record<string, string> {
  const out: Record<string, string> = {
    framelab: safe(appVersion),
    node: process.version,
    '@duckdb/node-api': dependencyVersion('@duckdb/node-api') ?? 'unknown',
  };
  if (usedXgboost) out.xgboost = safe(() => loadXgboost(appRoot()).version());
  return out;
}

function safe(fn: () => string): string {
  try {
    return fn();
  } catch {
    return 'unknown';
  }
}

function writeReadOnlyTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) writeReadOnlyTree(p);
    else fs.chmodSync(p, 0o444);
  }
}

/** Every number in the result finite (JSON has no NaN): the last gate before the folder is kept. */
function checkResult(result: AnalysisRunResult): void {
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`analysis run: ${at} is ${v}; the run was not saved`);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(result, 'result');
  const parsed = AnalysisRunResult.safeParse(result);
  if (!parsed.success)
    throw new Error(`analysis run: the result does not match its schema (${parsed.error.message}); the run was not saved`);
}

/** XGBoost is in the training addon; a machine without it can still run everything else. */
function checkGbmAvailable(config: AnalysisConfig): void {
  if (!config.gbm) return;
  try {
    loadXgboost(appRoot());
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new FramelabError(
      'CAPABILITY_MISSING',
      `the config asks for gradient boosting ("gbm"), but XGBoost is not available here: ${reason} To run without it, set "gbm": null in the config.`,
    );
  }
}

/** Writes every file of the run into `work` (the partial folder). */
async function writeRunFiles(work: string, result: AnalysisRunResult, out: PipelineOutput, reporter: AnalysisRunReporter): Promise<void> {
  const write = (rel: string, text: string) => fs.writeFileSync(path.join(work, rel), text);
  write('models.csv', modelsCsv(result));
  if (result.models.some((m) => m.spec === 'pairwise')) write('pairwise_screen.csv', pairwiseScreenCsv(result));
  write('count_models.csv', countModelsCsv(result));
  write('overdispersion.csv', overdispersionCsv(result));
  write('count_comparison.csv', countComparisonCsv(result));
  write('simple_slopes.csv', simpleSlopesCsv(result));
  write('comparison.csv', comparisonCsv(result));
  fs.mkdirSync(path.join(work, 'pdp'));
  for (const grid of out.pdpGrids) write(grid.file, pdpCsv(grid));

  reporter.progress(0.96, 'drawing the figures');
  const abort = new AbortController();
  const watcher = setInterval(() => {
    if (reporter.cancelled) abort.abort(cancelledError());
  }, 100);
  watcher.unref();
  try {
    const plots = await writePlots(work, result, out.pdpGrids, {
      predictorRanges: (slope) => out.slopeRanges.get(slopeRangeKey(slope)),
      signal: abort.signal,
      onProgress: (done, total) => reporter.progress(0.96 + (0.03 * done) / Math.max(total, 1), `drawing the figures (${done}/${total})`),
    });
    result.plots = plots.figures.map(({ kind, outcome, name, title, svg, png }) => ({ kind, outcome, name, title, svg, png }));
    result.notes!.push(...plots.notes);
  } finally {
    clearInterval(watcher);
  }
}

export async function runAnalysis(
  params: AnalysisRunParams,
  homeRoot: string,
  reporter: AnalysisRunReporter,
  options: RunOptions = {},
): Promise<AnalysisRunResult> {
  // The job re-checks what the caller checked: the files may have changed since.
  const config = checkAnalysisInput(params);
  checkGbmAvailable(config);
  reporter.progress(0.01, 'loading the data');
  const data = await loadConfigData(config);
  reporter.throwIfCancelled();

  const root = analysisRunsDir(homeRoot);
  fs.mkdirSync(root, { recursive: true });
  sweepPartialRuns(root, options.isJobActive);
  const runId = newAnalysisRunId();
  const runDir = path.join(root, runId);
  const work = path.join(root, `.${runId}.${(reporter.jobId ?? `pid${process.pid}`).replace(/[^A-Za-z0-9_-]/g, '_')}.partial`);
  try {
    fs.mkdirSync(work);
    const info: RunInfo = { runId, createdAt: new Date().toISOString(), configFile: params.configFile, name: config.name ?? null };
    const out = await runPipeline(config, data, reporter);
    const result: AnalysisRunResult = { runId, runDir, ...out.result, plots: [] };
    await writeRunFiles(work, result, out, reporter);
    reporter.throwIfCancelled();
    checkResult(result);
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    fs.writeFileSync(path.join(work, 'config.json'), json(config));
    fs.writeFileSync(path.join(work, 'run.json'), json(info));
    fs.writeFileSync(path.join(work, 'data_summary.json'), json(data.summary));
    fs.writeFileSync(path.join(work, 'versions.json'), json(versions(out.used.xgboost)));
    fs.writeFileSync(path.join(work, 'result.json'), json(result));
    writeReadOnlyTree(work);
    fs.renameSync(work, runDir);
    reporter.progress(1, 'done');
    return result;
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  }
}
