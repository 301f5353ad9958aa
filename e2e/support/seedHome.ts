/**
 * Seeds a home before its server starts.
 * - stored files the integrity check will hash; large sparse files make a check that runs
 *   long enough to cancel or kill, without using disk;
 * - a coding set: one video's frames with real JPEGs (ffmpeg's test source), two coders,
 *   every frame in the overlap set.
 * Usage: tsx e2e/support/seedHome.ts HOME JSON_SEED
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assignFrames } from '../../src/main/core/coding/assignments';
import { changeCodebook } from '../../src/main/core/coding/codebook';
import { upsertCoder } from '../../src/main/core/coding/coders';
import { openCore } from '../../src/main/core/core';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';
import { absoluteStoredPath, storeFile } from '../../src/main/core/workspace/files';
import type { Seed } from './fixtures';

const [home, json] = process.argv.slice(2);
if (!home || !json) throw new Error('usage: seedHome.ts HOME JSON_SEED');
const seed = JSON.parse(json) as Seed;
const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
try {
  for (let i = 0; i < (seed.smallFiles ?? 0); i++) {
    storeFile(core.db, core.home, `seed/small_${i}.bin`, 'seed', Buffer.alloc(4096, i));
  }
  const sparseBytes = seed.sparseBytes ?? 2 ** 30;
  for (let i = 0; i < (seed.sparseFiles ?? 0); i++) {
    const relative = `seed/sparse_${i}.bin`;
    storeFile(core.db, core.home, relative, 'seed', Buffer.alloc(0));
    // Grow it to a sparse file; its recorded hash (of 0 bytes) no longer matches, which the check reports.
    fs.truncateSync(absoluteStoredPath(core.home, relative), sparseBytes);
    core.db.prepare('UPDATE stored_files SET size = ? WHERE path = ?').run(sparseBytes, relative);
  }
  if (seed.codingFrames) seedCoding(seed.codingFrames, seed.codingSize ?? '320x180');
  if (seed.codebookExamples) seedExamples();
  if (seed.recodeFrames) seedRecodes(seed.recodeFrames);
} finally {
  core.close();
}

function seedCoding(count: number, size: string): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-seed-'));
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${size}:rate=1`,
    '-frames:v',
    String(count),
    path.join(work, 'f%03d.jpg'),
  ]);
  const at = new Date().toISOString();
  core.db.prepare('INSERT INTO videos (video_id, imported_at) VALUES (?, ?)').run('vid_0001', at);
  for (let i = 0; i < count; i++) {
    const t = i + 1;
    const frameId = `vid_0001_t${t.toFixed(1).padStart(5, '0')}`;
    const image = `frames/vid_0001/${frameId}.jpg`;
    storeFile(core.db, core.home, image, 'frame', fs.readFileSync(path.join(work, `f${String(i + 1).padStart(3, '0')}.jpg`)));
    core.db
      .prepare('INSERT INTO frames (frame_id, video_id, timestamp_s, image_path, thumb_path, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(frameId, 'vid_0001', t, image, image, at);
  }
  fs.rmSync(work, { recursive: true, force: true });
  upsertCoder(core.db, { coderId: 'coder_a', name: 'Ana' });
  upsertCoder(core.db, { coderId: 'coder_b', name: 'Ben' });
  assignFrames(core.db, { coderIds: ['coder_a', 'coder_b'], overlap: { fraction: 1, seed: 1 } });
}

/** The first category of each dimension gets the first two coding frames as its examples. */
function seedExamples(): void {
  const frames = (
    core.db.prepare('SELECT frame_id FROM frames ORDER BY video_id, timestamp_s LIMIT 2').all() as { frame_id: string }[]
  ).map((r) => r.frame_id);
  const firsts = core.db.prepare('SELECT min(id) AS id FROM categories WHERE retired_at IS NULL GROUP BY dimension').all() as {
    id: number;
  }[];
  for (const { id } of firsts) changeCodebook(core.db, { op: 'setExamples', categoryId: id, frameIds: frames });
}

function seedRecodes(count: number): void {
  const frames = core.db.prepare('SELECT frame_id FROM frames ORDER BY video_id, timestamp_s LIMIT ?').all(count) as { frame_id: string }[];
  const insert = core.db.prepare(
    "INSERT INTO recode_queue (frame_id, coder_id, dimension, reason, created_at) VALUES (?, 'coder_a', 'pov', 'blank cell in the seed', ?)",
  );
  for (const { frame_id } of frames) insert.run(frame_id, new Date().toISOString());
}
