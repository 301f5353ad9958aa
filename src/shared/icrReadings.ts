import type { Coverage } from './gold';
import type { IcrReport } from './icr';

/**
 * The accepted readings of the figures, as the lab reports them. A figure is read as it is
 * shown (three decimals), so the band always matches the number beside it: an α of 0.7996 is
 * shown 0.800 and read reliable, never "0.800 … tentative (α < .800)".
 */
const shown = (x: number): number => Math.round(x * 1000) / 1000;

export function alphaReading(raw: number | null): string {
  if (raw === null) return 'undefined';
  const alpha = shown(raw);
  if (alpha >= 0.8) return 'reliable (α ≥ .800)';
  if (alpha >= 0.667) return 'tentative (.667 ≤ α < .800)';
  return 'unreliable (α < .667)';
}

/** Landis & Koch (1977), with bounds written as the code applies them (no gap between .20 and .21). */
export function kappaReading(raw: number | null): string {
  if (raw === null) return 'undefined';
  const kappa = shown(raw);
  if (kappa < 0) return 'poor (κ < 0)';
  if (kappa <= 0.2) return 'slight (0 ≤ κ ≤ .20)';
  if (kappa <= 0.4) return 'fair (.20 < κ ≤ .40)';
  if (kappa <= 0.6) return 'moderate (.40 < κ ≤ .60)';
  if (kappa <= 0.8) return 'substantial (.60 < κ ≤ .80)';
  return 'almost perfect (κ > .80)';
}

/** Fewer frames than this, or an α interval wider than SMALL_SAMPLE_WIDTH, and the figures are provisional. */
export const SMALL_SAMPLE_UNITS = 30;
export const SMALL_SAMPLE_WIDTH = 0.4;

/** Why the figures rest on too little to be read firmly, or null. */
export function smallSampleWarning(unitsCompared: number, interval: readonly [number, number] | null | undefined): string | null {
  const width = interval ? interval[1] - interval[0] : null;
  const few = unitsCompared < SMALL_SAMPLE_UNITS;
  const wide = width !== null && width > SMALL_SAMPLE_WIDTH;
  if (!few && !wide) return null;
  const why = [
    few ? `only ${unitsCompared} ${unitsCompared === 1 ? 'frame was' : 'frames were'} compared (fewer than ${SMALL_SAMPLE_UNITS})` : null,
    wide ? `α's 95% interval is ${width!.toFixed(2)} wide` : null,
  ]
    .filter(Boolean)
    .join(' and ');
  return `Read these figures as provisional: ${why}. Code more overlap frames before reporting them.`;
}

export const fmt = (value: number | null | undefined, digits = 3): string =>
  value === null || value === undefined ? '—' : value.toFixed(digits);

/**
 * The one sentence that says what the figures rest on: the overlap set, who is missing what,
 * and how many frames the figures were computed from. The screen and the HTML report both
 * print it, so the denominators are stated once and the same way.
 */
export function denominatorSentence(report: Pick<IcrReport, 'unitsCompared' | 'coders'>, coverage: Coverage | null): string {
  const missing = coverage
    ? Object.entries(coverage.missingByCoder)
        .filter(([, n]) => n > 0)
        .map(
          ([coder, n]) =>
            `; ${n} missing a ${coverage.dimension} code from ${coder}${coverage.inRecodeQueue[coder] ? ` (${coverage.inRecodeQueue[coder]} in the re-code queue)` : ''}`,
        )
        .join('')
    : '';
  const rest = `the figures rest on the ${report.unitsCompared} ${report.unitsCompared === 1 ? 'frame' : 'frames'} with at least two codes, from ${report.coders} ${report.coders === 1 ? 'coder' : 'coders'}`;
  return coverage
    ? `${coverage.codedByAll} of ${coverage.overlapFrames} overlap frames coded by every coder${missing}; ${rest}.`
    : `${rest[0]!.toUpperCase()}${rest.slice(1)}.`;
}

/** Percent agreement in words about frames: with two coders it is the share of frames coded alike. */
export function agreementReading(share: number | null, coders: number): string {
  if (share === null) return 'undefined';
  const pct = `${fmt(share * 100, 1)}%`;
  return coders === 2 ? `${pct} of the compared frames coded alike` : `on average ${pct} of each frame's codes agree, pair by pair`;
}
