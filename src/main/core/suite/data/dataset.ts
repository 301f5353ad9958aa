import fs from 'node:fs';
import zlib from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { FramelabError } from '../../../../shared/errors';
import { describeHeader } from '../../workspace/describeContent';
import { decodeUtf8 } from '../../workspace/utf8Text';
import type { Column, Table } from './table';
import { regularFile } from '../../workspace/inputPaths';

/**
 * Tabular input through DuckDB: read a CSV or Parquet metadata table, filter it (e.g. one
 * horizon), keep the latest capture per video, and hand back typed columns. Every step that
 * can empty the data fails loudly, naming the file and the key, because an empty join or
 * filter otherwise shows up much later as a baffling "no rows" in a model.
 */
export interface LoadOptions {
  file: string;
  /** column → required value (all must match). */
  filter?: Record<string, string | number | boolean>;
  /** Keep one row per `by`, the one with the greatest `latest` (ties: the later row in the file). */
  dedupe?: { by: string; latest: string };
  /** Sort key of the result (default: the dedupe key, else file order). */
  orderBy?: string;
}

export interface LoadedTable extends Table {
  /** Date/time columns, converted to epoch milliseconds (never default features). */
  temporal: Set<string>;
  /**
   * Per numeric column, the rows whose value is NaN written in the file ("nan"), as opposed to
   * an empty cell: both read as NaN, but only the empty cell means "unknown" (a NaN target is
   * a computation gone wrong upstream, not an outcome still to come).
   */
  nanInFile: Map<string, Set<number>>;
  summary: { file: string; rowsRead: number; rowsAfterFilter: number; rowsAfterDedupe: number };
}

const NUMERIC_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*|BOOLEAN)$/;
const TEMPORAL_TYPES = /^(DATE|TIMESTAMP.*|TIME)$/;

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function reader(file: string): string {
  if (!fs.existsSync(file)) throw new FramelabError('NOT_FOUND', `the metadata file ${file} does not exist.`);
  regularFile(file, 'metadata file'); // DuckDB would wait forever on a FIFO
  const lower = file.toLowerCase();
  if (lower.endsWith('.parquet')) return `read_parquet(${quoteLiteral(file)})`;
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.csv.gz'))
    return `read_csv_auto(${quoteLiteral(file)}, header = true)`;
  throw new FramelabError('INVALID_INPUT', `${file}: metadata must be .csv or .parquet.`);
}

/**
 * DuckDB refuses a CSV that is not UTF-8 (it never reads it with replacement characters), but
 * its message quotes the line and names the header's line number; say it as every other text
 * reader does instead: the line and byte offset of the first invalid sequence.
 */
function throwNotUtf8(file: string): void {
  const raw = fs.readFileSync(file);
  decodeUtf8(file.toLowerCase().endsWith('.gz') ? zlib.gunzipSync(raw) : raw, file, 'save it as "CSV UTF-8" and run again');
}

/**
 * DuckDB's reason without the file's content: its messages quote lines ("Original Line: …")
 * and values ('…'), which would read any file out through an error. The first line, with
 * quoted parts left out, still says what kind of problem it is and on which line.
 */
export function duckDbProblem(message: string): string {
  const first = message
    .split('\n')[0]!
    .replace(/'[^']*'/g, '…')
    .replace(/"[^"]*"/g, '…')
    .trim();
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

async function count(conn: DuckDBConnection, table: string): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${table}`);
  return r.getColumnsJS()[0]![0] as number;
}

export async function withDuckDb<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export async function loadTable(opts: LoadOptions): Promise<LoadedTable> {
  const { file } = opts;
  return withDuckDb(async (conn) => {
    try {
      await conn.run(`CREATE TABLE raw AS SELECT row_number() OVER () AS __row, * FROM ${reader(file)}`);
    } catch (e) {
      if (/invalid unicode/i.test((e as Error).message)) throwNotUtf8(file);
      throw new FramelabError('INVALID_INPUT', `DuckDB could not read ${file}: ${duckDbProblem((e as Error).message)}`);
    }
    const described = await conn.runAndReadAll('DESCRIBE raw');
    const [names, types] = described.getColumnsJS() as [string[], string[]];
    const columnTypes = new Map(names.map((n, i) => [n, types[i]!]));
    columnTypes.delete('__row');
    const rowsRead = await count(conn, 'raw');
    if (!rowsRead) throw new FramelabError('INVALID_INPUT', `${file} has no data rows.`);
    const need = (column: string, purpose: string) => {
      if (!columnTypes.has(column))
        throw new FramelabError(
          'INVALID_INPUT',
          `${file} has no column "${column}" (${purpose}); ${describeHeader([...columnTypes.keys()])}.`,
        );
    };

    const where: string[] = [];
    const params: (string | number | boolean)[] = [];
    for (const [column, value] of Object.entries(opts.filter ?? {})) {
      need(column, 'named in "filter"');
      params.push(value);
      where.push(`${quoteIdent(column)} = $${params.length}`);
    }
    await conn.run(`CREATE TABLE filtered AS SELECT * FROM raw${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params);
    const rowsAfterFilter = await count(conn, 'filtered');
    if (!rowsAfterFilter) {
      const seen: string[] = [];
      for (const column of Object.keys(opts.filter ?? {})) {
        const r = await conn.runAndReadAll(`SELECT DISTINCT CAST(${quoteIdent(column)} AS VARCHAR) FROM raw ORDER BY 1 LIMIT 10`);
        seen.push(`${column} ∈ {${(r.getColumnsJS()[0] as (string | null)[]).map(String).join(', ')}}`);
      }
      throw new FramelabError(
        'INVALID_INPUT',
        `the filter ${JSON.stringify(opts.filter)} keeps no rows of ${file} (values present: ${seen.join('; ')}).`,
      );
    }

    let source = 'filtered';
    if (opts.dedupe) {
      need(opts.dedupe.by, 'the "dedupe.by" key');
      need(opts.dedupe.latest, 'the "dedupe.latest" column');
      const by = quoteIdent(opts.dedupe.by);
      const latest = quoteIdent(opts.dedupe.latest);
      await conn.run(
        `CREATE TABLE deduped AS SELECT * FROM filtered WHERE ${by} IS NOT NULL QUALIFY row_number() OVER (PARTITION BY ${by} ORDER BY ${latest} DESC NULLS LAST, __row DESC) = 1`,
      );
      source = 'deduped';
    }
    const rowsAfterDedupe = await count(conn, source);
    if (!rowsAfterDedupe) throw new FramelabError('INVALID_INPUT', `no rows of ${file} have a value for "${opts.dedupe!.by}".`);

    const temporal = new Set<string>();
    const select = [...columnTypes].map(([name, type]) => {
      const q = quoteIdent(name);
      if (NUMERIC_TYPES.test(type)) return `CAST(${q} AS DOUBLE) AS ${q}`;
      if (TEMPORAL_TYPES.test(type)) {
        temporal.add(name);
        return type === 'TIME' ? `CAST(epoch(${q}) * 1000 AS DOUBLE) AS ${q}` : `CAST(epoch_ms(CAST(${q} AS TIMESTAMP)) AS DOUBLE) AS ${q}`;
      }
      return `CAST(${q} AS VARCHAR) AS ${q}`;
    });
    const orderBy = opts.orderBy ?? opts.dedupe?.by;
    if (orderBy) need(orderBy, 'the sort key');
    const result = await conn.runAndReadAll(
      `SELECT ${select.join(', ')} FROM ${source} ORDER BY ${orderBy ? `${quoteIdent(orderBy)}, ` : ''}__row`,
    );
    const data = result.getColumnsJS();
    const columns = new Map<string, Column>();
    const nanInFile = new Map<string, Set<number>>();
    [...columnTypes.keys()].forEach((name, i) => {
      const values = data[i]!;
      const numeric = NUMERIC_TYPES.test(columnTypes.get(name)!) || temporal.has(name);
      if (numeric) {
        const rows = new Set<number>();
        values.forEach((v, r) => typeof v === 'number' && Number.isNaN(v) && rows.add(r));
        if (rows.size) nanInFile.set(name, rows);
      }
      columns.set(
        name,
        numeric
          ? { kind: 'numeric', values: Float64Array.from(values, (v) => (v === null ? NaN : Number(v))) }
          : { kind: 'text', values: values.map((v) => (v === null ? null : String(v))) },
      );
    });
    return {
      source: file,
      rowCount: rowsAfterDedupe,
      columns,
      temporal,
      nanInFile,
      summary: { file, rowsRead, rowsAfterFilter, rowsAfterDedupe },
    };
  });
}

/** An embeddings manifest (video_id, path, row) as plain rows. */
export async function readManifest(file: string): Promise<{ video_id: string; path: string; row: number }[]> {
  return withDuckDb(async (conn) => {
    let r;
    try {
      r = await conn.runAndReadAll(`SELECT CAST(video_id AS VARCHAR), CAST(path AS VARCHAR), CAST("row" AS DOUBLE) FROM ${reader(file)}`);
    } catch (e) {
      throw new FramelabError('INVALID_INPUT', `${file} must be a manifest with columns video_id, path, row: ${(e as Error).message}`);
    }
    const [ids, paths, rows] = r.getColumnsJS() as [(string | null)[], (string | null)[], (number | null)[]];
    return ids.map((id, i) => {
      if (id === null || paths[i] === null || rows[i] === null)
        throw new FramelabError('INVALID_INPUT', `${file} row ${i + 1} has an empty video_id, path or row.`);
      return { video_id: id, path: paths[i]!, row: rows[i]! };
    });
  });
}
