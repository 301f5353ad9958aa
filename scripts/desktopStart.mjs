/**
 * `npm start`'s decisions, kept apart from its side effects so they are unit-tested
 * (test/desktop/startChoice.test.ts).
 *
 * Electron 45's npm package has no install script: its binary is downloaded on first use (its
 * index.js, or `npx install-electron`), not by `npm ci`. So `npm start` downloads it once itself,
 * unless ELECTRON_SKIP_BINARY_DOWNLOAD says this machine must not (CI, offline installs). Without
 * a binary, or without better-sqlite3 built for Electron's ABI, it opens browser mode instead.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The Electron executable installed under `root`, found as Electron's own index.js finds it; null when absent. */
export function electronBinary(root, env = process.env) {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, relative || 'electron') : relative ? path.join(dir, 'dist', relative) : null;
  return binary && fs.existsSync(binary) ? binary : null;
}

/** True when ELECTRON_SKIP_BINARY_DOWNLOAD is set to anything but an explicit "no" (0, false, empty). */
export function skipsElectronDownload(env = process.env) {
  const value = (env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

const BROWSER_HINT = 'Framelab opens in browser mode instead: open the address below in a browser.';

/**
 * The next step of `npm start`, given what is known so far:
 * - `binary`: the Electron executable, or null;
 * - `downloadError`: undefined until a download was tried, then null (it worked) or its reason;
 * - `sqliteError`: undefined until better-sqlite3 was prepared for Electron, then null or the reason.
 * Returns { action: 'download' | 'prepare-sqlite' | 'window' | 'browser', reason? }.
 */
export function chooseStart({ binary, env = process.env, downloadError, sqliteError }) {
  if (!binary) {
    if (skipsElectronDownload(env)) {
      return {
        action: 'browser',
        reason:
          "Electron's binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it is not downloaded. " +
          `To get the desktop window, run \`npx install-electron\` with network access, then \`npm start\`. ${BROWSER_HINT}`,
      };
    }
    if (downloadError === undefined) return { action: 'download' };
    return {
      action: 'browser',
      reason:
        `Electron's binary could not be downloaded${downloadError ? ` (${downloadError})` : ''}. ` +
        `With network access, \`npm start\` tries again. ${BROWSER_HINT}`,
    };
  }
  if (sqliteError === undefined) return { action: 'prepare-sqlite' };
  if (sqliteError) {
    return {
      action: 'browser',
      reason:
        `better-sqlite3 could not be built for Electron (${sqliteError}); it needs Electron's headers from the network ` +
        `once, Python 3 and a C++ compiler. ${BROWSER_HINT}`,
    };
  }
  return { action: 'window' };
}
