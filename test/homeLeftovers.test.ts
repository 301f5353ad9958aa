import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../src/main/core/core';
import { homePaths, type HomePaths } from '../src/main/core/home/paths';
import { applyAnnotationsImport } from '../src/main/core/annotations/importWrites';
import { planAnnotationsImport } from '../src/main/core/annotations/planImport';
import { nodeForkLauncher } from '../src/main/core/jobs/launcher';
import { framePath, thumbPath, tmpPathFor } from '../src/main/core/media/extract';
import { absoluteStoredPath, storeFile } from '../src/main/core/workspace/files';
import { notePendingFiles } from '../src/main/core/workspace/pendingFiles';
import { SAMPLE } from './annotations/fixtures';
import { runCleanup, openTestCore, tempDir } from './helpers';

afterEach(runCleanup);

const mode = (file: string) => fs.statSync(file).mode & 0o777;

function write(home: HomePaths, relative: string, bytes: Buffer | string = crypto.randomBytes(64)): string {
  const file = absoluteStoredPath(home, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

/**
 * The owner dies (kill -9, power loss): no close(), so its jobs stay `running` in the database
 * and the journal stays as it was. The OS frees the lock's process; here the lock file goes.
 */
function crash(core: Core): void {
  core.db.close();
  core.lock.release();
}

describe('a new home is private', () => {
  it('creates the home folder 0700 and the database, its WAL files and stored files 0600', () => {
    const root = path.join(tempDir('private'), 'nested', 'Framelab');
    const core = openTestCore(root);
    const stored = storeFile(core.db, core.home, 'frames/v/v_t001.0.jpg', 'frame', Buffer.from('jpeg bytes'));
    expect(mode(root)).toBe(0o700);
    expect(mode(path.dirname(root)), 'a parent the home created is private too').toBe(0o700);
    expect(mode(core.home.dbFile)).toBe(0o600);
    for (const suffix of ['-wal', '-shm']) expect(mode(`${core.home.dbFile}${suffix}`), suffix).toBe(0o600);
    expect(mode(core.home.lockFile)).toBe(0o600);
    expect(mode(absoluteStoredPath(core.home, stored.path))).toBe(0o600);
  });
});

describe('a folder that becomes a home is made private', () => {
  it('makes an existing folder 0700 when the home is new in it (Electron creates userData first); leaves an existing home as it is', () => {
    const root = path.join(tempDir('private'), 'userData');
    fs.mkdirSync(root, { mode: 0o755 });
    fs.chmodSync(root, 0o755);
    fs.writeFileSync(path.join(root, 'Preferences'), '{}');
    openTestCore(root).close();
    expect(mode(root)).toBe(0o700);

    // The owner of an existing home loosened it on purpose (say, a group share): that stays.
    fs.chmodSync(root, 0o750);
    openTestCore(root).close();
    expect(mode(root)).toBe(0o750);
  });
});

describe('start-up removes what interrupted work left in the files folder', () => {
  it('removes temporary files, staging folders and unregistered copies; keeps registered, unnoted and outside files', () => {
    const root = tempDir('leftovers');
    const home = homePaths(root);
    const crashed = openCore({ home: root, mode: 'cli', launcher: nodeForkLauncher() });
    // A sampling job was extracting frames when the owner died: its temporary files are beside
    // their final places, named with its id.
    const job = crashed.jobRepo.create('frames.sample', {});
    crashed.jobRepo.markRunning(job.id, 999_999);
    const jobTemps = [tmpPathFor(framePath('v', 'v_t001.0'), job.id), tmpPathFor(thumbPath('v', 'v_t001.0'), job.id)];
    // An annotations import had copied an image under a temporary name (random tag).
    const importTemp = tmpPathFor('frames/v/v_t003.0.png', 'a1b2c3d4');
    // A model being hashed in its staging folder; a file half-written atomically.
    const staging = `models/.staging-${job.id}/weights.safetensors`;
    const atomicTemp = 'frames/v/v_t004.0.jpg.4242.tmp';
    for (const relative of [...jobTemps, importTemp, staging, atomicTemp]) write(home, relative);
    // The owner stored an image, then died before its transaction committed: the copy is in
    // place with no stored_files row (the rollback below is what the crash amounts to).
    expect(() =>
      crashed.db.transaction(() => {
        storeFile(crashed.db, crashed.home, 'frames/v/v_t002.0.jpg', 'frame', Buffer.from('uncommitted'));
        throw new Error('the owner died here');
      })(),
    ).toThrow('the owner died here');

    // What must stay: a registered file (even one named like a temporary one), a file nobody
    // noted (put there by hand: `check` lists it), anything outside the files folder, and the
    // target of a symlink (a link is never followed).
    const registered = storeFile(crashed.db, crashed.home, 'frames/v/v_t005.0.jpg', 'frame', Buffer.from('kept'));
    const oddlyNamed = storeFile(crashed.db, crashed.home, 'frames/v/.v_t006.0.x.tmp.jpg', 'frame', Buffer.from('kept too'));
    write(home, 'frames/v/notes.txt', 'mine');
    const outside = path.join(root, 'outside.txt');
    fs.writeFileSync(outside, 'not the store');
    notePendingFiles(home, ['../outside.txt', 'frames/v/notes.txt/../../../outside.txt']);
    fs.symlinkSync(outside, absoluteStoredPath(home, 'frames/v/.link.9.tmp'));
    crash(crashed);
    expect(fs.existsSync(absoluteStoredPath(home, 'frames/v/v_t002.0.jpg')), 'the uncommitted copy is on disk').toBe(true);

    const next = openTestCore(root);
    expect(next.jobRepo.get(job.id).status).toBe('interrupted');
    const gone = [...jobTemps, importTemp, atomicTemp, 'frames/v/v_t002.0.jpg'];
    for (const relative of gone) expect(fs.existsSync(absoluteStoredPath(home, relative)), relative).toBe(false);
    expect(fs.existsSync(absoluteStoredPath(home, path.posix.dirname(staging)))).toBe(false);
    for (const relative of [registered.path, oddlyNamed.path, 'frames/v/notes.txt']) {
      expect(fs.existsSync(absoluteStoredPath(home, relative)), relative).toBe(true);
    }
    expect(fs.readFileSync(outside, 'utf8')).toBe('not the store');
    expect(fs.lstatSync(absoluteStoredPath(home, 'frames/v/.link.9.tmp')).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(home.pendingFiles), 'the journal is settled').toBe(false);
  });

  it('a clean close removes the copy of a transaction that rolled back and keeps committed ones', () => {
    const root = tempDir('leftovers');
    const core = openCore({ home: root, mode: 'cli', launcher: nodeForkLauncher() });
    const kept = storeFile(core.db, core.home, 'frames/v/v_t001.0.jpg', 'frame', Buffer.from('committed'));
    expect(() =>
      core.db.transaction(() => {
        storeFile(core.db, core.home, 'frames/v/v_t002.0.jpg', 'frame', Buffer.from('rolled back'));
        throw new Error('a later write failed');
      })(),
    ).toThrow();
    core.close();
    expect(fs.existsSync(absoluteStoredPath(core.home, 'frames/v/v_t002.0.jpg'))).toBe(false);
    expect(fs.readFileSync(absoluteStoredPath(core.home, kept.path), 'utf8')).toBe('committed');
    expect(fs.existsSync(core.home.pendingFiles)).toBe(false);
  });

  it('an image import whose write fails after moving some images into place leaves none of them behind', () => {
    const dir = tempDir('leftovers');
    const core = openCore({ home: path.join(dir, 'home'), mode: 'cli', launcher: nodeForkLauncher() });
    const frames = path.join(dir, 'frames');
    fs.mkdirSync(frames);
    for (const id of ['vid_0007_t001.0', 'vid_0014_t010.0']) fs.writeFileSync(path.join(frames, `${id}.jpg`), `image of ${id}`);
    const planned = planAnnotationsImport(core.db, core.home, { file: SAMPLE, framesDir: frames });
    const images = planned.plan!.images;
    expect(images).toHaveLength(2);
    // The second move fails (its staged copy vanished): the first image is already in place.
    fs.rmSync(absoluteStoredPath(core.home, images[1]!.tmp));
    expect(() => core.db.transaction(() => applyAnnotationsImport(core.db, core.home, planned)).immediate()).toThrow();
    const moved = absoluteStoredPath(core.home, images[0]!.path);
    expect(fs.existsSync(moved), 'the first image sits unregistered at its final place').toBe(true);
    core.close();
    expect(fs.existsSync(moved)).toBe(false);
  });
});
