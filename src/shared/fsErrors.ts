import type { ErrorInfo } from './errors';

/**
 * A file-system error that escaped to a boundary (Node's `{ code, syscall, path }`) as an
 * envelope a person can act on: what is wrong with which path, never Node's wording or a stack.
 * Null for anything else, which stays INTERNAL. Features that know what a path is for say it
 * better (see workspace/inputPaths.ts); this is the catch-all behind them. Pure (no Node
 * import): src/shared is bundled into the renderer too.
 */
const WRITES = new Set([
  'mkdir',
  'mkdtemp',
  'rename',
  'unlink',
  'rmdir',
  'rm',
  'link',
  'symlink',
  'copyfile',
  'cp',
  'write',
  'chmod',
  'chown',
  'utime',
  'futime',
  'ftruncate',
]);
const READS = new Set(['read', 'scandir', 'opendir', 'stat', 'lstat', 'fstat', 'access', 'readlink', 'realpath']);

interface NodeFsError {
  code: string;
  /** Node leaves it out for a few calls (reading a folder's file descriptor): then "the path given". */
  path: string | undefined;
  syscall: string;
}

function asNodeFsError(err: unknown): NodeFsError | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, path, syscall } = err as { code?: unknown; path?: unknown; syscall?: unknown };
  // Every fs error names its system call; errors of other kinds with an errno-like code do not.
  if (typeof code !== 'string' || typeof syscall !== 'string') return null;
  // A program that could not be started (spawn ENOENT): its path is a command, not a file the
  // user chose; the feature that runs it says which capability is missing.
  if (syscall.startsWith('spawn')) return null;
  return { code, path: typeof path === 'string' && path !== '' ? path : undefined, syscall };
}

function verbOf(syscall: string): string {
  if (WRITES.has(syscall)) return 'write';
  if (READS.has(syscall)) return 'read';
  return 'open';
}

export function fsErrorInfo(err: unknown): ErrorInfo | null {
  const e = asNodeFsError(err);
  if (!e) return null;
  const subject = e.path ?? 'The path given';
  const object = e.path ?? 'the path given';
  const details = { ...(e.path ? { path: e.path } : {}), errno: e.code };
  const invalid = (message: string): ErrorInfo => ({ code: 'INVALID_INPUT', message, details });
  switch (e.code) {
    case 'ENOENT':
      return { code: 'NOT_FOUND', message: `${subject} does not exist. Check the path (and that its folder exists).`, details };
    case 'EACCES':
    case 'EPERM':
      return invalid(
        `Cannot ${verbOf(e.syscall)} ${object}: permission denied. Check its permissions and its folder's, or choose another path.`,
      );
    case 'EROFS':
      return invalid(`Cannot write ${object}: the file system is read-only. Choose a path on a writable disk.`);
    case 'EISDIR':
      return invalid(`${subject} is a folder, where a file is needed. Give a file's path.`);
    case 'ENOTDIR':
      return invalid(`Cannot use ${object}: a part of that path is a file, not a folder.`);
    case 'ELOOP':
      return invalid(`Cannot use ${object}: its symbolic links form a loop.`);
    case 'ENAMETOOLONG':
      return invalid(`Cannot use ${object}: the name is too long.`);
    case 'EEXIST':
      return { code: 'CONFLICT', message: `${subject} already exists.`, details };
    default:
      return null;
  }
}
