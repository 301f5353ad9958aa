import { FramelabError } from '../../../shared/errors';
import { ICR_STATISTICS, type IcrDetails, type IcrReport, type IcrStatistic } from '../../../shared/icr';
import { percentAgreement } from './agreement';
import { bootstrap, groupPlan, percentileInterval, unitPlan } from './bootstrap';
import type { ReliabilityData } from './data';
import { fleissKappa, gwetAC1 } from './fleiss';
import { cohenKappa, confusionMatrix, perCategoryAgreement, weightedKappa } from './kappa';
import { krippendorffAlpha } from './krippendorff';
import { undefinedBecause, type Stat } from './stat';
import { buildPatterns, pointAggregate, type Aggregate } from './tally';

/**
 * The whole reliability report of one dimension, from ReliabilityData: headline figures,
 * bootstrap intervals, the confusion matrix, per-category and per-pair details, and a note
 * for every figure that is null (undefined on these data, or not applicable).
 */
export interface IcrReportOptions {
  /** The dimension's name, for the notes. */
  dimension: string;
  /** The dimension's level in the codebook; null when unknown (every ordered statistic is shown). */
  level: 'nominal' | 'ordinal' | null;
  /** Where the category order came from; 'lexicographic' means no order was declared. */
  order: 'declared' | 'codebook' | 'lexicographic';
  /** Bootstrap resamples; 0 for none. Default 1,000. */
  bootstrap?: number;
  /** Default 1. */
  seed?: number;
  /** Resample whole groups (every unit needs one) instead of units. */
  byGroup?: boolean;
  /** What a group is, for messages (default "group"). */
  groupName?: string;
  /** Default 0.95. */
  confidence?: number;
}

export const DEFAULT_RESAMPLES = 1000;
const ORDERED: readonly IcrStatistic[] = [
  'weightedKappa.linear',
  'weightedKappa.quadratic',
  'krippendorffAlpha.ordinal',
  'krippendorffAlpha.interval',
  'krippendorffAlpha.ratio',
];
const TWO_CODERS: readonly IcrStatistic[] = ['cohenKappa', 'weightedKappa.linear', 'weightedKappa.quadratic'];

/** Every statistic of one aggregate. */
export function statisticsOf(agg: Aggregate): Record<IcrStatistic, Stat> {
  const q = agg.q;
  const twoOnly = undefinedBecause('applies to exactly two coders');
  const table = agg.pairTable;
  return {
    percentAgreement: percentAgreement(agg),
    cohenKappa: table ? cohenKappa(table, q) : twoOnly,
    'weightedKappa.linear': table ? weightedKappa(table, q, 'linear') : twoOnly,
    'weightedKappa.quadratic': table ? weightedKappa(table, q, 'quadratic') : twoOnly,
    'krippendorffAlpha.nominal': krippendorffAlpha(agg.coincidence, q, 'nominal'),
    'krippendorffAlpha.ordinal': krippendorffAlpha(agg.coincidence, q, 'ordinal'),
    'krippendorffAlpha.interval': krippendorffAlpha(agg.coincidence, q, 'interval'),
    'krippendorffAlpha.ratio': krippendorffAlpha(agg.coincidence, q, 'ratio'),
    fleissKappa: fleissKappa(agg),
    gwetAC1: gwetAC1(agg),
  };
}

/** Statistics the report does not show for these options, each with why. */
function notApplicable(data: ReliabilityData, options: IcrReportOptions): Map<IcrStatistic, string> {
  const out = new Map<IcrStatistic, string>();
  if (options.order === 'lexicographic') {
    for (const s of ORDERED) {
      out.set(
        s,
        'ordered statistics need a declared order, and the categories are only in lexicographic order (declare them in order with --categories)',
      );
    }
  } else if (options.level === 'nominal') {
    for (const s of ORDERED) out.set(s, `${options.dimension} is nominal: ordered statistics do not apply`);
  } else if (options.level === 'ordinal') {
    for (const s of ['krippendorffAlpha.interval', 'krippendorffAlpha.ratio'] as const) {
      out.set(s, `${options.dimension} is ordinal: interval and ratio alpha assume equal distances between categories`);
    }
  }
  if (data.coders.length !== 2) {
    for (const s of TWO_CODERS) {
      if (!out.has(s))
        out.set(s, `applies to exactly two coders and there are ${data.coders.length} (per-pair figures are in details.pairs)`);
    }
  }
  return out;
}

/** Keys that share a reason, joined ("a, b"), in first-seen order. */
function byReason(reasons: Map<string, string>): [string, string][] {
  const keys = new Map<string, string[]>();
  for (const [key, reason] of reasons) keys.set(reason, [...(keys.get(reason) ?? []), key]);
  return [...keys].map(([reason, k]) => [k.join(', '), reason]);
}

/** Weighted kappa is hidden for the order or the level, not for the number of coders. */
const orderedHidden = (options: IcrReportOptions) => options.order === 'lexicographic' || options.level === 'nominal';

function pairDetails(data: ReliabilityData, options: IcrReportOptions): IcrDetails['pairs'] {
  const pairs: IcrDetails['pairs'] = [];
  for (let i = 0; i < data.coders.length; i++) {
    for (let j = i + 1; j < data.coders.length; j++) {
      const a = data.coders[i]!;
      const b = data.coders[j]!;
      const units = data.units
        .filter((u) => u.codes.has(a) && u.codes.has(b))
        .map((u) => ({
          unitId: u.unitId,
          group: u.group,
          codes: new Map([
            [a, u.codes.get(a)!],
            [b, u.codes.get(b)!],
          ]),
        }));
      const agg = pointAggregate(buildPatterns({ categories: data.categories, coders: [a, b], units }));
      const q = data.categories.length;
      const table = agg.pairTable!;
      const weighted = (weights: 'linear' | 'quadratic') => (orderedHidden(options) ? null : weightedKappa(table, q, weights).value);
      pairs.push({
        coders: [a, b],
        unitsCompared: agg.compared,
        percentAgreement: percentAgreement(agg).value,
        cohenKappa: cohenKappa(table, q).value,
        weightedKappa: {
          linear: weighted('linear'),
          quadratic: weighted('quadratic'),
        },
        matrix: confusionMatrix(table, q),
      });
    }
  }
  return pairs;
}

export function icrReport(data: ReliabilityData, options: IcrReportOptions): IcrReport {
  const resamples = options.bootstrap ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1))
    throw new FramelabError('INVALID_INPUT', `The confidence level must be between 0 and 1, not ${confidence}.`);
  const q = data.categories.length;
  const patterns = buildPatterns(data);
  const agg = pointAggregate(patterns);
  const stats = statisticsOf(agg);
  const hidden = notApplicable(data, options);

  const reasons = new Map<string, string>();
  const shown = {} as Record<IcrStatistic, number | null>;
  for (const s of ICR_STATISTICS) {
    const why = hidden.get(s);
    if (why !== undefined) {
      shown[s] = null;
      reasons.set(s, why);
    } else {
      shown[s] = stats[s].value;
      if (stats[s].reason !== null) reasons.set(s, stats[s].reason!);
    }
  }
  if (data.coders.length !== 2)
    reasons.set('confusion', `applies to exactly two coders and there are ${data.coders.length} (per-pair matrices are in details.pairs)`);
  const notes = byReason(reasons).map(([keys, reason]) => `${keys}: null — ${reason}`);
  if (options.order === 'lexicographic') {
    notes.unshift(
      `No category order was declared: the categories are the distinct values in lexicographic order (${data.categories.join(', ')}).`,
    );
  }
  if (data.coders.length === 2) notes.push(`confusion: rows are ${data.coders[0]}'s codes, columns ${data.coders[1]}'s.`);

  // Bootstrap intervals for the statistics the report shows.
  const ci = Object.fromEntries(ICR_STATISTICS.map((s) => [s, null])) as IcrReport['ci'];
  let bootstrapDetails: IcrDetails['bootstrap'] = null;
  if (resamples > 0) {
    let plan = unitPlan(patterns);
    if (options.byGroup) {
      const groups = groupPlan(patterns, data);
      if (!groups)
        throw new FramelabError(
          'INVALID_INPUT',
          `Every unit needs a ${options.groupName ?? 'group'} to resample by ${options.groupName ?? 'group'}.`,
        );
      plan = groups;
    }
    const samples = bootstrap(patterns, plan, { resamples, seed, statistics: ICR_STATISTICS.length }, (resample, out) => {
      const all = statisticsOf(resample);
      ICR_STATISTICS.forEach((s, i) => {
        out[i] = all[s].value ?? NaN;
      });
    });
    const usable: Record<string, number> = {};
    const partial = new Map<string, string>();
    ICR_STATISTICS.forEach((s, i) => {
      if (shown[s] === null) return;
      const { interval, usable: n } = percentileInterval(samples[i]!, confidence);
      ci[s] = interval;
      usable[s] = n;
      if (n === 0) partial.set(`ci.${s}`, `undefined in every one of the ${resamples} resamples`);
      else if (n < resamples) partial.set(`ci.${s}`, `uses the ${n} of ${resamples} resamples in which the statistic is defined`);
    });
    for (const [keys, reason] of byReason(partial)) notes.push(`${keys}: ${reason}`);
    bootstrapDetails = { resamples, seed, resampling: plan.kind, draws: plan.draws, confidence, usable };
  } else {
    notes.push('ci: no bootstrap was asked for (0 resamples), so every interval is null.');
  }

  return {
    units: agg.coded,
    unitsCompared: agg.compared,
    coders: data.coders.length,
    percentAgreement: shown.percentAgreement,
    cohenKappa: shown.cohenKappa,
    weightedKappa: { linear: shown['weightedKappa.linear'], quadratic: shown['weightedKappa.quadratic'] },
    krippendorffAlpha: {
      nominal: shown['krippendorffAlpha.nominal'],
      ordinal: shown['krippendorffAlpha.ordinal'],
      interval: shown['krippendorffAlpha.interval'],
      ratio: shown['krippendorffAlpha.ratio'],
    },
    fleissKappa: shown.fleissKappa,
    gwetAC1: shown.gwetAC1,
    ci,
    confusion: agg.pairTable ? { categories: [...data.categories], matrix: confusionMatrix(agg.pairTable, q) } : null,
    notes,
    details: {
      coders: [...data.coders],
      categories: [...data.categories],
      order: options.order,
      level: options.level,
      perCategory: perCategoryAgreement(agg.coincidence, q).map((c, i) => ({ category: data.categories[i]!, ...c })),
      pairs: pairDetails(data, options),
      bootstrap: bootstrapDetails,
    },
  };
}
