import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { absoluteStoredPath } from './files';
import { clearPendingFiles, readPendingFiles } from './pendingFiles';

/**
 * What work that stopped half-way leaves under the files folder, and the files no table
 * registers. Three kinds of temporary names are Framelab's own:
 * - `.NAME.TAG.tmp.EXT`: a job's frame, thumbnail or image copy before the owner moves it into
 *   place (media/extract.ts tmpPathFor);
 * - `NAME.PID.tmp`: a file being written atomically (workspace/atomic.ts);
 * - `models/.staging-JOB/`: a model being hashed before it moves to its folder (models/stage.ts).
 * Only a job in progress has any of them, and at start-up none is: every one found then is a
 * leftover. Files moved into place by an owner that died before registering them are proven
 * ours by the pending-files journal (pendingFiles.ts).
 */
const JOB_TEMP = /^\..+\.tmp\.[A-Za-z0-9]+$/;
const ATOMIC_TEMP = /^.+\.\d+\.tmp$/;
const STAGING_DIR = /^\.staging-/;

export function isTemporaryName(name: string): boolean {
  return JOB_TEMP.test(name) || ATOMIC_TEMP.test(name);
}

interface StoreEntry {
  /** Relative to the files folder, with forward slashes (as stored_files records paths). */
  relative: string;
  /** `staging`: a model staging folder (not descended into); `other`: a symlink, FIFO, socket... */
  type: 'file' | 'staging' | 'other';
}

/** Every entry under the files folder. Symbolic links are entries, never followed. */
function* walkStore(home: HomePaths): Generator<StoreEntry> {
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(home.filesDir, ...dir.split('/')), { withFileTypes: true });
    } catch (err) {
      if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) continue;
      throw err;
    }
    for (const entry of entries) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (STAGING_DIR.test(entry.name)) yield { relative, type: 'staging' };
        else pending.push(relative);
      } else {
        yield { relative, type: entry.isFile() ? 'file' : 'other' };
      }
    }
  }
}

function registeredPaths(db: Db): Set<string> {
  return new Set((db.prepare('SELECT path FROM stored_files').all() as { path: string }[]).map((r) => r.path));
}

/** The absolute path of a regular file under the files folder, or null (outside, gone, not a file). */
function regularFileIn(home: HomePaths, relative: string): string | null {
  let absolute: string;
  try {
    absolute = absoluteStoredPath(home, relative);
  } catch {
    return null; // a journal line pointing outside the files folder is never followed
  }
  try {
    return fs.lstatSync(absolute).isFile() ? absolute : null;
  } catch {
    return null;
  }
}

export interface SweepResult {
  /** Paths removed, relative to the files folder (a staging folder ends with `/`). */
  removed: string[];
  /** What could not be removed, with the reason (the owner still opens). */
  failed: { path: string; reason: string }[];
}

/**
 * Removes what interrupted work left: files the journal names that no stored_files row
 * registers, and (with `temporaries`) every temporary file and staging folder. Never a
 * registered file, never anything outside the files folder. The owner calls this before any
 * job of its own starts.
 */
export function sweepLeftovers(db: Db, home: HomePaths, options: { temporaries: boolean }): SweepResult {
  const registered = registeredPaths(db);
  const result: SweepResult = { removed: [], failed: [] };
  const remove = (relative: string, absolute: string, recursive = false) => {
    try {
      fs.rmSync(absolute, { recursive, force: true });
      result.removed.push(recursive ? `${relative}/` : relative);
    } catch (err) {
      result.failed.push({ path: relative, reason: (err as Error).message });
    }
  };
  for (const relative of readPendingFiles(home)) {
    if (registered.has(relative)) continue;
    const absolute = regularFileIn(home, relative);
    if (absolute) remove(relative, absolute);
  }
  if (options.temporaries) {
    for (const entry of walkStore(home)) {
      const absolute = path.join(home.filesDir, ...entry.relative.split('/'));
      if (entry.type === 'staging') remove(entry.relative, absolute, true);
      else if (entry.type === 'file' && isTemporaryName(path.posix.basename(entry.relative)) && !registered.has(entry.relative)) {
        remove(entry.relative, absolute);
      }
    }
  }
  if (result.failed.length === 0) clearPendingFiles(home);
  return result;
}

const SWEPT_AT_KEY = 'workspace.leftoversSweptAt';

/**
 * The start-up sweep, logged. The journal is settled every time (it is short); the files
 * folder is walked for temporaries only when a job started since the last walk (only jobs leave
 * them), so a CLI command that runs no job does not pay for a walk over every frame. A failure
 * is logged, never thrown: leftovers waste space but harm nothing, and the owner must open.
 */
export function sweepLeftoversAtStartUp(db: Db, home: HomePaths): SweepResult | null {
  try {
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SWEPT_AT_KEY) as { value: string } | undefined;
    const lastWalk = row ? (JSON.parse(row.value) as string) : '';
    const jobSince = db.prepare('SELECT 1 FROM jobs WHERE started_at >= ? LIMIT 1').get(lastWalk) !== undefined;
    const walkedAt = new Date().toISOString();
    const result = sweepLeftovers(db, home, { temporaries: jobSince });
    if (jobSince && result.failed.length === 0) {
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
        SWEPT_AT_KEY,
        JSON.stringify(walkedAt),
      );
    }
    logSweep('start-up', home, result);
    return result;
  } catch (err) {
    console.warn(`[framelab] start-up: could not look for leftovers in ${home.filesDir}: ${(err as Error).message}`);
    return null;
  }
}

/** At close: the journal's copies whose transaction never committed go (no walk). */
export function settlePendingFilesAtClose(db: Db, home: HomePaths): void {
  try {
    logSweep('close', home, sweepLeftovers(db, home, { temporaries: false }));
  } catch (err) {
    console.warn(`[framelab] close: could not settle ${home.pendingFiles}: ${(err as Error).message}`);
  }
}

function logSweep(when: 'start-up' | 'close', home: HomePaths, result: SweepResult): void {
  const list = (items: string[]) => `${items.slice(0, 20).join(', ')}${items.length > 20 ? `, … (${items.length - 20} more)` : ''}`;
  if (result.removed.length > 0) {
    console.warn(
      `[framelab] ${when}: removed ${result.removed.length} file(s) that interrupted work left in ${home.filesDir}: ${list(result.removed)}`,
    );
  }
  if (result.failed.length > 0) {
    console.warn(
      `[framelab] ${when}: could not remove ${result.failed.length} leftover(s) in ${home.filesDir}: ` +
        list(result.failed.map((f) => `${f.path} (${f.reason})`)),
    );
  }
}

/** How many paths an integrity report lists (the count is always exact). */
export const MAX_LISTED_UNREGISTERED = 1000;

export interface UnregisteredFiles {
  count: number;
  bytes: number;
  /** The first MAX_LISTED_UNREGISTERED, sorted. */
  paths: string[];
  /** Temporary files and staging folders (a job's work in progress, or leftovers the next start-up removes). */
  temporary: number;
}

/**
 * Files under the files folder that no stored_files row registers ("orphans"): reported by the
 * integrity check, never deleted by it. Temporary names are counted apart, not listed.
 */
export function findUnregisteredFiles(db: Db, home: HomePaths, onEntry: () => void = () => undefined): UnregisteredFiles {
  const registered = registeredPaths(db);
  const found: UnregisteredFiles = { count: 0, bytes: 0, paths: [], temporary: 0 };
  const all: string[] = [];
  for (const entry of walkStore(home)) {
    onEntry();
    if (registered.has(entry.relative)) continue;
    if (entry.type === 'staging' || (entry.type === 'file' && isTemporaryName(path.posix.basename(entry.relative)))) {
      found.temporary++;
      continue;
    }
    found.count++;
    try {
      found.bytes += fs.lstatSync(path.join(home.filesDir, ...entry.relative.split('/'))).size;
    } catch {
      // removed meanwhile: still counted as seen
    }
    all.push(entry.relative);
  }
  found.paths = all.sort().slice(0, MAX_LISTED_UNREGISTERED);
  return found;
}
