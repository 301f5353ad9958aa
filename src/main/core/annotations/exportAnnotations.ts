import type { Db } from '../db/open';
import { fileOutput, writeOutputFile } from '../workspace/outputPaths';
import { writeCsv } from './csv';
import { formatSeconds } from '../media/videoIds';

/**
 * Writes the lab's annotations.csv: one row per frame × coder holding at least one code,
 * `frame_id, video_id, timestamp_s, coder`, each dimension in codebook order, `coded_at`
 * (the latest of that frame × coder's codes). A missing code is an empty cell. Rows are
 * sorted by frame_id, then coder; the file appears whole or not at all (temp file + rename).
 */
interface CodeRow {
  frame_id: string;
  video_id: string;
  timestamp_s: number;
  coder_id: string;
  dimension: string;
  value: string;
  coded_at: string;
}

/** 2025-02-19T22:55:20.000Z → 2025-02-19T22:55:20Z, as the lab's file writes it. */
export const formatCodedAt = (iso: string) => iso.replace(/\.000Z$/, 'Z');

export function annotationRecords(db: Db): string[][] {
  const dimensions = (db.prepare('SELECT name FROM dimensions ORDER BY position, name').all() as { name: string }[]).map((d) => d.name);
  const codes = db
    .prepare(
      `SELECT k.frame_id, f.video_id, f.timestamp_s, k.coder_id, k.dimension, c.value, k.coded_at
       FROM codes k JOIN frames f ON f.frame_id = k.frame_id JOIN categories c ON c.id = k.category_id`,
    )
    .all() as CodeRow[];
  const byKey = new Map<string, { first: CodeRow; values: Map<string, string>; codedAt: string }>();
  for (const code of codes) {
    const key = `${code.frame_id}\u0000${code.coder_id}`;
    const entry = byKey.get(key) ?? { first: code, values: new Map<string, string>(), codedAt: code.coded_at };
    entry.values.set(code.dimension, code.value);
    if (code.coded_at > entry.codedAt) entry.codedAt = code.coded_at;
    byKey.set(key, entry);
  }
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const rows = [...byKey.values()].sort(
    (a, b) => compare(a.first.frame_id, b.first.frame_id) || compare(a.first.coder_id, b.first.coder_id),
  );
  return [
    ['frame_id', 'video_id', 'timestamp_s', 'coder', ...dimensions, 'coded_at'],
    ...rows.map(({ first, values, codedAt }) => [
      first.frame_id,
      first.video_id,
      formatSeconds(first.timestamp_s),
      first.coder_id,
      ...dimensions.map((d) => values.get(d) ?? ''),
      formatCodedAt(codedAt),
    ]),
  ];
}

/** Writes the CSV to a path the caller chose (outputPaths rules: a .csv, never replaced unless `overwrite`). */
export function exportAnnotations(db: Db, out: string, overwrite = false): { rows: number; file: string } {
  const rules = { extensions: ['csv'], overwrite };
  fileOutput(out, rules); // refuse a bad path before reading every code
  const records = annotationRecords(db);
  const file = writeOutputFile(out, writeCsv(records), rules);
  return { rows: records.length - 1, file };
}
