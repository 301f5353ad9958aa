#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into .electron-native/, leaving node_modules'
 * Node build alone (the CLI, browser mode and tests keep using it). The desktop shell points
 * FRAMELAB_SQLITE_BINDING at the result. Needs the network once (Electron's headers), Python 3
 * and a C++ compiler.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const target = path.join(root, '.electron-native', `better_sqlite3-electron-${electronVersion}.node`);
if (fs.existsSync(target)) process.exit(0);

console.error(`Framelab: building better-sqlite3 for Electron ${electronVersion} (once)…`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-sqlite-'));
fs.cpSync(path.join(root, 'node_modules/better-sqlite3'), work, { recursive: true });
fs.rmSync(path.join(work, 'build'), { recursive: true, force: true });
const nodeGyp = findNodeGyp();
const build = spawnSync(
  process.execPath,
  [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
  { cwd: work, stdio: 'inherit' },
);
if (build.status !== 0) {
  fs.rmSync(work, { recursive: true, force: true });
  console.error(
    'Framelab: could not build better-sqlite3 for Electron (see above). It needs network access once (Electron ' +
      `${electronVersion}'s headers from electronjs.org), Python 3 and a C++ compiler. \`npx framelab serve\` still works in a browser.`,
  );
  process.exit(build.status ?? 1);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
fs.rmSync(work, { recursive: true, force: true });
console.error(`Framelab: ${target} ready.`);

/** node-gyp: the project's (electron-builder brings it), else the one bundled with npm. */
function findNodeGyp() {
  const candidates = [
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    process.env.npm_execpath && path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    console.error(`Framelab: node-gyp not found (looked in ${candidates.join(', ')}); run \`npm ci\` first.`);
    process.exit(1);
  }
  return found;
}
