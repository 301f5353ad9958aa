import crypto from 'node:crypto';
import type { z } from 'zod';
import { FramelabError } from '../../../shared/errors';
import type {
  Rating,
  RatingHistory,
  RatingQueueInput,
  RatingQueuePage,
  RatingSaved,
  RatingSaveInput,
  RatingsListInput,
  RatingsPage,
  RaterType,
} from '../../../shared/preference';
import { cached, type Db } from '../db/open';
import { compareVersions } from './importAnalyses';
import { newestAnalysisVersion } from './analyses';

/**
 * Ratings are append-only like codes: a rating is a row that never changes, and rating a
 * video again adds a row. The current rating of a video × rater is its latest rated_at (ties,
 * which only sync can bring, go to the higher entry_hash, so every machine picks the same;
 * view `preference_current_ratings`). A row's identity is its values (entry_hash): the same
 * rating imported or synced again is not added twice.
 */

/** A rating's values, as stored and as every CSV holds them. */
export interface RatingValues {
  videoId: string;
  rater: string;
  raterType: RaterType;
  overall: number;
  hook: number | null;
  pacing: number | null;
  payoff: number | null;
  notes: string;
  /** toISOString(). */
  ratedAt: string;
}

export type RatingSource = 'app' | 'import' | 'sync';

/** Notes as stored: line ends as \n, no spaces around (a spreadsheet adds and strips both). */
export const cleanNotes = (notes: string) => notes.replace(/\r\n?/g, '\n').trim();

export function entryHash(v: RatingValues): string {
  const values = [v.videoId, v.rater, v.raterType, v.overall, v.hook, v.pacing, v.payoff, v.notes, v.ratedAt];
  return crypto.createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

export interface RatingRow {
  id: number;
  entry_hash: string;
  video_id: string;
  rater: string;
  rater_type: RaterType;
  overall: number;
  hook: number | null;
  pacing: number | null;
  payoff: number | null;
  notes: string;
  rated_at: string;
  source: RatingSource;
  recorded_at: string;
}

export const toRating = (r: RatingRow): Rating => ({
  id: r.id,
  videoId: r.video_id,
  rater: r.rater,
  raterType: r.rater_type,
  overall: r.overall,
  hook: r.hook,
  pacing: r.pacing,
  payoff: r.payoff,
  notes: r.notes,
  ratedAt: r.rated_at,
  source: r.source,
  recordedAt: r.recorded_at,
});

export const valuesOf = (r: RatingRow): RatingValues => ({
  videoId: r.video_id,
  rater: r.rater,
  raterType: r.rater_type,
  overall: r.overall,
  hook: r.hook,
  pacing: r.pacing,
  payoff: r.payoff,
  notes: r.notes,
  ratedAt: r.rated_at,
});

/** Appends a rating unless the very same one is stored; true when added. Call inside a transaction. */
export function insertRating(db: Db, v: RatingValues, source: RatingSource, at: string): boolean {
  return (
    cached(
      db,
      `INSERT INTO preference_ratings (entry_hash, video_id, rater, rater_type, overall, hook, pacing, payoff, notes, rated_at, source, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_hash) DO NOTHING`,
    ).run(entryHash(v), v.videoId, v.rater, v.raterType, v.overall, v.hook, v.pacing, v.payoff, v.notes, v.ratedAt, source, at).changes > 0
  );
}

export function currentRating(db: Db, videoId: string, rater: string): RatingRow | undefined {
  return cached(
    db,
    `SELECT * FROM preference_ratings WHERE video_id = ? AND rater = ? ORDER BY rated_at DESC, entry_hash DESC LIMIT 1`,
  ).get(videoId, rater) as RatingRow | undefined;
}

/**
 * Saves a rating from the Ratings screen (validated at the boundary): a new history entry,
 * rated now (a millisecond after the previous one if the clock says otherwise, so the new one
 * is always current). Acknowledged after commit, with the state it leaves.
 */
export function saveRating(db: Db, input: z.output<typeof RatingSaveInput>): RatingSaved {
  return db
    .transaction(() => {
      const previous = currentRating(db, input.videoId, input.rater);
      let ratedAt = new Date().toISOString();
      if (previous && previous.rated_at >= ratedAt) ratedAt = new Date(Date.parse(previous.rated_at) + 1).toISOString();
      const values: RatingValues = {
        videoId: input.videoId,
        rater: input.rater,
        raterType: input.raterType,
        overall: input.overall,
        hook: input.hook,
        pacing: input.pacing,
        payoff: input.payoff,
        notes: cleanNotes(input.notes),
        ratedAt,
      };
      if (!insertRating(db, values, 'app', new Date().toISOString())) {
        throw new FramelabError('CONFLICT', `This very rating of ${input.videoId} by ${input.rater} is already stored; nothing was added.`);
      }
      const rating = currentRating(db, input.videoId, input.rater)!;
      const { n } = cached(db, 'SELECT count(*) AS n FROM preference_ratings WHERE video_id = ? AND rater = ?').get(
        input.videoId,
        input.rater,
      ) as { n: number };
      return { rating: toRating(rating), previous: previous ? toRating(previous) : null, historyLength: n };
    })
    .immediate();
}

/** A page of current ratings (one per video × rater), by video_id then rater. */
export function listCurrentRatings(db: Db, input: z.output<typeof RatingsListInput>): RatingsPage {
  const filters = [
    ['rater', input.rater],
    ['rater_type', input.raterType],
    ['video_id', input.videoId],
  ].filter((f): f is [string, string] => f[1] !== undefined);
  const where = filters.map(([column]) => `${column} = ?`);
  const params = filters.map(([, value]) => value);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { total } = cached(db, `SELECT count(*) AS total FROM preference_current_ratings ${filter}`).get(...params) as { total: number };
  const rows = cached(db, `SELECT * FROM preference_current_ratings ${filter} ORDER BY video_id, rater LIMIT ? OFFSET ?`).all(
    ...params,
    input.limit,
    input.offset,
  ) as RatingRow[];
  return { ratings: rows.map(toRating), total, offset: input.offset };
}

/** Every rating of a video, newest first, and each rater's current one. */
export function ratingHistory(db: Db, videoId: string): RatingHistory {
  // Equal rated_at (two raters in the same millisecond, or an import): the one this home stored
  // last comes first, as the person who just saved it expects; this order is display only.
  const entries = cached(db, 'SELECT * FROM preference_ratings WHERE video_id = ? ORDER BY rated_at DESC, id DESC').all(
    videoId,
  ) as RatingRow[];
  const current = cached(db, 'SELECT * FROM preference_current_ratings WHERE video_id = ? ORDER BY rater').all(videoId) as RatingRow[];
  return { videoId, entries: entries.map(toRating), current: current.map(toRating) };
}

/**
 * The videos a rater has still to rate (see RatingQueuePage for the order): every video_id
 * with an analysis or in the videos list, without a rating by this rater.
 */
export function ratingQueue(db: Db, input: z.output<typeof RatingQueueInput>): RatingQueuePage {
  const newest = newestAnalysisVersion(db);
  const candidates = `SELECT video_id FROM preference_analyses UNION SELECT video_id FROM videos`;
  const todo = `SELECT c.video_id,
         CASE WHEN EXISTS (SELECT 1 FROM preference_analyses a WHERE a.video_id = c.video_id AND a.analysis_version = ?) THEN 0
              WHEN EXISTS (SELECT 1 FROM preference_analyses a WHERE a.video_id = c.video_id) THEN 1
              ELSE 2 END AS tier
       FROM (${candidates}) c
       WHERE NOT EXISTS (SELECT 1 FROM preference_ratings r WHERE r.rater = ? AND r.video_id = c.video_id)`;
  const { n: all } = cached(db, `SELECT count(*) AS n FROM (${candidates})`).get() as { n: number };
  const { n: total } = cached(db, `SELECT count(*) AS n FROM (${todo})`).get(newest, input.rater) as { n: number };
  const page = cached(db, `${todo} ORDER BY tier, c.video_id LIMIT ? OFFSET ?`).all(newest, input.rater, input.limit, input.offset) as {
    video_id: string;
    tier: number;
  }[];
  const versions = cached(db, 'SELECT DISTINCT analysis_version AS v FROM preference_analyses WHERE video_id = ?');
  const featureCount = cached(db, 'SELECT feature_count FROM preference_current_analyses WHERE video_id = ? AND analysis_version = ?');
  const video = cached(
    db,
    'SELECT path, (SELECT count(*) FROM frames f WHERE f.video_id = v.video_id) AS frames FROM videos v WHERE video_id = ?',
  );
  const others = cached(db, 'SELECT count(DISTINCT rater) AS n FROM preference_ratings WHERE video_id = ? AND rater != ?');
  return {
    videos: page.map(({ video_id: videoId, tier }) => {
      const known = video.get(videoId) as { path: string | null; frames: number } | undefined;
      const fc = tier === 0 ? (featureCount.get(videoId, newest) as { feature_count: number | null } | undefined) : undefined;
      return {
        videoId,
        analysisVersions: (versions.all(videoId) as { v: string }[]).map((r) => r.v).sort((a, b) => compareVersions(b, a)),
        hasNewestVersion: tier === 0,
        featureCount: fc?.feature_count ?? null,
        imported: known !== undefined,
        hasFile: known?.path != null,
        frames: known?.frames ?? 0,
        otherRatings: (others.get(videoId, input.rater) as { n: number }).n,
      };
    }),
    total,
    offset: input.offset,
    newestVersion: newest,
    counts: { candidates: all, rated: all - total, remaining: total },
  };
}
