import type { FlatTable } from './flatten';

/**
 * A flattened table read once into columns (per key: each row's JSON type and its value), so
 * that every fold's type decisions, min-max and transform are loops over typed arrays instead
 * of ~10⁶ property lookups on rows with hundreds of keys. Built lazily, once per table (the
 * table's rows must not change afterwards; nothing in the area mutates a table it was given).
 * The flag rule is applied here as in `rowValue`: a `_has_` flag missing on a row that has its
 * array as a string array is false.
 */
export enum ValueType {
  Absent = 0,
  Number = 1,
  Boolean = 2,
  String = 3,
  /** The key is on the row with null. */
  Null = 4,
}

export interface FlatColumn {
  key: string;
  /** A `_has_` flag: its array's key. */
  flagOf: string | null;
  type: Uint8Array;
  /** Numbers as they are, booleans as 0/1; NaN otherwise. */
  num: Float64Array;
  /** Strings, null otherwise; null when the column holds no string. */
  str: (string | null)[] | null;
}

export interface ColumnarTable {
  rows: number;
  /** Sorted by key. */
  columns: FlatColumn[];
  byKey: Map<string, FlatColumn>;
}

const cache = new WeakMap<FlatTable, ColumnarTable>();

function newColumn(key: string, n: number, flagOf: string | null): FlatColumn {
  return { key, flagOf, type: new Uint8Array(n), num: new Float64Array(n).fill(NaN), str: null };
}

export function columnar(table: FlatTable): ColumnarTable {
  const hit = cache.get(table);
  if (hit) return hit;
  const n = table.rows.length;
  const byKey = new Map<string, FlatColumn>();
  for (let r = 0; r < n; r++) {
    const row = table.rows[r]!;
    for (const key in row) {
      let col = byKey.get(key);
      if (!col) {
        col = newColumn(key, n, table.flags.get(key) ?? null);
        byKey.set(key, col);
      }
      const v = row[key];
      if (v === null || v === undefined) col.type[r] = ValueType.Null;
      else if (typeof v === 'number') {
        col.type[r] = ValueType.Number;
        col.num[r] = v;
      } else if (typeof v === 'boolean') {
        col.type[r] = ValueType.Boolean;
        col.num[r] = v ? 1 : 0;
      } else {
        col.type[r] = ValueType.String;
        (col.str ??= new Array<string | null>(n).fill(null))[r] = v;
      }
    }
  }
  for (const col of byKey.values()) fillFlags(col, table);
  const columns = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out = { rows: n, columns, byKey };
  cache.set(table, out);
  return out;
}

/** A missing flag is false on rows with its array as strings. */
function fillFlags(col: FlatColumn, table: FlatTable): void {
  if (col.flagOf === null) return;
  for (let r = 0; r < col.type.length; r++) {
    if ((col.type[r] === ValueType.Absent || col.type[r] === ValueType.Null) && table.stringArrays[r]!.has(col.flagOf)) {
      col.type[r] = ValueType.Boolean;
      col.num[r] = 0;
    }
  }
}

/**
 * The column a feature reads: the table's, or — for a flag this table never saw (a new
 * analysis flattened alone) — one made from the rows' string arrays (false where the array is).
 */
export function columnFor(table: FlatTable, key: string, flagOf: string | null): FlatColumn {
  const cols = columnar(table);
  const col = cols.byKey.get(key);
  if (col && (col.flagOf !== null || flagOf === null)) return col;
  const made = col
    ? { ...col, type: Uint8Array.from(col.type), num: Float64Array.from(col.num), flagOf }
    : newColumn(key, cols.rows, flagOf);
  fillFlags(made, table);
  cols.byKey.set(key, made);
  return made;
}
