import { FramelabError } from '../../../shared/errors';
import type { PreferenceModel, PreferenceScore } from '../../../shared/preferenceModel';
import type { PreferenceModelSummary, PreferenceScoreResult, PreferenceScoresResult } from '../../../shared/preferenceWorkflow';
import { writeCsvForPeople } from '../annotations/csvForPeople';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { fileOutput, writeOutputFile } from '../workspace/outputPaths';
import { currentAnalyses } from './analyses';
import { flattenAnalyses } from './flatten';
import { readAnalysisFile } from './readAnalyses';
import { loadPreferenceModel, resolvePreferenceModel } from './registry';
import { scoreAnalysis, scoreTable } from './score';

/**
 * `preference score`: one video's stored analysis, an analysis file, or every analysed video
 * (a CSV, and the Videos list's Score column), with the active model unless one is named.
 * A model reads analyses of the version it learned from: scoring another version's analysis
 * would read keys it never saw as missing, so that is refused, naming both versions.
 */
interface Scorer {
  summary: PreferenceModelSummary;
  model: PreferenceModel;
}

function scorer(db: Db, home: HomePaths, modelId?: string): Scorer {
  const summary = resolvePreferenceModel(db, modelId);
  return { summary, model: loadPreferenceModel(home, summary) };
}

const result = (s: Scorer, videoId: string, version: string, score: PreferenceScore): PreferenceScoreResult => ({
  model: s.summary.id,
  videoId,
  analysisVersion: version,
  ...score,
});

export function scoreVideo(db: Db, home: HomePaths, videoId: string, modelId?: string): PreferenceScoreResult {
  const s = scorer(db, home, modelId);
  const version = s.summary.analysisVersion;
  const analysis = currentAnalyses(db, version).find((a) => a.videoId === videoId);
  if (!analysis) {
    const others = (
      db.prepare('SELECT DISTINCT analysis_version AS v FROM preference_analyses WHERE video_id = ?').all(videoId) as { v: string }[]
    ).map((r) => r.v);
    throw new FramelabError(
      'NOT_FOUND',
      others.length
        ? `${videoId} has no ${version} analysis (it has ${others.join(', ')}); ${s.summary.id} learned from ${version} analyses. Import its ${version} analysis first.`
        : `There is no analysis of video "${videoId}"; import one with \`framelab preference analyses import\`.`,
    );
  }
  return result(s, videoId, version, scoreAnalysis(s.model, analysis.analysis));
}

/** Scores the one analysis of a file in the import format; the file's problems named as the import names them. */
export function scoreAnalysisFile(db: Db, home: HomePaths, file: string, modelId?: string): PreferenceScoreResult {
  const read = readAnalysisFile(file);
  if (read.outcome.outcome === 'refused') {
    const p = read.outcome.problems[0]!;
    const where = p.line === null ? file : `${file}:${p.line}${p.column === null ? '' : `:${p.column}`}`;
    throw new FramelabError('INVALID_INPUT', `${where}${p.field ? ` (${p.field})` : ''}: ${p.message}`, {
      problems: read.outcome.problems,
    });
  }
  if (read.records.length !== 1) {
    throw new FramelabError(
      'INVALID_INPUT',
      `${file} holds ${read.records.length} analyses; score one at a time (import them and use --all for many).`,
    );
  }
  const record = read.records[0]!;
  const s = scorer(db, home, modelId);
  if (record.version !== s.summary.analysisVersion) {
    throw new FramelabError(
      'INVALID_INPUT',
      `${file}: the analysis is ${record.version}, but ${s.summary.id} learned from ${s.summary.analysisVersion} analyses; score a ${s.summary.analysisVersion} analysis.`,
    );
  }
  return result(s, record.videoId, record.version, scoreAnalysis(s.model, JSON.parse(record.text)));
}

interface ScoredVideo {
  videoId: string;
  score: PreferenceScore;
}

function scoreEveryVideo(s: Scorer, db: Db): ScoredVideo[] {
  const analyses = currentAnalyses(db, s.summary.analysisVersion);
  if (!analyses.length) return [];
  // One table, scored in one pass (one native call for a forest).
  const scores = scoreTable(s.model, flattenAnalyses(analyses.map((a) => a.analysis)));
  return analyses.map((a, i) => ({ videoId: a.videoId, score: scores[i]! }));
}

/** The score of every video with an analysis of the model's version, for the Videos list (none: model null). */
export function scoresByVideo(db: Db, home: HomePaths, modelId?: string): PreferenceScoresResult {
  let s: Scorer;
  try {
    s = scorer(db, home, modelId);
  } catch (err) {
    // No model yet is not an error for a list: it shows no scores. A bad --model id still is.
    if (modelId === undefined && err instanceof FramelabError && err.code === 'NOT_FOUND')
      return { model: null, analysisVersion: null, scores: {} };
    throw err;
  }
  // Scoring 5,000 analyses takes ~2 s (mostly reading and flattening them): the Videos screen
  // refetches on every change, so the map is kept until the model or the analyses change.
  const key = `${s.summary.sha256}|${(db.prepare('SELECT max(id) AS id FROM preference_analyses').get() as { id: number | null }).id ?? 0}`;
  if (scoresCache?.key !== key)
    scoresCache = { key, scores: Object.fromEntries(scoreEveryVideo(s, db).map((v) => [v.videoId, v.score.score])) };
  return { model: s.summary.id, analysisVersion: s.summary.analysisVersion, scores: scoresCache.scores };
}

let scoresCache: { key: string; scores: Record<string, number> } | null = null;

const FACTORS_IN_CSV = 3;

/** Every analysed video's score into a CSV: video_id, model, score, confidence, coverage, the top factors. */
export function scoreAllToCsv(
  db: Db,
  home: HomePaths,
  input: { out: string; overwrite: boolean; modelId?: string },
): { model: string; rows: number; file: string } {
  const rules = { extensions: ['csv'], overwrite: input.overwrite };
  fileOutput(input.out, rules); // a bad path refused before any scoring
  const s = scorer(db, home, input.modelId);
  const scored = scoreEveryVideo(s, db);
  const factorColumns = Array.from({ length: FACTORS_IN_CSV }, (_, k) => [`factor_${k + 1}`, `contribution_${k + 1}`]).flat();
  const csv = writeCsvForPeople(
    ['video_id', 'model', 'analysis_version', 'score', 'confidence', 'coverage', ...factorColumns],
    scored.map(({ videoId, score }) => [
      videoId,
      s.summary.id,
      s.summary.analysisVersion,
      String(score.score),
      score.confidence === null ? '' : String(score.confidence),
      String(score.coverage),
      ...Array.from({ length: FACTORS_IN_CSV }, (_, k) => {
        const f = score.topFactors[k];
        return f ? [f.feature, String(f.contribution)] : ['', ''];
      }).flat(),
    ]),
    ['video_id', 'model', 'analysis_version', 'score', 'confidence', 'coverage'],
  );
  const file = writeOutputFile(input.out, csv, rules);
  return { model: s.summary.id, rows: scored.length, file };
}
