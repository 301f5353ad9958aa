/**
 * The model registry in SQLite: one row per model version, named `<dimension>@<version>`.
 * Versions are immutable once registered (their weights are content-hashed files); only the
 * active flag moves. Writes happen in the owner process.
 */
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { MODEL_ID_PATTERN, type ModelSummary, type StagedModel } from '../../../shared/models';
import { cached, type Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { absoluteStoredPath, registerStoredFile } from '../workspace/files';

interface ModelRow {
  id: string;
  dimension: string;
  version: string;
  architecture: string;
  classes: string;
  preprocessing: string;
  weights_path: string;
  sha256: string;
  parent_id: string | null;
  source: string;
  training_config: string;
  metrics: string;
  active: number;
  created_at: string;
}

function toSummary(row: ModelRow): ModelSummary {
  return {
    id: row.id,
    dimension: row.dimension,
    version: row.version,
    architecture: row.architecture,
    classes: JSON.parse(row.classes) as string[],
    preprocessing: JSON.parse(row.preprocessing) as ModelSummary['preprocessing'],
    sha256: row.sha256,
    parentId: row.parent_id,
    source: row.source,
    trainingConfig: JSON.parse(row.training_config) as Record<string, unknown>,
    metrics: JSON.parse(row.metrics) as Record<string, unknown>,
    active: row.active === 1,
    createdAt: row.created_at,
    weightsPath: row.weights_path,
  };
}

export function modelId(dimension: string, version: string): string {
  return `${dimension}@${version}`;
}

export function parseModelId(id: string): { dimension: string; version: string } {
  const match = MODEL_ID_PATTERN.exec(id);
  if (!match) throw new FramelabError('INVALID_INPUT', `"${id}" is not a model name: use <dimension>@<version>, e.g. pov@v7.`);
  return { dimension: match[1]!, version: match[2]! };
}

export function listModels(db: Db, dimension?: string): ModelSummary[] {
  const rows = dimension
    ? (cached(db, 'SELECT * FROM models WHERE dimension = ? ORDER BY dimension, created_at, id').all(dimension) as ModelRow[])
    : (cached(db, 'SELECT * FROM models ORDER BY dimension, created_at, id').all() as ModelRow[]);
  return rows.map(toSummary);
}

export function findModel(db: Db, id: string): ModelSummary | null {
  const row = cached(db, 'SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
  return row ? toSummary(row) : null;
}

/** The model, or NOT_FOUND naming the models that do exist. */
export function getModel(db: Db, id: string): ModelSummary {
  parseModelId(id);
  const model = findModel(db, id);
  if (model) return model;
  const known = listModels(db).map((m) => m.id);
  throw new FramelabError(
    'NOT_FOUND',
    `No model ${id}. ${known.length ? `Known models: ${known.join(', ')}.` : 'No models yet: import one with `framelab models import FILE.pth --dimension D --version vN --classes "a,b,..."`.'}`,
  );
}

export function activeModel(db: Db, dimension: string): ModelSummary | null {
  const row = cached(db, 'SELECT * FROM models WHERE dimension = ? AND active = 1').get(dimension) as ModelRow | undefined;
  return row ? toSummary(row) : null;
}

/** Refuses a version that already exists: versions are immutable. */
export function assertNewModel(db: Db, id: string): void {
  const existing = findModel(db, id);
  if (existing) {
    throw new FramelabError(
      'CONFLICT',
      `${id} already exists (imported ${existing.createdAt} from ${existing.source}, sha256 ${existing.sha256.slice(0, 12)}…). Model versions are immutable: choose another --version.`,
    );
  }
}

export function assertParentExists(db: Db, parentId: string | null): void {
  if (parentId && !findModel(db, parentId)) getModel(db, parentId);
}

/** Owner-side: registers files written by a job and the model row, in the caller's transaction. */
export function registerModel(db: Db, staged: StagedModel, now = new Date().toISOString()): ModelSummary {
  assertNewModel(db, staged.id);
  assertParentExists(db, staged.parentId);
  registerStoredFile(db, { path: staged.weights.path, role: 'model', sha256: staged.weights.sha256, size: staged.weights.size });
  registerStoredFile(db, { path: staged.sidecar.path, role: 'model-sidecar', sha256: staged.sidecar.sha256, size: staged.sidecar.size });
  const activate = staged.activate ?? activeModel(db, staged.dimension) === null;
  if (activate) cached(db, 'UPDATE models SET active = 0 WHERE dimension = ? AND active = 1').run(staged.dimension);
  cached(
    db,
    `INSERT INTO models (id, dimension, version, architecture, classes, preprocessing, weights_path, sha256, parent_id,
                         source, training_config, metrics, active, created_at)
     VALUES (@id, @dimension, @version, @architecture, @classes, @preprocessing, @weightsPath, @sha256, @parentId,
             @source, @trainingConfig, @metrics, @active, @createdAt)`,
  ).run({
    id: staged.id,
    dimension: staged.dimension,
    version: staged.version,
    architecture: staged.architecture,
    classes: JSON.stringify(staged.classes),
    preprocessing: JSON.stringify(staged.preprocessing),
    weightsPath: staged.weights.path,
    sha256: staged.weights.sha256,
    parentId: staged.parentId,
    source: staged.source,
    trainingConfig: JSON.stringify(staged.trainingConfig),
    metrics: JSON.stringify(staged.metrics),
    active: activate ? 1 : 0,
    createdAt: now,
  });
  return getModel(db, staged.id);
}

/** Makes `id` its dimension's active model (the one inference uses by default). */
export function activateModel(db: Db, id: string): ModelSummary {
  const model = getModel(db, id);
  db.transaction(() => {
    cached(db, 'UPDATE models SET active = 0 WHERE dimension = ? AND active = 1').run(model.dimension);
    cached(db, 'UPDATE models SET active = 1 WHERE id = ?').run(id);
  })();
  return getModel(db, id);
}

/** The model's weights base path (`…/weights.safetensors`, sidecar beside it), absolute. */
export function modelWeightsFile(home: HomePaths, model: Pick<ModelSummary, 'weightsPath'>): string {
  return absoluteStoredPath(home, model.weightsPath);
}

/** Where a job stages a model's files: content-addressed, so a retry rewrites identical bytes. */
export function stagedModelDir(id: string, sha256: string): string {
  return path.posix.join('models', `${id}-${sha256.slice(0, 12)}`);
}
