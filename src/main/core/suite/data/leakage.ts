import { FramelabError } from '../../../../shared/errors';
import { HARD_LEAKAGE, isHardLeakage, LEAKAGE_PATTERNS, leakagePatternOf } from '../../../../shared/leakageRules';
import type { Column, Table } from './table';
import { describeHeader } from '../../workspace/describeContent';

/**
 * The leakage guard. A performance model must only see what is known when a video is
 * published; anything measured after (the label itself, counters, rates derived from them)
 * would make the model look good and be useless. docs/reference.md §5, horizon suite; seed 002 §4.2.
 * The rules (the hard set and the name patterns) live in shared/leakageRules.ts, where the
 * config schema validates `leakageAllow` against them.
 */
export { HARD_LEAKAGE, LEAKAGE_PATTERNS } from '../../../../shared/leakageRules';

/** Id-like columns: they identify a row or a channel and would let a model memorise it. */
export const ID_COLUMNS = [
  'video_id',
  'channel_id',
  'channel_title',
  'title',
  'description',
  'captured_at',
  'published_at',
  'url',
] as const;

/** A text column with more distinct values than this is treated as an id, never one-hot. */
export const MAX_CATEGORIES = 50;

export interface FeatureChoice {
  numeric: string[];
  categorical: string[];
  /** Columns left out by default, with the reason (saved in the data summary) and, for a leakage name pattern, the pattern. */
  excluded: { column: string; reason: string; pattern?: string }[];
}

/** What the guard checks a column against: the target, the config's extra leakage columns and its allow-list. */
export interface LeakageRules {
  target: string;
  extra?: readonly string[];
  /** Columns a name pattern caught that the config lets back in (`leakageAllow`). */
  allow?: readonly string[];
}

/** Why a column leaks, or null when it may be a feature: `pattern` is set when a name pattern caught it. */
export interface Leak {
  how: string;
  pattern: string | null;
}

/** The guard for one config: a function from a column name to its leak (or null). */
export function leakageGuard(rules: LeakageRules): (column: string) => Leak | null {
  const named = new Set([rules.target, ...(rules.extra ?? [])].map((c) => c.toLowerCase()));
  const allow = new Set((rules.allow ?? []).map((c) => c.toLowerCase()));
  return (column) => {
    const key = column.toLowerCase();
    if (isHardLeakage(column)) return { how: "the spec's hard leakage set", pattern: null };
    if (named.has(key)) return { how: key === rules.target.toLowerCase() ? 'the target' : 'the config\'s "leakage" list', pattern: null };
    const caught = leakagePatternOf(column);
    if (caught && !allow.has(key)) return { how: `caught by the pattern ${caught.pattern}: ${caught.family}`, pattern: caught.pattern };
    return null;
  };
}

function leakError(column: string, leak: Leak, where: string): FramelabError {
  const fix = leak.pattern
    ? `Remove it from the features, or, if it is known when a video is published, add it to "leakageAllow" in the suite config (the run records it).`
    : 'Remove it from the features.';
  return new FramelabError(
    'INVALID_INPUT',
    `"${column}" is in the leakage set (${leak.how}; ${where}): it is known only after the video's outcome, so it can never be a feature. ${fix}`,
    { column, pattern: leak.pattern },
  );
}

/** Why a column of a table left out of the features is out (data_summary.json's features.excluded). */
export type Exclusion = FeatureChoice['excluded'][number];

/** The reason given when the config's own feature lists leave a column out that the defaults would have used. */
export const NOT_LISTED = 'not in the configured feature lists';

/**
 * Chooses the features: the user's lists when given (each checked against the leakage set,
 * failing on the first leak), else every column that is not leakage, not an id, not the
 * guest, id or target column, and (for text) has at most MAX_CATEGORIES distinct values.
 * Either way every other column of the table is listed in `excluded` with its reason (and,
 * when a leakage name pattern caught it, the pattern), so the data summary accounts for all.
 */
export function chooseFeatures(
  table: Table,
  opts: {
    target: string;
    guestColumn?: string;
    /** The video id column (the config's idColumn; video_id is an id whatever it is). */
    idColumn?: string;
    extraLeakage?: readonly string[];
    allowLeakage?: readonly string[];
    numeric?: readonly string[];
    categorical?: readonly string[];
  },
): FeatureChoice {
  const leakOf = leakageGuard({ target: opts.target, extra: opts.extraLeakage, allow: opts.allowLeakage });
  for (const c of opts.allowLeakage ?? []) {
    if (!table.columns.has(c)) {
      throw new FramelabError(
        'INVALID_INPUT',
        `leakageAllow names "${c}", which is not a column of ${table.source}; ${describeHeader([...table.columns.keys()])}. Fix the name or remove it from leakageAllow.`,
      );
    }
  }
  const idLike = new Set<string>([...ID_COLUMNS, opts.guestColumn ?? '', opts.idColumn ?? ''].map((c) => c.toLowerCase()));
  /** The default rule's verdict on a column: why it is out, or null for a feature. */
  const exclusionOf = (name: string, col: Column): Exclusion | null => {
    const key = name.toLowerCase();
    if (key === opts.target.toLowerCase()) return { column: name, reason: 'target' };
    const leak = leakOf(name);
    if (leak) return { column: name, reason: 'leakage', ...(leak.pattern ? { pattern: leak.pattern } : {}) };
    if (idLike.has(key) || key.endsWith('_id')) return { column: name, reason: 'id' };
    if (col.kind === 'text') {
      const distinct = new Set(col.values.filter((v) => v !== null)).size;
      if (distinct > MAX_CATEGORIES) return { column: name, reason: `high cardinality (${distinct} values)` };
    }
    return null;
  };
  const given = opts.numeric !== undefined || opts.categorical !== undefined;
  if (given) {
    const numeric = [...(opts.numeric ?? [])];
    const categorical = [...(opts.categorical ?? [])];
    for (const c of [...numeric, ...categorical]) {
      const leak = leakOf(c);
      if (leak) throw leakError(c, leak, 'named as a feature');
      if (!table.columns.has(c))
        throw new FramelabError(
          'INVALID_INPUT',
          `feature "${c}" is not a column of ${table.source}; ${describeHeader([...table.columns.keys()])}.`,
        );
    }
    for (const c of numeric) {
      if (table.columns.get(c)!.kind !== 'numeric')
        throw new FramelabError('INVALID_INPUT', `numeric feature "${c}" of ${table.source} holds text; list it under categorical.`);
    }
    const used = new Set([...numeric, ...categorical]);
    const excluded = [...table.columns]
      .filter(([name]) => !used.has(name))
      .map(([name, col]) => exclusionOf(name, col) ?? { column: name, reason: NOT_LISTED });
    return { numeric, categorical, excluded };
  }
  const choice: FeatureChoice = { numeric: [], categorical: [], excluded: [] };
  for (const [name, col] of table.columns) {
    const out = exclusionOf(name, col);
    if (out) choice.excluded.push(out);
    else if (col.kind === 'numeric') choice.numeric.push(name);
    else choice.categorical.push(name);
  }
  return choice;
}

/**
 * The last gate before fitting: whatever selected the features (defaults, user lists, a
 * later selection step), none of them may be in the leakage set.
 */
export function assertNoLeakage(features: readonly string[], rules: LeakageRules): void {
  const leakOf = leakageGuard(rules);
  for (const f of features) {
    const leak = leakOf(f);
    if (leak) throw leakError(f, leak, 'it survived feature selection');
  }
}

/**
 * What config_used.json records of the guard: the hard set and the patterns in force, and each
 * allow-listed column with the pattern it overrode, so a run that let one back in says so.
 */
export function leakageGuardRecord(config: { leakageAllow?: readonly string[] }) {
  return {
    hard: [...HARD_LEAKAGE],
    patterns: LEAKAGE_PATTERNS.map((p) => p.pattern),
    allowed: (config.leakageAllow ?? []).map((column) => ({ column, pattern: leakagePatternOf(column)?.pattern ?? null })),
  };
}
