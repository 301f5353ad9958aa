import { FramelabError } from '../../../shared/errors';
import type {
  AnalysesImportInput,
  AnalysesImportPlan,
  AnalysesImportReport,
  AnalysisFileOutcome,
  FeatureCountSummary,
  PlannedAnalysis,
} from '../../../shared/preference';
import { cached, type Db } from '../db/open';
import type { JobContext } from '../jobs/context';
import { analysisFiles, noReadHooks, readAnalysisFile, type ReadHooks } from './readAnalyses';

/**
 * `preference analyses import PATH`, as a job like the annotations import: the job process
 * reads and checks every file against a read-only database (readAnalyses.ts) and returns the
 * report with a plan; the owner writes the plan in one transaction (`applyAnalysesImport`).
 *
 * History: every copy is kept with its imported_at and content hash, and the newest copy of
 * a video × analysis_version is its current analysis. A record identical to the current
 * analysis of its video and version adds nothing (so importing the same file twice changes
 * nothing); one that differs is stored and becomes current, even if it equals an older copy
 * (re-importing last month's file makes last month's analysis current again, on purpose).
 * Within one import, a later record of the same video and version (later line, later file in
 * name order) wins.
 */

const key = (videoId: string, version: string) => `${videoId}\u0000${version}`;

/** The current copy's hash of a video × version, or undefined. */
export function currentAnalysisHash(db: Db, videoId: string, version: string): string | undefined {
  const row = cached(
    db,
    `SELECT content_hash FROM preference_analyses WHERE video_id = ? AND analysis_version = ? ORDER BY imported_at DESC, id DESC LIMIT 1`,
  ).get(videoId, version) as { content_hash: string } | undefined;
  return row?.content_hash;
}

/** Checks the path without reading any file (the owner runs it before the job starts). */
export function checkAnalysesInput(input: AnalysesImportInput): void {
  analysisFiles(input.path);
}

export function summariseFeatureCounts(counts: readonly (number | null)[]): FeatureCountSummary {
  const present = counts.filter((c): c is number => c !== null).sort((a, b) => a - b);
  const n = present.length;
  const median = n === 0 ? null : n % 2 === 1 ? present[(n - 1) / 2]! : (present[n / 2 - 1]! + present[n / 2]!) / 2;
  return { min: n ? present[0]! : null, median, max: n ? present[n - 1]! : null, missing: counts.length - n };
}

/** Reads every file and compares with the home as this read transaction sees it. */
export function planAnalysesImport(
  db: Db,
  input: AnalysesImportInput,
  hooks: ReadHooks = noReadHooks,
): AnalysesImportReport & { plan: AnalysesImportPlan } {
  const { files } = analysisFiles(input.path);
  const outcomes: AnalysisFileOutcome[] = [];
  const planned: PlannedAnalysis[] = [];
  const videos = new Set<string>();
  const versions = new Map<string, Set<string>>();
  const featureCounts: (number | null)[] = [];
  return db.transaction(() => {
    // The current hash per video × version as this import goes: the home's, then the import's own records.
    const current = new Map<string, string | undefined>();
    files.forEach((file, f) => {
      hooks.throwIfCancelled();
      const read = readAnalysisFile(file, hooks, [f / files.length, 1 / files.length]);
      outcomes.push(read.outcome);
      for (const r of read.records) {
        const k = key(r.videoId, r.version);
        if (!current.has(k)) current.set(k, currentAnalysisHash(db, r.videoId, r.version));
        const same = current.get(k) === r.hash;
        current.set(k, r.hash);
        planned.push([f, r.videoId, r.version, r.hash, same ? null : r.text, r.featureCount, `${file}:${r.line}`]);
        videos.add(r.videoId);
        let perVersion = versions.get(r.version);
        if (!perVersion) versions.set(r.version, (perVersion = new Set()));
        perVersion.add(r.videoId);
        featureCounts.push(r.featureCount);
      }
    });
    hooks.progress(1, `Read ${files.length} file${files.length === 1 ? '' : 's'}; saving`);
    const imported = outcomes.filter((o) => o.outcome === 'imported').length;
    return {
      path: input.path,
      files: outcomes,
      filesImported: imported,
      filesRefused: outcomes.length - imported,
      records: planned.length,
      videos: videos.size,
      versions: Object.fromEntries([...versions].sort(([a], [b]) => compareVersions(a, b)).map(([v, ids]) => [v, ids.size])),
      added: 0,
      unchanged: 0,
      featureCounts: summariseFeatureCounts(featureCounts),
      plan: { records: planned },
    };
  })();
}

/**
 * Writes the plan (call inside a transaction; the supervisor's marks the job succeeded too).
 * Each record is compared again with the current copy: a record the job found identical must
 * still be (else something imported meanwhile and the whole import is refused, nothing written).
 */
export function applyAnalysesImport(db: Db, result: AnalysesImportReport & { plan?: AnalysesImportPlan }): AnalysesImportReport {
  const { plan, ...report } = result;
  if (!plan) return report;
  const latest = (cached(db, 'SELECT max(imported_at) AS at FROM preference_analyses').get() as { at: string | null }).at;
  // Never earlier than a copy already stored: "newest" is the latest imported_at, whatever the clock did.
  const now = new Date().toISOString();
  const at = latest !== null && latest > now ? latest : now;
  const insert = cached(
    db,
    `INSERT INTO preference_analyses (video_id, analysis_version, content_hash, analysis, feature_count, source, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const files = report.files.map((f) => ({ ...f, added: 0, unchanged: 0 }));
  const current = new Map<string, string | undefined>();
  for (const [f, videoId, version, hash, text, featureCount, source] of plan.records) {
    const k = key(videoId, version);
    if (!current.has(k)) current.set(k, currentAnalysisHash(db, videoId, version));
    if (current.get(k) === hash) {
      files[f]!.unchanged++;
      continue;
    }
    if (text === null) {
      throw new FramelabError(
        'CONFLICT',
        `The analysis of ${videoId} (${version}) changed while the files were read (another import?). Nothing was imported; import again.`,
      );
    }
    insert.run(videoId, version, hash, text, featureCount, source, at);
    current.set(k, hash);
    files[f]!.added++;
  }
  const added = files.reduce((n, f) => n + f.added, 0);
  return { ...report, files, added, unchanged: plan.records.length - added };
}

/** Both halves in this process (tests and tools that own a database directly). */
export function importAnalyses(db: Db, input: AnalysesImportInput, hooks?: ReadHooks): AnalysesImportReport {
  const result = planAnalysesImport(db, input, hooks);
  return db.transaction(() => applyAnalysesImport(db, result)).immediate();
}

/** The job kind's implementation (in a job process): read and check; the owner applies the result. */
export async function runAnalysesImport(ctx: JobContext, db: Db, params: AnalysesImportInput) {
  return planAnalysesImport(db, params, { progress: (f, stage) => ctx.progress(f, stage), throwIfCancelled: () => ctx.throwIfCancelled() });
}

/**
 * Natural order of analysis versions: digits compare as numbers (v9 < v10), the rest as text.
 * The highest is "the newest version".
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      if (x.length !== y.length) return x.length - y.length;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}
