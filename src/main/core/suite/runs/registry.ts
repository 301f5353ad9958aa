/**
 * The suite models' registry (migration 9): every model of a finished split run becomes
 * `<name>@v<N>`, where the name says what it predicts and how (`suite_7d_ridge`: the 7-day
 * horizon's ridge) and N counts that name's versions. The row binds the version to its run
 * folder (where its files are) and to its lineage, so a scorer can be checked against what it
 * was trained on. Versions are immutable; one per name is active, and a name alone
 * (`suite_7d_ridge`) means that one. Owner-side writes only.
 */
import { FramelabError } from '../../../../shared/errors';
import { SUITE_MODEL_REF, type SuiteModelSummary, type SuiteRunResult } from '../../../../shared/suite';
import { cached, type Db } from '../../db/open';

interface SuiteModelRow {
  id: string;
  name: string;
  version: string;
  run_id: string;
  model: string;
  horizon: string | null;
  feature_set_hash: string;
  data_fingerprint: string;
  git_commit: string | null;
  rank_metric: string;
  val_metrics: string;
  test_metrics: string | null;
  active: number;
  created_at: string;
}

function toSummary(row: SuiteModelRow): SuiteModelSummary {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    runId: row.run_id,
    model: row.model,
    horizon: row.horizon,
    featureSetHash: row.feature_set_hash,
    dataFingerprint: row.data_fingerprint,
    gitCommit: row.git_commit,
    rankMetric: row.rank_metric,
    val: JSON.parse(row.val_metrics) as SuiteModelSummary['val'],
    test: row.test_metrics === null ? null : (JSON.parse(row.test_metrics) as SuiteModelSummary['test']),
    active: row.active === 1,
    createdAt: row.created_at,
  };
}

/** `suite_7d_ridge` for the 7-day horizon's ridge; `suite_ridge` for a run that did not choose a horizon. */
export function suiteModelName(horizon: string | null, model: string): string {
  const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `suite_${horizon ? `${slug(horizon)}_` : ''}${slug(model)}`;
}

export function listSuiteModels(db: Db, name?: string): SuiteModelSummary[] {
  const order = 'ORDER BY name, CAST(substr(version, 2) AS INTEGER)';
  const rows = name
    ? (cached(db, `SELECT * FROM suite_models WHERE name = ? ${order}`).all(name) as SuiteModelRow[])
    : (cached(db, `SELECT * FROM suite_models ${order}`).all() as SuiteModelRow[]);
  return rows.map(toSummary);
}

/** The models registered from one run, in its leaderboard's order. */
export function suiteModelsOfRun(db: Db, runId: string): SuiteModelSummary[] {
  return (cached(db, 'SELECT * FROM suite_models WHERE run_id = ? ORDER BY rowid').all(runId) as SuiteModelRow[]).map(toSummary);
}

/** Every run's registry ids (in each run's leaderboard order), in one query: the runs list shows them beside each run. */
export function registeredIdsByRun(db: Db): Map<string, string[]> {
  const byRun = new Map<string, string[]>();
  const rows = cached(db, 'SELECT run_id, id FROM suite_models ORDER BY rowid').all() as { run_id: string; id: string }[];
  for (const { run_id, id } of rows) {
    const ids = byRun.get(run_id);
    if (ids) ids.push(id);
    else byRun.set(run_id, [id]);
  }
  return byRun;
}

/**
 * `suite_7d_ridge@v3`, or `suite_7d_ridge` for its active version; NOT_FOUND says which
 * exist. An id of another shape is refused with the shape.
 */
export function getSuiteModel(db: Db, ref: string): SuiteModelSummary {
  const match = SUITE_MODEL_REF.exec(ref);
  if (!match)
    throw new FramelabError(
      'INVALID_INPUT',
      `"${ref}" is not a suite model id: use <name>@v<N> (e.g. suite_7d_ridge@v3) or a name alone for its active version; see \`framelab suite models\`.`,
    );
  const [, name, version] = match;
  const row = version
    ? (cached(db, 'SELECT * FROM suite_models WHERE name = ? AND version = ?').get(name, version) as SuiteModelRow | undefined)
    : (cached(db, 'SELECT * FROM suite_models WHERE name = ? AND active = 1').get(name) as SuiteModelRow | undefined);
  if (row) return toSummary(row);
  const versions = listSuiteModels(db, name).map((m) => m.id);
  const known = versions.length ? versions : listSuiteModels(db).map((m) => m.id);
  const what = version ? `No suite model ${ref}` : versions.length ? `${name} has no active version` : `No suite model named ${name}`;
  throw new FramelabError(
    'NOT_FOUND',
    `${what}. ${known.length ? `Registered: ${known.join(', ')}.` : 'None registered yet: a finished `framelab suite run` (with a train/val/test split) registers its models.'}`,
  );
}

/**
 * Registers every saved model of a finished run (owner-side, in the job's transaction). A
 * K-fold run keeps no fitted model (one per fold, none final), so it registers nothing. The
 * first version of a name becomes active; later ones wait for `suite activate`, since which
 * version serves is the lead's decision after comparing them.
 */
export function registerSuiteRun(
  db: Db,
  result: SuiteRunResult,
  jobId: string | null,
  now = new Date().toISOString(),
): SuiteModelSummary[] {
  const lineage = result.lineage;
  if (!lineage || result.folds !== null) return [];
  const existing = suiteModelsOfRun(db, result.runId);
  if (existing.length) return existing; // a retried apply: the run is registered already
  const nextVersion = cached(db, 'SELECT COALESCE(MAX(CAST(substr(version, 2) AS INTEGER)), 0) + 1 AS n FROM suite_models WHERE name = ?');
  const hasActive = cached(db, 'SELECT 1 FROM suite_models WHERE name = ? AND active = 1');
  const insert = cached(
    db,
    `INSERT INTO suite_models (id, name, version, run_id, model, horizon, feature_set_hash, data_fingerprint, git_commit,
                               rank_metric, val_metrics, test_metrics, job_id, active, created_at)
     VALUES (@id, @name, @version, @runId, @model, @horizon, @featureSetHash, @dataFingerprint, @gitCommit,
             @rankMetric, @val, @test, @jobId, @active, @createdAt)`,
  );
  for (const row of result.leaderboard) {
    const name = suiteModelName(lineage.horizon, row.model);
    const version = `v${(nextVersion.get(name) as { n: number }).n}`;
    insert.run({
      id: `${name}@${version}`,
      name,
      version,
      runId: result.runId,
      model: row.model,
      horizon: lineage.horizon,
      featureSetHash: lineage.featureSetHash,
      dataFingerprint: lineage.dataFingerprint,
      gitCommit: lineage.git ? `${lineage.git.sha}${lineage.git.dirty ? '+dirty' : ''}` : null,
      rankMetric: result.rankMetric,
      val: JSON.stringify(row.val),
      test: row.test ? JSON.stringify(row.test) : null,
      jobId,
      active: hasActive.get(name) ? 0 : 1,
      createdAt: now,
    });
  }
  return suiteModelsOfRun(db, result.runId);
}

/** Makes `ref` its name's active version (the one a bare name means). */
export function activateSuiteModel(db: Db, ref: string): SuiteModelSummary {
  const model = getSuiteModel(db, ref);
  db.transaction(() => {
    cached(db, 'UPDATE suite_models SET active = 0 WHERE name = ? AND active = 1').run(model.name);
    cached(db, 'UPDATE suite_models SET active = 1 WHERE id = ?').run(model.id);
  })();
  return getSuiteModel(db, model.id);
}

/**
 * What `suite score` / `suite predict` name: a run and one of its models, or a registry id
 * (`suite_7d_ridge@v3`, or a name for its active version) with no run.
 */
export function resolveSuiteModelRef(
  db: Db,
  ref: { runId?: string | null; model: string },
): { runId: string; model: string; registryId: string | null } {
  if (ref.runId) return { runId: ref.runId, model: ref.model, registryId: null };
  if (!ref.model.startsWith('suite_')) {
    throw new FramelabError(
      'INVALID_INPUT',
      `"${ref.model}" needs a run: give --run RUN_ID with a model name, or a registry id such as suite_7d_ridge@v3 (see \`framelab suite models\`).`,
    );
  }
  const found = getSuiteModel(db, ref.model);
  return { runId: found.runId, model: found.model, registryId: found.id };
}
