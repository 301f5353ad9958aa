import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';

/**
 * Where a caller-chosen output may go (issue 16, item 3). Every API method and job that
 * writes to a path the caller chose goes through here, because the API answers whoever holds
 * its token: an export must not become a way to replace `~/.bashrc` or `~/.ssh/authorized_keys`.
 *
 * - A file output is an absolute path with one of the method's extensions, in a folder that
 *   exists, with no hidden segment (`.bashrc`, `~/.ssh/x.csv`); a file already there is
 *   replaced only when the caller passes `overwrite` (the UI asks first), and never when it is
 *   a link, a folder or anything but a regular file.
 * - A folder output is created when its parent exists; reusing an existing folder (resuming a
 *   run into it) is not an overwrite: the job decides what it does with its own files.
 *
 * Errors name the path and the rule, so a person can choose another path.
 */

export interface FileOutputRules {
  /** Extensions the method writes, without the dot, lower case (`csv`, `safetensors`). */
  extensions: readonly string[];
  /** Replace a regular file already at the path. */
  overwrite: boolean;
}

const invalid = (message: string, details?: unknown) => new FramelabError('INVALID_INPUT', message, details);

/** What is at a path (not following a link), or null when nothing is. */
function lstatOrNull(target: string): fs.Stats | null {
  try {
    return fs.lstatSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw invalid(`${target} cannot be checked (${(err as NodeJS.ErrnoException).code ?? 'error'}); choose a path you can write to.`);
  }
}

/** Absolute and free of control characters (a NUL would cut the path inside the OS call). */
function absolute(given: string, what: string): string {
  if (typeof given !== 'string' || given.trim() === '') throw invalid(`The ${what} path is empty; give an absolute path.`);
  if ([...given].some((c) => c.charCodeAt(0) < 0x20))
    throw invalid(`The ${what} path ${JSON.stringify(given)} contains a control character.`);
  if (!path.isAbsolute(given)) throw invalid(`The ${what} must be an absolute path, not "${given}".`);
  return path.resolve(given);
}

/**
 * Folders of Framelab's own that may sit under a hidden folder (the default home on Linux is
 * `~/.config/Framelab`): the home's exports area, where browser downloads are staged. Only the
 * part of a path below one of them is checked for hidden segments.
 */
const trustedRoots = new Set<string>();

/** Lets outputs go below `dir` (and its real path) although a folder above it is hidden. */
export function trustOutputRoot(dir: string): void {
  const resolved = path.resolve(dir);
  trustedRoots.add(resolved);
  try {
    trustedRoots.add(fs.realpathSync(resolved));
  } catch {
    // Not created yet: its given path is enough until it is.
  }
}

/** The first hidden segment (`.ssh`, `.bashrc`) of a resolved path, or null. */
function hiddenSegment(resolved: string): string | null {
  for (const trusted of trustedRoots) {
    if (resolved === trusted) return null;
    if (resolved.startsWith(trusted + path.sep))
      return (
        resolved
          .slice(trusted.length + 1)
          .split(path.sep)
          .find((s) => s.startsWith('.')) ?? null
      );
  }
  const { root } = path.parse(resolved);
  return (
    resolved
      .slice(root.length)
      .split(path.sep)
      .find((s) => s.startsWith('.')) ?? null
  );
}

function refuseHidden(resolved: string, what: string): void {
  const hidden = hiddenSegment(resolved);
  if (hidden !== null) {
    throw invalid(
      `${resolved}: Framelab does not write ${what}s into hidden files or folders ("${hidden}"); choose a visible folder and name.`,
      {
        path: resolved,
        rule: 'hidden',
      },
    );
  }
}

/**
 * The folder as the OS sees it: a visible link (`~/notes` → `~/.ssh`) must not lead into a
 * hidden folder either. Throws when the folder is missing or not a folder.
 */
function existingFolder(dir: string, what: string, forPath: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // missingFolder: what the UI offers to create (exports.createFolder) before it tries again.
      throw invalid(`The folder ${dir} does not exist; create it first or choose another folder for ${forPath}.`, {
        path: forPath,
        rule: 'parent',
        missingFolder: dir,
      });
    }
    if (code === 'ENOTDIR') {
      throw invalid(`The folder ${dir} cannot exist: a file stands in its path; choose another folder for ${forPath}.`, {
        path: forPath,
        rule: 'parent',
      });
    }
    throw invalid(`The folder ${dir} cannot be used (${code ?? 'error'}); choose a folder you can write to.`, {
      path: forPath,
      rule: 'parent',
    });
  }
  if (!stat.isDirectory())
    throw invalid(`${dir} is not a folder, so ${forPath} cannot be written; choose a path inside a folder.`, {
      path: forPath,
      rule: 'parent',
    });
  const real = fs.realpathSync(dir);
  const hidden = hiddenSegment(real);
  if (hidden !== null && hiddenSegment(dir) === null) {
    throw invalid(`${dir} leads to ${real}: Framelab does not write ${what}s into hidden folders ("${hidden}"); choose a visible folder.`, {
      path: forPath,
      rule: 'hidden',
    });
  }
  return real;
}

/** Why an existing path cannot be replaced by a file, or null for a regular file. */
function notRegular(stat: fs.Stats, target: string): FramelabError | null {
  if (stat.isSymbolicLink()) {
    return invalid(`${target} is a symbolic link; Framelab does not write through links: choose another name.`, {
      path: target,
      rule: 'link',
    });
  }
  if (stat.isDirectory()) return invalid(`${target} is a folder; give the file to write inside it.`, { path: target, rule: 'folder' });
  if (!stat.isFile())
    return invalid(`${target} is not a regular file (a device, pipe or socket); choose another name.`, { path: target, rule: 'special' });
  return null;
}

export function existsError(target: string): FramelabError {
  return new FramelabError('CONFLICT', `${target} exists; pass overwrite (CLI: --overwrite) to replace it.`, {
    path: target,
    exists: true,
  });
}

/**
 * Checks a file output and returns its resolved path. Throws INVALID_INPUT (path, extension,
 * hidden, parent, link, not a file) or CONFLICT (exists, without overwrite).
 */
export function fileOutput(file: string, rules: FileOutputRules): string {
  const target = absolute(file, 'output file');
  refuseHidden(target, 'file');
  const ext = path.extname(target).slice(1).toLowerCase();
  if (!rules.extensions.includes(ext)) {
    const allowed = rules.extensions.map((e) => `.${e}`).join(', ');
    throw invalid(`${target} must end in ${allowed}; Framelab writes only those files here.`, {
      path: target,
      rule: 'extension',
      extensions: rules.extensions,
    });
  }
  existingFolder(path.dirname(target), 'file', target);
  const stat = lstatOrNull(target);
  if (stat) {
    const refusal = notRegular(stat, target);
    if (refusal) throw refusal;
    if (!rules.overwrite) throw existsError(target);
  }
  return target;
}

/** Checks a folder output without creating it: its parent exists, nothing hidden, not a file. */
export function checkFolderOutput(dir: string): string {
  const target = absolute(dir, 'output folder');
  refuseHidden(target, 'folder');
  existingFolder(path.dirname(target), 'folder', target);
  const stat = lstatOrNull(target);
  if (stat && !stat.isDirectory()) {
    throw stat.isSymbolicLink()
      ? invalid(`${target} is a symbolic link; Framelab does not write through links: choose a folder.`, { path: target, rule: 'link' })
      : invalid(`${target} is a file, not a folder; choose a folder.`, { path: target, rule: 'file' });
  }
  return target;
}

/**
 * A folder output, created when its parent exists. An existing folder is used as it is:
 * resuming a run into it is not an overwrite. Returns the resolved path.
 */
export function folderOutput(dir: string): string {
  const target = checkFolderOutput(dir);
  try {
    fs.mkdirSync(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Created meanwhile by someone else: check it again rather than trusting it.
    if (code === 'EEXIST') return checkFolderOutput(target);
    throw invalid(`The folder ${target} cannot be created (${code ?? 'error'}); choose a folder you can write to.`, {
      path: target,
      rule: 'create',
    });
  }
  return target;
}

/**
 * Creates a folder the person agreed to create (an export into a folder that does not exist
 * yet), with any missing parents; the same rules as every output: absolute, nothing hidden,
 * not through a link into a hidden folder. An existing folder is fine. Returns its real path.
 */
export function createOutputFolder(dir: string): string {
  const target = absolute(dir, 'output folder');
  refuseHidden(target, 'folder');
  try {
    fs.mkdirSync(target, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw invalid(`The folder ${target} cannot be created (${code ?? 'error'}); choose a folder you can write to.`, {
      path: target,
      rule: 'create',
    });
  }
  return existingFolder(target, 'folder', target);
}

/** A temporary sibling only this call uses (`wx` below refuses one planted in advance). */
function temporarySibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Puts a finished temporary file in place of a checked target. Without overwrite the target
 * must still be absent (a hard link fails if something appeared since the check, so the
 * check and the write cannot race); with it, a rename replaces the entry (never writing
 * through a link that appeared meanwhile). Removes the temporary file either way.
 */
export function commitOutputFile(tmp: string, target: string, overwrite: boolean): void {
  try {
    if (overwrite) {
      const stat = lstatOrNull(target);
      const refusal = stat && notRegular(stat, target);
      if (refusal) throw refusal;
      fs.renameSync(tmp, target);
      return;
    }
    try {
      fs.linkSync(tmp, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw existsError(target);
      // A file system without hard links (FAT, some network shares): check, then rename.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
      if (lstatOrNull(target)) throw existsError(target);
      fs.renameSync(tmp, target);
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Checks a file output, writes its bytes to a temporary sibling and puts it in place
 * (readers see no file, or the old one, or the whole new one). Returns the resolved path.
 */
export function writeOutputFile(file: string, bytes: Uint8Array | string, rules: FileOutputRules): string {
  const target = fileOutput(file, rules);
  const tmp = temporarySibling(target);
  try {
    fs.writeFileSync(tmp, bytes, { flag: 'wx' });
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw invalid(
      `${target} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); choose a folder you can write to.`,
      { path: target },
    );
  }
  commitOutputFile(tmp, target, rules.overwrite);
  return target;
}

/** Like writeOutputFile, for writers that need a path to write to (a copy, a library's writer). */
export function writeOutputFileWith(file: string, rules: FileOutputRules, write: (tmp: string) => void): string {
  const target = fileOutput(file, rules);
  const tmp = temporarySibling(target);
  try {
    write(tmp);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  commitOutputFile(tmp, target, rules.overwrite);
  return target;
}
