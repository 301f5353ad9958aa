import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisColumn, AnalysisColumnSummary, AnalysisConfig, AnalysisDataSummary, AnalysisJoin } from '../../../shared/analysis';
import { FramelabError } from '../../../shared/errors';
import { restoreFormulaText } from '../annotations/csvForPeople';
import { PREDICTIONS_CSV } from '../infer/outputs';
import { duckDbProblem, loadTable, quoteIdent, withDuckDb } from '../suite/data/dataset';
import type { Column, Table } from '../suite/data/table';
import { describeHeader } from '../workspace/describeContent';
import { regularFile, regularFolder } from '../workspace/inputPaths';
import { decodeUtf8 } from '../workspace/utf8Text';

/**
 * The video-level table of an analysis: the main table through DuckDB (CSV or Parquet, as the
 * suites read theirs), with its joins added by id — extra tables (a suite's metadata), and
 * batch-inference output folders turned into per-video class shares, so the lab's own frame
 * classifiers become predictors. Every join is a left join: a video the join does not know
 * keeps a missing value there (never 0), and listwise deletion counts it in each model.
 */

export interface AnalysisData {
  table: Table;
  /** The id of every row, as text (a numeric id column written as its number). */
  ids: string[];
  /** Where each column came from: null for the main table, else `table:<file>` / `inference:<folder>`. */
  sources: Map<string, string | null>;
  summary: AnalysisDataSummary;
}

export interface DataSpec {
  data: string;
  /** The id column; null: no id checks (a table looked at before any join). */
  id: string | null;
  joins: readonly AnalysisJoin[];
}

function invalid(message: string, details?: unknown): never {
  throw new FramelabError('INVALID_INPUT', message, details);
}

/** A column's values as ids: text as it is, numbers without a trailing `.0`; null when missing. */
function idValues(column: Column): (string | null)[] {
  if (column.kind === 'text') return column.values;
  return Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
}

/** The ids of `table`'s `id` column: present and unique, or a message naming the row or the id. */
function uniqueIds(table: Table, id: string, what: string): string[] {
  const column = table.columns.get(id);
  if (!column) invalid(`${table.source} has no id column "${id}" (${what}); ${describeHeader([...table.columns.keys()])}.`, { column: id });
  const values = idValues(column);
  const seen = new Map<string, number>();
  return values.map((v, r) => {
    if (v === null || v === '')
      invalid(`row ${r + 1} of ${table.source} has no ${id} (${what}); every row needs an id.`, { column: id, row: r + 1 });
    const first = seen.get(v);
    if (first !== undefined)
      invalid(`the id "${v}" appears twice in ${table.source} (rows ${first + 1} and ${r + 1}); the ${what} needs one row per video.`, {
        column: id,
        id: v,
        rows: [first + 1, r + 1],
      });
    seen.set(v, r);
    return v;
  });
}

/** `1st person` → `1st_person`: lower case, every run of characters outside [a-z0-9] → `_`. */
export function classSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

interface Added {
  columns: Map<string, Column>;
  summary: AnalysisDataSummary['joins'][number];
}

/** Left join of a table by id: its values on the main table's rows, missing where it has no row. */
async function tableJoin(
  join: Extract<AnalysisJoin, { kind: 'table' }>,
  index: number,
  defaultId: string,
  ids: readonly string[],
  existing: ReadonlySet<string>,
): Promise<Added> {
  const joinId = join.id ?? defaultId;
  const table = await loadTable({ file: join.path });
  const joinIds = uniqueIds(table, joinId, `id column of joins.${index}`);
  const available = [...table.columns.keys()].filter((c) => c !== joinId);
  let take: string[];
  let skipped: string[] = [];
  if (join.columns) {
    const unknown = join.columns.filter((c) => !table.columns.has(c));
    if (unknown.length)
      invalid(
        `joins.${index}.columns: ${table.source} has no column ${unknown.map((c) => `"${c}"`).join(', ')}; ${describeHeader([...table.columns.keys()])}.`,
        { columns: unknown },
      );
    const clash = join.columns.filter((c) => existing.has(c) || c === joinId);
    if (clash.length)
      invalid(
        `joins.${index}.columns: ${clash.map((c) => `"${c}"`).join(', ')} ${clash.length === 1 ? 'is' : 'are'} already a column of the data; a join never replaces a column (rename it in one of the files).`,
        { columns: clash },
      );
    take = [...join.columns];
  } else {
    take = available.filter((c) => !existing.has(c));
    skipped = available.filter((c) => existing.has(c));
  }
  const rowOf = new Map(joinIds.map((v, r) => [v, r]));
  const rows = ids.map((v) => rowOf.get(v) ?? -1);
  const columns = new Map<string, Column>();
  for (const name of take) {
    const col = table.columns.get(name)!;
    columns.set(
      name,
      col.kind === 'numeric'
        ? { kind: 'numeric', values: Float64Array.from(rows, (r) => (r < 0 ? NaN : col.values[r]!)) }
        : { kind: 'text', values: rows.map((r) => (r < 0 ? null : col.values[r]!)) },
    );
  }
  const matched = rows.filter((r) => r >= 0).length;
  return { columns, summary: { kind: 'table', path: join.path, columns: take, skipped, matched, unmatched: ids.length - matched } };
}

/** DuckDB's refusal of a CSV, said as the other readers say it (a non-UTF-8 file by line and byte). */
function csvProblem(file: string, e: unknown): never {
  if (/invalid unicode/i.test((e as Error).message)) decodeUtf8(fs.readFileSync(file), file, 'save it as "CSV UTF-8" and run again');
  invalid(`DuckDB could not read ${file}: ${duckDbProblem((e as Error).message)}`, { path: file });
}

/**
 * A batch-inference output folder: model_predictions.csv (one row per frame, `<dim>_pred` the
 * predicted class, `<dim>_p_<class>` its probabilities) turned into, per video and dimension,
 * the share of its frames predicted as each class: `<dim>_share_<class slug>`. The classes come
 * from the probability columns, so a class no frame of a video was predicted as has share 0
 * for it; a video without any frame in the file is missing.
 */
async function inferenceJoin(
  join: Extract<AnalysisJoin, { kind: 'inference' }>,
  index: number,
  ids: readonly string[],
  existing: ReadonlySet<string>,
): Promise<Added> {
  regularFolder(join.path, `batch-inference output folder of joins.${index}`);
  const file = path.join(join.path, PREDICTIONS_CSV);
  if (!fs.existsSync(file))
    throw new FramelabError(
      'NOT_FOUND',
      `joins.${index}: ${join.path} has no ${PREDICTIONS_CSV}; give the output folder of a finished \`framelab infer\` run.`,
      { path: file },
    );
  regularFile(file, 'inference predictions');
  return withDuckDb(async (conn) => {
    try {
      await conn.run(
        `CREATE TABLE frames AS SELECT * FROM read_csv(${`'${file.replace(/'/g, "''")}'`}, header = true, all_varchar = true)`,
      );
    } catch (e) {
      csvProblem(file, e);
    }
    const header = (await conn.runAndReadAll('DESCRIBE frames')).getColumnsJS()[0] as string[];
    if (!header.includes('video_id')) invalid(`${file} has no video_id column; ${describeHeader(header)}.`, { path: file });
    const dimensions = header.filter((h) => h.endsWith('_pred') && header.includes(`${h.slice(0, -5)}_conf`)).map((h) => h.slice(0, -5));
    if (!dimensions.length)
      invalid(
        `${file} has no <dimension>_pred columns (e.g. pov_pred, distance_pred); is it a model_predictions.csv of \`framelab infer\`?`,
        { path: file },
      );

    const counts = await conn.runAndReadAll(`SELECT video_id, count(*)::DOUBLE FROM frames WHERE video_id IS NOT NULL GROUP BY video_id`);
    const [videoIds, frameCounts] = counts.getColumnsJS() as [string[], number[]];
    const framesOf = new Map(videoIds.map((v, i) => [v, frameCounts[i]!]));
    const rowsOf = ids.map((v) => framesOf.get(v) ?? 0);
    const columns = new Map<string, Column>();
    for (const dim of dimensions) {
      // Classes by their probability columns (`<dim>_p_<slug>`), slugged as the share columns are.
      const prefix = `${dim}_p_`;
      const classes = [...new Set(header.filter((h) => h.startsWith(prefix)).map((h) => classSlug(h.slice(prefix.length))))];
      const byVideo = await conn.runAndReadAll(
        `SELECT video_id, ${quoteIdent(`${dim}_pred`)}, count(*)::DOUBLE FROM frames WHERE video_id IS NOT NULL GROUP BY ALL`,
      );
      const [vids, preds, n] = byVideo.getColumnsJS() as [string[], (string | null)[], number[]];
      const share = new Map<string, Map<string, number>>();
      vids.forEach((v, i) => {
        const label = preds[i] ?? null;
        if (label === null || label === '') invalid(`${file}: a frame of video "${v}" has no ${dim}_pred.`, { path: file, videoId: v });
        const slug = classSlug(restoreFormulaText(label));
        if (classes.length && !classes.includes(slug))
          invalid(
            `${file}: video "${v}" has ${dim}_pred "${restoreFormulaText(label)}", which is not one of the classes of its ${prefix}… columns (${classes.join(', ')}).`,
            { path: file, videoId: v },
          );
        if (!share.has(v)) share.set(v, new Map());
        share.get(v)!.set(slug, (share.get(v)!.get(slug) ?? 0) + n[i]!);
      });
      const allClasses = classes.length ? classes : [...new Set([...share.values()].flatMap((m) => [...m.keys()]))].sort();
      for (const slug of allClasses) {
        const name = `${dim}_share_${slug}`;
        if (existing.has(name) || columns.has(name))
          invalid(`joins.${index}: the share column "${name}" is already a column of the data; a join never replaces a column.`, {
            column: name,
          });
        columns.set(name, {
          kind: 'numeric',
          values: Float64Array.from(ids, (v, r) => (rowsOf[r] ? (share.get(v)?.get(slug) ?? 0) / rowsOf[r]! : NaN)),
        });
      }
    }
    const matched = rowsOf.filter((k) => k > 0).length;
    return {
      columns,
      summary: { kind: 'inference', path: join.path, columns: [...columns.keys()], skipped: [], matched, unmatched: ids.length - matched },
    };
  });
}

/** Reads the main table and adds its joins; checks the id column when there is one. */
export async function loadAnalysisData(spec: DataSpec): Promise<AnalysisData> {
  const main = await loadTable({ file: spec.data });
  if (spec.joins.length && spec.id === null) invalid('joins need an id column to join by.');
  const ids = spec.id === null ? Array.from({ length: main.rowCount }, (_, r) => `row ${r + 1}`) : uniqueIds(main, spec.id, 'id column');
  const columns = new Map(main.columns);
  const sources = new Map<string, string | null>([...columns.keys()].map((c) => [c, null]));
  const joins: AnalysisDataSummary['joins'] = [];
  for (const [i, join] of spec.joins.entries()) {
    const existing = new Set(columns.keys());
    const added = join.kind === 'table' ? await tableJoin(join, i, spec.id!, ids, existing) : await inferenceJoin(join, i, ids, existing);
    const source = `${join.kind}:${path.basename(join.path)}`;
    for (const [name, col] of added.columns) {
      columns.set(name, col);
      sources.set(name, source);
    }
    joins.push(added.summary);
  }
  const table: Table = { source: main.source, rowCount: main.rowCount, columns };
  return {
    table,
    ids,
    sources,
    summary: { data: spec.data, id: spec.id ?? '', rows: main.rowCount, joins, columns: summarizeColumns(table, sources) },
  };
}

export const loadConfigData = (config: AnalysisConfig): Promise<AnalysisData> =>
  loadAnalysisData({ data: config.data, id: config.id, joins: config.joins });

/** Per column: type, missing, distinct values, and min/max/mean of a numeric one. */
export function summarizeColumns(table: Table, sources: ReadonlyMap<string, string | null>): AnalysisColumnSummary[] {
  return [...table.columns].map(([name, col]) => {
    const source = sources.get(name) ?? null;
    if (col.kind === 'text') {
      const present = col.values.filter((v): v is string => v !== null);
      return {
        name,
        type: 'text',
        missing: col.values.length - present.length,
        distinct: new Set(present).size,
        source,
        min: null,
        max: null,
        mean: null,
      };
    }
    let missing = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let whole = true;
    let binary = true;
    const distinct = new Set<number>();
    for (const v of col.values) {
      if (Number.isNaN(v)) {
        missing++;
        continue;
      }
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (!Number.isInteger(v)) whole = false;
      if (v !== 0 && v !== 1) binary = false;
      distinct.add(v);
    }
    const present = col.values.length - missing;
    const type: AnalysisColumn['type'] = present === 0 ? 'number' : binary ? 'boolean' : whole ? 'integer' : 'number';
    const finite = (x: number) => (present > 0 && Number.isFinite(x) ? x : null);
    return { name, type, missing, distinct: distinct.size, source, min: finite(min), max: finite(max), mean: finite(sum / present) };
  });
}

/** The columns for the screen's pickers (the summary without min/max/mean). */
export function analysisColumns(data: Pick<AnalysisData, 'summary'>): AnalysisColumn[] {
  return data.summary.columns.map(({ name, type, missing, distinct, source }) => ({ name, type, missing, distinct, source }));
}
