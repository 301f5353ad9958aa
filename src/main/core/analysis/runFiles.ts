import type { AnalysisRunResult, PdpGrid } from '../../../shared/analysis';
import { writeCsvForPeople } from '../annotations/csvForPeople';

/**
 * The CSVs of an analysis run folder, rendered from its result: long tables a person opens in a
 * spreadsheet or a script reads with pandas. Numbers at full precision (JavaScript's shortest
 * round-trip form, so reading them back gives the same doubles); a missing figure is an empty
 * cell. Term names carry category levels from the data (`C(category)[T.=HYPERLINK(…)]`), so
 * every text cell goes through the spreadsheet formula neutralisation (csvForPeople).
 */

const num = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(v));
const bool = (v: boolean): string => (v ? 'true' : 'false');
/** A triple or pair as a formula writes it: `a*b*c`. */
const group = (g: readonly string[] | null): string => (g ? g.join('*') : '');

/** Every OLS coefficient, one row per model × term. */
export function modelsCsv(result: Pick<AnalysisRunResult, 'models'>): string {
  const header = [
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
  ];
  const rows = result.models.flatMap((m) =>
    m.coefficients.map((c) => [
      m.outcome,
      m.spec,
      group(m.focal),
      bool(m.exploratory),
      c.term,
      num(c.estimate),
      num(c.se),
      num(c.stat),
      num(c.p),
      num(c.ciLow),
      num(c.ciHigh),
      String(m.n),
      String(m.dropped),
      num(m.r2),
      num(m.adjR2),
    ]),
  );
  return writeCsvForPeople(header, rows);
}

/** The exploratory screen: each pair's interaction with its p and BH q within the outcome's screen. */
export function pairwiseScreenCsv(result: Pick<AnalysisRunResult, 'models'>): string {
  const header = ['outcome', 'pair', 'term', 'estimate', 'se', 'p', 'q_bh', 'n', 'exploratory'];
  const rows = result.models
    .filter((m) => m.spec === 'pairwise' && m.interaction)
    .map((m) => {
      const c = m.coefficients.find((x) => x.term === m.interaction!.term)!;
      return [m.outcome, group(m.focal), c.term, num(c.estimate), num(c.se), num(c.p), num(m.interaction!.q), String(m.n), 'true'];
    });
  return writeCsvForPeople(header, rows);
}

/** Every count-model coefficient, one row per model × term, with the model's figures. */
export function countModelsCsv(result: Pick<AnalysisRunResult, 'countModels'>): string {
  const header = [
    'outcome',
    'family',
    'converged',
    'problem',
    'term',
    'estimate',
    'se',
    'stat',
    'p',
    'ci_low',
    'ci_high',
    'n',
    'dropped',
    'alpha',
    'llf',
    'aic',
    'pseudo_r2',
  ];
  const rows = result.countModels.flatMap((m) =>
    m.coefficients.map((c) => [
      m.outcome,
      m.family,
      bool(m.converged),
      m.problem ?? '',
      c.term,
      num(c.estimate),
      num(c.se),
      num(c.stat),
      num(c.p),
      num(c.ciLow),
      num(c.ciHigh),
      String(m.n),
      String(m.dropped),
      num(m.alpha),
      num(m.llf),
      num(m.aic),
      num(m.pseudoR2),
    ]),
  );
  return writeCsvForPeople(header, rows);
}

export function overdispersionCsv(result: Pick<AnalysisRunResult, 'overdispersion'>): string {
  const header = ['outcome', 'n', 'mean', 'variance', 'ratio', 'zero_share', 'lr_statistic', 'lr_p'];
  return writeCsvForPeople(
    header,
    result.overdispersion.map((o) => [
      o.outcome,
      String(o.n),
      num(o.mean),
      num(o.variance),
      num(o.ratio),
      num(o.zeroShare),
      num(o.lrStatistic),
      num(o.lrP),
    ]),
  );
}

export function countComparisonCsv(result: Pick<AnalysisRunResult, 'countComparison'>): string {
  const header = ['outcome', 'term', 'ols_estimate', 'ols_p', 'nb_estimate', 'nb_p', 'same_direction', 'same_significance'];
  return writeCsvForPeople(
    header,
    result.countComparison.map((r) => [
      r.outcome,
      r.term,
      num(r.olsEstimate),
      num(r.olsP),
      num(r.nbEstimate),
      num(r.nbP),
      bool(r.sameDirection),
      bool(r.sameSignificance),
    ]),
  );
}

/**
 * One row per slope. Moderators in the order the term names them (after the predictor): a
 * two-way term fills moderator_1 only, a three-way term both.
 */
export function simpleSlopesCsv(result: Pick<AnalysisRunResult, 'simpleSlopes'>): string {
  const header = [
    'outcome',
    'focal',
    'term',
    'predictor',
    'moderator_1',
    'level_1',
    'at_1',
    'moderator_2',
    'level_2',
    'at_2',
    'slope',
    'se',
    'p',
    'ci_low',
    'ci_high',
  ];
  const rows = result.simpleSlopes.map((s) => {
    const moderators = s.term.split(':').filter((v) => v !== s.predictor);
    const cells = [0, 1].flatMap((k) => {
      const m = moderators[k];
      return m === undefined ? ['', '', ''] : [m, s.levels[m] ?? '', num(s.at[m])];
    });
    return [s.outcome, group(s.focal), s.term, s.predictor, ...cells, num(s.slope), num(s.se), num(s.p), num(s.ciLow), num(s.ciHigh)];
  });
  // The levels are this file's own vocabulary (-1SD, mean, +1SD), never data: written as they are.
  return writeCsvForPeople(header, rows, ['level_1', 'level_2']);
}

export function comparisonCsv(result: Pick<AnalysisRunResult, 'comparison'>): string {
  const header = ['outcome', 'model', 'metric', 'kind', 'value'];
  return writeCsvForPeople(
    header,
    result.comparison.map((r) => [r.outcome, r.model, r.metric, r.kind, num(r.value)]),
  );
}

/** A PDP grid long: x, y, value for x.values[i] × y.values[j], i outer. */
export function pdpCsv(grid: Pick<PdpGrid, 'x' | 'y' | 'values'>): string {
  const rows: string[][] = [];
  grid.x.values.forEach((x, i) => grid.y.values.forEach((y, j) => rows.push([num(x), num(y), num(grid.values[i]![j]!)])));
  return writeCsvForPeople(['x', 'y', 'value'], rows);
}
