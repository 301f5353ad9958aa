import fs from 'node:fs';
import path from 'node:path';
import { buildDesign, type Design } from '../../src/main/core/analysis/design';
import { benjaminiHochberg } from '../../src/main/core/analysis/multipleTesting';
import { fitOls, type OlsResult } from '../../src/main/core/analysis/ols';
import { simpleSlopes } from '../../src/main/core/analysis/slopes';
import type { Table } from '../../src/main/core/suite/data/table';
import type { AnalysisRunResult, ComparisonRow, OlsModel, PdpGrid, SimpleSlope } from '../../src/shared/analysis';
import type { PredictorRange } from '../../src/shared/plots';
import { synthetic } from './synthetic';

/**
 * A small but real AnalysisRunResult for the export and plot tests, assembled from the
 * analysis core (buildDesign + fitOls + simpleSlopes + benjaminiHochberg) on the synthetic
 * table: 2 outcomes × (main + one focal triple + two exploratory pairs), simple slopes of
 * every focal term, R² comparison rows (adjusted, and 5-fold out-of-fold computed here), and
 * 2-D partial dependence grids of the focal OLS model (the average prediction over the data
 * with two variables set to each grid point; one plain, three sliced at the third variable's
 * quartiles). The category column gets a formula-like level and num_faces a formula-like
 * name, so exports must neutralise and escape them.
 */

export const OUTCOMES = ['views', 'likes'] as const;
export const TRIPLE = ['color_entropy', 'avg_objects', 'text_area_ratio'] as const;
export const PAIRS = [
  ['gaze_at_camera_ratio', '@num_faces'],
  ['color_entropy', 'gaze_at_camera_ratio'],
] as const;
/** The focal model's interaction terms, as patsy names them for a*b*c. */
export const FOCAL_TERMS = [
  'color_entropy:avg_objects',
  'color_entropy:text_area_ratio',
  'avg_objects:text_area_ratio',
  'color_entropy:avg_objects:text_area_ratio',
];
const OTHERS = ['text_changes_per_second', 'gaze_at_camera_ratio', '@num_faces', 'has_text'];
const PREDICTORS = [...TRIPLE, ...OTHERS];
const CONTROLS = ['duration_s', 'C(category)'];
/** A category label a spreadsheet would run as a formula. */
export const FORMULA_LEVEL = '=HYPERLINK("http://x")';
/** A predictor whose name a spreadsheet would run as a formula (num_faces renamed). */
export const FORMULA_PREDICTOR = '@num_faces';

export interface RunFixture {
  result: AnalysisRunResult;
  grids: PdpGrid[];
  ranges: Record<string, PredictorRange>;
  /** The fits behind result.models, in the same order. */
  fits: OlsResult[];
}

function withFormulaLevel(table: Table): Table {
  const category = table.columns.get('category');
  if (category?.kind !== 'text') throw new Error('synthetic table without a text category');
  // The reference level sorts first: '(' comes before every formula character.
  const values = category.values.map((v) => (v === 'news' ? FORMULA_LEVEL : v === 'beauty' ? '(base) beauty' : v));
  const columns = new Map(table.columns);
  columns.set('category', { kind: 'text', values });
  // A column name a spreadsheet would run as a formula too (it starts a CSV cell as a term).
  columns.set(FORMULA_PREDICTOR, columns.get('num_faces')!);
  columns.delete('num_faces');
  return { ...table, columns };
}

function olsModel(outcome: string, spec: OlsModel['spec'], focal: string[] | null, design: Design, fit: OlsResult): OlsModel {
  return {
    outcome,
    spec,
    focal,
    exploratory: spec === 'pairwise',
    n: fit.n,
    dropped: design.dropped,
    r2: fit.r2,
    adjR2: fit.adjR2,
    aic: fit.aic,
    bic: fit.bic,
    llf: fit.llf,
    se: 'HC3',
    statName: 'z',
    coefficients: fit.coefficients.map((c) => ({ ...c })),
    interaction: null,
  };
}

/** The design's x row i with some numeric variables replaced (products recomputed). */
function predictWith(design: Design, fit: OlsResult, i: number, set: ReadonlyMap<string, number>): number {
  let yhat = 0;
  design.columns.forEach((c, j) => {
    let v: number;
    if (c.factors.length && c.factors.some((f) => set.has(f)))
      v = c.factors.reduce((acc, f) => acc * (set.get(f) ?? design.variables.get(f)![i]!), 1);
    else v = design.x[j * design.n + i]!;
    yhat += v * fit.params[j]!;
  });
  return yhat;
}

function quantile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  return sorted[lo]! + (at - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
}

function pdp(
  outcome: string,
  design: Design,
  fit: OlsResult,
  xName: string,
  yName: string,
  size: number,
  slice: PdpGrid['slice'],
): PdpGrid {
  const axis = (name: string) => {
    const v = design.variables.get(name)!;
    const lo = quantile(v, 0.05);
    const hi = quantile(v, 0.95);
    return Array.from({ length: size }, (_, k) => lo + ((hi - lo) * k) / (size - 1));
  };
  const xs = axis(xName);
  const ys = axis(yName);
  const values = xs.map((xv) =>
    ys.map((yv) => {
      const set = new Map([[xName, xv], [yName, yv], ...(slice ? [[slice.name, slice.value] as [string, number]] : [])]);
      let sum = 0;
      for (let i = 0; i < design.n; i++) sum += predictWith(design, fit, i, set);
      return sum / design.n;
    }),
  );
  const file = `pdp/${outcome}__${xName}__${yName}${slice ? `__${slice.name}_${slice.quantile}` : ''}.csv`;
  return { outcome, x: { name: xName, values: xs }, y: { name: yName, values: ys }, slice, values, file };
}

/** 5-fold out-of-fold R² of an OLS design (contiguous folds). */
function cvR2(design: Design): number {
  const { n, p, x, y } = design;
  const predicted = new Float64Array(n);
  const k = 5;
  for (let f = 0; f < k; f++) {
    const test = (i: number) => i % k === f;
    const train = Array.from({ length: n }, (_, i) => i).filter((i) => !test(i));
    const m = train.length;
    const xt = new Float64Array(m * p);
    for (let j = 0; j < p; j++) train.forEach((row, r) => (xt[j * m + r] = x[j * n + row]!));
    const fit = fitOls(
      { x: xt, y: Float64Array.from(train, (row) => y[row]!), n: m, p, names: design.names, hasIntercept: true },
      { cov: 'nonrobust' },
    );
    for (let i = 0; i < n; i++) {
      if (!test(i)) continue;
      let s = 0;
      for (let j = 0; j < p; j++) s += x[j * n + i]! * fit.params[j]!;
      predicted[i] = s;
    }
  }
  const mean = y.reduce((a, b) => a + b, 0) / n;
  let ssr = 0;
  let tss = 0;
  for (let i = 0; i < n; i++) {
    ssr += (y[i]! - predicted[i]!) ** 2;
    tss += (y[i]! - mean) ** 2;
  }
  return 1 - ssr / tss;
}

export function buildRunFixture(options: { rows?: number; seed?: number; grid?: number } = {}): RunFixture {
  const table = withFormulaLevel(synthetic(options.rows ?? 500, options.seed ?? 11).table);
  const models: OlsModel[] = [];
  const fits: OlsResult[] = [];
  const slopes: SimpleSlope[] = [];
  const comparison: ComparisonRow[] = [];
  const grids: PdpGrid[] = [];
  let ranges: Record<string, PredictorRange> = {};
  const fitSpec = (outcome: string, spec: OlsModel['spec'], focal: string[] | null, terms: string[]) => {
    const design = buildDesign(table, { response: `log1p(${outcome})`, terms, id: 'video_id' });
    const fit = fitOls(design, { cov: 'HC3' });
    const model = olsModel(outcome, spec, focal, design, fit);
    models.push(model);
    fits.push(fit);
    return { design, fit, model };
  };

  for (const outcome of OUTCOMES) {
    const main = fitSpec(outcome, 'main', null, ['Intercept', ...PREDICTORS, ...CONTROLS]);
    const focal = fitSpec(outcome, 'focal', [...TRIPLE], ['Intercept', TRIPLE.join('*'), ...OTHERS, ...CONTROLS]);
    for (const term of FOCAL_TERMS) {
      for (const s of simpleSlopes(focal.fit, focal.design, term)) {
        slopes.push({
          outcome,
          focal: [...TRIPLE],
          term: s.term,
          predictor: s.predictor,
          at: s.at,
          levels: s.levels,
          slope: s.slope,
          se: s.se,
          p: s.p,
          ciLow: s.ciLow,
          ciHigh: s.ciHigh,
        });
      }
    }
    const pairwise = PAIRS.map(([a, b]) => {
      const others = PREDICTORS.filter((v) => v !== a && v !== b);
      const m = fitSpec(outcome, 'pairwise', [a, b], ['Intercept', `${a}*${b}`, ...others, ...CONTROLS]);
      const term = `${a}:${b}`;
      m.model.interaction = { term, p: m.fit.coefficients.find((c) => c.term === term)!.p, q: null };
      return m.model;
    });
    const q = benjaminiHochberg(pairwise.map((m) => m.interaction!.p));
    pairwise.forEach((m, i) => (m.interaction!.q = q[i]!));

    comparison.push(
      { outcome, model: 'ols_main', metric: 'adj_r2', kind: 'in_sample', value: main.fit.adjR2 },
      { outcome, model: 'ols_focal', metric: 'adj_r2', kind: 'in_sample', value: focal.fit.adjR2 },
      { outcome, model: 'ols_main', metric: 'cv_r2', kind: 'cross_validated', value: cvR2(main.design) },
      { outcome, model: 'ols_focal', metric: 'cv_r2', kind: 'cross_validated', value: cvR2(focal.design) },
    );

    const size = options.grid ?? 12;
    grids.push(pdp(outcome, focal.design, focal.fit, 'color_entropy', 'avg_objects', size, null));
    if (outcome === 'views') {
      const third = focal.design.variables.get('text_area_ratio')!;
      for (const [quantileName, qv] of [
        ['Q25', 0.25],
        ['Q50', 0.5],
        ['Q75', 0.75],
      ] as const) {
        grids.push(
          pdp(outcome, focal.design, focal.fit, 'color_entropy', 'avg_objects', size, {
            name: 'text_area_ratio',
            quantile: quantileName,
            value: quantile(third, qv),
          }),
        );
      }
      // Mean ± 2 SD over the focal model's rows: the x range of the slope plots.
      ranges = Object.fromEntries(
        [...focal.design.variables].map(([name, v]) => {
          const mean = v.reduce((a, b) => a + b, 0) / v.length;
          const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
          return [name, { min: mean - 2 * sd, max: mean + 2 * sd, reference: mean }];
        }),
      );
    }
  }
  const runId = 'analysis-20260301T120000-fixture';
  const result: AnalysisRunResult = {
    runId,
    runDir: '',
    models,
    countModels: [],
    overdispersion: [],
    countComparison: [],
    simpleSlopes: slopes,
    gbm: [],
    pdp: grids.map(({ values: _values, ...rest }) => rest),
    comparison,
  };
  return { result, grids, ranges, fits };
}

/** Writes the fixture as a run folder `<home>/runs/analysis/<runId>/` (config.json, result.json, pdp/*.csv). */
export function writeRunFolder(home: string, fixture: RunFixture, config: Record<string, unknown> = { center: false, se: 'HC3' }): string {
  const runDir = path.join(home, 'runs', 'analysis', fixture.result.runId);
  fs.mkdirSync(path.join(runDir, 'pdp'), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(config, null, 2));
  fs.writeFileSync(path.join(runDir, 'result.json'), JSON.stringify({ ...fixture.result, runDir }, null, 2));
  for (const g of fixture.grids) {
    const lines = ['x,y,value'];
    g.x.values.forEach((xv, i) => g.y.values.forEach((yv, j) => lines.push(`${xv},${yv},${g.values[i]![j]}`)));
    fs.writeFileSync(path.join(runDir, g.file), lines.join('\n') + '\n');
  }
  return runDir;
}
