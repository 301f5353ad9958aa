import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from '../scripts/desktopStart.mjs';
import { CONTENT_SECURITY_POLICY_META } from '../src/shared/contentSecurityPolicy';

/**
 * The desktop window, wherever Electron's binary exists. Electron 45 downloads it on first use,
 * not at install: `npx install-electron` (or a first `npm start`) with network access gets it;
 * machines without (CI sets ELECTRON_SKIP_BINARY_DOWNLOAD=1) skip this file and test the same
 * renderer in browser mode. Run it with `npx playwright test e2e/electron.spec.ts` after
 * `npm run build`; better-sqlite3 for Electron is built first (scripts/electron-sqlite.mjs, which
 * needs the network once).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = electronBinary(root);
test.skip(
  !binary,
  "Electron's binary is not installed on this machine (get it with `npx install-electron`); the renderer is tested in browser mode",
);

test.beforeAll(() => {
  const prepared = spawnSync(process.execPath, [path.join(root, 'scripts/electron-sqlite.mjs')], { cwd: root, encoding: 'utf8' });
  if (prepared.status !== 0) throw new Error(`better-sqlite3 could not be built for Electron: ${prepared.stderr}`);
});

test('the desktop window opens the workspace through the preload bridge only', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-electron-'));
  const app = await electron.launch({ executablePath: binary!, args: [root, '--home', home] });
  try {
    const window = await app.firstWindow();
    await window.getByRole('button', { name: 'Workspace' }).click();
    await expect(window.getByRole('heading', { name: 'Workspace' })).toBeVisible();
    await expect(window.getByTestId('home-path')).toHaveText(home);
    const surface = await window.evaluate(() => ({
      bridge: Object.keys((window as unknown as { framelab: object }).framelab).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(surface).toEqual({ bridge: ['call', 'onEvent'], require: 'undefined', process: 'undefined' });
    // The page from file:// gets its policy from the meta tag; permission checks are denied.
    const security = await window.evaluate(async () => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
      notifications: (await navigator.permissions.query({ name: 'notifications' })).state,
    }));
    expect(security).toEqual({ csp: CONTENT_SECURITY_POLICY_META, notifications: 'denied' });
  } finally {
    await app.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
