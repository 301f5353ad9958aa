import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisRunResult, type OlsModel } from '../../src/shared/analysis';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { readAnalysisConfig } from '../../src/main/core/analysis/config';
import { runAnalysis, type AnalysisRunReporter } from '../../src/main/core/analysis/run';
import { analysisRunDetail, analysisRunsDir, listAnalysisRuns } from '../../src/main/core/analysis/runs';
import { predictorPairs } from '../../src/main/core/analysis/specs';
import { runCleanup, tempDir } from '../helpers';
import { pythonHas, runPython } from '../helpers/python';
import { CONTROLS, TRIPLE, writeRunInputs } from './pipelineFixture';
import { PLANTED, PREDICTORS } from './synthetic';
import { expectAllRelative, expectRelative } from './tolerance';

/**
 * The whole analysis run on the synthetic lab-shaped table, in this process (the job process
 * and the CLI are exercised by pipelineCli.test.ts): real CSV files read through DuckDB, the
 * run folder written and read back, and the figures checked against statsmodels run on the
 * same CSV by pandas — an independent reading of the data.
 */

afterEach(runCleanup);

// PNGs need a Chromium per run (seconds each); the SVGs are what these tests read.
const chromium = process.env.CHROMIUM_PATH;
beforeAll(() => void (process.env.CHROMIUM_PATH = '/nonexistent/chromium'));
afterAll(() => (chromium === undefined ? delete process.env.CHROMIUM_PATH : (process.env.CHROMIUM_PATH = chromium)));

const quiet = (): AnalysisRunReporter => ({
  progress: () => undefined,
  throwIfCancelled: () => undefined,
  cancelled: false,
  jobId: 'job_test',
});

/**
 * statsmodels on the CSV: for each model, smf.ols on the rows complete in its variables (the
 * focal variables mean-centred over those rows when asked) with the run's covariance type;
 * for each outcome's screen, every pair's model (a rank-deficient one reported as such) and
 * multipletests(fdr_bh) over the interaction p of the estimable pairs.
 */
const STATSMODELS_PY = String.raw`
import json, sys, warnings
import numpy as np, pandas as pd
import statsmodels.formula.api as smf
from statsmodels.stats.multitest import multipletests
import patsy
warnings.simplefilter('ignore')
spec = json.load(open(sys.argv[1]))
df = pd.read_csv(spec['csv'], dtype={'category': str})
def fit(outcome, rhs, variables, center, cov):
    d = df.dropna(subset=[outcome] + variables).copy()
    for v in center:
        d[v] = d[v] - d[v].mean()
    f = f'np.log1p({outcome}) ~ ' + ' + '.join(rhs)
    y, X = patsy.dmatrices(f, d, return_type='dataframe')
    if np.linalg.matrix_rank(X.values) < X.shape[1]:
        return None
    r = smf.ols(f, d).fit(cov_type=cov)
    ci = r.conf_int(0.05)
    return {'names': list(r.params.index), 'params': r.params.tolist(), 'bse': r.bse.tolist(), 'stat': r.tvalues.tolist(), 'p': r.pvalues.tolist(),
            'ciLow': ci[0].tolist(), 'ciHigh': ci[1].tolist(), 'n': int(r.nobs), 'r2': r.rsquared, 'adjR2': r.rsquared_adj, 'aic': r.aic}
out = {'models': [fit(m['outcome'], m['rhs'], m['variables'], m['center'], spec['cov']) for m in spec['models']], 'screens': []}
for outcome in spec['outcomes']:
    ps, kept, singular = [], [], []
    for a, b in spec['pairs']:
        others = [p for p in spec['predictors'] if p not in (a, b)]
        r = fit(outcome, [f'{a}*{b}'] + others + spec['controls'], spec['predictors'] + spec['controlColumns'], [a, b] if spec['center'] else [], spec['cov'])
        if r is None:
            singular.append([a, b]); continue
        kept.append([a, b]); ps.append(r['p'][r['names'].index(f'{a}:{b}')])
    out['screens'].append({'outcome': outcome, 'pairs': kept, 'singular': singular, 'p': ps, 'q': multipletests(ps, method='fdr_bh')[1].tolist()})
print(json.dumps(out))
`;

interface Oracle {
  models: ({
    names: string[];
    params: number[];
    bse: number[];
    stat: number[];
    p: number[];
    ciLow: number[];
    ciHigh: number[];
    n: number;
    r2: number;
    adjR2: number;
    aic: number;
  } | null)[];
  screens: { outcome: string; pairs: [string, string][]; singular: [string, string][]; p: number[]; q: number[] }[];
}

function oracle(csv: string, outcomes: string[], cov: string, center: boolean): Oracle {
  const others = PREDICTORS.filter((p) => !(TRIPLE as readonly string[]).includes(p));
  const controlColumns = ['duration_s', 'category'];
  const models = outcomes.map((outcome) => ({
    outcome,
    rhs: [TRIPLE.join('*'), ...others, ...CONTROLS],
    variables: [...PREDICTORS, ...controlColumns],
    center: center ? [...TRIPLE] : [],
  }));
  const spec = {
    csv,
    cov,
    center,
    outcomes,
    models,
    pairs: predictorPairs(PREDICTORS),
    predictors: PREDICTORS,
    controls: CONTROLS,
    controlColumns,
  };
  const file = path.join(tempDir('oracle'), 'spec.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return JSON.parse(runPython(STATSMODELS_PY, [file]));
}

function expectModelEqual(model: OlsModel, ref: NonNullable<Oracle['models'][number]>, label: string): void {
  expect(
    model.coefficients.map((c) => c.term),
    label,
  ).toEqual(ref.names);
  expect(model.n).toBe(ref.n);
  const col = (k: 'estimate' | 'se' | 'stat' | 'p' | 'ciLow' | 'ciHigh') => model.coefficients.map((c) => c[k]);
  expectAllRelative(col('estimate'), ref.params, 1e-6, `${label} estimate`);
  expectAllRelative(col('se'), ref.bse, 1e-6, `${label} se`);
  expectAllRelative(col('stat'), ref.stat, 1e-6, `${label} stat`);
  expectAllRelative(col('p'), ref.p, 1e-6, `${label} p`, 1e-12);
  expectAllRelative(col('ciLow'), ref.ciLow, 1e-6, `${label} ciLow`);
  expectAllRelative(col('ciHigh'), ref.ciHigh, 1e-6, `${label} ciHigh`);
  for (const k of ['r2', 'adjR2', 'aic'] as const) expectRelative(model[k], ref[k], 1e-6, `${label} ${k}`);
}

function expectScreen(result: AnalysisRunResult, ref: Oracle['screens'][number]): void {
  const screen = result.models.filter((m) => m.outcome === ref.outcome && m.spec === 'pairwise');
  expect(screen.every((m) => m.exploratory)).toBe(true);
  expect(screen.map((m) => m.focal)).toEqual(ref.pairs);
  // The pairs statsmodels cannot estimate either (rank-deficient) are the run's skipped ones, each with its reason.
  const skipped = (result.skipped ?? []).filter((s) => s.outcome === ref.outcome);
  expect(skipped.map((s) => s.focal)).toEqual(ref.singular);
  // The synthetic table has text measures that are 0 without text: has_text × them is not estimable.
  expect(skipped.length).toBeGreaterThan(0);
  for (const s of skipped) expect(s.reason).toMatch(/singular/);
  expectAllRelative(
    screen.map((m) => m.interaction!.p),
    ref.p,
    1e-6,
    `${ref.outcome} screen p`,
    1e-12,
  );
  expectAllRelative(
    screen.map((m) => m.interaction!.q!),
    ref.q,
    1e-6,
    `${ref.outcome} screen q`,
    1e-12,
  );
}

const records = (file: string) => {
  const { records: rows } = parseCsv(fs.readFileSync(file, 'utf8'));
  return rows.filter((r) => r.length > 1 || r[0] !== '');
};

describe('an analysis run on the synthetic table', () => {
  it.skipIf(!pythonHas('statsmodels', 'pandas', 'patsy'))(
    'writes the immutable run folder; focal models and the pairwise q-values equal statsmodels (HC3); the planted a·b·c term is negative and significant for views',
    async () => {
      const dir = tempDir('analysis-data');
      const home = tempDir('analysis-home');
      const { configFile, dataFile } = writeRunInputs(dir, { n: 500 });
      const config = readAnalysisConfig(configFile);
      const stages: string[] = [];
      const reporter = { ...quiet(), progress: (_f: number, stage: string) => void stages.push(stage) };
      const result = await runAnalysis({ config, configFile }, home, reporter);

      // The folder: complete, read-only, nothing partial left beside it, listed.
      const runDir = path.join(analysisRunsDir(home), result.runId);
      expect(result.runId).toMatch(/^analysis-\d{8}T\d{6}-[0-9a-f]{6}$/);
      expect(result.runDir).toBe(runDir);
      expect(fs.readdirSync(analysisRunsDir(home))).toEqual([result.runId]);
      for (const f of [
        'config.json',
        'run.json',
        'data_summary.json',
        'versions.json',
        'result.json',
        'models.csv',
        'pairwise_screen.csv',
        'count_models.csv',
        'overdispersion.csv',
        'count_comparison.csv',
        'simple_slopes.csv',
        'comparison.csv',
      ]) {
        expect(fs.existsSync(path.join(runDir, f)), f).toBe(true);
      }
      expect(fs.statSync(path.join(runDir, 'result.json')).mode & 0o222).toBe(0);
      expect(AnalysisRunResult.parse(JSON.parse(fs.readFileSync(path.join(runDir, 'result.json'), 'utf8')))).toEqual(result);
      // config.json is the config as run: absolute paths, defaults filled, readable as a config again.
      const asRun = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
      expect(asRun.data).toBe(dataFile);
      expect(asRun.slopesP).toBe(0.05);
      expect(readAnalysisConfig(path.join(runDir, 'config.json'))).toEqual(config);
      const versions = JSON.parse(fs.readFileSync(path.join(runDir, 'versions.json'), 'utf8'));
      expect(Object.keys(versions)).toEqual(expect.arrayContaining(['framelab', 'node', '@duckdb/node-api', 'xgboost']));
      expect(listAnalysisRuns(home).map((r) => [r.runId, r.models, r.rows, r.name])).toEqual([
        [result.runId, result.models.length, 500, 'synthetic'],
      ]);
      // Progress named each model.
      expect(stages).toContain('views: OLS focal color_entropy×avg_objects×text_area_ratio (2/23)');
      expect(stages.some((s) => s.startsWith('shares: GBM'))).toBe(true);

      // Specs per outcome, in order: main, focal, the screen (minus the skipped pairs).
      for (const outcome of ['views', 'likes', 'shares']) {
        const specs = result.models.filter((m) => m.outcome === outcome).map((m) => m.spec);
        expect(specs[0]).toBe('main');
        expect(specs[1]).toBe('focal');
        expect(specs.slice(2).every((s) => s === 'pairwise')).toBe(true);
        expect(specs.length - 2 + (result.skipped ?? []).filter((s) => s.outcome === outcome).length).toBe(21);
      }

      const ref = oracle(dataFile, ['views', 'likes', 'shares'], 'HC3', false);
      ['views', 'likes', 'shares'].forEach((outcome, k) => {
        const focal = result.models.find((m) => m.outcome === outcome && m.spec === 'focal')!;
        expect(focal.focal).toEqual([...TRIPLE]);
        expect(focal.statName).toBe('z');
        expectModelEqual(focal, ref.models[k]!, `${outcome} focal`);
        expectScreen(result, ref.screens[k]!);
      });

      // The planted "visual overload" term.
      const views = result.models.find((m) => m.outcome === 'views' && m.spec === 'focal')!;
      const planted = views.coefficients.find((c) => c.term === PLANTED.term)!;
      expect(Math.sign(planted.estimate)).toBe(PLANTED.sign);
      expect(planted.p).toBeLessThan(0.05);
      expect(views.interaction).toEqual({ term: PLANTED.term, p: planted.p, q: null });

      // Simple slopes: exactly the focal interaction terms with p < .05, 3 slopes for a two-way term, 9 for the three-way.
      for (const m of result.models.filter((x) => x.spec === 'focal')) {
        const significant = m.coefficients.filter((c) => c.term.includes(':') && c.p < 0.05).map((c) => c.term);
        const slopes = result.simpleSlopes.filter((s) => s.outcome === m.outcome);
        expect([...new Set(slopes.map((s) => s.term))].sort()).toEqual(significant.sort());
        for (const term of significant) expect(slopes.filter((s) => s.term === term)).toHaveLength(term.split(':').length === 3 ? 9 : 3);
      }
      const threeWay = result.simpleSlopes.find((s) => s.outcome === 'views' && s.term === PLANTED.term)!;
      expect(Object.keys(threeWay.levels).sort()).toEqual(['avg_objects', 'text_area_ratio']);

      // Count models and the comparison: every figure in its own row, in-sample apart from cross-validated.
      expect(result.countModels.map((c) => `${c.outcome}:${c.family}`)).toEqual([
        'views:poisson',
        'views:negbin',
        'likes:poisson',
        'likes:negbin',
        'shares:poisson',
        'shares:negbin',
      ]);
      expect(result.overdispersion.every((o) => o.ratio! > 1 && o.lrP! < 0.05)).toBe(true);
      expect(result.countComparison.length).toBeGreaterThan(0);
      for (const row of result.comparison) expect(row.kind).toBe(row.metric === 'cv_r2' ? 'cross_validated' : 'in_sample');
      expect(
        result.comparison
          .filter((r) => r.outcome === 'views')
          .map((r) => `${r.model}:${r.metric}`)
          .sort(),
      ).toEqual(
        [
          'gbm:cv_r2',
          'lasso:cv_r2',
          'lasso:train_r2',
          'negbin:pseudo_r2',
          'ols_focal:adj_r2',
          'ols_focal:cv_r2',
          'ols_main:adj_r2',
          'ols_main:cv_r2',
        ].sort(),
      );
      // One focal triple: "OLS + focal interactions" in the comparison is that focal model.
      expect(result.comparison.find((r) => r.outcome === 'views' && r.model === 'ols_focal' && r.metric === 'adj_r2')!.value).toBe(
        views.adjR2,
      );
      expect(result.gbm.map((g) => [g.outcome, g.folds])).toEqual([
        ['views', 3],
        ['likes', 3],
        ['shares', 3],
      ]);

      // models.csv: every coefficient once, the same numbers as result.json.
      const rows = records(path.join(runDir, 'models.csv'));
      expect(rows[0]).toEqual([
        'outcome',
        'spec',
        'focal',
        'exploratory',
        'term',
        'estimate',
        'se',
        'stat',
        'p',
        'ci_low',
        'ci_high',
        'n',
        'dropped',
        'r2',
        'adj_r2',
      ]);
      const flat = result.models.flatMap((m) => m.coefficients.map((c) => ({ m, c })));
      expect(rows.length - 1).toBe(flat.length);
      flat.forEach(({ m, c }, i) => {
        const r = rows[i + 1]!;
        expect(r.slice(0, 5)).toEqual([m.outcome, m.spec, m.focal ? m.focal.join('*') : '', String(m.exploratory), c.term]);
        expect(r.slice(5, 11).map(Number)).toEqual([c.estimate, c.se, c.stat, c.p, c.ciLow, c.ciHigh]);
        expect(r.slice(11).map(Number)).toEqual([m.n, m.dropped, m.r2, m.adjR2]);
      });
      const slopeRows = records(path.join(runDir, 'simple_slopes.csv'));
      expect(slopeRows.length - 1).toBe(result.simpleSlopes.length);
      expect(new Set(slopeRows.slice(1).map((r) => r[5]))).toEqual(new Set(['-1SD', 'mean', '+1SD']));

      // PDP grids: one plain and three slices per outcome, read back by the detail view from their CSVs.
      expect(result.pdp.map((g) => g.file).filter((f) => f.startsWith('pdp/views'))).toEqual([
        'pdp/views__color_entropy__avg_objects.csv',
        'pdp/views__color_entropy__avg_objects__text_area_ratio_Q25.csv',
        'pdp/views__color_entropy__avg_objects__text_area_ratio_Q50.csv',
        'pdp/views__color_entropy__avg_objects__text_area_ratio_Q75.csv',
      ]);
      const detail = analysisRunDetail(home, result.runId);
      expect(detail.result).toEqual(result);
      expect(detail.config).toEqual(config);
      expect(detail.configFile).toBe(configFile);
      expect(detail.dataSummary.rows).toBe(500);
      expect(detail.pdp).toHaveLength(12);
      for (const g of detail.pdp) {
        expect(g.values).toHaveLength(5);
        expect(g.values.every((row) => row.length === 5 && row.every(Number.isFinite))).toBe(true);
      }
      // The figures: SVGs named in the result, the PNGs' absence noted.
      expect(result.plots!.length).toBeGreaterThan(10);
      for (const f of result.plots!) expect(fs.readFileSync(path.join(runDir, f.svg), 'utf8')).toMatch(/^<svg/);
      expect(result.notes!.some((n) => /PNG figures not written/.test(n))).toBe(true);
    },
    120_000,
  );

  it.skipIf(!pythonHas('statsmodels', 'pandas', 'patsy'))(
    'nonrobust SEs (t with the residual df) and mean-centred focal predictors equal statsmodels on the centred rows',
    async () => {
      const dir = tempDir('analysis-data');
      const home = tempDir('analysis-home');
      const { configFile, dataFile } = writeRunInputs(dir, {
        n: 400,
        seed: 5,
        config: { outcomes: ['views', 'likes'], se: 'nonrobust', center: true, gbm: null, lasso: null, countModels: false },
      });
      const result = await runAnalysis({ config: readAnalysisConfig(configFile), configFile }, home, quiet());
      const ref = oracle(dataFile, ['views', 'likes'], 'nonrobust', true);
      ['views', 'likes'].forEach((outcome, k) => {
        const focal = result.models.find((m) => m.outcome === outcome && m.spec === 'focal')!;
        expect(focal.statName).toBe('t');
        expectModelEqual(focal, ref.models[k]!, `${outcome} focal centred`);
        expectScreen(result, ref.screens[k]!);
      });
      // Centred: the slopes' moderator values sit around 0 (mean level exactly 0 up to rounding).
      for (const s of result.simpleSlopes.filter((x) => Object.values(x.levels).every((l) => l === 'mean')))
        for (const v of Object.values(s.at)) expect(Math.abs(v)).toBeLessThan(1e-12);
      expect(result.countModels).toEqual([]);
      expect(result.gbm).toEqual([]);
      expect(result.pdp).toEqual([]);
    },
    90_000,
  );
});
