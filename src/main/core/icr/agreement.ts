import { undefinedBecause, value, type Stat } from './stat';
import type { Aggregate } from './tally';

/**
 * Percent agreement (Gwet): over units with at least two codes, the mean share of coder
 * pairs that agree. Units with a single code hold no pair and count nowhere.
 */
export function percentAgreement(agg: Aggregate): Stat {
  if (agg.compared === 0) return undefinedBecause('percent agreement is undefined: no unit has two codes');
  return value(agg.agreementSum / agg.compared);
}
