import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  ANALYSIS_RUN_ID,
  AnalysisConfig,
  AnalysisDataSummary,
  AnalysisRunResult,
  type AnalysisRunDetail,
  type AnalysisRunSummary,
  type PdpGrid,
} from '../../../shared/analysis';
import { FramelabError } from '../../../shared/errors';
import { parseCsv } from '../annotations/csv';

/**
 * Finished analysis runs: folders `<home>/runs/analysis/<runId>`, immutable once written (a run
 * is assembled in a hidden `.<runId>.<job>.partial` folder and renamed whole). Everything read
 * back is validated against the contract, so a folder changed by hand is refused by name
 * instead of showing half a result.
 */

export const analysisRunsDir = (homeRoot: string): string => path.join(homeRoot, 'runs', 'analysis');

/** What run.json records beside the config: when, from which file, under which name. */
export interface RunInfo {
  runId: string;
  createdAt: string;
  configFile: string | null;
  name: string | null;
}

function damaged(file: string, why: string): FramelabError {
  return new FramelabError('INVALID_INPUT', `${file} ${why}; the run folder was changed or damaged.`, { file });
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw damaged(file, 'cannot be read');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw damaged(file, `is not valid JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw damaged(file, `does not match its schema (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  return parsed.data;
}

const readInfo = (dir: string): RunInfo => {
  const info = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunInfo;
  if (typeof info.runId !== 'string' || typeof info.createdAt !== 'string')
    throw damaged(path.join(dir, 'run.json'), 'lacks runId or createdAt');
  return info;
};

/** A finished run's folder, or NOT_FOUND naming it (an id that is not a run id is INVALID_INPUT). */
export function analysisRunDirOf(homeRoot: string, runId: string): string {
  if (!ANALYSIS_RUN_ID.test(runId))
    throw new FramelabError(
      'INVALID_INPUT',
      `"${runId}" is not an analysis run id (such as analysis-20260101T000000-abc123); \`framelab analysis runs\` lists them.`,
    );
  const dir = path.join(analysisRunsDir(homeRoot), runId);
  if (!fs.existsSync(path.join(dir, 'result.json')))
    throw new FramelabError(
      'NOT_FOUND',
      `no analysis run "${runId}" in ${analysisRunsDir(homeRoot)}; \`framelab analysis runs\` lists them.`,
      { runId },
    );
  return dir;
}

function summaryOf(dir: string): AnalysisRunSummary {
  const info = readInfo(dir);
  const config = readJson(path.join(dir, 'config.json'), AnalysisConfig);
  const result = readJson(path.join(dir, 'result.json'), AnalysisRunResult);
  const data = readJson(path.join(dir, 'data_summary.json'), AnalysisDataSummary);
  // The run folder may have moved with its home: runDir is where it is now.
  return {
    runId: info.runId,
    runDir: dir,
    name: info.name ?? config.name ?? null,
    createdAt: info.createdAt,
    outcomes: config.outcomes,
    models: result.models.length,
    rows: data.rows,
  };
}

/**
 * Finished runs, newest first. A folder that cannot be read is left out of the list (the list
 * must not fail for one damaged run) and reported through `onDamaged`; `analysis.runDetail`
 * on it says what is wrong.
 */
export function listAnalysisRuns(
  homeRoot: string,
  onDamaged: (runId: string, message: string) => void = () => undefined,
): AnalysisRunSummary[] {
  const root = analysisRunsDir(homeRoot);
  if (!fs.existsSync(root)) return [];
  const out: AnalysisRunSummary[] = [];
  for (const name of fs.readdirSync(root).filter((d) => ANALYSIS_RUN_ID.test(d) && fs.existsSync(path.join(root, d, 'result.json')))) {
    try {
      out.push(summaryOf(path.join(root, name)));
    } catch (e) {
      onDamaged(name, (e as Error).message);
    }
  }
  return out.sort((a, b) => (a.createdAt === b.createdAt ? (a.runId < b.runId ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
}

/** A PDP grid's CSV (x, y, value, x outer) back into values[i][j], checked against its axes. */
export function readPdpGrid(runDir: string, listed: Omit<PdpGrid, 'values'>): PdpGrid {
  const rel = listed.file;
  if (!/^pdp\/[^/\\]+\.csv$/.test(rel)) throw damaged(path.join(runDir, 'result.json'), `names the PDP file "${rel}" outside pdp/`);
  const file = path.join(runDir, rel);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw damaged(file, 'cannot be read');
  }
  const { records } = parseCsv(text);
  const [header, ...rows] = records;
  if (!header || header.join(',') !== 'x,y,value') throw damaged(file, 'does not start with the header x,y,value');
  const nx = listed.x.values.length;
  const ny = listed.y.values.length;
  if (rows.length !== nx * ny) throw damaged(file, `has ${rows.length} rows for a ${nx} × ${ny} grid`);
  const values = listed.x.values.map(() => new Array<number>(ny));
  rows.forEach((row, k) => {
    const i = Math.floor(k / ny);
    const j = k % ny;
    const [x, y, v] = row.map(Number);
    if (x !== listed.x.values[i] || y !== listed.y.values[j] || !Number.isFinite(v))
      throw damaged(file, `row ${k + 2} is not the grid point (${listed.x.values[i]}, ${listed.y.values[j]}) with a number`);
    values[i]![j] = v!;
  });
  return { ...listed, values };
}

/** One run for its screen: config, data summary, versions, result and the PDP grids with values. */
export function analysisRunDetail(homeRoot: string, runId: string): AnalysisRunDetail {
  const dir = analysisRunDirOf(homeRoot, runId);
  const info = readInfo(dir);
  const config = readJson(path.join(dir, 'config.json'), AnalysisConfig);
  const dataSummary = readJson(path.join(dir, 'data_summary.json'), AnalysisDataSummary);
  const result = readJson(path.join(dir, 'result.json'), AnalysisRunResult);
  const versions = JSON.parse(fs.readFileSync(path.join(dir, 'versions.json'), 'utf8')) as Record<string, string>;
  const summary: AnalysisRunSummary = {
    runId,
    runDir: dir,
    name: info.name ?? config.name ?? null,
    createdAt: info.createdAt,
    outcomes: config.outcomes,
    models: result.models.length,
    rows: dataSummary.rows,
  };
  return {
    summary,
    config,
    configFile: info.configFile,
    dataSummary,
    versions,
    result: { ...result, runDir: dir },
    pdp: result.pdp.map((g) => readPdpGrid(dir, g)),
  };
}
