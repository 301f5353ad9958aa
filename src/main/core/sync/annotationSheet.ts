/**
 * annotations.csv read for the sync merge (merge.ts): its header, and one row per frame × coder
 * with the codes of the codebook's dimensions; records without a frame_id or coder are kept as
 * they are, and two rows for one frame × coder become one.
 */
import { parseCsv } from '../annotations/csv';
import { parseIsoDate } from '../annotations/parseAnnotations';

export const SEP = '\u0000';
export const rowKey = (frameId: string, coderId: string) => `${frameId}${SEP}${coderId}`;
export const codeKey = (frameId: string, coderId: string, dimension: string) => `${frameId}${SEP}${coderId}${SEP}${dimension}`;

export interface SheetRow {
  frameId: string;
  coderId: string;
  /** The record as read, by column index of its sheet. */
  record: string[];
  values: Map<string, string | null>;
  /** The row's coded_at as written ('' when blank); `rowTime` reads it. */
  codedAt: string;
  /** ISO time of the row's latest edit (null: blank or unreadable), once read. */
  at?: string | null;
}

const isoCache = new Map<string, string | null>();
/** coded_at as an ISO time; files repeat the same few times, so each text is read once. */
export function rowTime(row: SheetRow): string | null {
  if (row.at !== undefined) return row.at;
  let at = isoCache.get(row.codedAt);
  if (at === undefined) {
    at = row.codedAt ? parseIsoDate(row.codedAt) : null;
    if (isoCache.size > 10_000) isoCache.clear();
    isoCache.set(row.codedAt, at);
  }
  return (row.at = at);
}

export interface Sheet {
  header: string[];
  /** Lower-cased, trimmed header names → column index. */
  index: Map<string, number>;
  rows: Map<string, SheetRow>;
  /** Records that are not a frame × coder row (no frame_id or coder): kept verbatim. */
  loose: string[][];
  rowsIn: number;
  problems: string[];
}

/** parseCsv, with a fast path for the common file without any quote (plain splits give the same records). */
function readCsv(text: string): ReturnType<typeof parseCsv> {
  if (text.includes('"')) return parseCsv(text);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return { records: lines.map((line) => line.split(',')), problems: [] };
}

export function readSheet(text: string | null, dimensions: readonly string[], label: string): Sheet {
  const sheet: Sheet = { header: [], index: new Map(), rows: new Map(), loose: [], rowsIn: 0, problems: [] };
  if (text === null || text.trim() === '') return sheet;
  const { records, problems } = readCsv(text);
  for (const p of problems) sheet.problems.push(`${label} record ${p.record}: ${p.message}`);
  sheet.header = records[0] ?? [];
  sheet.header.forEach((name, i) => {
    const key = name.trim().toLowerCase();
    if (key !== '' && !sheet.index.has(key)) sheet.index.set(key, i);
  });
  const col = (record: string[], name: string) => {
    const i = sheet.index.get(name);
    return i === undefined ? '' : (record[i] ?? '').trim();
  };
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    if (record.every((cell) => cell.trim() === '')) continue;
    sheet.rowsIn++;
    const frameId = col(record, 'frame_id');
    const coderId = col(record, 'coder');
    if (frameId === '' || coderId === '') {
      sheet.loose.push(record);
      sheet.problems.push(`${label} row ${r}: no frame_id or coder; kept as it is`);
      continue;
    }
    const values = new Map<string, string | null>();
    for (const d of dimensions) {
      if (!sheet.index.has(d)) continue;
      const v = col(record, d);
      values.set(d, v === '' ? null : v);
    }
    const codedAt = col(record, 'coded_at');
    const row: SheetRow = { frameId, coderId, record, values, codedAt };
    const key = rowKey(frameId, coderId);
    const first = sheet.rows.get(key);
    if (!first) {
      sheet.rows.set(key, row);
      continue;
    }
    // Two rows for one frame × coder: one row, each code from the later edit.
    sheet.problems.push(`${label} row ${r}: a second row for ${frameId} × ${coderId}; merged into one`);
    const later = (rowTime(row) ?? '') > (rowTime(first) ?? '');
    for (const [d, v] of values) {
      if (v !== null && (first.values.get(d) == null || later)) first.values.set(d, v);
    }
    if (later) {
      first.at = row.at;
      first.codedAt = row.codedAt;
    }
    first.record = first.record.map((cell, i) => (cell.trim() === '' ? (record[i] ?? '') : cell));
  }
  return sheet;
}
