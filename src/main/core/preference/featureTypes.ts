import type { DroppedKey, MixedKey } from '../../../shared/preferenceModel';
import { columnar, ValueType } from './columns';
import type { FlatTable, FlatValue } from './flatten';

/**
 * The spec's §3.2 type detection, decided on the training rows only: booleans, numbers,
 * strings with at most `maxLevels` (20) distinct values (one-hot), more → text (dropped); a
 * key with a value on fewer than `coverageThreshold` (50 %) of the rows is dropped.
 *
 * Mixed types (a key that is a number in some rows and a string in others, e.g. a stray
 * "N/A"): the spec types a key by its first value, which would make the type depend on row
 * order (and differ between folds). Here the most frequent JSON type wins (ties: number, then
 * boolean, then string), values of the other types count as missing (so they lower the
 * coverage and are filled like missing values), and the key is reported in `mixed`.
 */
export const DEFAULT_COVERAGE_THRESHOLD = 0.5;
export const DEFAULT_MAX_LEVELS = 20;

export type JsonType = 'number' | 'boolean' | 'string';

export interface KeyDecision {
  key: string;
  kind: 'numeric' | 'boolean' | 'categorical';
  used: JsonType;
  coverage: number;
  /** categorical: its values, sorted. */
  levels: string[];
  /** A `_has_` flag: its array's key. */
  flagOf: string | null;
}

export interface TypeDecisions {
  kept: KeyDecision[];
  dropped: DroppedKey[];
  mixed: MixedKey[];
}

export interface TypeOptions {
  coverageThreshold?: number;
  maxLevels?: number;
}

/**
 * A row's value of a key: a flag missing on a row that has its array as a string array is
 * false (the correction, for rows flattened apart from the table that set it).
 */
export function rowValue(table: FlatTable, row: number, key: string, flagOf: string | null): FlatValue {
  const v = table.rows[row]![key];
  if (v !== undefined && v !== null) return v;
  if (flagOf !== null && table.stringArrays[row]!.has(flagOf)) return false;
  return null;
}

const TYPE_ORDER: JsonType[] = ['number', 'boolean', 'string'];

const percent = (share: number) => `${(100 * share).toFixed(1).replace(/\.0$/, '')} %`;

export function decideFeatureTypes(table: FlatTable, rows: readonly number[], opts: TypeOptions = {}): TypeDecisions {
  const threshold = opts.coverageThreshold ?? DEFAULT_COVERAGE_THRESHOLD;
  const maxLevels = opts.maxLevels ?? DEFAULT_MAX_LEVELS;
  const n = rows.length;
  const out: TypeDecisions = { kept: [], dropped: [], mixed: [] };
  for (const col of columnar(table).columns) {
    const { key, flagOf, type } = col;
    const counts = { number: 0, boolean: 0, string: 0 };
    let seen = false;
    for (const r of rows) {
      const t = type[r]!;
      if (t === ValueType.Absent) continue;
      seen = true;
      if (t === ValueType.Number) counts.number++;
      else if (t === ValueType.Boolean) counts.boolean++;
      else if (t === ValueType.String) counts.string++;
    }
    // Keys only the other rows have are not this pipeline's business.
    if (!seen) continue;
    let used: JsonType = 'number';
    for (const t of TYPE_ORDER) if (counts[t] > counts[used]) used = t;
    const present = counts[used];
    const coverage = n ? present / n : 0;
    if (TYPE_ORDER.filter((t) => counts[t] > 0).length > 1) out.mixed.push({ key, counts, used });
    if (present === 0 || coverage < threshold) {
      const detail =
        present === 0
          ? 'no value on any training row (null or absent everywhere, e.g. an array or section given as null)'
          : `coverage ${percent(coverage)} < ${percent(threshold)}`;
      out.dropped.push({ key, reason: 'coverage', coverage, distinct: null, detail });
      continue;
    }
    if (used === 'string') {
      const levels = new Set<string>();
      for (const r of rows) if (type[r] === ValueType.String) levels.add(col.str![r]!);
      if (levels.size > maxLevels) {
        out.dropped.push({
          key,
          reason: 'text',
          coverage,
          distinct: levels.size,
          detail: `text: ${levels.size} distinct values > ${maxLevels}`,
        });
        continue;
      }
      out.kept.push({ key, kind: 'categorical', used, coverage, levels: [...levels].sort(), flagOf });
    } else {
      out.kept.push({ key, kind: used === 'number' ? 'numeric' : 'boolean', used, coverage, levels: [], flagOf });
    }
  }
  return out;
}
