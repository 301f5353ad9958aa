import { FramelabError } from '../../../shared/errors';
import {
  DEFAULT_MIN_FEATURES,
  EXCLUSION_REASONS,
  type EligibilityOptions,
  type EligibilityReport,
  type ExclusionReason,
} from '../../../shared/preferenceWorkflow';
import { cached, type Db } from '../db/open';
import { analysisVersions, currentAnalyses, newestAnalysisVersion } from './analyses';
import type { PreferenceRecord } from './evaluate';

/**
 * Which ratings a preference model learns from (issue 19 item 3, the spec's §2 query): the
 * current rating of each video by an owner (rater_type 'owner'), joined with the video's
 * current analysis of one analysis_version (default: the newest across all imported), whose
 * own `feature_count` is at least `minFeatures` (the spec: 100). Everything else is reported
 * by reason, with the video ids, so the owner can see why a rated video is not learned from.
 *
 * Two owners rating the same video would make two rows of one analysis (and a fold could hold
 * one and test on the other): the newest owner rating of a video is used, the older listed.
 * Records come in rated_at order, as the spec's query orders them (the CV folds follow it).
 */
export interface EligibleRecord extends PreferenceRecord {
  ratedAt: string;
  rater: string;
}

export interface Eligibility {
  records: EligibleRecord[];
  report: EligibilityReport;
}

interface CurrentRatingRow {
  video_id: string;
  rater: string;
  rater_type: 'owner' | 'other';
  overall: number;
  hook: number | null;
  pacing: number | null;
  payoff: number | null;
  rated_at: string;
  entry_hash: string;
}

const DETAILS: Record<ExclusionReason, (o: { version: string | null; minFeatures: number }) => string> = {
  'not an owner rating': () => "rated by a rater of type 'other'; only owner ratings train the owner's model",
  'older owner rating': () => 'another owner rated the same video later; the newest owner rating of a video is used',
  'no analysis': () => 'no analysis of this video has been imported',
  'other analysis version': ({ version }) => `the video has analyses, but none of version ${version ?? '(none)'}`,
  'no feature_count': ({ version }) =>
    `its ${version ?? ''} analysis has no feature_count field (the spec requires feature_count to be present)`,
  'too few features': ({ minFeatures }) => `its analysis's feature_count is below ${minFeatures}`,
};

export function eligibleRatings(db: Db, options: EligibilityOptions = {}): Eligibility {
  const minFeatures = options.minFeatures ?? DEFAULT_MIN_FEATURES;
  const requested = options.analysisVersion ?? null;
  if (requested !== null && !analysisVersions(db).includes(requested)) {
    const known = analysisVersions(db);
    throw new FramelabError(
      'NOT_FOUND',
      `No analyses of version "${requested}". ${known.length ? `Imported versions: ${known.join(', ')}.` : 'No analyses imported yet: `framelab preference analyses import PATH`.'}`,
    );
  }
  const version = requested ?? newestAnalysisVersion(db);
  const ratings = cached(
    db,
    'SELECT video_id, rater, rater_type, overall, hook, pacing, payoff, rated_at, entry_hash FROM preference_current_ratings',
  ).all() as CurrentRatingRow[];
  const excluded = new Map<ExclusionReason, string[]>(EXCLUSION_REASONS.map((r) => [r, []]));
  const exclude = (reason: ExclusionReason, videoId: string) => excluded.get(reason)!.push(videoId);

  // The newest owner rating of each video (ties as the current-rating rule: the higher entry hash).
  const newestOwner = new Map<string, CurrentRatingRow>();
  for (const r of ratings) {
    if (r.rater_type !== 'owner') {
      exclude('not an owner rating', r.video_id);
      continue;
    }
    const held = newestOwner.get(r.video_id);
    const newer = !held || r.rated_at > held.rated_at || (r.rated_at === held.rated_at && r.entry_hash > held.entry_hash);
    if (held) exclude('older owner rating', newer ? held.video_id : r.video_id);
    if (newer) newestOwner.set(r.video_id, r);
  }

  const analyses = new Map(currentAnalyses(db, version).map((a) => [a.videoId, a]));
  const analysed = new Set(
    (cached(db, 'SELECT DISTINCT video_id FROM preference_analyses').all() as { video_id: string }[]).map((r) => r.video_id),
  );
  const records: EligibleRecord[] = [];
  for (const r of newestOwner.values()) {
    const a = analyses.get(r.video_id);
    if (!a) exclude(analysed.has(r.video_id) ? 'other analysis version' : 'no analysis', r.video_id);
    else if (a.featureCount === null) exclude('no feature_count', r.video_id);
    else if (a.featureCount < minFeatures) exclude('too few features', r.video_id);
    else
      records.push({
        videoId: r.video_id,
        analysis: a.analysis,
        overall: r.overall,
        hook: r.hook,
        pacing: r.pacing,
        payoff: r.payoff,
        ratedAt: r.rated_at,
        rater: r.rater,
      });
  }
  records.sort((a, b) =>
    a.ratedAt < b.ratedAt ? -1 : a.ratedAt > b.ratedAt ? 1 : a.videoId < b.videoId ? -1 : a.videoId > b.videoId ? 1 : 0,
  );

  return {
    records,
    report: {
      analysisVersion: version,
      minFeatures,
      ratings: ratings.length,
      ownerRatings: ratings.length - excluded.get('not an owner rating')!.length,
      eligible: records.length,
      excluded: EXCLUSION_REASONS.flatMap((reason) => {
        const ids = excluded.get(reason)!;
        return ids.length
          ? [{ reason, count: ids.length, videoIds: [...ids].sort(), detail: DETAILS[reason]({ version, minFeatures }) }]
          : [];
      }),
    },
  };
}

/** One line per reason, for messages ("12 no analysis, 3 too few features"). */
export function describeExclusions(report: EligibilityReport): string {
  return report.excluded.map((e) => `${e.count} ${e.reason}`).join(', ') || 'none excluded';
}

/** Refuses fewer eligible ratings than `needed`, saying how many there are and why others are out. */
export function requireRatings(report: EligibilityReport, needed: number, what: string): void {
  if (report.eligible >= needed) return;
  throw new FramelabError(
    'INVALID_INPUT',
    `${what} needs at least ${needed} eligible owner ratings; there are ${report.eligible} (analysis version ${report.analysisVersion ?? 'none'}, feature_count ≥ ${report.minFeatures}; excluded: ${describeExclusions(report)}).`,
    { needed, eligible: report.eligible },
  );
}
