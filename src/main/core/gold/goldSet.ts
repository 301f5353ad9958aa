import crypto from 'node:crypto';
import type { GoldSnapshotSummary } from '../../../shared/gold';
import type { AnnotationsSource } from '../../../shared/sync';
import { FramelabError } from '../../../shared/errors';
import { writeCsvForPeople } from '../annotations/csvForPeople';
import { codebookVersion, readCodebook } from '../coding/codebook';
import { cached, type Db } from '../db/open';
import { formatSeconds } from '../media/videoIds';
import { annotationsSource } from '../sync/source';
import { adjudicationsOf, codedFrames, requireDimension } from './disagreements';
import { fileOutput, writeOutputFile } from '../workspace/outputPaths';

/**
 * The gold set of a dimension: frames every coder agrees on (at least two codes) plus the
 * frames the lead adjudicated, each with its provenance. A snapshot freezes it under an id:
 * that is what fine-tuning trains on, and it never changes afterwards.
 */
export interface GoldItem {
  frameId: string;
  videoId: string;
  timestampS: number;
  categoryId: number;
  code: string;
  source: 'agreed' | 'adjudicated';
  note: string;
  image: string | null;
}

export function liveGoldSet(db: Db, dimension: string): GoldItem[] {
  const decided = adjudicationsOf(db, dimension);
  const ids = new Map(
    (cached(db, 'SELECT id, value FROM categories WHERE dimension = ?').all(dimension) as { id: number; value: string }[]).map((c) => [
      c.value,
      c.id,
    ]),
  );
  const items: GoldItem[] = [];
  for (const [frameId, { row, codes }] of codedFrames(db, dimension)) {
    const adjudication = decided.get(frameId);
    const values = new Set(Object.values(codes));
    const base = { frameId, videoId: row.video_id, timestampS: row.timestamp_s, image: row.image_path };
    if (adjudication && values.size > 1) {
      items.push({ ...base, categoryId: adjudication.categoryId, code: adjudication.code, source: 'adjudicated', note: adjudication.note });
    } else if (values.size === 1) {
      const code = [...values][0]!;
      items.push({ ...base, categoryId: ids.get(code)!, code, source: 'agreed', note: '' });
    }
  }
  return items;
}

function summarize(db: Db, id: string): GoldSnapshotSummary {
  const snapshot = cached(db, 'SELECT * FROM gold_snapshots WHERE id = ?').get(id) as
    | { id: string; dimension: string; created_at: string; codebook_version: number; frames: number; annotations_source: string | null }
    | undefined;
  if (!snapshot) throw new FramelabError('NOT_FOUND', `There is no gold snapshot "${id}"; \`framelab gold list\` shows them.`);
  const items = cached(db, 'SELECT code, source, image_path FROM gold_items WHERE snapshot_id = ?').all(id) as {
    code: string;
    source: 'agreed' | 'adjudicated';
    image_path: string | null;
  }[];
  const order =
    readCodebook(db)
      .dimensions.find((d) => d.name === snapshot.dimension)
      ?.categories.map((c) => c.value) ?? [];
  const byClass: Record<string, number> = Object.fromEntries(order.map((c) => [c, 0]));
  for (const item of items) byClass[item.code] = (byClass[item.code] ?? 0) + 1;
  return {
    id: snapshot.id,
    dimension: snapshot.dimension,
    createdAt: snapshot.created_at,
    codebookVersion: snapshot.codebook_version,
    frames: snapshot.frames,
    byClass,
    bySource: {
      agreed: items.filter((i) => i.source === 'agreed').length,
      adjudicated: items.filter((i) => i.source === 'adjudicated').length,
    },
    imagesMissing: items.filter((i) => i.image_path === null).length,
    annotationsSource: snapshot.annotations_source
      ? (JSON.parse(snapshot.annotations_source) as GoldSnapshotSummary['annotationsSource'])
      : null,
  };
}

/** Freezes the live gold set; `source` is where its annotations came from (the caller's fresh source, else as things stand). */
export function takeSnapshot(db: Db, dimension: string, source: AnnotationsSource = annotationsSource(db)): GoldSnapshotSummary {
  requireDimension(db, dimension);
  const items = liveGoldSet(db, dimension);
  if (items.length === 0) {
    throw new FramelabError('CONFLICT', `The ${dimension} gold set is empty: no frame has two agreeing codes or an adjudication yet.`);
  }
  const stamp = new Date().toISOString();
  const id = `gold_${dimension}_${stamp.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}_${crypto.randomBytes(2).toString('hex')}`;
  db.transaction(() => {
    cached(
      db,
      'INSERT INTO gold_snapshots (id, dimension, created_at, codebook_version, frames, annotations_source) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(id, dimension, stamp, codebookVersion(db), items.length, JSON.stringify(source));
    const insert = cached(
      db,
      `INSERT INTO gold_items (snapshot_id, frame_id, video_id, timestamp_s, category_id, code, source, note, image_path)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const i of items) insert.run(id, i.frameId, i.videoId, i.timestampS, i.categoryId, i.code, i.source, i.note, i.image);
  }).immediate();
  return summarize(db, id);
}

export function listSnapshots(db: Db, dimension?: string): GoldSnapshotSummary[] {
  const rows = (
    dimension
      ? cached(db, 'SELECT id FROM gold_snapshots WHERE dimension = ? ORDER BY created_at DESC').all(dimension)
      : cached(db, 'SELECT id FROM gold_snapshots ORDER BY created_at DESC').all()
  ) as { id: string }[];
  return rows.map((r) => summarize(db, r.id));
}

export const GOLD_CSV_COLUMNS = ['frame_id', 'video_id', 'timestamp_s', 'dimension', 'code', 'source', 'note'] as const;
/**
 * Written raw in this CSV for people: the ids, which must equal annotations.csv's and the
 * database's to join. The code (a codebook category, free text) and the note are neutralised.
 */
const GOLD_RAW_COLUMNS = ['frame_id', 'video_id'];

/**
 * Writes a snapshot as CSV (atomically) to a path the caller chose (outputPaths rules: a .csv,
 * never replacing a file unless `overwrite`): one row per frame, its code and where it came from.
 */
export function exportSnapshot(db: Db, snapshotId: string, out: string, overwrite = false): { rows: number; file: string } {
  const rules = { extensions: ['csv'], overwrite };
  fileOutput(out, rules);
  const summary = summarize(db, snapshotId);
  const items = cached(
    db,
    'SELECT frame_id, video_id, timestamp_s, code, source, note FROM gold_items WHERE snapshot_id = ? ORDER BY frame_id',
  ).all(snapshotId) as { frame_id: string; video_id: string; timestamp_s: number; code: string; source: string; note: string }[];
  const records = [
    [...GOLD_CSV_COLUMNS],
    ...items.map((i) => [i.frame_id, i.video_id, formatSeconds(i.timestamp_s), summary.dimension, i.code, i.source, i.note]),
  ];
  return { rows: items.length, file: writeOutputFile(out, writeCsvForPeople(records[0]!, records.slice(1), GOLD_RAW_COLUMNS), rules) };
}
