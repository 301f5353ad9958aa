import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/core/api/dispatch';
import { handlers } from '../../src/main/core/api/handlers';
import { readAnalysisConfig } from '../../src/main/core/analysis/config';
import { analysisRunsDir } from '../../src/main/core/analysis/runs';
import { api, type MethodName, type Output } from '../../src/shared/api';
import type { Core } from '../../src/main/core/core';
import { cliEnv, openTestCore, runCleanup, runCli, singleJsonLine, tempDir, waitUntil, withTimeout } from '../helpers';
import { writeRunInputs } from './pipelineFixture';

/**
 * `framelab analysis run|runs|columns` end to end: the real CLI, the real job process, the run
 * folder under the home; and the API methods the Analysis screen reads, with a run started and
 * cancelled through the generic jobs.start.
 */

afterEach(runCleanup);

/** No Chromium for PNGs: the SVG figures are enough here and a browser per run costs seconds. */
const env = cliEnv({ CHROMIUM_PATH: '/nonexistent/chromium' });

describe('framelab analysis (CLI, job process)', () => {
  it("runs a config as an analysis.run job and prints the result JSON of issue 18; lists the run; reads a table's columns", async () => {
    const home = tempDir();
    const dir = tempDir('analysis-data');
    const { configFile, dataFile } = writeRunInputs(dir, {
      n: 300,
      config: { outcomes: ['views', 'likes'], pairwise: false, gbm: { folds: 2, pdpPairs: [], grid: 4, rounds: 10 }, lasso: null },
    });
    const res = await runCli(['--home', home, '--json', 'analysis', 'run', '--config', configFile], { env, timeoutMs: 150_000 });
    expect(res.code, res.stderr).toBe(0);
    const out = singleJsonLine(res.stdout);
    // The keys issue 18 item 7 names, at every level.
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['runId', 'runDir', 'models', 'countModels', 'overdispersion', 'simpleSlopes', 'gbm', 'comparison']),
    );
    expect(out.runDir).toBe(path.join(home, 'runs', 'analysis', out.runId));
    expect(Object.keys(out.models[0])).toEqual(
      expect.arrayContaining(['outcome', 'spec', 'focal', 'n', 'dropped', 'r2', 'adjR2', 'aic', 'coefficients']),
    );
    expect(Object.keys(out.models[0].coefficients[0]).sort()).toEqual(['ciHigh', 'ciLow', 'estimate', 'p', 'se', 'stat', 'term']);
    expect(out.models.map((m: { outcome: string; spec: string; focal: string[] | null }) => [m.outcome, m.spec, m.focal])).toEqual([
      ['views', 'main', null],
      ['views', 'focal', ['color_entropy', 'avg_objects', 'text_area_ratio']],
      ['likes', 'main', null],
      ['likes', 'focal', ['color_entropy', 'avg_objects', 'text_area_ratio']],
    ]);
    expect(Object.keys(out.countModels[0])).toEqual(
      expect.arrayContaining(['outcome', 'family', 'converged', 'alpha', 'llf', 'aic', 'coefficients']),
    );
    expect(Object.keys(out.overdispersion[0])).toEqual(
      expect.arrayContaining(['outcome', 'mean', 'variance', 'ratio', 'zeroShare', 'lrStatistic', 'lrP']),
    );
    expect(Object.keys(out.simpleSlopes[0])).toEqual(
      expect.arrayContaining(['outcome', 'focal', 'term', 'predictor', 'at', 'levels', 'slope', 'se', 'p']),
    );
    expect(out.gbm.map((g: { outcome: string; folds: number; cvR2: number }) => [g.outcome, g.folds, typeof g.cvR2])).toEqual([
      ['views', 2, 'number'],
      ['likes', 2, 'number'],
    ]);
    expect(Object.keys(out.comparison[0])).toEqual(expect.arrayContaining(['outcome', 'model', 'metric', 'value']));
    // The folder holds the same result.
    expect(JSON.parse(fs.readFileSync(path.join(out.runDir, 'result.json'), 'utf8'))).toEqual(out);

    const runs = await runCli(['--home', home, '--json', 'analysis', 'runs'], { env, timeoutMs: 60_000 });
    expect(runs.code, runs.stderr).toBe(0);
    expect(singleJsonLine(runs.stdout).runs).toEqual([
      expect.objectContaining({
        runId: out.runId,
        runDir: out.runDir,
        outcomes: ['views', 'likes'],
        models: 4,
        rows: 300,
        name: 'synthetic',
      }),
    ]);

    const columns = await runCli(['--home', home, 'analysis', 'columns', '--data', dataFile, '--id', 'video_id'], {
      env,
      timeoutMs: 60_000,
    });
    expect(columns.code, columns.stderr).toBe(0);
    expect(columns.stdout).toMatch(/^300 rows, 13 columns/);
    expect(columns.stdout).toMatch(/ {2}avg_objects +number +\d+ missing/);
    expect(columns.stdout).toMatch(/ {2}has_text +boolean +0 missing +2 distinct/);
    expect(columns.stdout).toMatch(/ {2}category +text /);
  }, 240_000);

  it('fails with the message naming the bad column, exits non-zero and leaves no run folder; a bad config fails before any job', async () => {
    const home = tempDir();
    const dir = tempDir('analysis-data');
    const { configFile } = writeRunInputs(dir, {
      n: 80,
      edit: (cols) => void (cols.num_faces = cols.num_faces!.map(() => 1)),
      config: { outcomes: ['views'], gbm: null, lasso: null, pairwise: false },
    });
    const res = await runCli(['--home', home, '--json', 'analysis', 'run', '--config', configFile], { env, timeoutMs: 120_000 });
    expect(res.code).not.toBe(0);
    expect(JSON.parse(res.stderr.trim().split('\n').at(-1)!).error.message).toMatch(
      /^Run an outcome analysis: synthetic — failed \(job .*views, count models: "num_faces" \(a predictor\) is constant/,
    );
    expect(fs.existsSync(analysisRunsDir(home)) ? fs.readdirSync(analysisRunsDir(home)) : []).toEqual([]);

    const cfg = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    fs.writeFileSync(configFile, JSON.stringify({ ...cfg, focal: [['color_entropy', 'reach', 'avg_objects']] }));
    const bad = await runCli(['--home', home, 'analysis', 'run', '--config', configFile], { env, timeoutMs: 60_000 });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/focal\.0: "reach" is not among the predictors/);
    const usage = await runCli(['--home', home, 'analysis', 'run'], { env, timeoutMs: 60_000 });
    expect(usage.stderr).toMatch(/analysis run needs --config FILE\.json\.\nUsage: framelab analysis run --config FILE\.json/);
  }, 240_000);
});

describe('the analysis API', () => {
  async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
    const envelope = await dispatch(handlers, core, method, input);
    if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code} ${envelope.error.message}`);
    return api[method].output.parse(envelope.value) as Output<M>;
  }

  it('columns of a table; a run started through jobs.start and cancelled leaves no folder; runs and runDetail read finished runs', async () => {
    const core = openTestCore(tempDir());
    const dir = tempDir('analysis-data');
    const { configFile, dataFile } = writeRunInputs(dir, { n: 200, config: { outcomes: ['views'], gbm: null, lasso: null } });

    const cols = await call(core, 'analysis.columns', { data: dataFile, id: 'video_id' });
    expect(cols.rows).toBe(200);
    expect(cols.columns.find((c) => c.name === 'category')).toMatchObject({ type: 'text', distinct: 4, source: null });
    expect(cols.columns.find((c) => c.name === 'num_faces')).toMatchObject({ type: 'integer', missing: 0 });
    const relative = await dispatch(handlers, core, 'analysis.columns', { data: 'videos.csv' });
    expect(relative.ok || relative.error.message).toMatch(/data: "videos.csv" is a relative path; give an absolute path/);
    const missing = await dispatch(handlers, core, 'analysis.columns', { data: path.join(dir, 'nope.csv') });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');

    // A run as the screen starts it: the config with absolute paths, no config file.
    const config = readAnalysisConfig(configFile);
    // Long GBM training: the cancel lands inside it (XGBoost rounds yield to the job's event loop).
    const slow = { ...config, gbm: { folds: 5, pdpPairs: [], grid: 4, rounds: 5000 } };
    const cancelled = (await call(core, 'jobs.start', { kind: 'analysis.run', params: { config: slow, configFile: null } })).job;
    await waitUntil(() => core.jobRepo.get(cancelled.id).progress.stage.includes('GBM'), 'the run to reach the GBM', { timeoutMs: 60_000 });
    core.jobs.cancel(cancelled.id);
    expect((await withTimeout(core.jobs.waitFor(cancelled.id), 30_000, 'the cancel')).status).toBe('cancelled');
    expect(fs.readdirSync(analysisRunsDir(core.home.root))).toEqual([]);
    // A relative path without a config file is refused when the job is started, before it runs.
    const refused = await dispatch(handlers, core, 'jobs.start', {
      kind: 'analysis.run',
      params: { config: { ...config, data: 'videos.csv' }, configFile: null },
    });
    expect(!refused.ok && refused.error.message).toMatch(/data: "videos.csv" is a relative path/);

    const { job } = await call(core, 'jobs.start', { kind: 'analysis.run', params: { config, configFile } });
    const done = await withTimeout(core.jobs.waitFor(job.id), 90_000, 'the run');
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const runId = (done.result as { runId: string }).runId;
    expect((await call(core, 'analysis.runs', {})).runs.map((r) => r.runId)).toEqual([runId]);
    const detail = await call(core, 'analysis.runDetail', { runId });
    expect(detail.result).toEqual(done.result);
    expect(detail.summary).toMatchObject({ runId, outcomes: ['views'], rows: 200 });
    expect(detail.dataSummary.columns.find((c) => c.name === 'color_entropy')).toMatchObject({ type: 'number', missing: 0 });
    const unknown = await dispatch(handlers, core, 'analysis.runDetail', { runId: 'analysis-20200101T000000-000000' });
    expect(!unknown.ok && unknown.error.code).toBe('NOT_FOUND');
    const notAnId = await dispatch(handlers, core, 'analysis.runDetail', { runId: '../etc' });
    expect(!notAnId.ok && notAnId.error.code).toBe('INVALID_INPUT');
  }, 180_000);
});
