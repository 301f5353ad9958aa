import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that readers see the old bytes or the new ones, never half a file: the
 * bytes go to a temporary sibling first, then a rename replaces the target. A failed write
 * leaves the target untouched and removes the temporary file.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array | string, options: { mode?: number } = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = atomicTmpPath(file);
  try {
    fs.writeFileSync(tmp, bytes, { mode: options.mode });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** The temporary sibling writeFileAtomic writes first (a leftover pattern workspace/leftovers.ts knows). */
export function atomicTmpPath(file: string): string {
  return `${file}.${process.pid}.tmp`;
}
