import { describeHeader } from '../../workspace/describeContent';

/**
 * The in-memory dataset a suite trains on: one row per video, columns by name. Numeric
 * columns hold numbers (NaN for missing), text columns strings (null for missing); DuckDB's
 * column types decide which is which, so "007" stays a string.
 */
export type Column = { kind: 'numeric'; values: Float64Array } | { kind: 'text'; values: (string | null)[] };

export interface Table {
  /** Where the rows came from, named in errors. */
  source: string;
  rowCount: number;
  columns: Map<string, Column>;
}

export function numericColumn(table: Table, name: string, purpose: string): Float64Array {
  const col = table.columns.get(name);
  if (!col)
    throw new Error(`${table.source} has no column "${name}" (needed as ${purpose}); ${describeHeader([...table.columns.keys()])}.`);
  if (col.kind !== 'numeric') throw new Error(`column "${name}" of ${table.source} is text, but ${purpose} must be numeric.`);
  return col.values;
}

export function textColumn(table: Table, name: string, purpose: string): string[] {
  const col = table.columns.get(name);
  if (!col)
    throw new Error(`${table.source} has no column "${name}" (needed as ${purpose}); ${describeHeader([...table.columns.keys()])}.`);
  const values = col.kind === 'text' ? col.values : Array.from(col.values, (v) => (Number.isNaN(v) ? null : String(v)));
  return values.map((v, i) => {
    if (v === null) throw new Error(`row ${i + 1} of ${table.source} has no ${name} (needed as ${purpose}).`);
    return v;
  });
}

/** Rows `rows` of the table, in that order. */
export function takeRows(table: Table, rows: readonly number[]): Table {
  const columns = new Map<string, Column>();
  for (const [name, col] of table.columns) {
    columns.set(
      name,
      col.kind === 'numeric'
        ? { kind: 'numeric', values: Float64Array.from(rows, (r) => col.values[r]!) }
        : { kind: 'text', values: rows.map((r) => col.values[r]!) },
    );
  }
  return { source: table.source, rowCount: rows.length, columns };
}
