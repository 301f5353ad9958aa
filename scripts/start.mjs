#!/usr/bin/env node
/**
 * `npm start`: builds the app if its sources changed, then opens the Electron window. Electron's
 * binary is downloaded on first use (Electron 45's package has no install script), so the first
 * `npm start` downloads it, unless ELECTRON_SKIP_BINARY_DOWNLOAD=1 (CI, offline installs). Where
 * there is no binary, or better-sqlite3 cannot be built for it, it says why and opens browser
 * mode instead, printing the URL. The decisions are in desktopStart.mjs.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseStart, electronBinary } from './desktopStart.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const passThrough = process.argv.slice(2);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const stamp = path.join(root, 'out', 'renderer', 'index.html');
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (built >= newestMtime(path.join(root, 'src'))) return;
  console.error('Framelab: building the app…');
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

/** Electron's own downloader (what `npx install-electron` runs); null when it worked, else why not. */
function downloadElectron() {
  console.error("Framelab: downloading Electron's binary (once)…");
  const download = spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], {
    cwd: root,
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
  if (download.status === 0) return null;
  return download.error ? download.error.message : `its downloader exited with ${download.status ?? download.signal}; see above`;
}

/** better-sqlite3 for Electron's ABI, in .electron-native/ (the CLI keeps Node's build); the reason when it fails. */
function prepareSqlite() {
  const prepared = spawnSync(process.execPath, [path.join(root, 'scripts/electron-sqlite.mjs')], { cwd: root, stdio: 'inherit' });
  return prepared.status === 0 ? null : `scripts/electron-sqlite.mjs exited with ${prepared.status ?? prepared.signal}; see above`;
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

buildIfStale();
const state = { binary: electronBinary(root), downloadError: undefined, sqliteError: undefined };
for (;;) {
  const choice = chooseStart(state);
  if (choice.action === 'download') {
    state.downloadError = downloadElectron();
    state.binary = electronBinary(root);
  } else if (choice.action === 'prepare-sqlite') {
    state.sqliteError = prepareSqlite();
  } else if (choice.action === 'window') {
    run(state.binary, [root, ...passThrough]);
    break;
  } else {
    console.error(`Framelab: ${choice.reason}`);
    run(process.execPath, [path.join(root, 'bin/framelab.js'), 'serve', ...passThrough]);
    break;
  }
}
