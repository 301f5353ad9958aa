import fs from 'node:fs';
import { FramelabError } from '../../../shared/errors';

/**
 * Paths the user gave (a CSV to import, a video to probe, weights, tables, a folder of
 * images) are checked here before anything opens them. A FIFO or a device blocks a reader
 * forever (`ffprobe` on a named pipe, `readFileSync('/dev/zero')` until memory runs out), so
 * only regular files pass: what the path points to after following links must be a plain
 * file. Errors name the path and say what to give instead; they never quote its content.
 */

export interface PathProblem {
  code: 'NOT_FOUND' | 'INVALID_INPUT';
  /** Without the path: "is not a regular file (it is a FIFO)", to follow the path or a name. */
  reason: string;
}

/** What a stat says a path is, in words a person recognises. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

function errnoProblem(err: unknown): PathProblem {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { code: 'NOT_FOUND', reason: 'does not exist' };
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      code: 'INVALID_INPUT',
      reason: "cannot be read: permission denied (check its permissions and its folder's, or copy it somewhere readable)",
    };
  }
  if (code === 'ELOOP') return { code: 'INVALID_INPUT', reason: 'is a loop of symbolic links' };
  return { code: 'INVALID_INPUT', reason: `cannot be read (${code ?? (err as Error).message})` };
}

const notRegular = (stat: fs.Stats): PathProblem => ({ code: 'INVALID_INPUT', reason: `is not a regular file (it is ${kindOf(stat)})` });

/** Why `file` cannot be read as a regular file (links followed), or null when it can. Opens nothing. */
export function regularFileProblem(file: string): PathProblem | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    if (!stat.isFile()) return notRegular(stat);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    return errnoProblem(err);
  }
  return null;
}

function failure(problem: PathProblem, file: string, what: string): FramelabError {
  const hint = problem.code === 'NOT_FOUND' ? '' : problem.reason.startsWith('is not a regular file') ? `; give the ${what} itself` : '';
  return new FramelabError(problem.code, `The ${what} ${file} ${problem.reason}${hint}.`, { path: file });
}

/**
 * The path, checked to be a readable regular file (links followed). `what` names it in
 * messages ("annotations file", "video"). Missing → NOT_FOUND; a folder, FIFO, device or
 * socket, or no read permission → INVALID_INPUT; both naming the path.
 */
export function regularFile(file: string, what: string): string {
  const problem = regularFileProblem(file);
  if (problem) throw failure(problem, file, what);
  return file;
}

/** The path, checked to be a folder whose entries can be listed (links followed). */
export function regularFolder(dir: string, what: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    throw failure(errnoProblem(err), dir, what);
  }
  if (!stat.isDirectory()) {
    throw new FramelabError('INVALID_INPUT', `The ${what} ${dir} is not a folder (it is ${stat.isFile() ? 'a file' : kindOf(stat)}).`, {
      path: dir,
    });
  }
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.X_OK);
  } catch (err) {
    throw failure(errnoProblem(err), dir, what);
  }
  return dir;
}

/**
 * Reads a regular file whole. The check and the read use one descriptor (opened
 * non-blocking, then fstat'ed), so a path swapped for a FIFO after the check still cannot
 * block the reader.
 */
export function readRegularFile(file: string, what: string): Buffer {
  regularFile(file, what);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw failure(errnoProblem(err), file, what);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw failure(notRegular(stat), file, what);
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
