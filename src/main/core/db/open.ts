import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FramelabError } from '../../../shared/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  migrations?: readonly Migration[];
}

/**
 * The Electron build of better-sqlite3 has another ABI than Node's; the desktop shell
 * points this variable at its own copy (see scripts/electron-sqlite.mjs).
 */
function nativeBinding(): string | undefined {
  return process.env.FRAMELAB_SQLITE_BINDING || undefined;
}

/** Opens the home database for writing, applying pending migrations. Only the home's owner calls this. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  if (options.readonly) return openReadonly(file, migrations);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  createPrivately(file);
  const db = new Database(file, { nativeBinding: nativeBinding() });
  try {
    // Before anything else: switching to WAL would already change a database we must refuse.
    guardVersion(schemaVersion(db), latest(migrations), file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations, file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * A new database file is created 0600 before SQLite opens it: SQLite gives its -wal and -shm
 * files the database file's mode, so none of them is readable by other users.
 */
function createPrivately(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Job processes and diagnostics read through this; they never write. */
function openReadonly(file: string, migrations: readonly Migration[]): Db {
  if (!fs.existsSync(file)) throw new FramelabError('NOT_FOUND', `No Framelab database at ${file}.`);
  const db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() });
  db.pragma('busy_timeout = 5000');
  try {
    guardVersion(schemaVersion(db), latest(migrations), file);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function latest(migrations: readonly Migration[]): number {
  return migrations.length ? migrations[migrations.length - 1]!.version : 0;
}

function guardVersion(current: number, known: number, file: string): void {
  if (current > known) {
    throw new FramelabError(
      'DB_TOO_NEW',
      `The database ${file} has schema version ${current}, but this Framelab only knows up to ${known}. ` +
        'It was written by a newer Framelab: update the app. Nothing was changed.',
      { schemaVersion: current, supported: known },
    );
  }
}

function migrate(db: Db, migrations: readonly Migration[], file: string): void {
  guardVersion(schemaVersion(db), latest(migrations), file);
  for (const migration of migrations) {
    if (migration.version <= schemaVersion(db)) continue;
    const apply = db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply.immediate();
    } catch (err) {
      throw new FramelabError(
        'DB_MIGRATION_FAILED',
        `Migration ${migration.version} (${migration.name}) failed on ${file}: ${(err as Error).message}. ` +
          'The database was left at the previous version.',
      );
    }
  }
}

export { LATEST_SCHEMA_VERSION };

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement, prepared once per connection. Hot paths (writing thousands of codes
 * in one import) would otherwise spend most of their time re-preparing the same SQL.
 */
export function cached(db: Db, sql: string): Database.Statement {
  let statements = statementCache.get(db);
  if (!statements) statementCache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
