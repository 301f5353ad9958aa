/**
 * The leakage rules (seed 002 §4.2, docs/reference.md §5 horizon suite): what a performance model may
 * never see because it is known only after a video's outcome. Shared so that the config
 * schema can validate the allow-list against the same rules the guard applies.
 */

/**
 * Exact names, never features and never allow-listed: the spec's whole list (horizon labels
 * `horizon_view_count`, `horizon_days`, `horizon_label_type`; counters `view_count`,
 * `like_count`, `comment_count`; rates `views_per_day`; `age_days`; `virality_score`) plus the
 * same families' usual spellings and the target's own names.
 */
export const HARD_LEAKAGE = [
  'horizon_view_count',
  'horizon_like_count',
  'horizon_comment_count',
  'horizon_share_count',
  'horizon_days',
  'horizon_label_type',
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
  'target_log',
  'target_raw',
] as const;

/**
 * Name patterns for the same families, so a renamed or new column of a leaking kind (e.g.
 * `horizon_label_type`, `repost_count`, `views_per_hour`, `age_hours`) is caught without anyone
 * listing it. They are deliberately broad (a `frame_rate` or a `hashtag_count` known at
 * publish time is caught too): a wrongly excluded column costs a little accuracy and is
 * visible in the preview with its pattern, a leaked one makes every metric a lie. A column
 * known at publish time is let back in only by the config's `leakageAllow`, which the run records.
 */
export const LEAKAGE_PATTERNS: readonly { pattern: string; family: string; test: RegExp }[] = [
  { pattern: 'horizon_*', family: 'a horizon label', test: /^horizon_/i },
  { pattern: 'age_*', family: "the video's age at capture", test: /^age_/i },
  { pattern: '*_count', family: 'a counter measured after publication', test: /_count$/i },
  { pattern: '*_per_day', family: 'a rate derived from a counter', test: /_per_day$/i },
  { pattern: '*_per_hour', family: 'a rate derived from a counter', test: /_per_hour$/i },
  { pattern: '*_per_view', family: 'a rate derived from a counter', test: /_per_view$/i },
  { pattern: '*_rate', family: 'a rate derived from a counter', test: /_rate$/i },
];

const HARD = new Set<string>(HARD_LEAKAGE);

export function isHardLeakage(column: string): boolean {
  return HARD.has(column.toLowerCase());
}

/** The first pattern that catches the column's name, or null. */
export function leakagePatternOf(column: string): (typeof LEAKAGE_PATTERNS)[number] | null {
  return LEAKAGE_PATTERNS.find((p) => p.test.test(column)) ?? null;
}

/**
 * Problems with a config's `leakageAllow` (empty when it is valid): each entry must be a column
 * a pattern catches, and never a hard-set name, the target or a column the config itself
 * declares leakage.
 */
export function leakageAllowProblems(allow: readonly string[], target: string, extraLeakage: readonly string[]): string[] {
  const extra = new Set(extraLeakage.map((c) => c.toLowerCase()));
  const problems: string[] = [];
  for (const column of allow) {
    const key = column.toLowerCase();
    if (isHardLeakage(column))
      problems.push(`"${column}" is in the spec's hard leakage set and can never be a feature; remove it from leakageAllow.`);
    else if (key === target.toLowerCase()) problems.push(`"${column}" is the target; remove it from leakageAllow.`);
    else if (extra.has(key)) problems.push(`"${column}" is both in leakage and in leakageAllow; remove it from one of them.`);
    else if (!leakagePatternOf(column)) {
      problems.push(
        `"${column}" is caught by no leakage pattern (${LEAKAGE_PATTERNS.map((p) => p.pattern).join(', ')}), so there is nothing to allow; remove it from leakageAllow.`,
      );
    }
  }
  return problems;
}
