import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { atomicTmpPath, writeFileAtomic } from './atomic';
import { notePendingFiles } from './pendingFiles';

/**
 * Files the workspace keeps (frames, weights, exports) live under `<home>/files` and are
 * registered with their sha256, so the integrity check can prove none changed or vanished.
 */
export interface StoredFile {
  path: string; // relative to the home's files dir, with forward slashes
  role: string;
  sha256: string;
  size: number;
}

/**
 * Streams a file through sha256. `onChunk` sees the bytes read so far and may throw (e.g. on
 * cancel) to stop early: large files (weights, videos) must not make a job deaf to cancel.
 */
export async function sha256OfFile(file: string, onChunk?: (bytesRead: number) => void): Promise<string> {
  const hash = crypto.createHash('sha256');
  let bytesRead = 0;
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      bytesRead += (chunk as Buffer).length;
      onChunk?.(bytesRead);
    }
  } finally {
    stream.destroy();
  }
  return hash.digest('hex');
}

export function absoluteStoredPath(home: HomePaths, relative: string): string {
  const absolute = path.resolve(home.filesDir, relative);
  if (!absolute.startsWith(home.filesDir + path.sep)) {
    throw new FramelabError('INVALID_INPUT', `Stored file path "${relative}" points outside the home's files folder.`);
  }
  return absolute;
}

/**
 * Writes bytes under the files dir atomically (mode 0600) and records their hash. Replaces an
 * earlier version. Noted in the pending-files journal first: if the owner dies before the
 * caller's transaction commits, the next owner removes the unregistered copy.
 */
export function storeFile(db: Db, home: HomePaths, relative: string, role: string, bytes: Buffer): StoredFile {
  const target = absoluteStoredPath(home, relative);
  const posix = relative.split(path.sep).join('/');
  notePendingFiles(home, [posix, atomicTmpPath(posix)]);
  writeFileAtomic(target, bytes, { mode: 0o600 });
  return registerStoredFile(db, {
    path: posix,
    role,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
  });
}

/**
 * Records a file already in place under the files dir, with the hash and size measured by
 * whoever wrote it (a job process writes files; only the owner registers them).
 */
export function registerStoredFile(db: Db, record: StoredFile): StoredFile {
  db.prepare(
    `INSERT INTO stored_files (path, role, sha256, size, created_at) VALUES (@path, @role, @sha256, @size, @createdAt)
     ON CONFLICT (path) DO UPDATE SET role = excluded.role, sha256 = excluded.sha256, size = excluded.size`,
  ).run({ ...record, createdAt: new Date().toISOString() });
  return record;
}

export function listStoredFiles(db: Db): StoredFile[] {
  return db.prepare('SELECT path, role, sha256, size FROM stored_files ORDER BY path').all() as StoredFile[];
}
