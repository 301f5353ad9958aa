import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { IcrReport } from '../../../shared/icr';
import { appRoot } from '../appRoot';
import { readCodebook } from '../coding/codebook';
import { openDatabase } from '../db/open';
import { homePaths } from '../home/paths';
import { decodeUtf8 } from '../workspace/utf8Text';
import { buildReliabilityData, lexicographicCategories, readLongCsv } from './data';
import { icrReport } from './report';
import { readRegularFile } from '../workspace/inputPaths';

/**
 * The reliability report of a long CSV, computed in this process: no home is owned and no
 * lock taken. The project codebook is read only to know a dimension's category order and
 * level (read-only from the home's database when there is one, else the codebook a new
 * project starts with).
 */
export interface CsvIcrOptions {
  file: string;
  dimension: string;
  /** Declared order; without it a codebook dimension's order, else lexicographic. */
  categories?: string[];
  unitCol: string;
  coderCol: string;
  /** Column naming each unit's group; resamples whole groups. */
  groupCol?: string;
  bootstrap: number;
  seed: number;
  /** The home whose codebook names the known dimensions. */
  home: string;
}

interface DimensionShape {
  name: string;
  level: 'nominal' | 'ordinal';
  categories: string[];
}

export function projectDimensions(home: string): DimensionShape[] {
  const { dbFile } = homePaths(home);
  if (fs.existsSync(dbFile)) {
    const db = openDatabase(dbFile, { readonly: true });
    try {
      return readCodebook(db).dimensions.map((d) => ({ name: d.name, level: d.level, categories: d.categories.map((c) => c.value) }));
    } finally {
      db.close();
    }
  }
  const defaults = JSON.parse(fs.readFileSync(path.join(appRoot(), 'resources', 'codebook.default.json'), 'utf8')) as {
    dimensions: { name: string; level: 'nominal' | 'ordinal'; categories: { value: string }[] }[];
  };
  return defaults.dimensions.map((d) => ({ name: d.name, level: d.level, categories: d.categories.map((c) => c.value) }));
}

export function csvIcrReport(options: CsvIcrOptions): IcrReport {
  let bytes: Buffer;
  try {
    // A regular file only: a FIFO or a device would block the owner or never end.
    bytes = readRegularFile(options.file, 'ICR input file');
  } catch (err) {
    if (err instanceof FramelabError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FramelabError('NOT_FOUND', `There is no file ${options.file}.`);
    if (code === 'EISDIR') throw new FramelabError('INVALID_INPUT', `${options.file} is a folder; give the CSV file.`);
    throw err;
  }
  // Strict: a lenient decode reads Latin-1 "café" and "cafè" as the same U+FFFD code.
  const text = decodeUtf8(bytes, options.file, 'save it as "CSV UTF-8" and run the report again');
  const source = path.basename(options.file);
  const rows = readLongCsv(
    text,
    { dimension: options.dimension, unitCol: options.unitCol, coderCol: options.coderCol, groupCol: options.groupCol },
    source,
  );
  if (rows.every((r) => r.value === null)) {
    throw new FramelabError('INVALID_INPUT', `${source} has no codes in its ${options.dimension} column: every cell is empty.`);
  }
  const known = projectDimensions(options.home).find((d) => d.name === options.dimension.trim().toLowerCase());
  const categories = options.categories ?? known?.categories ?? lexicographicCategories(rows);
  const order = options.categories ? 'declared' : known ? 'codebook' : 'lexicographic';
  const data = buildReliabilityData(rows, categories, {
    value: options.dimension,
    unit: options.unitCol,
    group: options.groupCol,
    source,
  });
  return icrReport(data, {
    dimension: options.dimension,
    level: known?.level ?? null,
    order,
    bootstrap: options.bootstrap,
    seed: options.seed,
    byGroup: options.groupCol !== undefined,
    groupName: options.groupCol,
  });
}
