import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Whether the built app (out/) matches the sources. `npm ci` builds nothing (a project's own
 * `prepare` script is refused under npm's strict-allow-scripts), so `framelab serve` and
 * `npm start` build on first use and after the sources change.
 */
export type AppBuildState =
  | { kind: 'fresh' }
  | { kind: 'missing' | 'stale'; reason: string }
  /** An installed or packaged app: no sources to build from; out/ is what ships. */
  | { kind: 'no-sources' };

/** The file written last by `electron-vite build`: its time is the build's. */
export const BUILD_STAMP = path.join('out', 'renderer', 'index.html');
/** What the build reads besides src/: a change to either makes out/ stale. */
const BUILD_INPUTS = ['src', 'electron.vite.config.ts', 'package.json'];

function newestFile(entry: string): { file: string; mtimeMs: number } | null {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return null;
  if (!stat.isDirectory()) return { file: entry, mtimeMs: stat.mtimeMs };
  let newest: { file: string; mtimeMs: number } | null = null;
  for (const name of fs.readdirSync(entry)) {
    const found = newestFile(path.join(entry, name));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

export function appBuildState(root: string): AppBuildState {
  if (!fs.existsSync(path.join(root, 'src')) || !fs.existsSync(path.join(root, 'node_modules', 'electron-vite'))) {
    return { kind: 'no-sources' };
  }
  const stamp = fs.statSync(path.join(root, BUILD_STAMP), { throwIfNoEntry: false });
  if (!stamp) return { kind: 'missing', reason: `${BUILD_STAMP} does not exist` };
  for (const input of BUILD_INPUTS) {
    const newest = newestFile(path.join(root, input));
    if (newest && newest.mtimeMs > stamp.mtimeMs) {
      return { kind: 'stale', reason: `${path.relative(root, newest.file)} changed after the last build` };
    }
  }
  return { kind: 'fresh' };
}

/**
 * Builds out/ when it is missing or older than the sources; says so on stderr (stdout belongs to
 * the command's own output, e.g. serve's listening line). Returns false when the build failed.
 * FRAMELAB_SKIP_BUILD=1 skips the check: the test suite builds once up front and then runs many
 * servers at the same time, which must not each start a build in the same folder.
 */
export function buildAppIfNeeded(root: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): boolean {
  if (process.env.FRAMELAB_SKIP_BUILD === '1') return true;
  const state = appBuildState(root);
  if (state.kind === 'fresh' || state.kind === 'no-sources') return true;
  log(`Framelab: building the app (${state.reason}); this takes about a minute the first time…`);
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    // The build's own chatter goes to stderr too: it must not precede a command's first stdout line.
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (run.status !== 0) {
    log(`Framelab: the build failed (exit ${run.status ?? run.signal}); fix the error above or run \`npm run build\`.`);
    return false;
  }
  return true;
}
