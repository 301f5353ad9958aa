import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAnnotations } from '../../src/main/core/annotations/importAnnotations';
import { handlers } from '../../src/main/core/api/handlers';
import { createLocalTransport } from '../../src/main/core/api/localTransport';
import type { Core } from '../../src/main/core/core';
import type { Input } from '../../src/shared/api';
import { createClient } from '../../src/shared/client';

/** A copy of ../shared/testdata/annotations_sample.csv (CRLF line ends), so the repo's tests stand alone. */
export const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'annotations_sample.csv');

/** What the sample must import as. */
export const SAMPLE_REPORT = {
  rows: 120,
  frames: 67,
  coders: 2,
  codes: { pov: 117, distance: 108 },
  missing: { pov: 3, distance: 12 },
  recodeQueue: 15,
  imagesMissing: 67,
  changedCodes: { replaced: 0, kept: 0, list: [] },
  errors: [],
};

export const sampleText = () => fs.readFileSync(SAMPLE, 'utf8');

/** The sample's records (header first) as plain arrays; it holds no quoted fields. */
export function sampleRecords(): string[][] {
  return sampleText()
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The sample with `edit` applied to its data rows (1-based like the report), as CSV text. */
export function editedSample(edit: (row: number, cells: string[]) => string[] | null, header?: (cells: string[]) => string[]): string {
  const [head, ...rows] = sampleRecords();
  const out = [header ? header(head!) : head!];
  rows.forEach((cells, i) => {
    const edited = edit(i + 1, [...cells]);
    if (edited) out.push(edited);
  });
  return out.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}

export function client(core: Core) {
  return createClient(createLocalTransport(core, handlers));
}

/**
 * Imports in this process: the job's two halves (read and check, then write in one
 * transaction) without a job process between them, so tests about what an import writes stay
 * fast. `importThroughJob` goes the app's way.
 */
export async function importFile(core: Core, input: Input<'annotations.import'>) {
  return importAnnotations(core.db, core.home, input);
}

/** The app's way: the API method, which runs the `annotations.import` job and waits for its report. */
export function importThroughJob(core: Core, input: Input<'annotations.import'>) {
  return client(core).call('annotations.import', input);
}

/** Everything an import may write, to prove a refused import wrote nothing. */
export function snapshot(core: Core) {
  const all = (sql: string) => core.db.prepare(sql).all();
  return {
    coders: all('SELECT coder_id, role FROM coders ORDER BY coder_id'),
    videos: all('SELECT video_id FROM videos ORDER BY video_id'),
    frames: all('SELECT * FROM frames ORDER BY frame_id'),
    assignments: all('SELECT frame_id, coder_id, overlap FROM assignments ORDER BY frame_id, coder_id'),
    codes: all('SELECT frame_id, coder_id, dimension, category_id, coded_at FROM codes ORDER BY frame_id, coder_id, dimension'),
    history: all('SELECT * FROM code_history ORDER BY id'),
    recode: all('SELECT * FROM recode_queue ORDER BY frame_id, coder_id, dimension'),
    storedFiles: all('SELECT path, sha256 FROM stored_files ORDER BY path'),
  };
}

/** (frame_id, coder, pov, distance) of each record, blanks as empty, as a sorted list. */
export function codeTuples(records: string[][]): string[] {
  const [head, ...rows] = records;
  const col = (name: string) => head!.indexOf(name);
  const [f, c, p, d] = ['frame_id', 'coder', 'pov', 'distance'].map(col) as [number, number, number, number];
  return rows.map((r) => JSON.stringify([r[f], r[c], r[p], r[d]])).sort();
}
