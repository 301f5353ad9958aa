import { FramelabError } from '../../../shared/errors';
import { parseCsv } from '../annotations/csv';
import { describeHeader } from '../workspace/describeContent';

/**
 * What every reliability statistic reads: an ordered list of categories (the codebook's
 * order, never alphabetical; a declared category nobody used still counts), the coders, and
 * the units, each with the codes it got as category indexes. A coder without a code for a
 * unit simply has no entry: a missing code is never a category.
 */
export interface ReliabilityUnit {
  unitId: string;
  /** The unit's group (its video) for resampling whole groups; null when there is none. */
  group: string | null;
  /** coder → index into `categories`. */
  codes: Map<string, number>;
}

export interface ReliabilityData {
  categories: string[];
  /** Sorted; only coders with at least one code. */
  coders: string[];
  /** Only units with at least one code, in the order they first appear. */
  units: ReliabilityUnit[];
}

/** One long-format record: one unit × coder, its value or null for a missing code. */
export interface LongRow {
  unitId: string;
  coder: string;
  value: string | null;
  group?: string | null;
  /** 1-based data row (after the header), for messages. */
  row?: number;
}

export interface RowProblem {
  /** 1-based data row, 0 for the header, null when the codes come from no file. */
  row: number | null;
  column: string;
  message: string;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const quoted = (value: string) => JSON.stringify(value);
/** Problems listed in one message; the rest are counted. */
const SHOWN_PROBLEMS = 10;

export function problemsError(source: string, problems: RowProblem[]): FramelabError {
  const where = (p: RowProblem) =>
    p.row === null ? `${p.column}` : p.row === 0 ? `header, column ${p.column}` : `row ${p.row}, column ${p.column}`;
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `${where(p)}: ${p.message}`);
  const more = problems.length > SHOWN_PROBLEMS ? [`… and ${problems.length - SHOWN_PROBLEMS} more`] : [];
  return new FramelabError(
    'INVALID_INPUT',
    [`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}.`, ...shown, ...more].join('\n'),
    {
      problems,
    },
  );
}

/** Distinct values in lexicographic (code unit) order: the fallback when no order is declared. */
export function lexicographicCategories(rows: readonly LongRow[]): string[] {
  return [...new Set(rows.flatMap((r) => (r.value === null ? [] : [r.value])))].sort(compare);
}

/**
 * Builds ReliabilityData from long rows over a declared category list. Every problem (a value
 * that is not a category, one coder with two different codes for a unit, a unit in two
 * groups) is collected, and they are thrown together naming row and column.
 */
export function buildReliabilityData(
  rows: readonly LongRow[],
  categories: readonly string[],
  names: { value: string; unit: string; group?: string; source?: string } = { value: 'value', unit: 'unit' },
): ReliabilityData {
  const index = new Map(categories.map((c, i) => [c, i]));
  if (index.size !== categories.length) {
    const twice = categories.find((c, i) => categories.indexOf(c) !== i)!;
    throw new FramelabError('INVALID_INPUT', `The category ${quoted(twice)} is listed twice; list each category once, in order.`);
  }
  const problems: RowProblem[] = [];
  const units = new Map<string, ReliabilityUnit>();
  const firstRow = new Map<string, number | undefined>(); // unit \0 coder → row of its code
  const coders = new Set<string>();
  const rowLabel = (row: number | undefined) => (row === undefined ? '' : ` (row ${row})`);
  for (const r of rows) {
    if (r.value === null) continue;
    // Without a file row, the message names the unit and coder instead.
    const of = r.row === undefined ? `${names.unit} ${quoted(r.unitId)}, ${r.coder}: ` : '';
    const category = index.get(r.value);
    if (category === undefined) {
      problems.push({
        row: r.row ?? null,
        column: names.value,
        message: `${of}${quoted(r.value)} is not one of the categories (${categories.join(', ')}); add it to the list or fix the cell.`,
      });
      continue;
    }
    let unit = units.get(r.unitId);
    const group = r.group ?? null;
    if (!unit) {
      unit = { unitId: r.unitId, group, codes: new Map() };
      units.set(r.unitId, unit);
    } else if (unit.group !== group && names.group) {
      problems.push({
        row: r.row ?? null,
        column: names.group,
        message: `${names.unit} ${quoted(r.unitId)} is in ${names.group} ${quoted(group ?? '')} here but in ${quoted(unit.group ?? '')} elsewhere; a unit belongs to one group.`,
      });
      continue;
    }
    const earlier = unit.codes.get(r.coder);
    const key = `${r.unitId}\u0000${r.coder}`;
    if (earlier !== undefined && earlier !== category) {
      problems.push({
        row: r.row ?? null,
        column: names.value,
        message: `${r.coder} coded ${names.unit} ${quoted(r.unitId)} as ${quoted(categories[earlier]!)}${rowLabel(firstRow.get(key))} and as ${quoted(r.value)} here; keep one.`,
      });
      continue;
    }
    unit.codes.set(r.coder, category);
    if (!firstRow.has(key)) firstRow.set(key, r.row);
    coders.add(r.coder);
  }
  if (problems.length > 0) throw problemsError(names.source ?? 'The codes', problems);
  return { categories: [...categories], coders: [...coders].sort(compare), units: [...units.values()] };
}

export interface CsvColumns {
  /** The column holding the codes of the dimension. */
  dimension: string;
  unitCol: string;
  coderCol: string;
  /** A column naming each unit's group (e.g. video_id) for resampling whole groups. */
  groupCol?: string;
}

/**
 * Reads a long CSV (one row per unit × coder; an empty cell is a missing code) into rows,
 * checking the header and each row's ids. Column names match without case or surrounding
 * spaces; values are trimmed. Throws INVALID_INPUT naming every bad row and column.
 */
export function readLongCsv(text: string, columns: CsvColumns, source = 'The file'): LongRow[] {
  const { records, problems: csvProblems } = parseCsv(text);
  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) {
    throw new FramelabError(
      'INVALID_INPUT',
      `${source} is empty: it needs a header line (e.g. ${columns.unitCol},${columns.coderCol},${columns.dimension}) and one row per unit × coder.`,
    );
  }
  const names = header.map((h) => h.trim().toLowerCase());
  const wanted = [columns.unitCol, columns.coderCol, columns.dimension, ...(columns.groupCol ? [columns.groupCol] : [])];
  const missing = wanted.filter((c) => !names.includes(c.trim().toLowerCase()));
  if (missing.length > 0) {
    // Without its unit column the file is not a CSV of codes (perhaps no CSV at all): describe its first line, never quote it.
    const notCodes = missing.includes(columns.unitCol) ? ' is not a CSV of codes: it' : '';
    throw new FramelabError(
      'INVALID_INPUT',
      `${source}${notCodes} has no ${missing.map(quoted).join(' or ')} column (${describeHeader(header, text)}).`,
      { missingColumns: missing },
    );
  }
  const col = (name: string) => names.indexOf(name.trim().toLowerCase());
  const [unitAt, coderAt, valueAt] = [col(columns.unitCol), col(columns.coderCol), col(columns.dimension)];
  const groupAt = columns.groupCol ? col(columns.groupCol) : -1;
  const columnName = (field: number) => header[field]?.trim() || `column ${field + 1}`;

  const problems: RowProblem[] = csvProblems.map((p) => ({
    row: p.record,
    column: columnName(p.field),
    message: `unreadable CSV: ${p.message}`,
  }));
  const badRecords = new Set(csvProblems.map((p) => p.record));
  const rows: LongRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    if (badRecords.has(r) || record.every((cell) => cell.trim() === '')) continue;
    const cell = (at: number) => (record[at] ?? '').trim();
    const unitId = cell(unitAt);
    const coder = cell(coderAt);
    const group = groupAt >= 0 ? cell(groupAt) : null;
    if (unitId === '')
      problems.push({ row: r, column: columnName(unitAt), message: `${columns.unitCol} is blank: every row names its unit.` });
    if (coder === '')
      problems.push({ row: r, column: columnName(coderAt), message: `${columns.coderCol} is blank: every row names its coder.` });
    if (group === '')
      problems.push({
        row: r,
        column: columnName(groupAt),
        message: `${columns.groupCol} is blank: every row names its group to resample by.`,
      });
    if (unitId === '' || coder === '' || group === '') continue;
    const value = cell(valueAt);
    rows.push({ unitId, coder, value: value === '' ? null : value, group, row: r });
  }
  if (problems.length > 0) throw problemsError(source, problems);
  if (rows.length === 0) throw new FramelabError('INVALID_INPUT', `${source} is empty: it has a header but no rows.`);
  return rows;
}
