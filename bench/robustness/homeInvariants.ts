/**
 * What must hold in a home after any crash, read straight from its database and files folder:
 * SQLite intact, no half code, no empty code, the current codes equal to the end of their
 * append-only history, and no file under files/ that the database does not know about.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/main/core/db/open';
import type { HomePaths } from '../../src/main/core/home/paths';

/** Each broken invariant as one readable line (at most a few examples each). */
export function homeProblems(db: Db, home: HomePaths): string[] {
  return [...databaseProblems(db), ...codeProblems(db), ...fileProblems(db, home)];
}

const examples = (rows: unknown[]) =>
  rows
    .slice(0, 3)
    .map((r) => JSON.stringify(r))
    .join('; ');

export function databaseProblems(db: Db): string[] {
  const problems: string[] = [];
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  if (integrity.join() !== 'ok') problems.push(`SQLite integrity_check: ${integrity.slice(0, 3).join('; ')}`);
  const foreign = db.pragma('foreign_key_check') as unknown[];
  if (foreign.length) problems.push(`${foreign.length} foreign-key violations, e.g. ${examples(foreign)}`);
  return problems;
}

export function codeProblems(db: Db): string[] {
  const problems: string[] = [];
  const dimensions = (db.prepare('SELECT count(*) AS n FROM dimensions').get() as { n: number }).n;
  // A frame is saved with every dimension at once: fewer means a save was torn apart.
  const half = db
    .prepare('SELECT frame_id, coder_id, count(*) AS coded FROM codes GROUP BY frame_id, coder_id HAVING count(*) <> ?')
    .all(dimensions);
  if (half.length)
    problems.push(`${half.length} (frame, coder) pairs with some dimensions but not all (of ${dimensions}), e.g. ${examples(half)}`);
  const empty = db
    .prepare(`SELECT k.frame_id, k.coder_id, k.dimension FROM codes k JOIN categories c ON c.id = k.category_id WHERE trim(c.value) = ''`)
    .all();
  if (empty.length) problems.push(`${empty.length} codes whose value is an empty string, e.g. ${examples(empty)}`);
  // The current code is the last history entry's `after`: both are written in one transaction.
  const drift = db
    .prepare(
      `WITH last AS (
         SELECT h.frame_id, h.coder_id, h.dimension, h.after_id FROM code_history h
         WHERE h.id = (SELECT max(id) FROM code_history WHERE frame_id = h.frame_id AND coder_id = h.coder_id AND dimension = h.dimension))
       SELECT l.frame_id, l.coder_id, l.dimension, l.after_id AS history, k.category_id AS current
       FROM last l LEFT JOIN codes k USING (frame_id, coder_id, dimension)
       WHERE l.after_id IS NOT k.category_id
       UNION ALL
       SELECT k.frame_id, k.coder_id, k.dimension, NULL, k.category_id FROM codes k
       WHERE NOT EXISTS (SELECT 1 FROM code_history h WHERE h.frame_id = k.frame_id AND h.coder_id = k.coder_id AND h.dimension = k.dimension)`,
    )
    .all();
  if (drift.length) problems.push(`${drift.length} codes differ from the end of their history, e.g. ${examples(drift)}`);
  return problems;
}

/** Every path under files/, relative and with forward slashes. */
function filesOnDisk(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** Files nobody registered (a half-done write left behind) and registered files that are gone. */
export function fileProblems(db: Db, home: HomePaths): string[] {
  const problems: string[] = [];
  const registered = new Set((db.prepare('SELECT path FROM stored_files').all() as { path: string }[]).map((r) => r.path));
  const onDisk = filesOnDisk(home.filesDir);
  const unregistered = onDisk.filter((p) => !registered.has(p));
  if (unregistered.length) {
    problems.push(
      `${unregistered.length} files under files/ that the database does not register, e.g. ${unregistered.slice(0, 3).join(', ')}`,
    );
  }
  const present = new Set(onDisk);
  const missing = [...registered].filter((p) => !present.has(p));
  if (missing.length) problems.push(`${missing.length} registered files missing, e.g. ${missing.slice(0, 3).join(', ')}`);
  return problems;
}
