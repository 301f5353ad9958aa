import type { ComparisonMetric } from '../../../shared/finetune';
import type { Interval } from './bootstrap';

/**
 * Whether to keep v8, and why, in one sentence a researcher can paste into a lab notebook.
 * The rule is the lab's (REFERENCE §2): save only if the chosen metric improves on v7. The
 * interval and p are stated beside it because with ~40 frames a few folds are within noise.
 */
export interface Decision {
  save: boolean;
  metric: ComparisonMetric;
  reason: string;
}

/**
 * Deltas this close to 0 count as 0: macro-F1 sums the same fractions in another order for
 * each model, so "equal" may come out as ±1e-17, and that must not save a model.
 */
export const TIE_TOLERANCE = 1e-12;

const METRIC_NAMES: Record<ComparisonMetric, string> = { macro_f1: 'macro-F1', accuracy: 'accuracy' };

const MINUS = '\u2212';

/** Two decimals, more (up to four) when two would round a nonzero delta to 0.00. */
function decimalsFor(delta: number): number {
  if (delta === 0) return 2;
  for (let d = 2; d < 4; d++) if (Math.abs(delta) >= 0.5 * 10 ** -d) return d;
  return 4;
}

function plain(x: number, decimals: number): string {
  const s = Math.abs(x).toFixed(decimals);
  return x < 0 && Number(s) !== 0 ? `${MINUS}${s}` : s;
}

function signed(x: number, decimals: number): string {
  const s = plain(x, decimals);
  return s.startsWith(MINUS) || Number(s) === 0 ? s : `+${s}`;
}

function pValue(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  if (p < 0.01) return `p = ${p.toFixed(3)}`;
  return `p = ${p.toFixed(2)}`;
}

export function decide(input: {
  metric: ComparisonMetric;
  v7: number;
  v8: number;
  interval: Interval;
  confidence: number;
  p: number;
}): Decision {
  const { metric, v7, v8, interval, confidence, p } = input;
  const delta = v8 - v7;
  const improved = delta > TIE_TOLERANCE;
  const d = decimalsFor(Math.abs(delta) > TIE_TOLERANCE ? delta : 0);
  const figures =
    `${METRIC_NAMES[metric]} ${plain(v8, d)} vs ${plain(v7, d)} ` +
    `(${signed(delta, d)}, ${Math.round(confidence * 100)}% CI ${signed(interval[0], d)} to ${signed(interval[1], d)}, McNemar ${pValue(p)})`;
  let verdict: string;
  if (improved) verdict = interval[0] > 0 ? 'better, and the interval lies above no change' : 'better, though the interval includes no change';
  else verdict = delta < -TIE_TOLERANCE ? 'worse than v7' : 'no better than v7';
  return { save: improved, metric, reason: `${improved ? 'v8 kept' : 'v8 not saved'}: ${figures}: ${verdict}` };
}
