/**
 * Seeds a home before its server starts: stored files the integrity check will hash. Large
 * sparse files make a check that runs long enough to cancel or kill, without using disk.
 * Usage: tsx e2e/support/seedHome.ts HOME SMALL_FILES SPARSE_FILES SPARSE_BYTES
 */
import fs from 'node:fs';
import { openCore } from '../../src/main/core/core';
import { absoluteStoredPath, storeFile } from '../../src/main/core/workspace/files';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';

const [home, small = '0', sparse = '0', sparseBytes = String(2 ** 30)] = process.argv.slice(2);
if (!home) throw new Error('usage: seedHome.ts HOME SMALL_FILES SPARSE_FILES SPARSE_BYTES');
const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
try {
  for (let i = 0; i < Number(small); i++) {
    storeFile(core.db, core.home, `seed/small_${i}.bin`, 'seed', Buffer.alloc(4096, i));
  }
  for (let i = 0; i < Number(sparse); i++) {
    const relative = `seed/sparse_${i}.bin`;
    storeFile(core.db, core.home, relative, 'seed', Buffer.alloc(0));
    // Grow it to a sparse file; its recorded hash (of 0 bytes) no longer matches, which the check reports.
    fs.truncateSync(absoluteStoredPath(core.home, relative), Number(sparseBytes));
    core.db.prepare('UPDATE stored_files SET size = ? WHERE path = ?').run(Number(sparseBytes), relative);
  }
} finally {
  core.close();
}
