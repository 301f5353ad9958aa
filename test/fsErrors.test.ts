import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../src/main/core/api/dispatch';
import { handlers } from '../src/main/core/api/handlers';
import { fsErrorInfo } from '../src/shared/fsErrors';
import { toErrorInfo } from '../src/shared/errors';
import { openTestCore, runCleanup, runCli, singleJsonLine, tempDir } from './helpers';

afterEach(runCleanup);

const isRoot = process.getuid?.() === 0;

/** The error a real fs call throws. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}

describe('file-system errors become envelopes naming the path', () => {
  it('maps the errors Node really throws: ENOENT → NOT_FOUND; EISDIR, ENOTDIR → INVALID_INPUT; EEXIST → CONFLICT', () => {
    const dir = tempDir('fserr');
    const file = path.join(dir, 'file.csv');
    fs.writeFileSync(file, 'x');
    const missing = path.join(dir, 'missing.csv');
    expect(toErrorInfo(thrownBy(() => fs.readFileSync(missing)))).toEqual({
      code: 'NOT_FOUND',
      message: `${missing} does not exist. Check the path (and that its folder exists).`,
      details: { path: missing, errno: 'ENOENT' },
    });
    expect(toErrorInfo(thrownBy(() => fs.openSync(dir, 'w')))).toMatchObject({
      code: 'INVALID_INPUT',
      message: `${dir} is a folder, where a file is needed. Give a file's path.`,
    });
    // Node names no path when it reads a folder it opened: still no "Unexpected error".
    expect(toErrorInfo(thrownBy(() => fs.readFileSync(dir)))).toEqual({
      code: 'INVALID_INPUT',
      message: "The path given is a folder, where a file is needed. Give a file's path.",
      details: { errno: 'EISDIR' },
    });
    expect(toErrorInfo(thrownBy(() => fs.readFileSync(path.join(file, 'x'))))).toMatchObject({
      code: 'INVALID_INPUT',
      message: `Cannot use ${path.join(file, 'x')}: a part of that path is a file, not a folder.`,
    });
    expect(toErrorInfo(thrownBy(() => fs.mkdirSync(dir)))).toMatchObject({ code: 'CONFLICT', message: `${dir} already exists.` });
  });

  it.skipIf(isRoot)('an unreadable file is INVALID_INPUT "cannot open PATH: permission denied" (EACCES)', () => {
    const file = path.join(tempDir('fserr'), 'secret.csv');
    fs.writeFileSync(file, 'x', { mode: 0o000 });
    expect(toErrorInfo(thrownBy(() => fs.readFileSync(file)))).toMatchObject({
      code: 'INVALID_INPUT',
      message: `Cannot open ${file}: permission denied. Check its permissions and its folder's, or choose another path.`,
    });
  });

  it.skipIf(process.platform !== 'linux')(
    'maps a real EPERM (provoked as any user, root included) to "cannot write PATH: permission denied"',
    () => {
      // Nobody, not even root, may remove a file of /proc: a real EPERM where chmod cannot make one.
      const err = thrownBy(() => fs.unlinkSync('/proc/self/stat'));
      expect(err).toMatchObject({ code: 'EPERM', syscall: 'unlink' });
      expect(toErrorInfo(err)).toEqual({
        code: 'INVALID_INPUT',
        message: "Cannot write /proc/self/stat: permission denied. Check its permissions and its folder's, or choose another path.",
        details: { path: '/proc/self/stat', errno: 'EPERM' },
      });
    },
  );

  it('leaves other errors alone: a program that cannot start, a plain bug', () => {
    const spawnError = spawnSync(path.join(tempDir('fserr'), 'no-such-program')).error;
    expect(spawnError).toMatchObject({ code: 'ENOENT' });
    expect(fsErrorInfo(spawnError)).toBeNull();
    expect(fsErrorInfo(new TypeError('x is undefined'))).toBeNull();
    expect(toErrorInfo(new TypeError('x is undefined'))).toMatchObject({ code: 'INTERNAL' });
  });
});

describe('through the API (dispatch) and the CLI', () => {
  it('dispatch turns an fs error any handler lets through into NOT_FOUND/INVALID_INPUT with the path, logging no stack', async () => {
    const core = openTestCore(tempDir());
    const dir = tempDir('fserr');
    const missing = path.join(dir, 'gone', 'report.json');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // The catch-all: a handler whose file vanished under it.
      const leaky = { ...handlers, 'app.info': () => JSON.parse(fs.readFileSync(missing, 'utf8')) as never };
      expect(await dispatch(leaky, core, 'app.info', {})).toEqual({
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: `${missing} does not exist. Check the path (and that its folder exists).`,
          details: { path: missing, errno: 'ENOENT' },
        },
      });
      // A real handler given a file where it reads a folder.
      const file = path.join(dir, 'not-a-folder');
      fs.writeFileSync(file, 'x');
      const envelope = await dispatch(handlers, core, 'infer.results', { outDir: file });
      expect(envelope.ok).toBe(false);
      const error = (envelope as { error: { code: string; message: string } }).error;
      expect(['NOT_FOUND', 'INVALID_INPUT']).toContain(error.code);
      expect(error.message).toContain(file);
      expect(error.message).not.toMatch(/Unexpected error|ENOTDIR|\n\s+at /);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it('the CLI prints one actionable line for a home it cannot use, never a stack trace', async () => {
    const file = path.join(tempDir('fserr'), 'a-file');
    fs.writeFileSync(file, 'x');
    const home = path.join(file, 'home');
    const res = await runCli(['jobs', 'list', '--json', '--home', home]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    const { error } = singleJsonLine(res.stderr);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(
      new RegExp(`^Cannot use ${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S*: a part of that path is a file, not a folder\\.$`),
    );
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  }, 30_000);

  it.skipIf(isRoot)(
    'the CLI on a home it may not write says "cannot write PATH: permission denied"',
    async () => {
      const home = tempDir('fserr');
      fs.chmodSync(home, 0o500);
      try {
        const res = await runCli(['jobs', 'list', '--home', home]);
        expect(res.code).toBe(2);
        expect(res.stderr).toMatch(new RegExp(`^Error \\(INVALID_INPUT\\): Cannot (open|write) ${home}/\\S+: permission denied\\.`));
        expect(res.stderr).not.toMatch(/\n\s+at /);
      } finally {
        fs.chmodSync(home, 0o700);
      }
    },
    30_000,
  );
});
