/**
 * Numbered schema migrations. Each runs in its own transaction and bumps `user_version`.
 * Never edit a migration that has shipped: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs, job logs, stored files, settings',
    sql: `
      CREATE TABLE jobs (
        id            TEXT PRIMARY KEY,
        kind          TEXT NOT NULL,
        title         TEXT NOT NULL,
        params        TEXT NOT NULL CHECK (json_valid(params)),
        status        TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled','interrupted')),
        fraction      REAL NOT NULL DEFAULT 0 CHECK (fraction BETWEEN 0 AND 1),
        stage         TEXT NOT NULL DEFAULT '',
        eta_s         REAL,
        checkpoint    TEXT CHECK (checkpoint IS NULL OR json_valid(checkpoint)),
        result        TEXT CHECK (result IS NULL OR json_valid(result)),
        error_code    TEXT,
        error_message TEXT,
        attempts      INTEGER NOT NULL DEFAULT 0,
        owner_pid     INTEGER,
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        finished_at   TEXT,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX jobs_by_created ON jobs (created_at DESC);
      CREATE INDEX jobs_by_status ON jobs (status);

      CREATE TABLE job_logs (
        id      INTEGER PRIMARY KEY,
        job_id  TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        at      TEXT NOT NULL,
        level   TEXT NOT NULL CHECK (level IN ('info','warn','error')),
        message TEXT NOT NULL
      ) STRICT;
      CREATE INDEX job_logs_by_job ON job_logs (job_id, id);

      CREATE TABLE stored_files (
        path       TEXT PRIMARY KEY,
        role       TEXT NOT NULL,
        sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
        size       INTEGER NOT NULL CHECK (size >= 0),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
