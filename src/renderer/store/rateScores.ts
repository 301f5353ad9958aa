import { SUB_SCORES } from '../../shared/preference';

/**
 * The Rate panel's scores as keys set them. Every key lands on the scale (0–10 in 0.5 steps), so
 * a value like 10.5 or 3.3 cannot be typed; the core checks again on save.
 */
export const SCORE_FIELDS = ['overall', ...SUB_SCORES] as const;
export type ScoreField = (typeof SCORE_FIELDS)[number];
export type Scores = Record<ScoreField, number | null>;

export const EMPTY_SCORES: Scores = { overall: null, hook: null, pacing: null, payoff: null };

/** The letter that selects each field (P is pacing, so payoff is Y). */
export const FIELD_KEYS: Record<ScoreField, string> = { overall: 'o', hook: 'h', pacing: 'p', payoff: 'y' };
export const FIELD_LABELS: Record<ScoreField, string> = { overall: 'Overall', hook: 'Hook', pacing: 'Pacing', payoff: 'Payoff' };

export const MAX_SCORE = 10;

/**
 * A digit typed into a field: the whole score, except that 0 right after 1 makes 10 (typing
 * "10"). `afterOne` says the previous key was a 1 in this same field.
 */
export function digitScore(digit: number, afterOne: boolean): number {
  return afterOne && digit === 0 ? MAX_SCORE : digit;
}

/** `.`: adds the half to a whole score or takes it off again; 10 has no half above it. */
export function toggleHalf(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value)) return Math.floor(value);
  return value >= MAX_SCORE ? value : value + 0.5;
}

/** ←/→: half a point down or up, kept within 0–10; an empty field starts at 5. */
export function nudge(value: number | null, delta: -0.5 | 0.5): number {
  if (value === null) return 5;
  return Math.min(MAX_SCORE, Math.max(0, value + delta));
}

/** A click at `fraction` (0–1) of a scale bar: the nearest half point. */
export function scoreAt(fraction: number): number {
  return Math.round(Math.min(1, Math.max(0, fraction)) * MAX_SCORE * 2) / 2;
}

export function formatScore(value: number | null): string {
  return value === null ? '–' : Number.isInteger(value) ? String(value) : value.toFixed(1);
}
