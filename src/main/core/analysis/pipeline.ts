import type {
  AnalysisConfig,
  AnalysisRunResult,
  ComparisonRow,
  CountComparisonRow,
  CountModel,
  GbmResult,
  OlsModel,
  Overdispersion,
  PdpGrid,
  SimpleSlope,
  SkippedModel,
} from '../../../shared/analysis';
import { FramelabError } from '../../../shared/errors';
import { rangeFromMeanSd, type PredictorRange } from '../../../shared/plots/simpleSlopesPlot';
import type { AnalysisData } from './data';
import { buildDesign, DesignCache, type Design } from './design';
import { compareCountModels } from './countComparison';
import { crossValidateOls } from './crossValidation';
import { fitPoisson, type PoissonResult } from './glm';
import type { Coefficient } from './inference';
import { lassoAnalysis, type LassoResult } from './lasso';
import { benjaminiHochberg } from './multipleTesting';
import { fitNegativeBinomial, lrTestAlphaZero, type NegBinResult } from './negbin';
import { fitOls, type OlsResult } from './ols';
import { overdispersion } from './overdispersion';
import { simpleSlopes } from './slopes';
import { fitZeroInflatedNegativeBinomial, zinbDecision, type ZinbResult } from './zinb';
import { allFocalTerms, mainTerms, outcomeSpecs, specLabel, type OlsSpec } from './specs';
import { gbmStage, type GbmStageOutput } from './pipelineGbm';
import { checkpoint, inModel, Progress, WEIGHTS, type PipelineReporter } from './pipelineProgress';

/**
 * The computation of an analysis run, stage by stage (issue 18 items 2–6), on data already
 * loaded: no files are written here (run.ts does that). Each stage is a function; the job
 * reports progress per model with a stage label and can be cancelled between models (and
 * inside GBM training, which yields to the event loop).
 *
 * Errors. A model that cannot be fitted for its own data fails the run, with a message that
 * starts with the outcome and spec (`views, focal a×b×c: …`) followed by the core's message —
 * the theory-driven models and the count models are the point of the run, and a run with
 * holes in its tables would be worse than one that says what to fix. The one exception is the
 * exploratory pairwise screen: a pair whose product is collinear with the other terms (an
 * indicator times a measure that is 0 without it, e.g. has_text × text_area_ratio) cannot be
 * estimated by construction, so that pair is skipped, listed in `skipped` with the reason,
 * and left out of the screen's q-values. A count model that did not converge is kept, marked
 * `converged: false` with its `problem`, and kept out of every comparison (so is a LASSO that
 * stopped at its sweep limit). A zero-inflated NB is fitted when asked or when NB did not
 * converge; an outcome without zero counts gets a note instead (there are no zeros to inflate).
 */

export interface PipelineOutput {
  result: Omit<AnalysisRunResult, 'runId' | 'runDir'>;
  /** The PDP grids with their values (result.pdp lists them without), `file` relative to the run folder. */
  pdpGrids: PdpGrid[];
  /** Per slope group (see slopeRangeKey), the predictor's range over its model's rows: mean ± 2 SD. */
  slopeRanges: Map<string, PredictorRange>;
  /** The libraries the run used beyond the core (e.g. XGBoost), for versions.json. */
  used: { xgboost: boolean };
}

export const slopeRangeKey = (s: Pick<SimpleSlope, 'outcome' | 'focal' | 'predictor'>): string =>
  `${s.outcome}\u0000${s.focal.join('*')}\u0000${s.predictor}`;

function inModelSync<T>(label: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw inModel(label, err);
  }
}

const isSingular = (err: unknown): boolean =>
  err instanceof FramelabError && !!err.details && typeof err.details === 'object' && 'collinear' in err.details;

export function plannedUnits(config: AnalysisConfig, pdpPerOutcome: number): number {
  const perOutcome =
    (outcomeSpecs(config, config.outcomes[0]!).length + 1) * WEIGHTS.ols + // the specs and the all-focal comparison model
    (config.countModels ? WEIGHTS.count : 0) +
    WEIGHTS.olsCv +
    (config.lasso ? WEIGHTS.lasso : 0) +
    (config.gbm ? (config.gbm.folds + 1) * WEIGHTS.gbmPerFit + pdpPerOutcome * WEIGHTS.pdp : 0);
  return config.outcomes.length * perOutcome;
}

/**
 * Before any fit: every outcome's main design (log1p) and, with count models, its count design
 * are built once, so a missing, non-numeric or constant column, a bad count or a collinear
 * set of predictors fails the run in seconds, whichever outcome it concerns.
 */
export function preflight(config: AnalysisConfig, data: AnalysisData): void {
  for (const outcome of config.outcomes) {
    const main = outcomeSpecs(config, outcome)[0]!;
    // The count check first: "a non-negative whole number" says more about a count than log1p's "above −1".
    if (config.countModels)
      inModelSync(`${outcome}, count models`, () =>
        buildDesign(data.table, { response: outcome, terms: mainTerms(config), count: true, id: config.id }),
      );
    inModelSync(specLabel(main), () => buildDesign(data.table, { response: main.response, terms: main.terms, id: config.id }));
  }
}

export interface FittedOls {
  spec: OlsSpec;
  design: Design;
  fit: OlsResult;
  model: OlsModel;
}

function olsModel(spec: OlsSpec, design: Design, fit: OlsResult, config: AnalysisConfig): OlsModel {
  const interaction = spec.interaction ? fit.coefficients.find((c) => c.term === spec.interaction) : undefined;
  return {
    outcome: spec.outcome,
    spec: spec.spec,
    focal: spec.focal,
    exploratory: spec.exploratory,
    n: fit.n,
    dropped: design.dropped,
    r2: fit.r2,
    adjR2: fit.adjR2,
    aic: fit.aic,
    bic: fit.bic,
    llf: fit.llf,
    se: config.se,
    statName: fit.reference.kind === 't' ? 't' : 'z',
    coefficients: fit.coefficients.map(({ term, estimate, se, stat, p, ciLow, ciHigh }) => ({
      term,
      estimate,
      se,
      stat,
      p,
      ciLow,
      ciHigh,
    })),
    interaction: interaction ? { term: interaction.term, p: interaction.p, q: null } : null,
  };
}

/**
 * HC2/HC3 divide by 1 − h: a row with leverage 1 (say, the only video of a category level)
 * has an infinite variance there, and statsmodels prints inf or nan. Say which terms and why.
 */
function checkFiniteOls(fit: OlsResult, se: AnalysisConfig['se']): void {
  const bad = fit.coefficients.filter((c) => ![c.estimate, c.se, c.stat, c.p, c.ciLow, c.ciHigh].every(Number.isFinite));
  if (!bad.length) return;
  const lever = fit.leverage.reduce((k, h) => k + (h > 1 - 1e-10 ? 1 : 0), 0);
  const why = lever
    ? ` ${lever} row${lever === 1 ? ' has' : 's have'} leverage 1 (e.g. the only video of a category level), where the ${se} variance divides by 1 − h = 0; merge or drop such levels, or use "se": "HC1"`
    : ' the fit is numerically unstable';
  throw new FramelabError('INVALID_INPUT', `the standard error of ${bad.map((c) => `"${c.term}"`).join(', ')} is not finite:${why}.`, {
    terms: bad.map((c) => c.term),
  });
}

function fitDesign(config: AnalysisConfig, data: AnalysisData, spec: OlsSpec, cache?: DesignCache): FittedOls {
  const design = buildDesign(data.table, { response: spec.response, terms: spec.terms, center: spec.center, id: config.id }, cache);
  const fit = fitOls(design, { cov: config.se });
  checkFiniteOls(fit, config.se);
  return { spec, design, fit, model: olsModel(spec, design, fit, config) };
}

/** One OLS model (design + fit); throws with the model named. */
export function fitSpec(config: AnalysisConfig, data: AnalysisData, spec: OlsSpec, cache?: DesignCache): FittedOls {
  return inModelSync(specLabel(spec), () => fitDesign(config, data, spec, cache));
}

/** Benjamini–Hochberg q of each pairwise model's interaction, within its outcome's screen. */
export function screenQValues(models: OlsModel[]): void {
  const screen = models.filter((m) => m.spec === 'pairwise' && m.interaction);
  const q = benjaminiHochberg(screen.map((m) => m.interaction!.p));
  screen.forEach((m, i) => (m.interaction = { ...m.interaction!, q: q[i]! }));
}

/** Simple slopes of every interaction term of a focal model with p < slopesP. */
export function focalSlopes(fitted: FittedOls, slopesP: number, ranges: Map<string, PredictorRange>): SimpleSlope[] {
  const { spec, design, fit } = fitted;
  const out: SimpleSlope[] = [];
  const terms = design.columns.filter((c) => !c.categorical && c.factors.length >= 2);
  for (const column of terms) {
    const coef = fit.coefficients.find((c) => c.term === column.name)!;
    if (!(coef.p < slopesP)) continue;
    for (const s of inModelSync(`${specLabel(spec)}, simple slopes of ${column.name}`, () => simpleSlopes(fit, design, column.name))) {
      const slope: SimpleSlope = {
        outcome: spec.outcome,
        focal: spec.focal!,
        term: s.term,
        predictor: s.predictor,
        at: s.at,
        levels: s.levels,
        slope: s.slope,
        se: s.se,
        p: s.p,
        ciLow: s.ciLow,
        ciHigh: s.ciHigh,
      };
      const key = slopeRangeKey(slope);
      if (!ranges.has(key)) {
        const values = design.variables.get(s.predictor)!;
        let mean = 0;
        for (const v of values) mean += v;
        mean /= values.length;
        let ss = 0;
        for (const v of values) ss += (v - mean) ** 2;
        ranges.set(key, rangeFromMeanSd(mean, Math.sqrt(ss / (values.length - 1))));
      }
      const range = ranges.get(key)!;
      out.push({ ...slope, range: { min: range.min, max: range.max } });
    }
  }
  return out;
}

export interface OlsStageOutput {
  fitted: FittedOls[];
  skipped: SkippedModel[];
  slopes: SimpleSlope[];
}

/** Every OLS spec of one outcome, in order; the pairwise screen's q-values; the focal slopes. */
export async function olsStage(
  config: AnalysisConfig,
  data: AnalysisData,
  outcome: string,
  progress: Progress,
  reporter: PipelineReporter,
  ranges: Map<string, PredictorRange>,
  cache?: DesignCache,
): Promise<OlsStageOutput> {
  const specs = outcomeSpecs(config, outcome);
  const fitted: FittedOls[] = [];
  const skipped: SkippedModel[] = [];
  const slopes: SimpleSlope[] = [];
  for (const [i, spec] of specs.entries()) {
    await checkpoint(reporter);
    progress.stage(`${outcome}: OLS ${spec.spec}${spec.focal ? ` ${spec.focal.join('×')}` : ''} (${i + 1}/${specs.length})`);
    let one: FittedOls;
    try {
      one = fitDesign(config, data, spec, cache);
    } catch (err) {
      if (spec.spec !== 'pairwise' || !isSingular(err)) throw inModel(specLabel(spec), err);
      skipped.push({ outcome, spec: spec.spec, focal: spec.focal, reason: (err as Error).message });
      progress.advance(WEIGHTS.ols);
      continue;
    }
    fitted.push(one);
    if (spec.spec === 'focal') slopes.push(...focalSlopes(one, config.slopesP, ranges));
    progress.advance(WEIGHTS.ols);
  }
  screenQValues(fitted.map((f) => f.model));
  return { fitted, skipped, slopes };
}

/** A count model's Wald rows with every non-finite figure as null (a fit that did not converge may have no finite SE). */
function countCoefficients(rows: readonly Coefficient[]): CountModel['coefficients'] {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return rows.map((c) => ({
    term: c.term,
    estimate: finite(c.estimate),
    se: finite(c.se),
    stat: finite(c.stat),
    p: finite(c.p),
    ciLow: finite(c.ciLow),
    ciHigh: finite(c.ciHigh),
  }));
}

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

function poissonModel(outcome: string, design: Design, fit: PoissonResult): CountModel {
  return {
    outcome,
    family: 'poisson',
    converged: fit.converged,
    problem: fit.converged ? null : `IRLS did not converge in ${fit.iterations} iterations`,
    n: fit.n,
    dropped: design.dropped,
    alpha: null,
    llf: finiteOrNull(fit.llf),
    aic: finiteOrNull(fit.aic),
    pseudoR2: null,
    coefficients: countCoefficients(fit.coefficients),
  };
}

function negbinModel(outcome: string, design: Design, fit: NegBinResult): CountModel {
  return {
    outcome,
    family: 'negbin',
    converged: fit.converged,
    problem: fit.problem,
    n: fit.n,
    dropped: design.dropped,
    alpha: finiteOrNull(fit.alpha),
    llf: finiteOrNull(fit.llf),
    aic: finiteOrNull(fit.aic),
    pseudoR2: finiteOrNull(fit.pseudoR2),
    coefficients: countCoefficients(fit.coefficients),
  };
}

/** ZINB: the inflation part's rows (`inflate_*`) first, then the count terms, as statsmodels' summary; α apart. */
function zinbModel(outcome: string, design: Design, fit: ZinbResult): CountModel {
  return {
    outcome,
    family: 'zinb',
    converged: fit.converged,
    problem: fit.problem,
    n: fit.n,
    dropped: design.dropped,
    alpha: finiteOrNull(fit.alpha),
    llf: finiteOrNull(fit.llf),
    aic: finiteOrNull(fit.aic),
    pseudoR2: null,
    coefficients: countCoefficients([...fit.inflation, ...fit.coefficients]),
  };
}

export interface CountStageOutput {
  models: CountModel[];
  overdispersion: Overdispersion;
  comparison: CountComparisonRow[];
  notes: string[];
  /** The NB fit when it converged (its pseudo-R² goes to the comparison table). */
  negbin: NegBinResult | null;
}

/**
 * Count models of one outcome on its raw counts, with the main spec's terms: overdispersion
 * figures over the model's rows, Poisson GLM, NB2 (α by ML, intercept-only NB for the pseudo-R²),
 * the LR test of α = 0 when both converged, and log-OLS vs NB per term.
 */
export async function countStage(
  config: AnalysisConfig,
  data: AnalysisData,
  outcome: string,
  main: OlsModel,
  progress: Progress,
  reporter: PipelineReporter,
): Promise<CountStageOutput> {
  const label = `${outcome}, count models`;
  await checkpoint(reporter);
  progress.stage(`${outcome}: Poisson GLM`);
  const design = inModelSync(label, () =>
    buildDesign(data.table, { response: outcome, terms: mainTerms(config), count: true, id: config.id }),
  );
  const poisson = inModelSync(`${outcome}, Poisson`, () => fitPoisson(design));
  progress.advance(1);
  await checkpoint(reporter);
  progress.stage(`${outcome}: negative binomial (NB2)`);
  const nb = inModelSync(`${outcome}, negative binomial`, () => fitNegativeBinomial(design, { poisson, nullModel: true }));
  progress.advance(WEIGHTS.count - 1);
  const models = [poissonModel(outcome, design, poisson), negbinModel(outcome, design, nb)];
  const notes: string[] = [];
  const decision = zinbDecision(config.zinb, nb);
  if (decision.fit) {
    await checkpoint(reporter);
    progress.stage(`${outcome}: zero-inflated negative binomial`);
    const zinb = zinbStage(outcome, design, nb, decision.reason!);
    if (zinb.model) models.push(zinb.model);
    notes.push(...zinb.notes);
  }
  const od = overdispersion(design.y);
  const lr = poisson.converged && nb.converged ? lrTestAlphaZero(poisson.llf, nb.llf) : null;
  for (const m of models)
    if (!m.converged)
      notes.push(
        `${outcome}: the ${FAMILY_NAMES[m.family]} model did not converge (${m.problem}); it is reported, marked, and kept out of the comparisons.`,
      );
  return {
    models,
    overdispersion: {
      outcome,
      n: od.n,
      mean: od.mean,
      variance: od.variance,
      ratio: od.ratio,
      zeroShare: od.zeroShare,
      lrStatistic: lr?.statistic ?? null,
      lrP: lr?.p ?? null,
    },
    // Log-OLS (main) vs NB per term; a non-converged NB gives no rows.
    comparison: compareCountModels(outcome, main, { coefficients: nb.coefficients, converged: nb.converged }),
    notes,
    negbin: nb.converged ? nb : null,
  };
}

const FAMILY_NAMES: Record<CountModel['family'], string> = {
  poisson: 'Poisson',
  negbin: 'negative binomial',
  zinb: 'zero-inflated negative binomial',
};

/**
 * The zero-inflated NB of one outcome, fitted when asked or when NB did not converge. An
 * outcome without a single zero count has nothing to inflate: that is a note, not a failure
 * (`zinb: true` applies to every outcome, and views are rarely 0).
 */
export function zinbStage(
  outcome: string,
  design: Design,
  nb: NegBinResult,
  reason: string,
): { model: CountModel | null; notes: string[] } {
  if (!design.y.some((v) => v === 0))
    return {
      model: null,
      notes: [
        `${outcome}: no zero-inflated NB (${reason}): the outcome has no zero counts in the model's rows, so there is no excess of zeros to model.`,
      ],
    };
  const fit = inModelSync(`${outcome}, zero-inflated negative binomial`, () => fitZeroInflatedNegativeBinomial(design, { negbin: nb }));
  return { model: zinbModel(outcome, design, fit), notes: [`${outcome}: zero-inflated NB fitted (${reason}).`] };
}

export interface ComparisonInputs {
  main: FittedOls;
  allFocal: FittedOls | null;
  /** K-fold CV R² of the main and all-focal OLS models. */
  olsCv: { main: number; allFocal: number | null } | null;
  negbin: NegBinResult | null;
  gbm: GbmResult | null;
  lasso: LassoResult | null;
}

/**
 * The comparison table's rows for one outcome (issue 18 item 6). In-sample figures (adjusted
 * R² of the OLS models, LASSO's train R², NB's McFadden pseudo-R²) and cross-validated ones
 * (K-fold out-of-fold R² of OLS, GBM and the nested-CV LASSO) are separate rows with their
 * `kind`, so no column ever mixes the two. A model that did not converge is left out.
 */
export function comparisonRows(outcome: string, inputs: ComparisonInputs): ComparisonRow[] {
  const { main, allFocal, olsCv, negbin, gbm, lasso } = inputs;
  const rows: ComparisonRow[] = [{ outcome, model: 'ols_main', metric: 'adj_r2', kind: 'in_sample', value: main.fit.adjR2 }];
  if (olsCv) rows.push({ outcome, model: 'ols_main', metric: 'cv_r2', kind: 'cross_validated', value: olsCv.main });
  if (allFocal) rows.push({ outcome, model: 'ols_focal', metric: 'adj_r2', kind: 'in_sample', value: allFocal.fit.adjR2 });
  if (allFocal && olsCv?.allFocal !== null && olsCv?.allFocal !== undefined)
    rows.push({ outcome, model: 'ols_focal', metric: 'cv_r2', kind: 'cross_validated', value: olsCv.allFocal });
  if (gbm) rows.push({ outcome, model: 'gbm', metric: 'cv_r2', kind: 'cross_validated', value: gbm.cvR2 });
  if (lasso?.converged) {
    rows.push({ outcome, model: 'lasso', metric: 'train_r2', kind: 'in_sample', value: lasso.trainR2 });
    rows.push({ outcome, model: 'lasso', metric: 'cv_r2', kind: 'cross_validated', value: lasso.cvR2 });
  }
  if (negbin && negbin.pseudoR2 !== null && Number.isFinite(negbin.pseudoR2))
    rows.push({ outcome, model: 'negbin', metric: 'pseudo_r2', kind: 'in_sample', value: negbin.pseudoR2 });
  return rows.filter((r) => Number.isFinite(r.value));
}

/** K-fold CV R² of the main and all-focal OLS designs (folds and seed from the config). */
export function olsCvStage(
  config: AnalysisConfig,
  outcome: string,
  main: FittedOls,
  allFocal: FittedOls | null,
): { main: number; allFocal: number | null; notes: string[] } {
  const options = { folds: config.cvFolds, seed: config.seed };
  const notes: string[] = [];
  const one = (fitted: FittedOls, what: string) => {
    const cv = inModelSync(`${outcome}, ${what} (cross-validated R²)`, () => crossValidateOls(fitted.design, options));
    for (const d of cv.rankDeficient)
      notes.push(
        `${outcome}, ${what}: in CV fold ${d.fold + 1} the training rows could not identify ${d.columns.join(', ')} (coefficient 0 there).`,
      );
    return cv.cvR2;
  };
  return { main: one(main, 'OLS main'), allFocal: allFocal ? one(allFocal, 'OLS with every focal interaction') : null, notes };
}

/** LASSO (standardized, α by inner CV) on the main design's predictors and controls: train and nested-CV R². */
export function lassoStage(config: AnalysisConfig, outcome: string, main: FittedOls): { result: LassoResult; notes: string[] } {
  const result = inModelSync(`${outcome}, LASSO`, () => lassoAnalysis(main.design, { folds: config.lasso!.folds, seed: config.seed }));
  return {
    result,
    notes: result.converged ? [] : [`${outcome}: the LASSO did not converge (${result.problem}); it is kept out of the comparison.`],
  };
}

/** The all-focal OLS model for the comparison (not listed among the models). */
export function allFocalFit(config: AnalysisConfig, data: AnalysisData, outcome: string, cache?: DesignCache): FittedOls | null {
  const terms = allFocalTerms(config);
  if (!terms) return null;
  const spec: OlsSpec = {
    outcome,
    spec: 'focal',
    focal: config.focal.flat(),
    exploratory: false,
    response: `log1p(${outcome})`,
    terms,
    center: config.center ? [...new Set(config.focal.flat())] : [],
    interaction: null,
  };
  return inModelSync(`${outcome}, OLS with every focal interaction (comparison table)`, () => fitDesign(config, data, spec, cache));
}

/** The whole computation. */
export async function runPipeline(config: AnalysisConfig, data: AnalysisData, reporter: PipelineReporter): Promise<PipelineOutput> {
  reporter.progress(0.02, 'checking the data');
  preflight(config, data);
  const gbmPlan = gbmStage.plan(config);
  const progress = new Progress(reporter, plannedUnits(config, gbmPlan.gridsPerOutcome));
  const result: PipelineOutput['result'] = {
    models: [],
    countModels: [],
    overdispersion: [],
    countComparison: [],
    simpleSlopes: [],
    gbm: [],
    pdp: [],
    comparison: [],
    skipped: [],
    notes: [],
  };
  const pdpGrids: PdpGrid[] = [];
  const slopeRanges = new Map<string, PredictorRange>();
  const used = { xgboost: false };
  const pdpFiles = new Set<string>();
  const designs = new DesignCache();
  for (const outcome of config.outcomes) {
    const ols = await olsStage(config, data, outcome, progress, reporter, slopeRanges, designs);
    result.models.push(...ols.fitted.map((f) => f.model));
    result.skipped!.push(...ols.skipped);
    result.simpleSlopes.push(...ols.slopes);
    const main = ols.fitted[0]!;

    await checkpoint(reporter);
    progress.stage(`${outcome}: OLS with every focal interaction (comparison)`);
    const allFocal = allFocalFit(config, data, outcome, designs);
    progress.advance(WEIGHTS.ols);

    let negbin: NegBinResult | null = null;
    if (config.countModels) {
      const count = await countStage(config, data, outcome, main.model, progress, reporter);
      result.countModels.push(...count.models);
      result.overdispersion.push(count.overdispersion);
      result.countComparison.push(...count.comparison);
      result.notes!.push(...count.notes);
      negbin = count.negbin;
    }

    await checkpoint(reporter);
    progress.stage(`${outcome}: OLS ${config.cvFolds}-fold cross-validated R²`);
    const olsCv = olsCvStage(config, outcome, main, allFocal);
    result.notes!.push(...olsCv.notes);
    progress.advance(WEIGHTS.olsCv);

    let lasso: LassoResult | null = null;
    if (config.lasso) {
      await checkpoint(reporter);
      progress.stage(`${outcome}: LASSO (α by ${config.lasso.folds}-fold CV, nested CV R²)`);
      const out = lassoStage(config, outcome, main);
      lasso = out.result;
      result.notes!.push(...out.notes);
      progress.advance(WEIGHTS.lasso);
    }

    let gbm: GbmStageOutput | null = null;
    if (config.gbm) {
      gbm = await gbmStage.run(config, data, outcome, progress, reporter, pdpFiles);
      used.xgboost = true;
      result.gbm.push(gbm.result);
      for (const grid of gbm.grids) {
        pdpGrids.push(grid);
        const { values: _values, ...listed } = grid;
        result.pdp.push(listed);
      }
    }
    result.comparison.push(...comparisonRows(outcome, { main, allFocal, olsCv, negbin, gbm: gbm?.result ?? null, lasso }));
  }
  reporter.progress(0.95, 'writing the run');
  return { result, pdpGrids, slopeRanges, used };
}
