import { parseCsv, writeCsv } from '../annotations/csv';
import { parseIsoDate } from '../annotations/parseAnnotations';
import { formatSeconds, splitFrameId, toTenths } from '../media/videoIds';

/**
 * The three-way merge of one sync round, pure: the bucket's annotations.csv as downloaded
 * (remote), as it was after the last round that reached it (base), and the local codes with the
 * keys edited locally since that round. Per frame × coder × dimension:
 *
 * - changed in the bucket only (remote ≠ base): the bucket's value is applied locally;
 * - edited locally only: the local value goes up;
 * - both (and different): a conflict; the newer edit wins (a tie goes to the bucket, the
 *   truth), the loser stays in the history and the conflict is listed for the lead;
 * - a blank cell or a missing row in the bucket is no information: it never deletes a local
 *   code, and a local code the bucket lost is written back (the union is kept);
 * - an undo that removed a code locally stays local (the bucket keeps the value; the frame
 *   comes back to its coder, whose next save goes up as usual).
 *
 * The merged file is the lab's shape (frame_id, video_id, timestamp_s, coder, each dimension,
 * coded_at), rows by frame_id then coder, followed by every column other scripts added, kept
 * row by row. A row nobody changed is written back exactly as it was, so a round where nothing
 * changed produces the very same text and uploads nothing.
 */

export interface LocalCode {
  value: string;
  /** ISO time of the edit (codes.coded_at). */
  at: string;
}

export interface LocalRow {
  videoId: string;
  seconds: number;
  codes: Map<string, LocalCode>;
}

export interface MergeInput {
  /** The codebook's dimensions, in order. */
  dimensions: readonly string[];
  remoteText: string | null;
  /** The object's update time: the edit time of a row without coded_at. */
  remoteUpdated: string | null;
  baseText: string | null;
  /** frame_id \0 coder → local codes. */
  local: ReadonlyMap<string, LocalRow>;
  /** frame_id \0 coder \0 dimension, for codes edited locally since the last round. */
  edited: ReadonlySet<string>;
}

export interface ApplyCode {
  frameId: string;
  coderId: string;
  dimension: string;
  value: string;
  /** The local value the merge saw; the write is skipped if the code changed since. */
  before: string | null;
  at: string;
  /** From the row or the frame id; null when neither says (then only a known frame can take it). */
  videoId: string | null;
  tenths: number | null;
}

export interface MergeConflict {
  frameId: string;
  coder: string;
  dimension: string;
  local: string | null;
  remote: string | null;
  applied: string | null;
  localAt: string | null;
  remoteAt: string | null;
  /** True when the local value won (the bucket's value goes into the history only). */
  keptLocal: boolean;
}

export interface BlankCell {
  frameId: string;
  coderId: string;
  dimension: string;
  videoId: string | null;
  tenths: number | null;
}

export interface MergeResult {
  text: string;
  /** Data rows downloaded. */
  rowsIn: number;
  /** Data rows in the merged file. */
  rowsOut: number;
  /** The merged text differs from the bucket's: it must be uploaded. */
  changed: boolean;
  apply: ApplyCode[];
  conflicts: MergeConflict[];
  /** Blank cells in the bucket where no local code exists: re-code entries for their coder. */
  blanks: BlankCell[];
  /** Frames with rows from two or more coders (the overlap set). */
  overlap: Set<string>;
  problems: string[];
}

const SEP = '\u0000';
export const rowKey = (frameId: string, coderId: string) => `${frameId}${SEP}${coderId}`;
export const codeKey = (frameId: string, coderId: string, dimension: string) => `${frameId}${SEP}${coderId}${SEP}${dimension}`;

interface SheetRow {
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
function rowTime(row: SheetRow): string | null {
  if (row.at !== undefined) return row.at;
  let at = isoCache.get(row.codedAt);
  if (at === undefined) {
    at = row.codedAt ? parseIsoDate(row.codedAt) : null;
    if (isoCache.size > 10_000) isoCache.clear();
    isoCache.set(row.codedAt, at);
  }
  return (row.at = at);
}

interface Sheet {
  header: string[];
  /** Lower-cased, trimmed header names → column index. */
  index: Map<string, number>;
  rows: Map<string, SheetRow>;
  /** Records that are not a frame × coder row (no frame_id or coder): kept verbatim. */
  loose: string[][];
  rowsIn: number;
  problems: string[];
}

const LAB_FIXED = ['frame_id', 'video_id', 'timestamp_s', 'coder'] as const;

/** parseCsv, with a fast path for the common file without any quote (plain splits give the same records). */
function readCsv(text: string): ReturnType<typeof parseCsv> {
  if (text.includes('"')) return parseCsv(text);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return { records: lines.map((line) => line.split(',')), problems: [] };
}

function readSheet(text: string | null, dimensions: readonly string[], label: string): Sheet {
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

/** 2025-02-19T22:55:20.000Z → 2025-02-19T22:55:20Z, as the lab's file writes it. */
export const formatCodedAt = (iso: string) => iso.replace(/\.000Z$/, 'Z');
const EPOCH = '1970-01-01T00:00:00.000Z';

function frameOf(frameId: string, videoText: string, timeText: string): { videoId: string | null; tenths: number | null } {
  const fromId = splitFrameId(frameId);
  const seconds = /^\d+(\.\d+)?$/.test(timeText) ? Number(timeText) : NaN;
  return {
    videoId: videoText || fromId?.videoId || null,
    tenths: Number.isFinite(seconds) ? toTenths(seconds) : (fromId?.tenths ?? null),
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function mergeAnnotations(input: MergeInput): MergeResult {
  const { dimensions, local, edited } = input;
  const remote = readSheet(input.remoteText, dimensions, 'bucket');
  const base = input.baseText === input.remoteText ? remote : readSheet(input.baseText, dimensions, 'base');
  const labColumns = [...LAB_FIXED, ...dimensions, 'coded_at'];
  const labSet = new Set<string>(labColumns);
  // Columns other scripts added, in the bucket's order and spelling.
  const foreign = remote.header
    .map((name, i) => ({ name, i, key: name.trim().toLowerCase() }))
    .filter((c) => c.key !== '' && !labSet.has(c.key) && remote.index.get(c.key) === c.i);
  const header = [...labColumns, ...foreign.map((c) => c.name)];
  const remoteTime = input.remoteUpdated ?? EPOCH;

  const result: MergeResult = {
    text: '',
    rowsIn: remote.rowsIn,
    rowsOut: 0,
    changed: false,
    apply: [],
    conflicts: [],
    blanks: [],
    overlap: new Set(),
    problems: remote.problems,
  };

  const keys = new Set<string>([...remote.rows.keys(), ...local.keys()]);
  const out: { frameId: string; coderId: string; cells: string[] }[] = [];
  const codersByFrame = new Map<string, number>();
  // Where each output column is in the bucket's file (undefined: the file lacks it).
  const sourceColumn = header.map((name) => remote.index.get(name.trim().toLowerCase()));
  const videoColumn = remote.index.get('video_id') ?? -1;
  const timeColumn = remote.index.get('timestamp_s') ?? -1;
  const values: (string | null)[] = new Array(dimensions.length);
  const times: (string | null)[] = new Array(dimensions.length);

  for (const key of keys) {
    const r = remote.rows.get(key);
    const b = base.rows.get(key);
    const l = local.get(key);
    const sep = key.indexOf(SEP);
    const frameId = key.slice(0, sep);
    const coderId = key.slice(sep + 1);
    const rowAt = r ? (rowTime(r) ?? remoteTime) : remoteTime;
    const videoText = r ? (r.record[videoColumn] ?? '').trim() : '';
    const timeText = r ? (r.record[timeColumn] ?? '').trim() : '';
    let located: { videoId: string | null; tenths: number | null } | undefined;
    const where = () => (located ??= r ? frameOf(frameId, videoText, timeText) : { videoId: l!.videoId, tenths: toTenths(l!.seconds) });

    let sameAsRemote = r !== undefined;
    let anyCode = false;
    for (let k = 0; k < dimensions.length; k++) {
      const d = dimensions[k]!;
      const R = r?.values.get(d) ?? null;
      const B = b?.values.get(d) ?? null;
      const lc = l?.codes.get(d);
      const L = lc?.value ?? null;
      const E = edited.size > 0 && edited.has(codeKey(frameId, coderId, d));
      const remoteChanged = R !== null && R !== B;
      let value: string | null;
      let at: string | null;
      const take = (v: string) => result.apply.push({ frameId, coderId, dimension: d, value: v, before: L, at: rowAt, ...where() });
      if (E && L !== null) {
        if (remoteChanged && R !== L) {
          const localWins = lc!.at > rowAt;
          value = localWins ? L : R;
          at = localWins ? lc!.at : rowAt;
          if (!localWins) take(R);
          result.conflicts.push({ frameId, coder: coderId, dimension: d, local: L, remote: R, applied: value, localAt: lc!.at, remoteAt: r ? rowTime(r) : input.remoteUpdated, keptLocal: localWins });
        } else {
          value = L;
          at = R === L ? rowAt : lc!.at;
        }
      } else if (R !== null) {
        value = R;
        at = rowAt;
        // Changed in the bucket: applied here. Unchanged there but absent here: a local undo, kept local.
        if (remoteChanged && R !== L) take(R);
      } else if (L !== null && !E) {
        value = L; // the bucket lost it (a blank cell, a missing row): write it back
        at = lc!.at;
      } else {
        value = null;
        at = null;
        if (r && r.values.has(d) && L === null) result.blanks.push({ frameId, coderId, dimension: d, ...where() });
      }
      values[k] = value;
      times[k] = at;
      if (value !== null) anyCode = true;
      if (value !== R) sameAsRemote = false;
    }

    if (!r && !anyCode) continue;
    codersByFrame.set(frameId, (codersByFrame.get(frameId) ?? 0) + 1);
    let cells: string[];
    if (r && sameAsRemote) {
      // Nobody changed this row: written back exactly as it was (a lab column the file lacks is filled in).
      cells = new Array(header.length);
      for (let c = 0; c < header.length; c++) {
        const i = sourceColumn[c];
        if (i !== undefined) cells[c] = r.record[i] ?? '';
        else if (header[c] === 'video_id') cells[c] = where().videoId ?? '';
        else if (header[c] === 'timestamp_s') cells[c] = where().tenths !== null ? formatSeconds(where().tenths! / 10) : '';
        else if (header[c] === 'coded_at') cells[c] = anyCode ? formatCodedAt(rowAt) : '';
        else cells[c] = '';
      }
    } else {
      let latest: string | null = null;
      for (let k = 0; k < dimensions.length; k++) if (values[k] !== null && times[k] !== null && (latest === null || times[k]! > latest)) latest = times[k]!;
      latest ??= r ? rowTime(r) : null;
      cells = [
        frameId,
        videoText || l?.videoId || where().videoId || '',
        timeText || (l ? formatSeconds(l.seconds) : where().tenths !== null ? formatSeconds(where().tenths! / 10) : ''),
        coderId,
        ...values.map((v) => v ?? ''),
        latest ? formatCodedAt(latest) : '',
        ...foreign.map((c) => (r ? (r.record[c.i] ?? '') : '')),
      ];
    }
    out.push({ frameId, coderId, cells });
  }

  for (const [frameId, n] of codersByFrame) if (n >= 2) result.overlap.add(frameId);
  out.sort((a, b) => compare(a.frameId, b.frameId) || compare(a.coderId, b.coderId));
  const looseRows = remote.loose.map((record) =>
    header.map((name) => {
      const i = remote.index.get(name.trim().toLowerCase());
      return i === undefined ? '' : (record[i] ?? '');
    }),
  );
  const records = [header, ...out.map((o) => o.cells), ...looseRows];
  result.rowsOut = records.length - 1;
  result.text = writeCsv(records);
  result.changed = input.remoteText === null ? result.rowsOut > 0 : result.text !== input.remoteText;
  return result;
}
