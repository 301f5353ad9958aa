import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from '../src/main/core/db/migrations';
import { openDatabase, schemaVersion } from '../src/main/core/db/open';
import { expectFramelabError, runCleanup, tempDir } from './helpers';

afterEach(runCleanup);

interface TableListRow {
  schema: string;
  name: string;
  type: string;
  strict: number;
}

function userTables(db: Database.Database): TableListRow[] {
  return (db.pragma('table_list') as TableListRow[]).filter(
    (t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'),
  );
}

/** Opens a file with plain better-sqlite3 (no Framelab code) to look at what is really there. */
function inspect<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Every table of the latest schema; a new migration adds its tables here. */
const ALL_TABLES = [
  'adjudication_history',
  'adjudications',
  'assignments',
  'categories',
  'category_examples',
  'code_history',
  'codebook_versions',
  'coders',
  'codes',
  'dimensions',
  'frame_flags',
  'frames',
  'gold_items',
  'gold_snapshots',
  'job_logs',
  'jobs',
  'models',
  'preference_analyses',
  'preference_correlation_snapshots',
  'preference_expected_lists',
  'preference_models',
  'preference_rating_conflicts',
  'preference_ratings',
  'recode_queue',
  'settings',
  'stored_files',
  'suite_models',
  'sync_conflicts',
  'sync_rounds',
  'sync_state',
  'videos',
];

function snapshotFile(file: string) {
  return { bytes: fs.readFileSync(file), mtimeMs: fs.statSync(file).mtimeMs, dir: fs.readdirSync(path.dirname(file)).sort() };
}

describe('openDatabase', () => {
  it('opens in WAL mode with foreign keys on, at the latest schema version, with only STRICT tables', () => {
    const file = path.join(tempDir('db'), 'nested', 'framelab.db');
    const db = openDatabase(file);
    try {
      expect(fs.existsSync(file)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);

      const tables = userTables(db);
      expect(tables.map((t) => t.name).sort()).toEqual(ALL_TABLES);
      for (const table of tables) expect({ table: table.name, strict: table.strict }).toEqual({ table: table.name, strict: 1 });

      // STRICT and foreign keys are really enforced, not just declared.
      expect(() => db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(Buffer.from('k'), '"x"')).toThrow(
        /cannot store BLOB value in TEXT column/,
      );
      expect(() =>
        db.prepare("INSERT INTO job_logs (job_id, at, level, message) VALUES ('no-such-job', 'now', 'info', 'x')").run(),
      ).toThrow(/FOREIGN KEY constraint failed/);
    } finally {
      db.close();
    }
  });

  it('declares migrations numbered 1, 2, 3… in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('is idempotent on reopen: no migration runs twice and data survives', () => {
    const file = path.join(tempDir('db'), 'framelab.db');
    const first = openDatabase(file);
    first.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('theme', JSON.stringify('dark'));
    const schemaBefore = first.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    first.close();

    for (let i = 0; i < 2; i++) {
      const again = openDatabase(file);
      try {
        expect(schemaVersion(again)).toBe(LATEST_SCHEMA_VERSION);
        expect(again.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(schemaBefore);
        expect(again.prepare('SELECT value FROM settings WHERE key = ?').get('theme')).toEqual({ value: '"dark"' });
      } finally {
        again.close();
      }
    }
  });

  it('refuses a database written by a newer Framelab with DB_TOO_NEW and leaves the file as it was', () => {
    const file = path.join(tempDir('db'), 'framelab.db');
    const db = openDatabase(file);
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', '1');
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const before = snapshotFile(file);

    const err = expectFramelabError(() => openDatabase(file), 'DB_TOO_NEW');
    expect(err.message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 5}`);
    expect(err.details).toEqual({ schemaVersion: LATEST_SCHEMA_VERSION + 5, supported: LATEST_SCHEMA_VERSION });

    const after = snapshotFile(file);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.dir).toEqual(before.dir);
    expect(inspect(file, (raw) => raw.pragma('user_version', { simple: true }))).toBe(LATEST_SCHEMA_VERSION + 5);

    // The read-only path (job processes, doctor) refuses it too. (A read-only SQLite connection
    // may leave empty -wal/-shm side files, so only the database file itself is compared.)
    expectFramelabError(() => openDatabase(file, { readonly: true }), 'DB_TOO_NEW');
    const afterReadonly = snapshotFile(file);
    expect(afterReadonly.bytes.equals(before.bytes)).toBe(true);
    expect(afterReadonly.mtimeMs).toBe(before.mtimeMs);
  });

  it('refuses a too-new database in rollback-journal mode (e.g. a VACUUM INTO backup) without changing a byte', () => {
    // Framelab's message says "Nothing was changed". A copy made with `VACUUM INTO` or the
    // sqlite3 shell's `.backup` is not in WAL mode; refusing it must not convert it either.
    const dir = tempDir('db');
    const source = openDatabase(path.join(dir, 'live.db'));
    const file = path.join(dir, 'backup.db');
    source.exec(`VACUUM INTO '${file}'`);
    source.close();
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const before = snapshotFile(file);

    expectFramelabError(() => openDatabase(file), 'DB_TOO_NEW');

    const after = snapshotFile(file);
    expect(inspect(file, (db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(after.dir).toEqual(before.dir);
    // Bytes 18-19 of the header are the journal format (1 = rollback, 2 = WAL).
    expect([after.bytes[18], after.bytes[19]]).toEqual([before.bytes[18], before.bytes[19]]);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('stops at a failing migration with DB_MIGRATION_FAILED, at the previous version, with nothing half-applied', () => {
    const file = path.join(tempDir('db'), 'framelab.db');
    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'broken on purpose',
      sql: `
        CREATE TABLE half_done (x INTEGER) STRICT;
        INSERT INTO half_done (x) VALUES (1);
        INSERT INTO settings (key, value) VALUES ('written-by-broken', '1');
        THIS IS NOT SQL;
      `,
    };
    const migrations = [...MIGRATIONS, broken];

    const err = expectFramelabError(() => openDatabase(file, { migrations }), 'DB_MIGRATION_FAILED');
    expect(err.message).toContain(`Migration ${broken.version} (broken on purpose)`);
    expect(err.message).toContain(file);

    inspect(file, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(
        userTables(db)
          .map((t) => t.name)
          .sort(),
      ).toEqual(ALL_TABLES);
      expect(db.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: 0 });
    });

    // The good migrations stayed applied: the normal app opens it as if nothing happened.
    const ok = openDatabase(file);
    expect(schemaVersion(ok)).toBe(LATEST_SCHEMA_VERSION);
    ok.close();

    // And a second attempt at the broken one fails the same way, still leaving the previous version.
    expectFramelabError(() => openDatabase(file, { migrations }), 'DB_MIGRATION_FAILED');
    expect(inspect(file, (db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_SCHEMA_VERSION);
  });

  it('a failing first migration leaves a fresh database at version 0 with no tables', () => {
    const file = path.join(tempDir('db'), 'framelab.db');
    const migrations: Migration[] = [
      { version: 1, name: 'bad', sql: 'CREATE TABLE a (x INTEGER) STRICT; CREATE TABLE a (y INTEGER) STRICT;' },
    ];
    expectFramelabError(() => openDatabase(file, { migrations }), 'DB_MIGRATION_FAILED');
    inspect(file, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(userTables(db)).toEqual([]);
    });
  });

  it('readonly open of a missing file is NOT_FOUND and creates nothing', () => {
    const dir = tempDir('db');
    const file = path.join(dir, 'missing.db');
    const err = expectFramelabError(() => openDatabase(file, { readonly: true }), 'NOT_FOUND');
    expect(err.message).toContain(file);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('readonly open reads but cannot write', () => {
    const file = path.join(tempDir('db'), 'framelab.db');
    openDatabase(file).close();
    const ro = openDatabase(file, { readonly: true });
    try {
      expect(schemaVersion(ro)).toBe(LATEST_SCHEMA_VERSION);
      expect(() => ro.prepare("INSERT INTO settings (key, value) VALUES ('a', '1')").run()).toThrow(/readonly/);
    } finally {
      ro.close();
    }
  });
});
