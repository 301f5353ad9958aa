import { FramelabError } from '../../../shared/errors';
import type { Table } from './table';
import { describeHeader } from '../workspace/describeContent';

/**
 * The leakage guard. A performance model must only see what is known when a video is
 * published; anything measured after (the label itself, counters, rates derived from them)
 * would make the model look good and be useless. REFERENCE §5, horizon suite.
 */
export const HARD_LEAKAGE = [
  'horizon_view_count',
  'horizon_like_count',
  'horizon_comment_count',
  'horizon_share_count',
  'horizon_days',
  'view_count',
  'like_count',
  'comment_count',
  'share_count',
  'favorite_count',
  'bookmark_count',
  'views_per_day',
  'likes_per_day',
  'comments_per_day',
  'engagement_rate',
  'like_rate',
  'comment_rate',
  'age_days',
  'virality_score',
  'y',
  'y_log',
] as const;

/** Id-like columns: they identify a row or a channel and would let a model memorise it. */
export const ID_COLUMNS = ['video_id', 'channel_id', 'channel_title', 'title', 'description', 'captured_at', 'published_at', 'url'] as const;

/** A text column with more distinct values than this is treated as an id, never one-hot. */
export const MAX_CATEGORIES = 50;

export interface FeatureChoice {
  numeric: string[];
  categorical: string[];
  /** Columns left out by default, with the reason (saved in the data summary). */
  excluded: { column: string; reason: string }[];
}

export function leakageSet(target: string, extra: readonly string[] = []): Set<string> {
  return new Set([...HARD_LEAKAGE, target, ...extra].map((c) => c.toLowerCase()));
}

function leakError(column: string, how: string): FramelabError {
  return new FramelabError(
    'INVALID_INPUT',
    `"${column}" is in the leakage set (${how}): it is known only after the video's outcome, so it can never be a feature. Remove it from features.`,
    { column },
  );
}

/**
 * Chooses the features: the user's lists when given (each checked against the leakage set,
 * failing on the first leak), else every column that is not leakage, not an id, not the
 * guest or target column, and (for text) has at most MAX_CATEGORIES distinct values.
 */
export function chooseFeatures(
  table: Table,
  opts: { target: string; guestColumn?: string; extraLeakage?: readonly string[]; numeric?: readonly string[]; categorical?: readonly string[] },
): FeatureChoice {
  const leak = leakageSet(opts.target, opts.extraLeakage);
  const given = opts.numeric !== undefined || opts.categorical !== undefined;
  if (given) {
    const numeric = [...(opts.numeric ?? [])];
    const categorical = [...(opts.categorical ?? [])];
    for (const c of [...numeric, ...categorical]) {
      if (leak.has(c.toLowerCase())) throw leakError(c, 'named as a feature');
      if (!table.columns.has(c)) throw new FramelabError('INVALID_INPUT', `feature "${c}" is not a column of ${table.source}; ${describeHeader([...table.columns.keys()])}.`);
    }
    for (const c of numeric) {
      if (table.columns.get(c)!.kind !== 'numeric') throw new FramelabError('INVALID_INPUT', `numeric feature "${c}" of ${table.source} holds text; list it under categorical.`);
    }
    return { numeric, categorical, excluded: [] };
  }
  const idLike = new Set<string>([...ID_COLUMNS, opts.guestColumn ?? ''].map((c) => c.toLowerCase()));
  const choice: FeatureChoice = { numeric: [], categorical: [], excluded: [] };
  for (const [name, col] of table.columns) {
    const key = name.toLowerCase();
    if (leak.has(key)) choice.excluded.push({ column: name, reason: 'leakage' });
    else if (idLike.has(key) || key.endsWith('_id')) choice.excluded.push({ column: name, reason: 'id' });
    else if (col.kind === 'numeric') choice.numeric.push(name);
    else {
      const distinct = new Set(col.values.filter((v) => v !== null)).size;
      if (distinct > MAX_CATEGORIES) choice.excluded.push({ column: name, reason: `high cardinality (${distinct} values)` });
      else choice.categorical.push(name);
    }
  }
  return choice;
}

/**
 * The last gate before fitting: whatever selected the features (defaults, user lists, a
 * later selection step), none of them may be in the leakage set.
 */
export function assertNoLeakage(features: readonly string[], target: string, extra: readonly string[] = []): void {
  const leak = leakageSet(target, extra);
  const found = features.find((f) => leak.has(f.toLowerCase()));
  if (found !== undefined) throw leakError(found, 'it survived feature selection');
}
