/**
 * A gold snapshot as training data for one model: each frame's class index in the model's
 * output order, its image file (with the sha256 the workspace recorded, which keys the
 * feature cache), and where the annotations behind the snapshot came from.
 */
import fs from 'node:fs';
import { FramelabError } from '../../../shared/errors';
import { cached, type Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { absoluteStoredPath } from '../workspace/files';
import type { GoldFrame } from './folds';

export interface GoldTrainingFrame extends GoldFrame {
  code: string;
  imageFile: string;
  imageSha256: string | undefined;
}

export interface GoldTrainingSet {
  snapshotId: string;
  dimension: string;
  frames: GoldTrainingFrame[];
  annotationsSource: unknown;
}

/** `model`, when given, is the model the set will train: a snapshot of another dimension is refused first. */
export function loadGoldTrainingSet(
  db: Db,
  home: HomePaths,
  snapshotId: string,
  classes: readonly string[],
  model?: { id: string; dimension: string },
): GoldTrainingSet {
  const snapshot = cached(db, 'SELECT id, dimension, annotations_source FROM gold_snapshots WHERE id = ?').get(snapshotId) as
    { id: string; dimension: string; annotations_source: string | null } | undefined;
  if (!snapshot) throw new FramelabError('NOT_FOUND', `There is no gold snapshot "${snapshotId}"; \`framelab gold list\` shows them.`);
  // Before the codes: to a model of another dimension every code looks unknown, which hides the real mistake.
  if (model && snapshot.dimension !== model.dimension) {
    throw new FramelabError(
      'INVALID_INPUT',
      `Gold snapshot ${snapshotId} is for "${snapshot.dimension}", but ${model.id} predicts "${model.dimension}".`,
    );
  }
  const rows = cached(
    db,
    `SELECT g.frame_id, g.video_id, g.code, g.image_path, s.sha256
       FROM gold_items g LEFT JOIN stored_files s ON s.path = g.image_path
      WHERE g.snapshot_id = ? ORDER BY g.frame_id`,
  ).all(snapshotId) as { frame_id: string; video_id: string; code: string; image_path: string | null; sha256: string | null }[];

  const index = new Map(classes.map((c, i) => [c, i]));
  const unknown = [...new Set(rows.map((r) => r.code).filter((c) => !index.has(c)))];
  if (unknown.length) {
    throw new FramelabError(
      'INVALID_INPUT',
      `Gold snapshot ${snapshotId} has codes the model does not predict: ${unknown.map((c) => `"${c}"`).join(', ')} (model classes: ${classes.join(', ')}).`,
    );
  }
  const noImage = rows.filter((r) => !r.image_path || !fs.existsSync(absoluteStoredPath(home, r.image_path)));
  if (noImage.length) {
    throw new FramelabError(
      'INVALID_INPUT',
      `Gold snapshot ${snapshotId}: ${noImage.length} frame(s) have no image to train on (${noImage
        .slice(0, 5)
        .map((r) => r.frame_id)
        .join(', ')}${noImage.length > 5 ? ', …' : ''}). Sample or import their frames first.`,
    );
  }
  return {
    snapshotId,
    dimension: snapshot.dimension,
    annotationsSource: snapshot.annotations_source ? JSON.parse(snapshot.annotations_source) : null,
    frames: rows.map((r) => ({
      frameId: r.frame_id,
      videoId: r.video_id,
      code: r.code,
      label: index.get(r.code)!,
      imageFile: absoluteStoredPath(home, r.image_path!),
      imageSha256: r.sha256 ?? undefined,
    })),
  };
}
