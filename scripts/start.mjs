#!/usr/bin/env node
/**
 * `npm start`: builds the app if its sources changed, then opens the Electron window. Where
 * Electron's binary is not available (it is downloaded by Electron's install script, which
 * offline machines cannot run), it says so and falls back to browser mode, printing the URL.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

buildIfStale();
const electron = electronBinary();
if (electron) {
  // better-sqlite3 must match Electron's ABI in the window's process; the CLI keeps Node's build.
  const prepared = spawnSync(process.execPath, [path.join(root, 'scripts/electron-sqlite.mjs')], { cwd: root, stdio: 'inherit' });
  if (prepared.status !== 0) process.exit(prepared.status ?? 1);
  run(electron, [root, ...passThrough]);
} else {
  console.error(
    "Framelab: Electron's binary is not available on this machine (its download did not happen), " +
      'so Framelab opens in browser mode instead. Open the address below in a browser.',
  );
  run(process.execPath, [path.join(root, 'bin/framelab.js'), 'serve', ...passThrough]);
}
