import type { AnnotationsError } from '../../../shared/annotations';
import { CoderId } from '../../../shared/coding';
import { FramelabError } from '../../../shared/errors';
import { parseCsv } from './csv';
import { formatTenths, frameIdAt, splitFrameId, toTenths } from '../media/videoIds';
import { describeHeader } from '../workspace/describeContent';

/**
 * Reads the lab's annotations.csv against a codebook, without touching any database: every
 * row is checked and EVERY problem is collected as {row, column, message}, so one run shows
 * the lab all that needs fixing. Rows are numbered from 1 after the header; 0 is the header.
 *
 * Columns: frame_id and coder and one per codebook dimension are required; video_id,
 * timestamp_s and coded_at are optional but checked when present; others are ignored.
 */
export interface CodebookShape {
  /** In codebook order, each with its active category values in order. */
  dimensions: { name: string; categories: string[] }[];
}

export interface AnnotationRow {
  row: number;
  frameId: string;
  videoId: string;
  tenths: number;
  coderId: string;
  /** dimension → category value, or null for a blank cell (a missing code, never a code). */
  codes: Record<string, string | null>;
  /** ISO 8601 (toISOString), or null when the file has none for this row. */
  codedAt: string | null;
}

export interface ParsedAnnotations {
  rows: AnnotationRow[];
  errors: AnnotationsError[];
  counts: {
    rows: number;
    frames: number;
    coders: number;
    codes: Record<string, number>;
    missing: Record<string, number>;
  };
}

export const FIXED_COLUMNS = ['frame_id', 'video_id', 'timestamp_s', 'coder'] as const;

/** old → (dimension → new) for every dimension where `old` is not a category and `new` is. */
export type CategoryMap = Map<string, Map<string, string>>;

/** Reads `old=new` mappings. A mapping whose `new` is no category anywhere is a usage error. */
export function parseMappings(mappings: readonly string[], codebook: CodebookShape): CategoryMap {
  const map: CategoryMap = new Map();
  for (const text of mappings) {
    const eq = text.indexOf('=');
    const from = eq > 0 ? text.slice(0, eq).trim() : '';
    const to = eq > 0 ? text.slice(eq + 1).trim() : '';
    if (!from || !to) throw new FramelabError('INVALID_INPUT', `--map takes "old=new" (e.g. --map "3rd=3rd person"), not "${text}".`);
    let applies = false;
    for (const d of codebook.dimensions) {
      if (!d.categories.includes(to) || d.categories.includes(from)) continue;
      const perDimension = map.get(from) ?? new Map<string, string>();
      const earlier = perDimension.get(d.name);
      if (earlier !== undefined && earlier !== to) {
        throw new FramelabError('INVALID_INPUT', `--map maps "${from}" to both "${earlier}" and "${to}" in ${d.name}; keep one.`);
      }
      perDimension.set(d.name, to);
      map.set(from, perDimension);
      applies = true;
    }
    if (!applies && !codebook.dimensions.some((d) => d.categories.includes(to))) {
      const all = codebook.dimensions.map((d) => `${d.name}: ${d.categories.join(', ')}`).join('; ');
      throw new FramelabError('INVALID_INPUT', `--map "${text}": "${to}" is not a category of any dimension (${all}).`);
    }
  }
  return map;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time, normalised to toISOString(); null when it is not one. */
export function parseIsoDate(text: string): string | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return null;
  const ms = Date.parse(text.replace(' ', 'T'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const squash = (value: string) => value.trim().replace(/\s+/g, ' ').toLowerCase();
const quoted = (value: string) => JSON.stringify(value);
/** Ids name files and folders of the store: no path separators, no control characters. */
const UNSAFE_ID = { test: (id: string) => /[/\\]/.test(id) || [...id].some((c) => c.charCodeAt(0) < 0x20) };

/** How often (in rows) parseAnnotations reports progress. */
const PROGRESS_EVERY = 5000;

export function parseAnnotations(
  text: string,
  codebook: CodebookShape,
  map: CategoryMap = new Map(),
  /** Called every few thousand rows with the rows checked and the file's record count. */
  onProgress?: (rowsChecked: number, records: number) => void,
): ParsedAnnotations {
  const { records, problems } = parseCsv(text);
  const errors: AnnotationsError[] = [];
  const dimensions = codebook.dimensions.map((d) => d.name);
  const counts: ParsedAnnotations['counts'] = {
    rows: 0,
    frames: 0,
    coders: 0,
    codes: Object.fromEntries(dimensions.map((d) => [d, 0])),
    missing: Object.fromEntries(dimensions.map((d) => [d, 0])),
  };
  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) {
    errors.push({
      row: 0,
      column: '',
      message: `The file is empty: the first line must be the header (${[...FIXED_COLUMNS, ...dimensions, 'coded_at'].join(',')}).`,
    });
    return { rows: [], errors, counts };
  }

  // Header → column index. Names are matched without surrounding spaces and case.
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.includes('frame_id')) {
    // Not the lab's file (perhaps not a CSV at all): say so without quoting what it holds, and read no row.
    const what = `The first line has no frame_id column: this is not the lab's annotations.csv (${describeHeader(header, text)}).`;
    errors.push({ row: 0, column: 'frame_id', message: what });
    return { rows: [], errors, counts };
  }
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') return;
    if (index.has(name)) errors.push({ row: 0, column: name, message: `The header has two "${name}" columns; keep one.` });
    else index.set(name, i);
  });
  for (const required of ['frame_id', 'coder', ...dimensions]) {
    if (!index.has(required)) {
      const what = dimensions.includes(required) ? `the codebook's dimension "${required}"` : `"${required}"`;
      errors.push({
        row: 0,
        column: required,
        message: `The header has no ${required} column: ${what} is required (${describeHeader(header)}).`,
      });
    }
  }
  const columnName = (field: number) => names[field] || `column ${field + 1}`;
  for (const p of problems) errors.push({ row: p.record, column: columnName(p.field), message: `Unreadable CSV: ${p.message}.` });
  const badRecords = new Set(problems.map((p) => p.record));

  // A file repeats a few coders and dates on every row: each distinct text is checked once.
  const coderProblems = new Map<string, string | null>();
  const coderProblem = (id: string): string | null => {
    let problem = coderProblems.get(id);
    if (problem === undefined) {
      const checked = CoderId.safeParse(id);
      problem = checked.success ? null : (checked.error.issues[0]?.message ?? 'not a coder id');
      coderProblems.set(id, problem);
    }
    return problem;
  };
  const dates = new Map<string, string | null>();
  const isoDate = (text: string): string | null => {
    let date = dates.get(text);
    if (date === undefined) dates.set(text, (date = parseIsoDate(text)));
    return date;
  };

  const rows: AnnotationRow[] = [];
  const seen = new Map<string, number>(); // frame_id + coder → row
  const frames = new Set<string>();
  const coders = new Set<string>();

  for (let r = 1; r < records.length; r++) {
    if (onProgress && r % PROGRESS_EVERY === 0) onProgress(r, records.length - 1);
    const record = records[r]!;
    if (record.every((cell) => cell.trim() === '')) continue; // an empty line, or a spreadsheet's ",,,," row
    counts.rows++;
    const bad = (column: string, message: string) => errors.push({ row: r, column, message });
    const cell = (column: string): string | undefined => {
      const i = index.get(column);
      return i === undefined ? undefined : (record[i] ?? '');
    };
    if (badRecords.has(r)) continue;
    let ok = true;
    const fail = (column: string, message: string) => {
      bad(column, message);
      ok = false;
    };
    if (record.length < header.length) {
      fail(
        columnName(record.length),
        `This row has ${record.length} fields but the header has ${header.length}: a comma is missing or a line was cut.`,
      );
    } else if (record.slice(header.length).some((c) => c.trim() !== '')) {
      fail(
        columnName(header.length),
        `This row has ${record.length} fields but the header has ${header.length}: quote values that contain commas.`,
      );
    }

    // Ids: not blank, no spaces around them, usable as a file name.
    const frameId = cell('frame_id') ?? '';
    let frameOk = index.has('frame_id');
    const failFrame = (column: string, message: string) => {
      fail(column, message);
      frameOk = false;
    };
    if (index.has('frame_id')) {
      if (frameId.trim() === '') failFrame('frame_id', 'frame_id is blank: every row names its frame.');
      else if (frameId !== frameId.trim())
        failFrame('frame_id', `frame_id ${quoted(frameId)} has spaces around it; write ${quoted(frameId.trim())}.`);
      else if (UNSAFE_ID.test(frameId))
        failFrame('frame_id', `frame_id ${quoted(frameId)} cannot contain / or \\ (it names an image file).`);
    }
    const coderId = cell('coder') ?? '';
    if (index.has('coder')) {
      if (coderId.trim() === '') fail('coder', 'coder is blank: every row names the coder who coded it.');
      else if (coderId !== coderId.trim()) fail('coder', `coder ${quoted(coderId)} has spaces around it; write ${quoted(coderId.trim())}.`);
      else {
        const problem = coderProblem(coderId);
        if (problem) fail('coder', `coder ${quoted(coderId)}: ${problem}.`);
      }
    }

    // video_id and timestamp_s, when present, must agree with the frame id.
    const videoText = cell('video_id')?.trim() ?? '';
    const timeText = cell('timestamp_s')?.trim() ?? '';
    let tenths: number | null = null;
    if (timeText !== '') {
      const seconds = /^\d+(\.\d+)?$/.test(timeText) ? Number(timeText) : NaN;
      if (!Number.isFinite(seconds))
        failFrame('timestamp_s', `timestamp_s ${quoted(timeText)} is not a time in seconds (a number ≥ 0, e.g. 4.0).`);
      else tenths = toTenths(seconds);
    }
    if (videoText !== '' && UNSAFE_ID.test(videoText))
      failFrame('video_id', `video_id ${quoted(videoText)} cannot contain / or \\ (it names a folder).`);
    let videoId = videoText;
    if (frameOk) {
      const fromId = splitFrameId(frameId);
      if (videoText !== '' && tenths !== null) {
        const expected = frameIdAt(videoText, tenths);
        if (expected !== frameId) {
          fail(
            'frame_id',
            `frame_id ${quoted(frameId)} does not match video_id ${quoted(videoText)} and timestamp_s ${timeText}: it should be ${quoted(expected)}.`,
          );
        }
      } else if (!fromId) {
        const missing = [videoText === '' ? 'video_id' : '', tenths === null ? 'timestamp_s' : ''].filter(Boolean).join(' and ');
        fail(
          'frame_id',
          `frame_id ${quoted(frameId)} is not <video_id>_t<seconds> (e.g. vid_0007_t001.0), so its ${missing} cannot be read from it; fill in ${missing}.`,
        );
      } else if (videoText !== '' && fromId.videoId !== videoText) {
        fail(
          'video_id',
          `video_id ${quoted(videoText)} does not match frame_id ${quoted(frameId)} (its video is ${quoted(fromId.videoId)}).`,
        );
      } else if (tenths !== null && fromId.tenths !== tenths) {
        fail(
          'timestamp_s',
          `timestamp_s ${timeText} does not match frame_id ${quoted(frameId)} (its time is ${formatTenths(fromId.tenths)} s).`,
        );
      }
      if (fromId) {
        videoId ||= fromId.videoId;
        tenths ??= fromId.tenths;
      }
    }

    // One code per dimension: a category, a mapped value, or blank (missing).
    const codes: Record<string, string | null> = {};
    for (const d of codebook.dimensions) {
      const value = cell(d.name);
      if (value === undefined) continue;
      if (value.trim() === '') {
        codes[d.name] = null;
        counts.missing[d.name]!++;
        continue;
      }
      counts.codes[d.name]!++;
      if (d.categories.includes(value)) {
        codes[d.name] = value;
        continue;
      }
      const mapped = map.get(value)?.get(d.name) ?? map.get(value.trim())?.get(d.name);
      if (mapped !== undefined) {
        codes[d.name] = mapped;
        continue;
      }
      const near = d.categories.find((c) => squash(c) === squash(value));
      if (near !== undefined) {
        fail(
          d.name,
          `${quoted(value)} is not a ${d.name} category; did you mean ${quoted(near)}? Fix the cell, or import with --map ${quoted(`${value}=${near}`)}.`,
        );
      } else {
        fail(
          d.name,
          `${quoted(value)} is not a ${d.name} category (${d.categories.map(quoted).join(', ')}). Fix the cell, or import with --map ${quoted(`${value}=<category>`)}.`,
        );
      }
    }

    let codedAt: string | null = null;
    const codedAtText = cell('coded_at')?.trim() ?? '';
    if (codedAtText !== '') {
      codedAt = isoDate(codedAtText);
      if (codedAt === null) fail('coded_at', `coded_at ${quoted(codedAtText)} is not an ISO 8601 date (e.g. 2025-02-19T22:55:20Z).`);
    }

    if (frameId.trim() !== '' && coderId.trim() !== '') {
      const key = `${frameId}\u0000${coderId}`;
      const first = seen.get(key);
      if (first !== undefined)
        fail('frame_id', `Frame ${quoted(frameId)} and coder ${quoted(coderId)} are already in row ${first}: one row per frame × coder.`);
      else seen.set(key, r);
      frames.add(frameId);
      coders.add(coderId);
    }
    if (ok && tenths !== null) rows.push({ row: r, frameId, videoId, tenths, coderId, codes, codedAt });
  }
  counts.frames = frames.size;
  counts.coders = coders.size;
  const order = (column: string) => (names.indexOf(column) < 0 ? Number.MAX_SAFE_INTEGER : names.indexOf(column));
  errors.sort((a, b) => a.row - b.row || order(a.column) - order(b.column));
  return { rows, errors, counts };
}
