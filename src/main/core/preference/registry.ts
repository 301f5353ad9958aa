import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { ModelMetrics, PreferenceModel, PreferenceModelKind } from '../../../shared/preferenceModel';
import type { PreferenceModelSummary, StagedPreferenceModel } from '../../../shared/preferenceWorkflow';
import { cached, type Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { writeFileAtomic } from '../workspace/atomic';
import { absoluteStoredPath, registerStoredFile } from '../workspace/files';
import { disposeModel, parsePreferenceModel } from './model';
import { activationAdvice, type ActivationAdvice } from './triggers';

/**
 * The preference model registry (issue 19 item 6): table `preference_models` (migration 7),
 * not the vision `models` table — a preference model has no architecture, classes or
 * preprocessing, and the Models screen, `models list` and the inference pickers list that
 * table for frame inference. Same rules as the vision registry: ids `preference@v<major>.
 * <minor>`, immutable rows (triggers) whose model is a content-hashed JSON file under the home
 * (`preference-models/<sha256>.json`, registered in stored_files so the integrity check
 * proves it unchanged), one active, activation explicit.
 *
 * Versions: the first model is v1.0; a retrain of the same kind as the latest model is the
 * next minor (v1.0 → v1.1); a model of another kind (Ridge → random forest) is the next major
 * (v1.1 → v2.0), as the spec's ladder names them. The version is decided by the owner when it
 * registers the job's model, so two trainings never claim the same id.
 */
export const PREFERENCE_DIMENSION = 'preference';
const VERSION_PATTERN = /^v(\d+)\.(\d+)$/;

interface Row {
  id: string;
  version: string;
  kind: PreferenceModelKind;
  model_path: string;
  sha256: string;
  size: number;
  parent_id: string | null;
  notes: string;
  training_ratings: number;
  training_videos: string;
  trained_through: string;
  analysis_version: string;
  min_features: number;
  options: string;
  metrics: string;
  features: number;
  advice: string;
  job_id: string | null;
  active: number;
  created_at: string;
}

const toSummary = (r: Row): PreferenceModelSummary => ({
  id: r.id,
  version: r.version,
  kind: r.kind,
  parentId: r.parent_id,
  notes: r.notes,
  trainingRatings: r.training_ratings,
  trainedThrough: r.trained_through,
  analysisVersion: r.analysis_version,
  minFeatures: r.min_features,
  options: JSON.parse(r.options) as PreferenceModelSummary['options'],
  metrics: JSON.parse(r.metrics) as ModelMetrics,
  features: r.features,
  advice: JSON.parse(r.advice) as ActivationAdvice,
  sha256: r.sha256,
  size: r.size,
  modelPath: r.model_path,
  jobId: r.job_id,
  active: r.active === 1,
  createdAt: r.created_at,
});

const byVersion = (a: { version: string }, b: { version: string }) => {
  const [, am, an] = VERSION_PATTERN.exec(a.version)!;
  const [, bm, bn] = VERSION_PATTERN.exec(b.version)!;
  return Number(am) - Number(bm) || Number(an) - Number(bn);
};

/** Every preference model, oldest version first. */
export function listPreferenceModels(db: Db): PreferenceModelSummary[] {
  return (cached(db, 'SELECT * FROM preference_models').all() as Row[]).map(toSummary).sort(byVersion);
}

/** The model, or NOT_FOUND naming the ones that exist. */
export function getPreferenceModel(db: Db, id: string): PreferenceModelSummary {
  const row = cached(db, 'SELECT * FROM preference_models WHERE id = ?').get(id) as Row | undefined;
  if (row) return toSummary(row);
  const known = listPreferenceModels(db).map((m) => m.id);
  const hint =
    /^[^@]+@/.test(id) && !id.startsWith(`${PREFERENCE_DIMENSION}@`)
      ? ` (${id} looks like a vision model; preference models are ${PREFERENCE_DIMENSION}@vN.M)`
      : '';
  throw new FramelabError(
    'NOT_FOUND',
    `No preference model ${id}${hint}. ${known.length ? `Known preference models: ${known.join(', ')}.` : 'None trained yet: `framelab preference train`.'}`,
  );
}

export function activePreferenceModel(db: Db): PreferenceModelSummary | null {
  const row = cached(db, 'SELECT * FROM preference_models WHERE active = 1').get() as Row | undefined;
  return row ? toSummary(row) : null;
}

/** The model asked for, or the active one; a clear error when there is none. */
export function resolvePreferenceModel(db: Db, id?: string): PreferenceModelSummary {
  if (id !== undefined) return getPreferenceModel(db, id);
  const active = activePreferenceModel(db);
  if (active) return active;
  const known = listPreferenceModels(db).map((m) => m.id);
  throw new FramelabError(
    'NOT_FOUND',
    known.length
      ? `No preference model is active. Activate one (\`framelab preference activate ID\`; known: ${known.join(', ')}) or pass --model ID.`
      : 'No preference model yet: train one with `framelab preference train` (from 200 eligible owner ratings).',
  );
}

export function activatePreferenceModel(db: Db, id: string): PreferenceModelSummary {
  getPreferenceModel(db, id);
  db.transaction(() => {
    cached(db, 'UPDATE preference_models SET active = 0 WHERE active = 1 AND id <> ?').run(id);
    cached(db, 'UPDATE preference_models SET active = 1 WHERE id = ?').run(id);
  })();
  return getPreferenceModel(db, id);
}

/** The id a newly trained model of `kind` gets (see the versioning rule above). */
export function nextPreferenceVersion(db: Db, kind: PreferenceModelKind): string {
  const latest = listPreferenceModels(db).at(-1);
  if (!latest) return 'v1.0';
  const [, major, minor] = VERSION_PATTERN.exec(latest.version)!;
  return latest.kind === kind ? `v${major}.${Number(minor) + 1}` : `v${Number(major) + 1}.0`;
}

/** Job side: writes the model JSON content-addressed under the home; the owner registers it. */
export function stagePreferenceModel(home: HomePaths, model: PreferenceModel): { path: string; sha256: string; size: number } {
  const bytes = Buffer.from(JSON.stringify(model));
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const relative = path.posix.join('preference-models', `${sha256}.json`);
  writeFileAtomic(absoluteStoredPath(home, relative), bytes, { mode: 0o600 });
  return { path: relative, sha256, size: bytes.length };
}

export interface Registered {
  model: PreferenceModelSummary;
  advice: ActivationAdvice;
  activated: boolean;
}

/**
 * Owner side, in the caller's transaction: the job's model becomes the next version, its
 * parent the model active now; advice from the spec's rules, applied only when asked.
 */
export function registerPreferenceModel(
  db: Db,
  home: HomePaths,
  staged: StagedPreferenceModel,
  opts: { jobId: string | null; activateIfAdvised: boolean; now?: string },
): Registered {
  const file = absoluteStoredPath(home, staged.path);
  if (!fs.existsSync(file))
    throw new FramelabError('NOT_FOUND', `The trained model's file ${staged.path} is missing from the home; train again.`);
  const active = activePreferenceModel(db);
  const advice = activationAdvice({ metrics: staged.metrics, trainingRows: staged.trainingRatings }, active);
  const version = nextPreferenceVersion(db, staged.kind);
  const id = `${PREFERENCE_DIMENSION}@${version}`;
  registerStoredFile(db, { path: staged.path, role: 'preference-model', sha256: staged.sha256, size: staged.size });
  cached(
    db,
    `INSERT INTO preference_models (id, version, kind, model_path, sha256, size, parent_id, notes, training_ratings, training_videos,
       trained_through, analysis_version, min_features, options, metrics, features, advice, job_id, active, created_at)
     VALUES (@id, @version, @kind, @path, @sha256, @size, @parentId, @notes, @trainingRatings, @trainingVideos,
       @trainedThrough, @analysisVersion, @minFeatures, @options, @metrics, @features, @advice, @jobId, 0, @createdAt)`,
  ).run({
    id,
    version,
    kind: staged.kind,
    path: staged.path,
    sha256: staged.sha256,
    size: staged.size,
    parentId: active?.id ?? null,
    notes: staged.notes,
    trainingRatings: staged.trainingRatings,
    trainingVideos: JSON.stringify(staged.trainingVideos),
    trainedThrough: staged.trainedThrough,
    analysisVersion: staged.analysisVersion,
    minFeatures: staged.minFeatures,
    options: JSON.stringify(staged.options),
    metrics: JSON.stringify(staged.metrics),
    features: staged.features,
    advice: JSON.stringify(advice),
    jobId: opts.jobId,
    createdAt: opts.now ?? new Date().toISOString(),
  });
  const activated = opts.activateIfAdvised && advice.activate;
  if (activated) {
    cached(db, 'UPDATE preference_models SET active = 0 WHERE active = 1').run();
    cached(db, 'UPDATE preference_models SET active = 1 WHERE id = ?').run(id);
  }
  return { model: getPreferenceModel(db, id), advice, activated };
}

/** The video ids a model was trained on. */
export function trainingVideosOf(db: Db, id: string): string[] {
  const row = cached(db, 'SELECT training_videos FROM preference_models WHERE id = ?').get(id) as { training_videos: string } | undefined;
  return row ? (JSON.parse(row.training_videos) as string[]) : [];
}

// Loaded models by sha256: a forest is megabytes of JSON and a native booster, so the last few stay loaded.
const loaded = new Map<string, PreferenceModel>();
const KEEP_LOADED = 2;

/** The stored model, its file checked against the registered hash. */
export function loadPreferenceModel(home: HomePaths, summary: PreferenceModelSummary): PreferenceModel {
  const hit = loaded.get(summary.sha256);
  if (hit) return hit;
  const file = absoluteStoredPath(home, summary.modelPath);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new FramelabError(
      'NOT_FOUND',
      `${summary.id}'s model file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); run \`framelab check\`.`,
    );
  }
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha !== summary.sha256)
    throw new FramelabError(
      'CONFLICT',
      `${summary.id}'s model file ${file} has changed since it was registered (sha256 ${sha.slice(0, 12)}…, expected ${summary.sha256.slice(0, 12)}…).`,
    );
  const model = parsePreferenceModel(JSON.parse(bytes.toString('utf8')));
  loaded.set(summary.sha256, model);
  while (loaded.size > KEEP_LOADED) {
    const [oldest, old] = loaded.entries().next().value as [string, PreferenceModel];
    loaded.delete(oldest);
    disposeModel(old);
  }
  return model;
}
