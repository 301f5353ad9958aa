import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openOutput, partFiles, writePart } from '../../src/main/core/infer/outputState';
import {
  checkFolderOutput,
  commitOutputFile,
  createOutputFolder,
  fileOutput,
  folderOutput,
  writeOutputFile,
  writeOutputFileWith,
} from '../../src/main/core/workspace/outputPaths';
import { expectFramelabError, runCleanup, tempDir } from '../helpers';

afterEach(runCleanup);

const CSV = { extensions: ['csv'], overwrite: false };
const REPLACE = { extensions: ['csv'], overwrite: true };

/** Names in a folder, hidden temporary files included: a write must leave none behind. */
const entries = (dir: string) => fs.readdirSync(dir).sort();

describe('fileOutput: where a caller-chosen file may be written', () => {
  it('accepts an absolute path with the extension in an existing folder, and returns it resolved', () => {
    const dir = tempDir('out');
    expect(fileOutput(path.join(dir, 'sub', '..', 'codes.CSV'), CSV)).toBe(path.join(dir, 'codes.CSV'));
  });

  it('refuses a relative path, an empty one and one with a control character', () => {
    expect(expectFramelabError(() => fileOutput('codes.csv', CSV), 'INVALID_INPUT').message).toMatch(/absolute path, not "codes\.csv"/);
    expectFramelabError(() => fileOutput('  ', CSV), 'INVALID_INPUT');
    expect(expectFramelabError(() => fileOutput(`${tempDir('out')}/a\u0000.csv`, CSV), 'INVALID_INPUT').message).toMatch(
      /control character/,
    );
  });

  it('refuses a dotfile, even with overwrite, and leaves it byte-identical', () => {
    const dir = tempDir('out');
    const bashrc = path.join(dir, '.bashrc');
    fs.writeFileSync(bashrc, 'export PATH=/usr/bin\n');
    const err = expectFramelabError(() => writeOutputFile(bashrc, 'attacker', REPLACE), 'INVALID_INPUT');
    expect(err.message).toContain(bashrc);
    expect(err.message).toMatch(/hidden files or folders \("\.bashrc"\)/);
    expect(fs.readFileSync(bashrc, 'utf8')).toBe('export PATH=/usr/bin\n');
    expectFramelabError(() => fileOutput(path.join(dir, '.hidden.csv'), REPLACE), 'INVALID_INPUT');
  });

  it('refuses a path through a hidden folder (~/.ssh/x.csv), also when a visible link leads there', () => {
    const dir = tempDir('out');
    fs.mkdirSync(path.join(dir, '.ssh'));
    expect(expectFramelabError(() => fileOutput(path.join(dir, '.ssh', 'x.csv'), CSV), 'INVALID_INPUT').message).toMatch(/"\.ssh"/);
    fs.symlinkSync(path.join(dir, '.ssh'), path.join(dir, 'notes'));
    expect(expectFramelabError(() => writeOutputFile(path.join(dir, 'notes', 'x.csv'), 'a,b\n', CSV), 'INVALID_INPUT').message).toMatch(
      /leads to .*\.ssh/,
    );
    expect(fs.readdirSync(path.join(dir, '.ssh'))).toEqual([]);
  });

  it('refuses an extension the method does not write, naming the ones it does', () => {
    const dir = tempDir('out');
    const err = expectFramelabError(
      () => fileOutput(path.join(dir, 'authorized_keys'), { extensions: ['csv', 'json'], overwrite: true }),
      'INVALID_INPUT',
    );
    expect(err.message).toMatch(/must end in \.csv, \.json/);
    expectFramelabError(() => fileOutput(path.join(dir, 'report.csv.sh'), CSV), 'INVALID_INPUT');
  });

  it('needs the parent folder to exist (and be a folder): nothing is created', () => {
    const dir = tempDir('out');
    const err = expectFramelabError(() => writeOutputFile(path.join(dir, 'missing', 'deeper', 'x.csv'), 'a\n', CSV), 'INVALID_INPUT');
    expect(err.message).toMatch(/folder .*missing.* does not exist; create it first/);
    // The UI offers to create exactly the folder named here.
    expect(err.details).toMatchObject({ rule: 'parent', missingFolder: path.join(dir, 'missing', 'deeper') });
    expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false);
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    const underFile = expectFramelabError(() => fileOutput(path.join(dir, 'file', 'x.csv'), CSV), 'INVALID_INPUT');
    expect(underFile.message).toMatch(/is not a folder/);
    expect((underFile.details as { missingFolder?: string }).missingFolder).toBeUndefined();
  });

  it('createOutputFolder makes a folder with its parents, then the file can be written; hidden and relative are refused', () => {
    const dir = tempDir('out');
    const made = createOutputFolder(path.join(dir, 'missing', 'deeper'));
    expect(fs.statSync(made).isDirectory()).toBe(true);
    expect(createOutputFolder(made)).toBe(made);
    writeOutputFile(path.join(made, 'x.csv'), 'a\n', CSV);
    expect(fs.readFileSync(path.join(made, 'x.csv'), 'utf8')).toBe('a\n');
    expectFramelabError(() => createOutputFolder(path.join(dir, '.ssh', 'keys')), 'INVALID_INPUT');
    expect(fs.existsSync(path.join(dir, '.ssh'))).toBe(false);
    expectFramelabError(() => createOutputFolder('relative/folder'), 'INVALID_INPUT');
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expect(expectFramelabError(() => createOutputFolder(path.join(dir, 'file', 'sub')), 'INVALID_INPUT').message).toMatch(
      /cannot be created/,
    );
  });

  it('refuses an existing file with CONFLICT unless overwrite, then replaces it whole', () => {
    const dir = tempDir('out');
    const file = path.join(dir, 'codes.csv');
    fs.writeFileSync(file, 'old\n');
    const err = expectFramelabError(() => writeOutputFile(file, 'new\n', CSV), 'CONFLICT');
    expect(err.message).toBe(`${file} exists; pass overwrite (CLI: --overwrite) to replace it.`);
    expect(err.details).toEqual({ path: file, exists: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
    expect(writeOutputFile(file, 'new\n', REPLACE)).toBe(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('new\n');
    expect(entries(dir)).toEqual(['codes.csv']);
  });

  it('refuses a symbolic link as the target, even with overwrite, and never writes through it', () => {
    const dir = tempDir('out');
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    const link = path.join(dir, 'codes.csv');
    fs.symlinkSync(victim, link);
    expect(expectFramelabError(() => writeOutputFile(link, 'attacker\n', REPLACE), 'INVALID_INPUT').message).toMatch(/symbolic link/);
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling.csv'));
    expectFramelabError(() => writeOutputFile(path.join(dir, 'dangling.csv'), 'attacker\n', REPLACE), 'INVALID_INPUT');
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(fs.existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });

  it('refuses a folder or a FIFO named like the file', () => {
    const dir = tempDir('out');
    fs.mkdirSync(path.join(dir, 'folder.csv'));
    expect(expectFramelabError(() => fileOutput(path.join(dir, 'folder.csv'), REPLACE), 'INVALID_INPUT').message).toMatch(/is a folder/);
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [path.join(dir, 'pipe.csv')]);
      expect(expectFramelabError(() => fileOutput(path.join(dir, 'pipe.csv'), REPLACE), 'INVALID_INPUT').message).toMatch(
        /not a regular file/,
      );
    }
  });

  it('a file that appears between the check and the write is not replaced (no overwrite): CONFLICT, the newcomer kept', () => {
    const dir = tempDir('out');
    const file = path.join(dir, 'codes.csv');
    const written = expectFramelabError(
      () =>
        writeOutputFileWith(file, CSV, (tmp) => {
          fs.writeFileSync(tmp, 'ours\n');
          fs.writeFileSync(file, 'theirs\n'); // someone else, meanwhile
        }),
      'CONFLICT',
    );
    expect(written.details).toMatchObject({ exists: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('theirs\n');
    expect(entries(dir)).toEqual(['codes.csv']);
  });

  it('with overwrite, a link that appears meanwhile is refused, not followed', () => {
    const dir = tempDir('out');
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    const file = path.join(dir, 'codes.csv');
    const tmp = path.join(dir, 'tmp.part');
    fs.writeFileSync(tmp, 'ours\n');
    fs.symlinkSync(victim, file);
    expectFramelabError(() => commitOutputFile(tmp, file, true), 'INVALID_INPUT');
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(fs.existsSync(tmp)).toBe(false);
  });

  it('a failing writer leaves neither the target nor a temporary file', () => {
    const dir = tempDir('out');
    expect(() =>
      writeOutputFileWith(path.join(dir, 'x.csv'), CSV, (tmp) => {
        fs.writeFileSync(tmp, 'half');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(entries(dir)).toEqual([]);
  });
});

describe('folderOutput: a folder a job writes several files into', () => {
  it('is created when its parent exists, and refused when the parent is missing', () => {
    const dir = tempDir('out');
    expect(folderOutput(path.join(dir, 'run1'))).toBe(path.join(dir, 'run1'));
    expect(fs.statSync(path.join(dir, 'run1')).isDirectory()).toBe(true);
    const err = expectFramelabError(() => folderOutput(path.join(dir, 'a', 'b')), 'INVALID_INPUT');
    expect(err.message).toMatch(/does not exist; create it first/);
    expect(fs.existsSync(path.join(dir, 'a'))).toBe(false);
  });

  it('refuses hidden segments, a relative path, a file and a link in its place', () => {
    const dir = tempDir('out');
    expectFramelabError(() => folderOutput(path.join(dir, '.config')), 'INVALID_INPUT');
    expectFramelabError(() => folderOutput('predictions'), 'INVALID_INPUT');
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expect(expectFramelabError(() => folderOutput(path.join(dir, 'file')), 'INVALID_INPUT').message).toMatch(/is a file, not a folder/);
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
    expect(expectFramelabError(() => checkFolderOutput(path.join(dir, 'link')), 'INVALID_INPUT').message).toMatch(/symbolic link/);
    expect(fs.existsSync(path.join(dir, '.config'))).toBe(false);
  });

  it('an existing folder is reused as it is: resuming into it is not an overwrite', () => {
    const dir = tempDir('out');
    const out = path.join(dir, 'predictions');
    const manifest = { format: 1 as const, models: [], sampling: { kind: 'every' as const, seconds: 1 }, shard: null };
    openOutput(out, manifest, false);
    writePart(out, [{ videoId: 'v1', path: '/v/v1.mp4', tenths: [10], probabilities: {}, error: null }]);
    expect(partFiles(out)).toHaveLength(1);
    // The same run again (a resume): the folder and its finished part stay.
    expect(folderOutput(out)).toBe(out);
    openOutput(out, manifest, false);
    expect(partFiles(out)).toHaveLength(1);
  });
});
