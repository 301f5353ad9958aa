import type { KeyHint } from '../../components/KeyList';
import { FIELD_KEYS, SCORE_FIELDS, type ScoreField } from '../../store/rateScores';

/** The Rate panel's keys, as the legend beside it and the ? sheet show them. */
export const RATE_KEYS: KeyHint[] = [
  { keys: ['O', 'H', 'P', 'Y'], label: 'overall / hook / pacing / payoff' },
  { keys: ['↑', '↓'], label: 'previous / next score' },
  { keys: ['0', '…', '9'], label: 'the score (1 0 is 10)' },
  { keys: ['.'], label: 'add or take off the half' },
  { keys: ['←', '→'], label: 'half a point down / up' },
  { keys: ['⌫'], label: 'clear the score' },
  { keys: ['N'], label: 'note' },
  { keys: ['Enter'], label: 'save and next video' },
  { keys: ['Esc'], label: 'undo unsaved changes' },
];

export const PLAYER_KEYS: KeyHint[] = [
  { keys: ['Space', 'K'], label: 'play / pause' },
  { keys: ['J', 'L'], label: 'back / ahead 2 s' },
  { keys: ['[', ']'], label: 'previous / next frame' },
  { keys: ['PgUp', 'PgDn'], label: 'previous / next video, unsaved' },
  { keys: ['?'], label: 'every key' },
];

const BY_LETTER = new Map(SCORE_FIELDS.map((f) => [FIELD_KEYS[f], f]));

export function fieldForKey(key: string): ScoreField | undefined {
  return BY_LETTER.get(key);
}
