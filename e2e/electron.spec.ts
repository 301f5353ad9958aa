import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

/**
 * The desktop window, where Electron's binary exists (it is downloaded by Electron's install
 * script; machines without network access skip this file and test the same renderer in
 * browser mode). Needs better-sqlite3 built for Electron: `node scripts/electron-sqlite.mjs`.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary(): string | null {
  const pathFile = path.join(root, 'node_modules/electron/path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(root, 'node_modules/electron/dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

const binary = electronBinary();
test.skip(!binary, "Electron's binary is not installed on this machine");

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
  } finally {
    await app.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
