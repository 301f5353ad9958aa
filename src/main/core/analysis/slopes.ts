import { FramelabError } from '../../../shared/errors';
import type { Design } from './design';
import { DEFAULT_CONFIDENCE, wald, type Reference } from './inference';
import { quadraticForm } from './linalg';

/**
 * Simple slopes of a focal interaction: the effect of the term's first variable (the
 * predictor) with its moderators held at mean − 1 SD, mean and mean + 1 SD (SD with ddof 1
 * over the model's rows) and every other variable of the model at its mean. The slope is
 * the linear combination L·β of the coefficients of every term containing the predictor —
 * L_t = the product of the term's other variables at those values — so its SE is
 * √(L·Σ·Lᵀ) with the model's own covariance (the same HC type) and its p uses the model's
 * reference distribution (z for HC types, t for nonrobust): statsmodels'
 * `results.t_test(L)`.
 *
 * For a three-way term a:b:c the slope of a is given at the 3 × 3 levels of (b, c), ordered
 * by c (one panel per level of c), then by b.
 */

export type Level = '-1SD' | 'mean' | '+1SD';
export const LEVELS: readonly Level[] = ['-1SD', 'mean', '+1SD'];

export interface SimpleSlope {
  /** The interaction term as the model names it. */
  term: string;
  predictor: string;
  /** Each moderator's value (in the model's scale: centered if the model centered it). */
  at: Record<string, number>;
  levels: Record<string, Level>;
  slope: number;
  se: number;
  stat: number;
  p: number;
  ciLow: number;
  ciHigh: number;
}

export interface SlopeModel {
  names: readonly string[];
  params: ArrayLike<number>;
  /** p × p, column-major. */
  cov: Float64Array;
  reference: Reference;
}

function meanAndSd(values: Float64Array): { mean: number; sd: number } {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (values.length - 1)) };
}

/** The model's numeric term with exactly these variables, or a message saying which terms exist. */
function findTerm(design: Pick<Design, 'columns'>, term: string): { name: string; factors: string[] } {
  const wanted = term.split(':').map((f) => f.trim());
  const key = [...wanted].sort().join('\u0000');
  const column = design.columns.find((c) => !c.categorical && c.factors.length > 1 && [...c.factors].sort().join('\u0000') === key);
  if (!column) {
    const interactions = design.columns.filter((c) => c.factors.length > 1).map((c) => c.name);
    const hint =
      wanted.length < 2
        ? 'simple slopes need an interaction term such as "x:z"'
        : `its interaction terms: ${interactions.join(', ') || 'none'}`;
    throw new FramelabError('INVALID_INPUT', `The model has no term "${term}" to compute simple slopes for (${hint}).`, { term });
  }
  if (wanted.length > 3)
    throw new FramelabError(
      'INVALID_INPUT',
      `Simple slopes are defined here for two- and three-way terms; "${term}" has ${wanted.length} variables.`,
      { term },
    );
  return { name: column.name, factors: wanted };
}

/** The weights L of the slope of `predictor` with the variables at `values`. */
export function slopeWeights(design: Pick<Design, 'columns'>, predictor: string, values: ReadonlyMap<string, number>): Float64Array {
  return Float64Array.from(design.columns, (c) => {
    if (c.categorical || !c.factors.includes(predictor)) return 0;
    let w = 1;
    for (const f of c.factors) if (f !== predictor) w *= values.get(f)!;
    return w;
  });
}

export function simpleSlopes(
  model: SlopeModel,
  design: Pick<Design, 'columns' | 'variables'>,
  term: string,
  confidence = DEFAULT_CONFIDENCE,
): SimpleSlope[] {
  const { name, factors } = findTerm(design, term);
  const [predictor, ...moderators] = factors as [string, ...string[]];
  const stats = new Map<string, { mean: number; sd: number }>();
  for (const [variable, values] of design.variables) stats.set(variable, meanAndSd(values));
  const levelValue = (variable: string, level: Level) => {
    const { mean, sd } = stats.get(variable)!;
    return level === '-1SD' ? mean - sd : level === '+1SD' ? mean + sd : mean;
  };
  // Every combination of moderator levels, the last moderator outermost (panels by c).
  let combos: Record<string, Level>[] = [{}];
  for (const m of moderators) combos = LEVELS.flatMap((level) => combos.map((c) => ({ ...c, [m]: level })));
  return combos.map((levels) => {
    const values = new Map<string, number>();
    for (const [variable, s] of stats) values.set(variable, s.mean);
    const at: Record<string, number> = {};
    for (const m of moderators) {
      at[m] = levelValue(m, levels[m]!);
      values.set(m, at[m]);
    }
    const weights = slopeWeights(design, predictor, values);
    let slope = 0;
    for (let j = 0; j < weights.length; j++) slope += weights[j]! * model.params[j]!;
    const se = Math.sqrt(quadraticForm(model.cov, weights.length, weights));
    const w = wald(name, slope, se, model.reference, confidence);
    return { term: name, predictor, at, levels, slope, se, stat: w.stat, p: w.p, ciLow: w.ciLow, ciHigh: w.ciHigh };
  });
}
