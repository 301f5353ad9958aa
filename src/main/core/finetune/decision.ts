import type { ComparisonMetric } from '../../../shared/finetune';
import type { Interval } from './bootstrap';

/**
 * Whether to keep v8, and why, in one sentence a researcher can paste into a lab notebook.
 * The rule is the lab's (docs/reference.md §2): save only if the chosen metric improves on v7. The
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
  /** Save v8 only when the interval lies above no change (the lab's rule saves any improvement). */
  requireSignificant?: boolean;
  /** The class a model predicted for every held-out frame, if it did (null: it varied). */
  oneClass?: { v7: string | null; v8: string | null };
}): Decision {
  const { metric, v7, v8, interval, confidence, p } = input;
  const delta = v8 - v7;
  const improved = delta > TIE_TOLERANCE;
  const worse = delta < -TIE_TOLERANCE;
  // The interval "spans 0" when 0 is inside it: then the data cannot tell the models apart.
  const detectable = interval[0] > 0 || interval[1] < 0;
  const save = improved && (!input.requireSignificant || interval[0] > 0);
  const d = decimalsFor(Math.abs(delta) > TIE_TOLERANCE ? delta : 0);
  const figures =
    `${METRIC_NAMES[metric]} v8 ${plain(v8, d)} vs v7 ${plain(v7, d)} ` +
    `(${signed(delta, d)}, ${Math.round(confidence * 100)}% CI ${signed(interval[0], d)} to ${signed(interval[1], d)}, McNemar ${pValue(p)})`;
  let verdict: string;
  if (improved)
    verdict = detectable
      ? 'better, and the interval lies above no change'
      : 'higher, but no detectable difference: the interval includes no change';
  else if (worse) verdict = detectable ? 'worse than v7' : 'lower, but no detectable difference: the interval includes no change';
  else verdict = 'no better than v7';
  if (improved && !save) verdict += '; this run saves v8 only when the interval lies above no change';
  const warnings = (['v7', 'v8'] as const).flatMap((m) => {
    const only = input.oneClass?.[m];
    return only ? [` Warning: ${m} predicts “${only}” for every frame, so its figures say little about telling the classes apart.`] : [];
  });
  return { save, metric, reason: `${save ? 'v8 kept' : 'v8 not saved'}: ${figures}: ${verdict}.${warnings.join('')}` };
}
