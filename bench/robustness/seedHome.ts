/**
 * Prepares a home before its server starts, in this process through core (the way the tests
 * do), and opens it afterwards the way a restart does.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { assignFrames } from '../../src/main/core/coding/assignments';
import { readCodebook } from '../../src/main/core/coding/codebook';
import { upsertCoder } from '../../src/main/core/coding/coders';
import { openCore, type Core } from '../../src/main/core/core';
import { openDatabase, type Db } from '../../src/main/core/db/open';
import { homePaths, type HomePaths } from '../../src/main/core/home/paths';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';
import { absoluteStoredPath, registerStoredFile } from '../../src/main/core/workspace/files';
import { addFrames } from '../../test/coding/fixtures';

/** A fresh open: takes over a dead owner's lock and marks its jobs interrupted, as a restart does. */
export function withFreshOpen<T>(home: string, fn: (core: Core) => T): T {
  const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
  try {
    return fn(core);
  } finally {
    core.close();
  }
}

/** Reads a home a server owns (SQLite's WAL lets a reader in beside the one writer). */
export function withReadOnly<T>(home: string, fn: (db: Db, paths: HomePaths) => T): T {
  const paths = homePaths(home);
  const db = openDatabase(paths.dbFile, { readonly: true });
  try {
    return fn(db, paths);
  } finally {
    db.close();
  }
}

export interface CodingSet {
  frameIds: string[];
  coderIds: string[];
  /** The codebook's dimensions with their category values: what a save may choose from. */
  dimensions: { name: string; values: string[] }[];
}

/** `frames` frames of one video, `coders` coders (coder_1, ...), every frame assigned to every coder. */
export function seedCoding(home: string, options: { frames: number; coders: number }): CodingSet {
  return withFreshOpen(home, (core) => {
    const frameIds = addFrames(
      core,
      'vid_0001',
      Array.from({ length: options.frames }, (_, i) => i + 1),
    );
    const coderIds = Array.from({ length: options.coders }, (_, i) => `coder_${i + 1}`);
    for (const coderId of coderIds) upsertCoder(core.db, { coderId });
    assignFrames(core.db, { coderIds, overlap: { fraction: 1, seed: 1 } });
    const dimensions = readCodebook(core.db).dimensions.map((d) => ({ name: d.name, values: d.categories.map((c) => c.value) }));
    return { frameIds, coderIds, dimensions };
  });
}

/**
 * Registers `count` sparse files of `bytes` zero bytes with their true hash: an integrity
 * check that reads for seconds (long enough to kill mid-way) and passes, without using disk.
 */
export function seedSparseFiles(home: string, count: number, bytes: number): void {
  const hash = crypto.createHash('sha256');
  const zeros = Buffer.alloc(1 << 20);
  for (let left = bytes; left > 0; left -= zeros.length) hash.update(left >= zeros.length ? zeros : zeros.subarray(0, left));
  const sha256 = hash.digest('hex');
  withFreshOpen(home, (core) => {
    for (let i = 0; i < count; i++) {
      const relative = `robustness/sparse_${i}.bin`;
      const file = absoluteStoredPath(core.home, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
      fs.truncateSync(file, bytes);
      registerStoredFile(core.db, { path: relative, role: 'robustness', sha256, size: bytes });
    }
  });
}
