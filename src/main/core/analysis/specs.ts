import type { AnalysisConfig, OlsModel } from '../../../shared/analysis';

/**
 * The OLS specifications of a run (issue 18 item 2), per outcome and in this order:
 * - `main`: log1p(outcome) ~ predictors + controls;
 * - `focal`, one per configured triple (or pair): a*b*c with every lower-order term, the other
 *   predictors, the controls;
 * - `pairwise` (exploratory, when asked): a*b for every pair of predictors in the order listed,
 *   the other predictors, the controls.
 * With `center`, the variables of the model's interaction (the focal group or the pair) are
 * mean-centred over that model's rows; main has no interaction, and centring would change only
 * its intercept, so it is left as it is.
 */

export interface OlsSpec {
  outcome: string;
  spec: OlsModel['spec'];
  /** The triple or pair; null for main. */
  focal: string[] | null;
  exploratory: boolean;
  /** `log1p(<outcome>)`. */
  response: string;
  terms: string[];
  center: string[];
  /** The highest-order interaction term as the design names it (`a:b:c`); null for main. */
  interaction: string | null;
}

export const responseOf = (outcome: string): string => `log1p(${outcome})`;

/** Every pair of predictors, in the order they are listed (a before b when a comes first). */
export function predictorPairs(predictors: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < predictors.length; i++) for (let j = i + 1; j < predictors.length; j++) pairs.push([predictors[i]!, predictors[j]!]);
  return pairs;
}

/** The main spec's right-hand side: Intercept, predictors, controls. */
export const mainTerms = (config: Pick<AnalysisConfig, 'predictors' | 'controls'>): string[] => [
  'Intercept',
  ...config.predictors,
  ...config.controls,
];

function interactionSpec(config: AnalysisConfig, outcome: string, spec: 'focal' | 'pairwise', group: readonly string[]): OlsSpec {
  const others = config.predictors.filter((p) => !group.includes(p));
  return {
    outcome,
    spec,
    focal: [...group],
    exploratory: spec === 'pairwise',
    response: responseOf(outcome),
    terms: ['Intercept', group.join('*'), ...others, ...config.controls],
    center: config.center ? [...group] : [],
    interaction: group.join(':'),
  };
}

/** One outcome's specs: main, then focal, then (if asked) the pairwise screen. */
export function outcomeSpecs(config: AnalysisConfig, outcome: string): OlsSpec[] {
  const main: OlsSpec = {
    outcome,
    spec: 'main',
    focal: null,
    exploratory: false,
    response: responseOf(outcome),
    terms: mainTerms(config),
    center: [],
    interaction: null,
  };
  const focal = config.focal.map((group) => interactionSpec(config, outcome, 'focal', group));
  const pairwise = config.pairwise
    ? predictorPairs(config.predictors).map((pair) => interactionSpec(config, outcome, 'pairwise', pair))
    : [];
  return [main, ...focal, ...pairwise];
}

/** Every spec of the run, outcome by outcome. */
export function olsSpecs(config: AnalysisConfig): OlsSpec[] {
  return config.outcomes.flatMap((outcome) => outcomeSpecs(config, outcome));
}

/**
 * The comparison table's "OLS + focal interactions": one model with every focal group's terms
 * at once (the union of the focal models' right-hand sides), so each outcome has one such row
 * however many triples there are; with a single triple it is that focal model. Null without
 * focal groups.
 */
export function allFocalTerms(config: AnalysisConfig): string[] | null {
  if (!config.focal.length) return null;
  const inFocal = new Set(config.focal.flat());
  return ['Intercept', ...config.focal.map((g) => g.join('*')), ...config.predictors.filter((p) => !inFocal.has(p)), ...config.controls];
}

/** A spec's label in messages and progress: `views, focal color_entropy×avg_objects×text_area_ratio`. */
export function specLabel(spec: Pick<OlsSpec, 'outcome' | 'spec' | 'focal'>): string {
  return `${spec.outcome}, ${spec.spec}${spec.focal ? ` ${spec.focal.join('×')}` : ''}`;
}
