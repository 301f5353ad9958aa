import { FramelabError } from '../../../shared/errors';
import type { CorrelationReport, ExpectedCorrelation } from '../../../shared/preferenceModel';
import type { CorrelationSnapshotSummary, ExpectedList, PreferenceCorrelateResult } from '../../../shared/preferenceWorkflow';
import { cached, type Db } from '../db/open';
import { correlatePreferences, DEFAULT_EXPECTED_CORRELATIONS } from './correlate';
import { eligibleRatings, requireRatings } from './eligibility';
import { preferenceData } from './evaluate';

/**
 * `preference correlate` (the spec's 100-ratings step): correlations of the eligible ratings
 * with the expected list as the app last saved it, stored as a snapshot with the rating count
 * (the spec's feature_importance_snapshot), so the lab can see how the picture changes as
 * ratings come in. Runs in the owner: 5,000 ratings take about a second (bench).
 */

/** The spec's §8: correlations are the whole story until this many ratings. */
export const CORRELATIONS_MILESTONE = 100;
/** A p-value needs n − 2 ≥ 1. */
const MIN_CORRELATION_RATINGS = 3;

export function expectedList(db: Db): ExpectedList {
  const row = cached(db, 'SELECT list, saved_at FROM preference_expected_lists ORDER BY id DESC LIMIT 1').get() as
    { list: string; saved_at: string } | undefined;
  if (!row) return { expected: DEFAULT_EXPECTED_CORRELATIONS.map((e) => ({ ...e })), isDefault: true, savedAt: null };
  return { expected: JSON.parse(row.list) as ExpectedCorrelation[], isDefault: false, savedAt: row.saved_at };
}

/** Saves the edited list (a new row: the history stays). A feature listed twice is refused, naming it. */
export function saveExpectedList(db: Db, expected: readonly ExpectedCorrelation[], now = new Date().toISOString()): ExpectedList {
  const seen = new Set<string>();
  for (const e of expected) {
    if (seen.has(e.feature))
      throw new FramelabError(
        'INVALID_INPUT',
        `"${e.feature}" is listed twice in the expected correlations; keep one (positive or negative).`,
      );
    seen.add(e.feature);
  }
  cached(db, 'INSERT INTO preference_expected_lists (list, saved_at) VALUES (?, ?)').run(JSON.stringify(expected), now);
  return expectedList(db);
}

export interface CorrelateRunOptions {
  analysisVersion?: string | null;
  minFeatures?: number;
  top?: number;
}

export function runCorrelations(db: Db, options: CorrelateRunOptions = {}, now = new Date().toISOString()): PreferenceCorrelateResult {
  const { records, report: eligibility } = eligibleRatings(db, options);
  requireRatings(eligibility, MIN_CORRELATION_RATINGS, 'a correlation run');
  const data = preferenceData(records);
  const report = correlatePreferences(data.table, data.overall, { expected: expectedList(db).expected, top: options.top ?? 20 });
  const notes: string[] = [];
  if (records.length < CORRELATIONS_MILESTONE) {
    notes.push(
      `${records.length} eligible ratings: the spec looks at correlations from ${CORRELATIONS_MILESTONE}; with fewer, most correlations are noise.`,
    );
  }
  const snapshotId = Number(
    cached(
      db,
      'INSERT INTO preference_correlation_snapshots (ratings, analysis_version, min_features, report, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(records.length, eligibility.analysisVersion!, eligibility.minFeatures, JSON.stringify({ ...report, eligibility }), now)
      .lastInsertRowid,
  );
  return { ...report, eligibility, snapshotId, notes };
}

interface SnapshotRow {
  id: number;
  ratings: number;
  analysis_version: string;
  min_features: number;
  report: string;
  created_at: string;
}

function summarise(row: SnapshotRow): CorrelationSnapshotSummary {
  const report = JSON.parse(row.report) as CorrelationReport;
  return {
    id: row.id,
    ratings: row.ratings,
    analysisVersion: row.analysis_version,
    minFeatures: row.min_features,
    createdAt: row.created_at,
    confirmed: report.expected.filter((e) => e.status === 'confirmed').length,
    opposite: report.expected.filter((e) => e.status === 'opposite').length,
    significant: report.features.filter((f) => f.tier === 'high' || f.tier === 'medium').length,
  };
}

/** Snapshots, newest first. */
export function listSnapshots(db: Db, limit = 100): CorrelationSnapshotSummary[] {
  return (cached(db, 'SELECT * FROM preference_correlation_snapshots ORDER BY id DESC LIMIT ?').all(limit) as SnapshotRow[]).map(summarise);
}

/** One snapshot's report as stored. */
export function getSnapshot(db: Db, id: number): CorrelationSnapshotSummary & { report: CorrelationReport } {
  const row = cached(db, 'SELECT * FROM preference_correlation_snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
  if (!row) {
    const ids = listSnapshots(db, 20).map((s) => s.id);
    throw new FramelabError(
      'NOT_FOUND',
      `No correlation snapshot ${id}. ${ids.length ? `Latest: ${ids.join(', ')}.` : 'None yet: run `framelab preference correlate`.'}`,
    );
  }
  return { ...summarise(row), report: JSON.parse(row.report) as CorrelationReport };
}
