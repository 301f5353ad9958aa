/**
 * The merged annotations.csv (merge.ts): the lab's columns, then the ones other scripts added;
 * a row nobody changed is written back exactly as the bucket had it, a merged one in the lab's
 * shape; rows by frame_id then coder, then the bucket's loose records.
 */
import { formatCodedAt } from '../annotations/exportAnnotations';
import { formatSeconds } from '../media/videoIds';
import { rowTime, type Sheet, type SheetRow } from './annotationSheet';
import type { LocalRow } from './merge';

const LAB_FIXED = ['frame_id', 'video_id', 'timestamp_s', 'coder'] as const;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface Location {
  videoId: string | null;
  tenths: number | null;
}

/** One frame × coder as the bucket (r), the base (b) and the local store (l) have it. */
export interface RowSides {
  frameId: string;
  coderId: string;
  r: SheetRow | undefined;
  b: SheetRow | undefined;
  l: LocalRow | undefined;
  /** The edit time of the bucket's row (the object's update time when the row has none). */
  rowAt: string;
  videoText: string;
  timeText: string;
  /** Where the frame is: from the bucket's row or frame id, else the local frame (read once, when needed). */
  where: () => Location;
}

export interface MergedRow {
  frameId: string;
  coderId: string;
  cells: string[];
}

/** The merged codes of one row, by dimension index (reused from row to row). */
export interface RowCodes {
  values: (string | null)[];
  times: (string | null)[];
}

/** The merged file's columns, and where each is in the bucket's file. */
export interface Layout {
  header: string[];
  /** Columns other scripts added, in the bucket's order and spelling (i: their index there). */
  foreign: { name: string; i: number }[];
  /** Where each output column is in the bucket's file (undefined: the file lacks it). */
  sourceColumn: (number | undefined)[];
  videoColumn: number;
  timeColumn: number;
}

export function outputLayout(remote: Sheet, dimensions: readonly string[]): Layout {
  const labColumns = [...LAB_FIXED, ...dimensions, 'coded_at'];
  const labSet = new Set<string>(labColumns);
  const foreign = remote.header
    .map((name, i) => ({ name, i, key: name.trim().toLowerCase() }))
    .filter((c) => c.key !== '' && !labSet.has(c.key) && remote.index.get(c.key) === c.i);
  const header = [...labColumns, ...foreign.map((c) => c.name)];
  return {
    header,
    foreign,
    sourceColumn: header.map((name) => remote.index.get(name.trim().toLowerCase())),
    videoColumn: remote.index.get('video_id') ?? -1,
    timeColumn: remote.index.get('timestamp_s') ?? -1,
  };
}

/** Nobody changed this row: written back exactly as it was (a lab column the file lacks is filled in). */
export function unchangedCells(layout: Layout, r: SheetRow, sides: RowSides, anyCode: boolean): string[] {
  const { header, sourceColumn } = layout;
  const { where } = sides;
  const cells = new Array<string>(header.length);
  for (let c = 0; c < header.length; c++) {
    const i = sourceColumn[c];
    if (i !== undefined) cells[c] = r.record[i] ?? '';
    else if (header[c] === 'video_id') cells[c] = where().videoId ?? '';
    else if (header[c] === 'timestamp_s') cells[c] = where().tenths !== null ? formatSeconds(where().tenths! / 10) : '';
    else if (header[c] === 'coded_at') cells[c] = anyCode ? formatCodedAt(sides.rowAt) : '';
    else cells[c] = '';
  }
  return cells;
}

/** A row the merge changed, in the lab's shape: coded_at is its latest code's edit, the foreign columns as the bucket had them. */
export function mergedCells(layout: Layout, sides: RowSides, codes: RowCodes): string[] {
  const { frameId, coderId, r, l, where } = sides;
  const { values, times } = codes;
  let latest: string | null = null;
  for (let k = 0; k < values.length; k++)
    if (values[k] !== null && times[k] !== null && (latest === null || times[k]! > latest)) latest = times[k]!;
  latest ??= r ? rowTime(r) : null;
  return [
    frameId,
    sides.videoText || l?.videoId || where().videoId || '',
    sides.timeText || (l ? formatSeconds(l.seconds) : where().tenths !== null ? formatSeconds(where().tenths! / 10) : ''),
    coderId,
    ...values.map((v) => v ?? ''),
    latest ? formatCodedAt(latest) : '',
    ...layout.foreign.map((c) => (r ? (r.record[c.i] ?? '') : '')),
  ];
}

/** Frames with rows from two or more coders. */
export function overlapFrames(rows: readonly MergedRow[]): Set<string> {
  const codersByFrame = new Map<string, number>();
  for (const { frameId } of rows) codersByFrame.set(frameId, (codersByFrame.get(frameId) ?? 0) + 1);
  const overlap = new Set<string>();
  for (const [frameId, n] of codersByFrame) if (n >= 2) overlap.add(frameId);
  return overlap;
}

/** The merged file's records: the header, the rows by frame_id then coder, then the bucket's loose records in these columns. */
export function mergedRecords(rows: MergedRow[], remote: Sheet, header: string[]): string[][] {
  rows.sort((a, b) => compare(a.frameId, b.frameId) || compare(a.coderId, b.coderId));
  const looseRows = remote.loose.map((record) =>
    header.map((name) => {
      const i = remote.index.get(name.trim().toLowerCase());
      return i === undefined ? '' : (record[i] ?? '');
    }),
  );
  return [header, ...rows.map((o) => o.cells), ...looseRows];
}
