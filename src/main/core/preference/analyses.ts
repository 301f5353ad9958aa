import { FramelabError } from '../../../shared/errors';
import type { AnalysesSummary, AnalysisCopy, AnalysisView } from '../../../shared/preference';
import { cached, type Db } from '../db/open';
import { compareVersions, summariseFeatureCounts } from './importAnalyses';

/**
 * Reading the stored analyses. The current analysis of a video × analysis_version is its copy
 * with the latest imported_at (view `preference_current_analyses`); "the newest version" is
 * the highest analysis_version in natural order (v10 after v9).
 */

interface CopyRow {
  id: number;
  video_id: string;
  analysis_version: string;
  content_hash: string;
  feature_count: number | null;
  source: string;
  imported_at: string;
}

const toCopy = (r: CopyRow): AnalysisCopy => ({
  id: r.id,
  version: r.analysis_version,
  contentHash: r.content_hash,
  featureCount: r.feature_count,
  source: r.source,
  importedAt: r.imported_at,
});

export function analysisVersions(db: Db): string[] {
  const rows = cached(db, 'SELECT DISTINCT analysis_version AS v FROM preference_analyses').all() as { v: string }[];
  return rows.map((r) => r.v).sort((a, b) => compareVersions(b, a));
}

/** The highest analysis_version stored (natural order), or null when there is none. */
export function newestAnalysisVersion(db: Db): string | null {
  return analysisVersions(db)[0] ?? null;
}

export function analysesSummary(db: Db): AnalysesSummary {
  const perVersion = cached(
    db,
    `SELECT analysis_version AS version, count(*) AS videos, max(imported_at) AS lastImportedAt
     FROM preference_current_analyses GROUP BY analysis_version`,
  ).all() as { version: string; videos: number; lastImportedAt: string }[];
  const counts = cached(db, 'SELECT feature_count FROM preference_current_analyses WHERE analysis_version = ?');
  const versions = perVersion
    .sort((a, b) => compareVersions(b.version, a.version))
    .map((v) => ({
      ...v,
      featureCounts: summariseFeatureCounts((counts.all(v.version) as { feature_count: number | null }[]).map((r) => r.feature_count)),
    }));
  const totals = cached(db, 'SELECT count(DISTINCT video_id) AS videos, count(*) AS copies FROM preference_analyses').get() as {
    videos: number;
    copies: number;
  };
  return { videos: totals.videos, copies: totals.copies, newestVersion: versions[0]?.version ?? null, versions };
}

/** One video's analyses: the current one of each version, and every copy. */
export function analysisView(db: Db, videoId: string): AnalysisView {
  const history = cached(
    db,
    `SELECT id, video_id, analysis_version, content_hash, feature_count, source, imported_at FROM preference_analyses
     WHERE video_id = ? ORDER BY imported_at DESC, id DESC`,
  ).all(videoId) as CopyRow[];
  if (history.length === 0)
    throw new FramelabError(
      'NOT_FOUND',
      `There is no analysis of video "${videoId}"; import one with \`framelab preference analyses import\`.`,
    );
  const current = cached(db, 'SELECT * FROM preference_current_analyses WHERE video_id = ?').all(videoId) as (CopyRow & {
    analysis: string;
  })[];
  return {
    videoId,
    current: current
      .sort((a, b) => compareVersions(b.analysis_version, a.analysis_version))
      .map((r) => ({ ...toCopy(r), analysis: JSON.parse(r.analysis) as Record<string, unknown> })),
    history: history.map(toCopy),
  };
}

export interface CurrentAnalysis {
  videoId: string;
  version: string;
  analysis: Record<string, unknown>;
  featureCount: number | null;
  importedAt: string;
}

/**
 * The current analysis of every video for one analysis_version (default: the newest), by
 * video_id: what feature extraction and training read.
 */
export function currentAnalyses(db: Db, version: string | null = newestAnalysisVersion(db)): CurrentAnalysis[] {
  if (version === null) return [];
  const rows = cached(
    db,
    `SELECT video_id, analysis_version, analysis, feature_count, imported_at FROM preference_current_analyses
     WHERE analysis_version = ? ORDER BY video_id`,
  ).all(version) as { video_id: string; analysis_version: string; analysis: string; feature_count: number | null; imported_at: string }[];
  return rows.map((r) => ({
    videoId: r.video_id,
    version: r.analysis_version,
    analysis: JSON.parse(r.analysis) as Record<string, unknown>,
    featureCount: r.feature_count,
    importedAt: r.imported_at,
  }));
}
