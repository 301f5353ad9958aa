import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appBuildState, BUILD_STAMP } from '../src/main/core/appBuild';
import { tempDir } from './helpers';

/** A checkout-shaped folder: sources, electron-vite installed, optionally a build. */
function checkout(options: { built: boolean }): string {
  const root = tempDir('checkout');
  fs.mkdirSync(path.join(root, 'src', 'renderer'), { recursive: true });
  fs.mkdirSync(path.join(root, 'node_modules', 'electron-vite'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'renderer', 'App.tsx'), 'export {};\n');
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"framelab"}\n');
  const old = new Date(Date.now() - 60_000);
  for (const f of ['src/renderer/App.tsx', 'package.json']) fs.utimesSync(path.join(root, f), old, old);
  if (options.built) {
    fs.mkdirSync(path.dirname(path.join(root, BUILD_STAMP)), { recursive: true });
    fs.writeFileSync(path.join(root, BUILD_STAMP), '<!doctype html>');
  }
  return root;
}

describe('whether serve and npm start must build the app first', () => {
  it('builds after a fresh npm ci (out/ missing)', () => {
    expect(appBuildState(checkout({ built: false }))).toEqual({ kind: 'missing', reason: `${BUILD_STAMP} does not exist` });
  });

  it('does nothing when the build is newer than every source', () => {
    expect(appBuildState(checkout({ built: true }))).toEqual({ kind: 'fresh' });
  });

  it('rebuilds when a source file changed after the build, and names it', () => {
    const root = checkout({ built: true });
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(root, 'src', 'renderer', 'App.tsx'), later, later);
    expect(appBuildState(root)).toEqual({
      kind: 'stale',
      reason: `${path.join('src', 'renderer', 'App.tsx')} changed after the last build`,
    });
  });

  it('never builds an installed app without sources or build tools', () => {
    const root = checkout({ built: false });
    fs.rmSync(path.join(root, 'node_modules'), { recursive: true });
    expect(appBuildState(root)).toEqual({ kind: 'no-sources' });
  });
});
