import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseStart, electronBinary, skipsElectronDownload } from '../../scripts/desktopStart.mjs';

/**
 * `npm start` opens the desktop window when it can and browser mode otherwise. Electron 45
 * downloads its binary on first use, not at install, so start downloads it unless the machine
 * says not to (ELECTRON_SKIP_BINARY_DOWNLOAD, as CI does). The binary lookup runs on a fake
 * node_modules/electron laid out as Electron's own installer leaves it.
 */
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-start-'));
  fs.mkdirSync(path.join(root, 'node_modules', 'electron'), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function installFakeBinary(relative = 'electron'): string {
  const electronDir = path.join(root, 'node_modules', 'electron');
  fs.writeFileSync(path.join(electronDir, 'path.txt'), relative);
  const binary = path.join(electronDir, 'dist', relative);
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  fs.writeFileSync(binary, '#!/bin/sh\n', { mode: 0o755 });
  return binary;
}

describe("finding Electron's binary", () => {
  it('is absent after an install that did not download it (no path.txt)', () => {
    expect(electronBinary(root, {})).toBeNull();
  });

  it('is absent when path.txt names a file that is not there (an interrupted download)', () => {
    fs.writeFileSync(path.join(root, 'node_modules/electron/path.txt'), 'electron');
    expect(electronBinary(root, {})).toBeNull();
  });

  it('is found where path.txt says, as on macOS inside the app bundle', () => {
    expect(electronBinary(root, {})).toBeNull();
    const binary = installFakeBinary('Electron.app/Contents/MacOS/Electron');
    expect(electronBinary(root, {})).toBe(binary);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as Electron does', () => {
    const elsewhere = path.join(root, 'custom-electron');
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'electron'), '');
    expect(electronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: elsewhere })).toBe(path.join(elsewhere, 'electron'));
  });
});

describe('ELECTRON_SKIP_BINARY_DOWNLOAD', () => {
  it('is set by any value but an explicit no', () => {
    for (const value of ['1', 'true', 'yes']) expect(skipsElectronDownload({ ELECTRON_SKIP_BINARY_DOWNLOAD: value }), value).toBe(true);
    for (const value of [undefined, '', '0', 'false', ' FALSE ']) {
      expect(skipsElectronDownload({ ELECTRON_SKIP_BINARY_DOWNLOAD: value }), String(value)).toBe(false);
    }
  });
});

describe("npm start's choice", () => {
  const skip = { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };

  it('binary present: prepares better-sqlite3 for Electron, then opens the window', () => {
    const binary = installFakeBinary();
    expect(chooseStart({ binary: electronBinary(root, {}), env: {} })).toEqual({ action: 'prepare-sqlite' });
    expect(chooseStart({ binary, env: {}, sqliteError: null })).toEqual({ action: 'window' });
    // A binary that is there is used even where downloads are skipped.
    expect(chooseStart({ binary, env: skip, sqliteError: null })).toEqual({ action: 'window' });
  });

  it('binary present but better-sqlite3 cannot be built for it: browser mode, saying what it needs', () => {
    const choice = chooseStart({ binary: installFakeBinary(), env: {}, sqliteError: 'node-gyp exited with 1' });
    expect(choice.action).toBe('browser');
    expect(choice.reason).toMatch(/better-sqlite3 could not be built for Electron \(node-gyp exited with 1\)/);
    expect(choice.reason).toMatch(/headers from the network/);
  });

  it('binary missing: downloads it once, and on failure falls back to browser mode with the reason', () => {
    expect(chooseStart({ binary: electronBinary(root, {}), env: {} })).toEqual({ action: 'download' });
    const failed = chooseStart({ binary: null, env: {}, downloadError: 'fetch failed' });
    expect(failed.action).toBe('browser');
    expect(failed.reason).toMatch(/could not be downloaded \(fetch failed\)/);
    expect(failed.reason).toMatch(/browser mode/);
  });

  it('binary missing and ELECTRON_SKIP_BINARY_DOWNLOAD set (CI, offline installs): browser mode without trying', () => {
    const choice = chooseStart({ binary: null, env: skip });
    expect(choice.action).toBe('browser');
    expect(choice.reason).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD is set/);
    expect(choice.reason).toMatch(/npx install-electron/);
  });
});
