import { FramelabError } from '../../../shared/errors';

/**
 * The spec's §3.1 flattening of a deep analysis, exactly: nested keys joined with `.`; null →
 * null; an array → `<key>_count` and `<key>_empty`, and when every element is a string, one
 * `<key>_has_<sanitized value>` = true per element; every other value as it is.
 *
 * Its one correction (issue 19): a `_has_` flag absent where its array exists is false, not
 * missing (the spec's literal code leaves it missing, so every flag under 50 % prevalence
 * would fall to the coverage rule). That needs the other rows, so it is done over a table
 * (`flattenAnalyses`), and again by the feature pipeline for a row flattened alone. A row
 * whose array is missing/null, or holds something other than strings (the spec sets no
 * flags for such an array), leaves the flags missing: "laugh" absent from ["laugh", 3] would
 * be false news.
 *
 * JavaScript semantics throughout, as the spec is TypeScript: keys in Object.entries order,
 * a later key overwriting an equal earlier one, sanitize over UTF-16 code units (an emoji is
 * two underscores).
 */
export type FlatValue = number | boolean | string | null;
export type FlatRow = Record<string, FlatValue>;

export const FLAG_INFIX = '_has_';

/** The spec's sanitize: lowercase first, then every character outside [a-z0-9] → `_`, then at most 30 characters. */
export function sanitizeFlagValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '_')
    .substring(0, 30);
}

interface Collector {
  /** Keys of the arrays whose every element is a string. */
  stringArrays: Set<string>;
  /** flag key → its array's key. */
  flags: Map<string, string>;
}

function walk(node: Record<string, unknown>, prefix: string, out: FlatRow, seen: Collector): void {
  for (const [key, value] of Object.entries(node)) {
    const fullKey = prefix ? `${prefix}.${key}` : key;
    if (value === null || value === undefined) {
      out[fullKey] = null;
    } else if (Array.isArray(value)) {
      out[`${fullKey}_count`] = value.length;
      out[`${fullKey}_empty`] = value.length === 0;
      if (value.every((v) => typeof v === 'string')) {
        seen.stringArrays.add(fullKey);
        for (const v of value as string[]) {
          const flag = `${fullKey}${FLAG_INFIX}${sanitizeFlagValue(v)}`;
          out[flag] = true;
          if (!seen.flags.has(flag)) seen.flags.set(flag, fullKey);
        }
      }
    } else if (typeof value === 'object') {
      walk(value as Record<string, unknown>, fullKey, out, seen);
    } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
      // JSON has no NaN or ±∞; an object built in code might: it is no value.
      out[fullKey] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
    } else {
      throw new FramelabError(
        'INVALID_INPUT',
        `analysis key "${fullKey}" holds a ${typeof value}; an analysis is JSON (objects, arrays, strings, numbers, booleans, null).`,
      );
    }
  }
}

function checkObject(analysis: unknown, what: string): Record<string, unknown> {
  if (analysis === null || typeof analysis !== 'object' || Array.isArray(analysis)) {
    const got = analysis === null ? 'null' : Array.isArray(analysis) ? 'an array' : `a ${typeof analysis}`;
    throw new FramelabError('INVALID_INPUT', `${what} must be a JSON object (the nested analysis), not ${got}.`);
  }
  return analysis as Record<string, unknown>;
}

function flattenOne(analysis: unknown, what: string): { row: FlatRow; seen: Collector } {
  const row: FlatRow = {};
  const seen: Collector = { stringArrays: new Set(), flags: new Map() };
  walk(checkObject(analysis, what), '', row, seen);
  return { row, seen };
}

/** One analysis, flattened as the spec's code does (no flag is filled: see `flattenAnalyses`). */
export function flattenAnalysis(analysis: unknown): FlatRow {
  return flattenOne(analysis, 'an analysis').row;
}

/** Flattened analyses, rows in input order, with what the feature pipeline needs to fill flags. */
export interface FlatTable {
  rows: FlatRow[];
  /** Per row: the keys of its arrays whose every element is a string (the arrays its flags describe). */
  stringArrays: ReadonlySet<string>[];
  /** Every `_has_` flag seen in the table → its array's key. */
  flags: ReadonlyMap<string, string>;
}

/** Flattens every analysis and sets each flag seen anywhere to false on the rows that have its array as a string array and not the flag. */
export function flattenAnalyses(analyses: readonly unknown[]): FlatTable {
  const rows: FlatRow[] = [];
  const stringArrays: Set<string>[] = [];
  const flags = new Map<string, string>();
  analyses.forEach((analysis, i) => {
    const { row, seen } = flattenOne(analysis, `analysis ${i + 1}`);
    rows.push(row);
    stringArrays.push(seen.stringArrays);
    for (const [flag, array] of seen.flags) if (!flags.has(flag)) flags.set(flag, array);
  });
  const byArray = new Map<string, string[]>();
  for (const [flag, array] of flags) {
    const list = byArray.get(array);
    if (list) list.push(flag);
    else byArray.set(array, [flag]);
  }
  rows.forEach((row, i) => {
    for (const array of stringArrays[i]!) {
      for (const flag of byArray.get(array) ?? []) if (row[flag] === undefined) row[flag] = false;
    }
  });
  return { rows, stringArrays, flags };
}

/** A sub-table of some rows (same flags), e.g. the rows of one fold. */
export function tableRows(table: FlatTable, rows: readonly number[]): FlatTable {
  return { rows: rows.map((r) => table.rows[r]!), stringArrays: rows.map((r) => table.stringArrays[r]!), flags: table.flags };
}
