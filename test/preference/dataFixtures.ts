/**
 * Helpers of the Preferences data tests (analyses and ratings): API calls through the real
 * dispatch (input validation included), files written into a temp folder, and what a home holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dispatch } from '../../src/main/core/api/dispatch';
import { handlers } from '../../src/main/core/api/handlers';
import type { Core } from '../../src/main/core/core';
import type { Input, MethodName, Output } from '../../src/shared/api';
import type { ErrorInfo } from '../../src/shared/errors';

export async function call<M extends MethodName>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const envelope = await dispatch(handlers, core, method, input);
  if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.value as Output<M>;
}

/** The error envelope of a call that must fail. */
export async function failure<M extends MethodName>(core: Core, method: M, input: Input<M>): Promise<ErrorInfo> {
  const envelope = await dispatch(handlers, core, method, input);
  if (envelope.ok) throw new Error(`${method} succeeded but should have failed`);
  return envelope.error;
}

export function write(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

export const record = (videoId: string, version: string, analysis: Record<string, unknown>) =>
  JSON.stringify({ video_id: videoId, analysis_version: version, analysis });

export const jsonl = (...lines: string[]) => `${lines.join('\n')}\n`;

/** Every stored analysis copy, oldest first: video, version, feature_count and the analysis. */
export function storedAnalyses(core: Core) {
  return (
    core.db.prepare('SELECT video_id, analysis_version, feature_count, analysis FROM preference_analyses ORDER BY id').all() as {
      video_id: string;
      analysis_version: string;
      feature_count: number | null;
      analysis: string;
    }[]
  ).map((r) => ({
    videoId: r.video_id,
    version: r.analysis_version,
    featureCount: r.feature_count,
    analysis: JSON.parse(r.analysis) as unknown,
  }));
}

/** The current analysis of each video × version. */
export function currentAnalysisOf(core: Core, videoId: string, version: string): unknown {
  const row = core.db
    .prepare('SELECT analysis FROM preference_current_analyses WHERE video_id = ? AND analysis_version = ?')
    .get(videoId, version) as { analysis: string } | undefined;
  return row ? JSON.parse(row.analysis) : undefined;
}

export const RATINGS_HEADER = 'video_id,rater,rater_type,overall,hook,pacing,payoff,notes,rated_at';

/** Every rating row of a home (its values), in a stable order. */
export function storedRatings(core: Core) {
  return core.db
    .prepare(
      'SELECT video_id, rater, rater_type, overall, hook, pacing, payoff, notes, rated_at FROM preference_ratings ORDER BY video_id, rater, rated_at, entry_hash',
    )
    .all();
}
