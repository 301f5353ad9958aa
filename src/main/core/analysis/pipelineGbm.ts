import type { AnalysisConfig, GbmResult, PdpGrid } from '../../../shared/analysis';
import { pdpTriplesOf } from './config';
import type { AnalysisData } from './data';
import { buildDesign } from './design';
import { crossValidatedR2, gbmMatrixFromDesign, type GbmRecipe } from './gbm';
import { partialDependence2d, threeWayPdp, type Pdp2d } from './partialDependence';
import { checkpoint, inModel, WEIGHTS, type PipelineReporter, type Progress } from './pipelineProgress';
import { responseOf } from './specs';

/**
 * The gradient-boosting stage of a run (issue 18 item 5), per outcome: XGBoost on
 * log1p(outcome) with the predictors and controls (categoricals as one dummy per level, no
 * intercept) over the main OLS model's rows, its K-fold out-of-fold R², and partial
 * dependence: a 2-D grid per configured pair, and for each three-way view the (a, b) grid at
 * c's Q25/Q50/Q75. Each grid's numbers go to `pdp/<outcome>__<x>__<y>[__<c>_<Q>].csv`.
 */

export interface GbmStageOutput {
  result: GbmResult;
  grids: PdpGrid[];
}

/** A file-name part: anything but letters, digits, `.`, `-` and `_` becomes `_`. */
const safe = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || '_';

/** `pdp/<outcome>__<x>__<y>[__<slice var>_<Q>].csv`, unique in the run (case-insensitively). */
export function pdpFile(outcome: string, grid: Pdp2d, used: Set<string>): string {
  const base = [outcome, grid.x.name, grid.y.name, ...(grid.slice ? [`${grid.slice.name}_${grid.slice.quantile}`] : [])]
    .map(safe)
    .join('__');
  let name = base;
  for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}-${k}`;
  used.add(name.toLowerCase());
  return `pdp/${name}.csv`;
}

function recipeOf(config: AnalysisConfig): Partial<GbmRecipe> {
  const g = config.gbm!;
  const recipe: Partial<GbmRecipe> = { seed: config.seed };
  if (g.learningRate !== undefined) recipe.learningRate = g.learningRate;
  if (g.maxDepth !== undefined) recipe.maxDepth = g.maxDepth;
  if (g.rounds !== undefined) recipe.rounds = g.rounds;
  if (g.minChildWeight !== undefined) recipe.minChildWeight = g.minChildWeight;
  if (g.subsample !== undefined) recipe.subsample = g.subsample;
  return recipe;
}

export const gbmStage = {
  /** How many PDP grids each outcome gets (a three-way view is three). */
  plan(config: AnalysisConfig): { gridsPerOutcome: number } {
    if (!config.gbm) return { gridsPerOutcome: 0 };
    return { gridsPerOutcome: config.gbm.pdpPairs.length + 3 * pdpTriplesOf(config).length };
  },

  async run(
    config: AnalysisConfig,
    data: AnalysisData,
    outcome: string,
    progress: Progress,
    reporter: PipelineReporter,
    usedFiles: Set<string>,
  ): Promise<GbmStageOutput> {
    const g = config.gbm!;
    const label = `${outcome}, GBM`;
    await checkpoint(reporter);
    progress.stage(`${outcome}: GBM ${g.folds}-fold cross-validation`);
    const grids = this.plan(config).gridsPerOutcome;
    const fitUnits = (g.folds + 1) * WEIGHTS.gbmPerFit;
    let cv;
    try {
      const design = buildDesign(data.table, {
        response: responseOf(outcome),
        terms: [...config.predictors, ...config.controls],
        id: config.id,
      });
      const { x, y } = gbmMatrixFromDesign(design, data.ids);
      cv = await crossValidatedR2(x, y, {
        folds: g.folds,
        seed: config.seed,
        recipe: recipeOf(config),
        fitAll: grids > 0,
        reporter: progress.sub(fitUnits),
      });
      progress.advance(fitUnits);
      const result: GbmResult = { outcome, cvR2: cv.cvR2, folds: cv.folds, foldR2: cv.foldR2, n: cv.n, dropped: design.dropped };
      const out: PdpGrid[] = [];
      const add = (grid: Pdp2d) => out.push({ outcome, ...grid, file: pdpFile(outcome, grid, usedFiles) });
      for (const pair of g.pdpPairs) {
        await checkpoint(reporter);
        progress.stage(`${outcome}: partial dependence ${pair[0]} × ${pair[1]}`);
        add(await partialDependence2d(cv.model!, x, pair, { grid: g.grid, reporter: progress.sub(WEIGHTS.pdp) }));
        progress.advance(WEIGHTS.pdp);
      }
      for (const triple of pdpTriplesOf(config)) {
        await checkpoint(reporter);
        progress.stage(`${outcome}: partial dependence ${triple[0]} × ${triple[1]} by ${triple[2]}`);
        for (const grid of await threeWayPdp(cv.model!, x, triple, { grid: g.grid, reporter: progress.sub(3 * WEIGHTS.pdp) })) add(grid);
        progress.advance(3 * WEIGHTS.pdp);
      }
      return { result, grids: out };
    } catch (err) {
      throw inModel(label, err);
    } finally {
      cv?.model?.dispose();
    }
  },
};
