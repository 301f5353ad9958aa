/** A line of a key legend (KeyList's KeyHint; this file is also compiled without JSX, for its tests). */
interface KeyHint {
  keys: string[];
  label: string;
}

/**
 * The coding view's own keys, declared once: useCodingKeys dispatches from this list and the
 * legend and the ? sheet print it, so what is shown is what the keys do. The category keys
 * come from the codebook; these are the keys it can never use (RESERVED_KEYS in
 * shared/coding.ts: z u n j k and space, each of them used here).
 */
export type CodingCommand = 'undo' | 'next' | 'previous' | 'unsure' | 'note' | 'clear' | 'zoomIn' | 'zoomOut' | 'actualSize';

export interface CodingBinding {
  command: CodingCommand;
  /** KeyboardEvent.key as usePlainKeys passes it (letters lower-cased). */
  keys: string[];
  /** The keys as printed on the keyboard. */
  shown: string[];
  label: string;
}

export const CODING_BINDINGS: CodingBinding[] = [
  { command: 'undo', keys: ['z', 'Backspace'], shown: ['Z', '⌫'], label: 'undo the last save' },
  { command: 'next', keys: ['ArrowRight', 'ArrowDown', 'j'], shown: ['→', 'J'], label: 'next frame' },
  { command: 'previous', keys: ['ArrowLeft', 'ArrowUp', 'k'], shown: ['←', 'K'], label: 'previous frame' },
  { command: 'unsure', keys: ['u'], shown: ['U'], label: 'mark unsure / not unsure' },
  { command: 'note', keys: ['n'], shown: ['N'], label: 'note (does not mark unsure)' },
  { command: 'clear', keys: ['Escape'], shown: ['Esc'], label: 'clear the unsaved keys' },
  { command: 'zoomIn', keys: ['+', '='], shown: ['+'], label: 'zoom in (or the wheel)' },
  { command: 'zoomOut', keys: ['-', '_'], shown: ['−'], label: 'zoom out' },
  { command: 'actualSize', keys: [' '], shown: ['Space'], label: '1:1 pixels / fit (or double-click)' },
];

const BY_KEY = new Map(CODING_BINDINGS.flatMap((b) => b.keys.map((k) => [k, b.command] as const)));

export function codingCommandFor(key: string): CodingCommand | undefined {
  return BY_KEY.get(key);
}

/** Pairs the legend shows on one line, so it fits beside the frame. */
const PAIRS: { first: CodingCommand; second: CodingCommand; label: string }[] = [
  { first: 'previous', second: 'next', label: 'previous / next frame' },
  { first: 'zoomIn', second: 'zoomOut', label: 'zoom in / out (or the wheel; drag to move)' },
];

export function codingHints(): KeyHint[] {
  const hints: KeyHint[] = [];
  for (const b of CODING_BINDINGS) {
    if (PAIRS.some((p) => p.second === b.command)) continue;
    const pair = PAIRS.find((p) => p.first === b.command);
    const second = pair && CODING_BINDINGS.find((o) => o.command === pair.second);
    hints.push(pair && second ? { keys: [...b.shown, ...second.shown], label: pair.label } : { keys: b.shown, label: b.label });
  }
  return hints;
}
