import { SyncSettings } from '../../../shared/sync';
import { cached, type Db } from '../db/open';

/**
 * Sync settings live in the settings table under one key. They hold the bucket, the object,
 * the prefixes and at most the PATH of a key file: never a credential's content.
 */
const KEY = 'sync';

export function readSyncSettings(db: Db): SyncSettings {
  const row = cached(db, 'SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  const parsed = SyncSettings.safeParse(row ? JSON.parse(row.value) : {});
  return parsed.success ? parsed.data : SyncSettings.parse({});
}

export function writeSyncSettings(db: Db, settings: SyncSettings): SyncSettings {
  const clean = SyncSettings.parse(settings);
  cached(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    KEY,
    JSON.stringify(clean),
  );
  return clean;
}

/** `gs://bucket/object`: what a sync state and its rounds belong to. */
export function targetOf(bucket: string, object: string): string {
  return `gs://${bucket}/${object}`;
}
