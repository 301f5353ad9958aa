import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { assignFrames } from '../../src/main/core/coding/assignments';
import { upsertCoder } from '../../src/main/core/coding/coders';
import { openCore, type Core } from '../../src/main/core/core';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';
import type { SyncServiceOptions } from '../../src/main/core/sync/service';
import type { AppMode } from '../../src/shared/api';
import type { SyncSettingsChange } from '../../src/shared/sync';
import { onCleanup, tempDir } from '../helpers';
import { startEmulator, startProxy, writeFakeKeyFile, type Emulator, type GcsProxy } from './support/gcsServer';

export const POV = ['1st person', '2nd person', '3rd person', 'no person'];
export const DISTANCE = ['Intimate', 'Personal', 'Social', 'Public'];

/**
 * One storage emulator + proxy per test file; every test gets a fresh bucket name, so tests
 * never see each other's objects. STORAGE_EMULATOR_HOST points at the proxy for the file.
 */
export function useStorageServer(): { emulator: () => Emulator; proxy: () => GcsProxy; keyFile: () => string } {
  let emulator: Emulator;
  let proxy: GcsProxy;
  let keyFile: string;
  let keyDir: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    proxy = await startProxy(emulator);
    process.env.STORAGE_EMULATOR_HOST = proxy.url;
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-key-'));
    keyFile = writeFakeKeyFile(keyDir);
  }, 60_000);
  afterAll(async () => {
    delete process.env.STORAGE_EMULATOR_HOST;
    await proxy?.close();
    await emulator?.stop();
    if (keyDir) fs.rmSync(keyDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    proxy.mode = 'ok';
    proxy.beforeUpload = null;
  });
  return { emulator: () => emulator, proxy: () => proxy, keyFile: () => keyFile };
}

export const freshBucket = () => `lab-${crypto.randomBytes(4).toString('hex')}`;

/** A home whose core runs in this process (fast: 1,000 rounds need no process per round). */
export function openHome(label: string, settings: SyncSettingsChange, options: { mode?: AppMode; sync?: SyncServiceOptions } = {}): Core {
  const core = openCore({
    home: tempDir(label),
    mode: options.mode ?? 'cli',
    launcher: nodeForkLauncher(),
    sync: { timeoutMs: 10_000, ...options.sync },
  });
  onCleanup(() => core.close());
  core.sync.saveSettings({ ...core.sync.settings(), ...settings });
  return core;
}

/** The same frames on a home (ids are stable across machines), assigned to these coders (all overlap). */
export function addFrames(core: Core, count: number, coders: string[], videoId = 'vid_0001'): string[] {
  const at = new Date().toISOString();
  const ids: string[] = [];
  core.db.transaction(() => {
    core.db.prepare('INSERT OR IGNORE INTO videos (video_id, imported_at) VALUES (?, ?)').run(videoId, at);
    for (let i = 1; i <= count; i++) {
      const frameId = `${videoId}_t${i.toFixed(1).padStart(5, '0')}`;
      core.db
        .prepare('INSERT OR IGNORE INTO frames (frame_id, video_id, timestamp_s, created_at) VALUES (?, ?, ?, ?)')
        .run(frameId, videoId, i, at);
      ids.push(frameId);
    }
  })();
  for (const c of coders) upsertCoder(core.db, { coderId: c, name: c });
  assignFrames(core.db, { coderIds: coders, frameIds: ids, overlap: { fraction: 1, seed: 1 } });
  return ids;
}

/** Codes as a map "frame|coder|dimension" → value. */
export type CodeMap = Map<string, string>;

export function localCodes(core: Core): CodeMap {
  const rows = core.db
    .prepare(`SELECT k.frame_id, k.coder_id, k.dimension, c.value FROM codes k JOIN categories c ON c.id = k.category_id`)
    .all() as { frame_id: string; coder_id: string; dimension: string; value: string }[];
  return new Map(rows.map((r) => [`${r.frame_id}|${r.coder_id}|${r.dimension}`, r.value]));
}

/** The codes a CSV holds (blank cells are no codes). */
export function csvCodes(text: string, dimensions = ['pov', 'distance']): CodeMap {
  const [header, ...rows] = parseCsv(text).records;
  const col = (name: string) => header!.indexOf(name);
  const map: CodeMap = new Map();
  for (const r of rows) {
    for (const d of dimensions) {
      const v = r[col(d)] ?? '';
      if (v !== '') map.set(`${r[col('frame_id')]}|${r[col('coder')]}|${d}`, v);
    }
  }
  return map;
}

export const sorted = (m: CodeMap) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Everything a failed round must leave untouched. */
export function localState(core: Core) {
  const q = (sql: string) => core.db.prepare(sql).all();
  return {
    codes: q('SELECT * FROM codes ORDER BY frame_id, coder_id, dimension'),
    history: q('SELECT * FROM code_history ORDER BY id'),
    frames: q('SELECT * FROM frames ORDER BY frame_id'),
    state: q('SELECT * FROM sync_state'),
    conflicts: q('SELECT * FROM sync_conflicts'),
  };
}
