import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Framelab's package.json, found from this module's location so it works
 * from the TypeScript sources (CLI, tests) and from the bundled Electron build in out/.
 */
let cached: string | undefined;

export function appRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'framelab') {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("Cannot find Framelab's package.json above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function appVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version;
}

/** Version of an installed dependency, or null when it is not installed. */
export function dependencyVersion(name: string): string | null {
  try {
    const manifest = path.join(appRoot(), 'node_modules', ...name.split('/'), 'package.json');
    return JSON.parse(fs.readFileSync(manifest, 'utf8')).version ?? null;
  } catch {
    return null;
  }
}

/** The built renderer served in browser mode and loaded by the desktop window. */
export function rendererDir(): string {
  return path.join(appRoot(), 'out', 'renderer');
}
