import fs from 'node:fs';
import type { HomePaths } from '../home/paths';

/**
 * The owner notes each file it is about to put under the files folder (a copy, or a job's
 * temporary file renamed into place) before the transaction that registers it commits. If the
 * owner dies in between, the file sits at its final place with no stored_files row: the next
 * owner finds it in this journal and removes it, provided it is still unregistered. A noted
 * file that got registered is kept; a file nobody noted is never removed (`check` lists it).
 * One line per file, JSON-encoded relative path (to the files folder).
 */
export function notePendingFiles(home: HomePaths, relatives: readonly string[]): void {
  if (relatives.length === 0) return;
  fs.appendFileSync(home.pendingFiles, relatives.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
}

/** Every path noted since the journal was last cleared. */
export function readPendingFiles(home: HomePaths): string[] {
  let text: string;
  try {
    text = fs.readFileSync(home.pendingFiles, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const paths = new Set<string>();
  for (const line of text.split('\n')) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'string') paths.add(value);
    } catch {
      // A line cut short by a crash names no file it could prove.
    }
  }
  return [...paths];
}

/** Empties the journal, once every path it held is registered or removed. */
export function clearPendingFiles(home: HomePaths): void {
  fs.rmSync(home.pendingFiles, { force: true });
}
