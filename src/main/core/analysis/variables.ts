import { FramelabError } from '../../../shared/errors';
import type { Column, Table } from '../suite/data/table';
import { describeHeader } from '../workspace/describeContent';

/**
 * Reading one model variable out of the table: numbers (NaN = missing) or category labels
 * (null = missing), with the first unusable row named in the error.
 */

/** How to name a row in a message: its 1-based data row, and its id when the table has one. */
export type RowNamer = (row: number) => string;

export function rowNamer(table: Table, idColumn?: string): RowNamer {
  const id = idColumn ? table.columns.get(idColumn) : undefined;
  return (row) => {
    if (!id) return `row ${row + 1}`;
    const value = id.values[row];
    return value === null || value === undefined || Number.isNaN(value)
      ? `row ${row + 1}`
      : `row ${row + 1} (${idColumn} ${JSON.stringify(value)})`;
  };
}

export function columnOf(table: Table, name: string, purpose: string): Column {
  const col = table.columns.get(name);
  if (!col)
    throw new FramelabError(
      'INVALID_INPUT',
      `${table.source} has no column "${name}" (named as ${purpose}); ${describeHeader([...table.columns.keys()])}.`,
      { column: name },
    );
  return col;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A numeric variable: NaN where the value is missing (NaN in a numeric column, null or an
 * empty cell in a text one). Text that is not a decimal number, and ±Infinity, are errors
 * naming the first such row: a model must not silently treat "n/a" as missing or as zero.
 */
export function numericVariable(table: Table, name: string, purpose: string, nameRow: RowNamer): Float64Array {
  const col = columnOf(table, name, purpose);
  if (col.kind === 'numeric') {
    const bad = col.values.findIndex((v) => v === Infinity || v === -Infinity);
    if (bad >= 0)
      throw new FramelabError(
        'INVALID_INPUT',
        `"${name}" (${purpose}) must be a finite number, but ${nameRow(bad)} of ${table.source} has ${col.values[bad]}.`,
        { column: name, row: bad + 1 },
      );
    return col.values;
  }
  const out = new Float64Array(col.values.length);
  col.values.forEach((raw, i) => {
    const text = raw?.trim() ?? '';
    if (text === '') {
      out[i] = NaN;
      return;
    }
    if (!DECIMAL.test(text)) {
      throw new FramelabError(
        'INVALID_INPUT',
        `"${name}" (${purpose}) must be numeric, but ${nameRow(i)} of ${table.source} has ${JSON.stringify(raw)}; fix the value or leave the cell empty for a missing value.`,
        { column: name, row: i + 1, value: raw },
      );
    }
    out[i] = Number(text);
  });
  return out;
}

/**
 * Category labels as patsy prints them in `C(name)[T.level]`: text as written; numbers in a
 * numeric column as integers when whole ("2"), otherwise in shortest round-trip form.
 */
export function categoricalVariable(table: Table, name: string, purpose: string): (string | null)[] {
  const col = columnOf(table, name, purpose);
  if (col.kind === 'text') return col.values.map((v) => (v === null || v.trim() === '' ? null : v));
  return Array.from(col.values, (v) => (Number.isNaN(v) ? null : String(v)));
}

/**
 * Sorted levels, as patsy sorts them: numerically when every label is a number, otherwise
 * by code point (Python's str order), so the reference level is the one patsy would pick.
 */
export function sortedLevels(labels: Iterable<string>): string[] {
  const levels = [...new Set(labels)];
  if (levels.every((l) => DECIMAL.test(l))) return levels.sort((a, b) => Number(a) - Number(b));
  return levels.sort((a, b) => {
    const ca = Array.from(a, (c) => c.codePointAt(0)!);
    const cb = Array.from(b, (c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
    return ca.length - cb.length;
  });
}
