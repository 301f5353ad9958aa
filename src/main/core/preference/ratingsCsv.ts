import { PreferenceVideoId, RATING_COLUMNS, RaterId, SUB_SCORES, type RatingsCsvError } from '../../../shared/preference';
import { parseCsv } from '../annotations/csv';
import { restoreFormulaText, writeCsvForPeople } from '../annotations/csvForPeople';
import { parseIsoDate } from '../annotations/parseAnnotations';
import { describeHeader } from '../workspace/describeContent';
import { cleanNotes, type RatingValues } from './ratings';

/**
 * The ratings CSV: exactly the columns `video_id, rater, rater_type, overall, hook, pacing,
 * payoff, notes, rated_at`, one rating a row. It is at once the import file, the export file
 * and the bucket's ratings.csv (one format everywhere: an export imports back, the bucket's
 * file can be imported by hand). Written for people: the notes cell is neutralised against
 * spreadsheet formulas (a leading `'`), which reading takes off again, so a round trip is
 * exact. Reading never throws on bad input: it returns every bad row by row (1 = the first
 * after the header, 0 = the header) and column, with what to do.
 */

export interface ParsedRating {
  row: number;
  values: RatingValues;
  /** The record as read (the bucket's rows are written back exactly as they were). */
  record: string[];
}

export interface ParsedRatings {
  header: string[];
  /** Lower-cased, trimmed header names → column index. */
  index: Map<string, number>;
  ratings: ParsedRating[];
  /** Data rows that are not a rating (each has errors); the record as read. */
  bad: { row: number; record: string[] }[];
  errors: RatingsCsvError[];
  /** Data rows (blank lines aside). */
  rows: number;
}

const NUMBER = /^\d+(?:\.\d+)?$/;

/** The text of a score cell as a score, or why it is not one. */
export function readScore(text: string, column: string): { value: number } | { error: string } {
  const t = text.trim();
  if (!NUMBER.test(t)) {
    const hint = /^\d+,\d+$/.test(t) ? ` (write the decimal with a dot: ${t.replace(',', '.')})` : '';
    return {
      error: `${column} ${JSON.stringify(t.slice(0, 30))} is not a number${hint}; scores are 0 to 10 in steps of 0.5 (e.g. 7 or 7.5).`,
    };
  }
  const value = Number(t);
  if (value > 10) return { error: `${column} ${t} is above 10; scores are 0 to 10 in steps of 0.5.` };
  if (!Number.isInteger(value * 2))
    return { error: `${column} ${t} is not in steps of 0.5 (e.g. 7 or 7.5); scores are 0 to 10 in steps of 0.5.` };
  return { value };
}

/**
 * `sameTime: 'refuse'` (imports): a second row rating one video by one rater at the same
 * rated_at with other values is an error. `'keep'` (the bucket's file): two machines may each
 * have stored one; both are ratings, and the current one is chosen the same way everywhere.
 */
export function parseRatingsCsv(text: string, options: { sameTime?: 'refuse' | 'keep' } = {}): ParsedRatings {
  const refuseSameTime = (options.sameTime ?? 'refuse') === 'refuse';
  const { records, problems } = parseCsv(text);
  const out: ParsedRatings = { header: [], index: new Map(), ratings: [], bad: [], errors: [], rows: 0 };
  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) {
    out.errors.push({ row: 0, column: '', message: `The file is empty: the first line must be the header (${RATING_COLUMNS.join(',')}).` });
    return out;
  }
  out.header = header;
  const names = header.map((h) => h.trim().toLowerCase());
  names.forEach((name, i) => {
    if (name === '') return;
    if (out.index.has(name)) out.errors.push({ row: 0, column: name, message: `The header has two "${name}" columns; keep one.` });
    else out.index.set(name, i);
  });
  const missing = RATING_COLUMNS.filter((c) => !out.index.has(c));
  if (missing.length === RATING_COLUMNS.length || !out.index.has('video_id')) {
    out.errors.push({
      row: 0,
      column: 'video_id',
      message: `The first line is not the ratings header (${RATING_COLUMNS.join(',')}); this file has ${describeHeader(header, text)}.`,
    });
    return out;
  }
  for (const column of missing) {
    out.errors.push({
      row: 0,
      column,
      message: `The header has no ${column} column; a ratings CSV has exactly ${RATING_COLUMNS.join(', ')} (a column may be empty, not absent).`,
    });
  }
  if (missing.length > 0) return out;

  const columnName = (field: number) => names[field] || `column ${field + 1}`;
  const badRecords = new Map<number, string>();
  for (const p of problems) {
    out.errors.push({ row: p.record, column: columnName(p.field), message: `Unreadable CSV: ${p.message}.` });
    badRecords.set(p.record, p.message);
  }
  // The same video × rater × time twice with different values: one of them is wrong.
  const seen = new Map<string, { row: number; values: string }>();

  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    if (record.every((cell) => cell.trim() === '')) continue;
    out.rows++;
    let ok = !badRecords.has(r);
    const fail = (column: string, message: string) => {
      out.errors.push({ row: r, column, message });
      ok = false;
    };
    const cell = (column: string) => record[out.index.get(column)!] ?? '';
    if (ok && record.length < header.length) {
      fail(
        columnName(record.length),
        `This row has ${record.length} fields but the header has ${header.length}: a comma is missing or a line was cut.`,
      );
    } else if (ok && record.slice(header.length).some((c) => c.trim() !== '')) {
      fail(
        columnName(header.length),
        `This row has ${record.length} fields but the header has ${header.length}: quote values that contain commas.`,
      );
    }
    if (badRecords.has(r) || !ok) {
      out.bad.push({ row: r, record });
      continue;
    }

    const videoId = cell('video_id');
    const video = PreferenceVideoId.safeParse(videoId);
    if (videoId.trim() === '') fail('video_id', 'video_id is blank: every row names its video.');
    else if (!video.success)
      fail('video_id', `video_id ${JSON.stringify(videoId.slice(0, 80))}: ${video.error.issues[0]?.message ?? 'not a video id'}.`);
    const rater = cell('rater');
    const raterOk = RaterId.safeParse(rater);
    if (rater.trim() === '') fail('rater', 'rater is blank: every row names who rated.');
    else if (!raterOk.success)
      fail('rater', `rater ${JSON.stringify(rater.slice(0, 80))}: ${raterOk.error.issues[0]?.message ?? 'not a rater id'}.`);
    const raterType = cell('rater_type').trim();
    if (raterType !== 'owner' && raterType !== 'other') {
      const near = raterType.toLowerCase();
      const hint = near === 'owner' || near === 'other' ? ` (write it in lower case: ${near})` : '';
      fail(
        'rater_type',
        raterType === ''
          ? 'rater_type is blank: owner or other.'
          : `rater_type ${JSON.stringify(raterType.slice(0, 30))} is not owner or other${hint}.`,
      );
    }
    const scores: Record<string, number | null> = {};
    const overallText = cell('overall');
    if (overallText.trim() === '') fail('overall', 'overall is blank: every rating has an overall score (0 to 10 in steps of 0.5).');
    else {
      const s = readScore(overallText, 'overall');
      if ('error' in s) fail('overall', s.error);
      else scores.overall = s.value;
    }
    for (const column of SUB_SCORES) {
      const t = cell(column);
      if (t.trim() === '') {
        scores[column] = null;
        continue;
      }
      const s = readScore(t, column);
      if ('error' in s) fail(column, s.error);
      else scores[column] = s.value;
    }
    const notes = cleanNotes(restoreFormulaText(cell('notes')));
    const ratedAtText = cell('rated_at').trim();
    const ratedAt = ratedAtText === '' ? null : parseIsoDate(ratedAtText);
    if (ratedAtText === '')
      fail('rated_at', 'rated_at is blank: every rating says when it was given (ISO 8601, e.g. 2025-03-01T10:00:00Z).');
    else if (ratedAt === null)
      fail('rated_at', `rated_at ${JSON.stringify(ratedAtText.slice(0, 40))} is not an ISO 8601 date (e.g. 2025-03-01T10:00:00Z).`);
    if (!ok) {
      out.bad.push({ row: r, record });
      continue;
    }
    const values: RatingValues = {
      videoId,
      rater,
      raterType: raterType as 'owner' | 'other',
      overall: scores.overall!,
      hook: scores.hook ?? null,
      pacing: scores.pacing ?? null,
      payoff: scores.payoff ?? null,
      notes,
      ratedAt: ratedAt!,
    };
    const key = `${videoId}\u0000${rater}\u0000${ratedAt}`;
    const text = JSON.stringify(values);
    const first = seen.get(key);
    if (refuseSameTime && first && first.values !== text) {
      fail(
        'rated_at',
        `Row ${first.row} already rates ${videoId} by ${rater} at ${ratedAtText} with other values; one rater rates a video once at a time (give the later one its own rated_at).`,
      );
      out.bad.push({ row: r, record });
      continue;
    }
    if (!first) seen.set(key, { row: r, values: text });
    out.ratings.push({ row: r, values, record });
  }
  const order = (column: string) => (RATING_COLUMNS as readonly string[]).indexOf(column);
  out.errors.sort((a, b) => a.row - b.row || order(a.column) - order(b.column));
  return out;
}

/** 2025-03-01T10:00:00.000Z → 2025-03-01T10:00:00Z (the same instant, as people write it). */
export const formatRatedAt = (iso: string) => iso.replace(/\.000Z$/, 'Z');
const score = (v: number | null) => (v === null ? '' : String(v));

/** A rating as the CSV's cells, in RATING_COLUMNS order (notes not yet neutralised). */
export function ratingCells(v: RatingValues): string[] {
  return [
    v.videoId,
    v.rater,
    v.raterType,
    String(v.overall),
    score(v.hook),
    score(v.pacing),
    score(v.payoff),
    v.notes,
    formatRatedAt(v.ratedAt),
  ];
}

/** Ratings as the CSV (header, then the rows in the order given); only notes are neutralised. */
export function writeRatingsCsv(ratings: readonly RatingValues[]): string {
  const raw = RATING_COLUMNS.filter((c) => c !== 'notes');
  return writeCsvForPeople(RATING_COLUMNS, ratings.map(ratingCells), raw);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order of every ratings CSV Framelab writes: video_id, rater, rated_at. */
export const compareRatings = (a: RatingValues, b: RatingValues) =>
  compare(a.videoId, b.videoId) || compare(a.rater, b.rater) || compare(a.ratedAt, b.ratedAt);
