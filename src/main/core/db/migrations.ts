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
  {
    version: 2,
    name: 'videos, frames, codebook, coders, assignments, codes with history, re-code queue',
    sql: `
      -- video_id is the lab's external id; content_hash recognises the same file under any name.
      -- A video known only from an annotations file has no hash or file yet.
      CREATE TABLE videos (
        video_id     TEXT PRIMARY KEY CHECK (length(video_id) > 0),
        content_hash TEXT UNIQUE CHECK (content_hash IS NULL OR length(content_hash) = 64),
        path         TEXT,
        size_bytes   INTEGER,
        duration_s   REAL,
        width        INTEGER,
        height       INTEGER,
        fps          REAL,
        codec        TEXT,
        imported_at  TEXT NOT NULL
      ) STRICT;

      -- frame_id = <video_id>_t<seconds as %05.1f>: the same frame has the same id everywhere.
      CREATE TABLE frames (
        frame_id    TEXT PRIMARY KEY,
        video_id    TEXT NOT NULL REFERENCES videos (video_id),
        timestamp_s REAL NOT NULL CHECK (timestamp_s >= 0),
        image_path  TEXT REFERENCES stored_files (path),
        thumb_path  TEXT REFERENCES stored_files (path),
        created_at  TEXT NOT NULL,
        UNIQUE (video_id, timestamp_s)
      ) STRICT;
      CREATE INDEX frames_by_video ON frames (video_id, timestamp_s);

      CREATE TABLE dimensions (
        name        TEXT PRIMARY KEY CHECK (name GLOB '[a-z]*' AND name NOT GLOB '*[^a-z0-9_]*'),
        label       TEXT NOT NULL,
        level       TEXT NOT NULL CHECK (level IN ('nominal', 'ordinal')),
        position    INTEGER NOT NULL,
        description TEXT NOT NULL DEFAULT ''
      ) STRICT;

      -- Codes point at a category's id, so renaming a category keeps its codes. A category with
      -- codes is retired (after an explicit remap), never deleted: history keeps pointing at it.
      CREATE TABLE categories (
        id          INTEGER PRIMARY KEY,
        dimension   TEXT NOT NULL REFERENCES dimensions (name),
        value       TEXT NOT NULL CHECK (length(trim(value)) > 0 AND value = trim(value)),
        position    INTEGER NOT NULL,
        shortcut    TEXT NOT NULL CHECK (length(shortcut) = 1),
        description TEXT NOT NULL DEFAULT '',
        retired_at  TEXT,
        UNIQUE (id, dimension)
      ) STRICT;
      CREATE UNIQUE INDEX categories_active_value ON categories (dimension, value) WHERE retired_at IS NULL;
      -- One key sets one category in the coding view: keys are unique across all dimensions.
      CREATE UNIQUE INDEX categories_active_shortcut ON categories (shortcut) WHERE retired_at IS NULL;

      CREATE TABLE category_examples (
        category_id INTEGER NOT NULL REFERENCES categories (id),
        frame_id    TEXT NOT NULL REFERENCES frames (frame_id),
        PRIMARY KEY (category_id, frame_id)
      ) STRICT;

      -- Every codebook change stores the whole codebook as it became.
      CREATE TABLE codebook_versions (
        version    INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        change     TEXT NOT NULL,
        snapshot   TEXT NOT NULL CHECK (json_valid(snapshot))
      ) STRICT;

      CREATE TABLE coders (
        coder_id   TEXT PRIMARY KEY CHECK (length(coder_id) > 0 AND coder_id = trim(coder_id)),
        name       TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN ('coder', 'lead')),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE assignments (
        frame_id    TEXT NOT NULL REFERENCES frames (frame_id),
        coder_id    TEXT NOT NULL REFERENCES coders (coder_id),
        overlap     INTEGER NOT NULL CHECK (overlap IN (0, 1)),
        assigned_at TEXT NOT NULL,
        PRIMARY KEY (frame_id, coder_id)
      ) STRICT;
      CREATE INDEX assignments_by_coder ON assignments (coder_id, frame_id);

      -- The current code per (frame, coder, dimension). A code is a category or absent: there is
      -- no row for "blank", and the composite key ties the category to its own dimension.
      CREATE TABLE codes (
        frame_id    TEXT NOT NULL REFERENCES frames (frame_id),
        coder_id    TEXT NOT NULL REFERENCES coders (coder_id),
        dimension   TEXT NOT NULL,
        category_id INTEGER NOT NULL,
        coded_at    TEXT NOT NULL,
        PRIMARY KEY (frame_id, coder_id, dimension),
        FOREIGN KEY (category_id, dimension) REFERENCES categories (id, dimension)
      ) STRICT;

      -- Append-only: who changed which code when, from what to what. Undo is a new entry.
      CREATE TABLE code_history (
        id          INTEGER PRIMARY KEY,
        batch_id    TEXT NOT NULL,
        frame_id    TEXT NOT NULL REFERENCES frames (frame_id),
        coder_id    TEXT NOT NULL REFERENCES coders (coder_id),
        dimension   TEXT NOT NULL REFERENCES dimensions (name),
        before_id   INTEGER REFERENCES categories (id),
        after_id    INTEGER REFERENCES categories (id),
        at          TEXT NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('coding', 'undo', 'import', 'remap', 'sync')),
        CHECK (before_id IS NOT after_id)
      ) STRICT;
      CREATE INDEX code_history_by_code ON code_history (frame_id, coder_id, dimension, id);
      CREATE INDEX code_history_by_batch ON code_history (coder_id, batch_id);
      CREATE TRIGGER code_history_append_only_update BEFORE UPDATE ON code_history
        BEGIN SELECT RAISE(ABORT, 'code_history is append-only'); END;
      CREATE TRIGGER code_history_append_only_delete BEFORE DELETE ON code_history
        BEGIN SELECT RAISE(ABORT, 'code_history is append-only'); END;

      CREATE TABLE frame_flags (
        frame_id   TEXT NOT NULL REFERENCES frames (frame_id),
        coder_id   TEXT NOT NULL REFERENCES coders (coder_id),
        unsure     INTEGER NOT NULL CHECK (unsure IN (0, 1)),
        note       TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (frame_id, coder_id)
      ) STRICT;

      -- Missing codes (e.g. the old form's blank cells) waiting for their coder.
      CREATE TABLE recode_queue (
        frame_id    TEXT NOT NULL REFERENCES frames (frame_id),
        coder_id    TEXT NOT NULL REFERENCES coders (coder_id),
        dimension   TEXT NOT NULL REFERENCES dimensions (name),
        reason      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        resolved_at TEXT,
        PRIMARY KEY (frame_id, coder_id, dimension)
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'adjudications and versioned gold snapshots',
    sql: `
      -- The lead's decision on a frame the coders disagree on (one per frame × dimension).
      CREATE TABLE adjudications (
        frame_id    TEXT NOT NULL REFERENCES frames (frame_id),
        dimension   TEXT NOT NULL,
        category_id INTEGER NOT NULL,
        note        TEXT NOT NULL DEFAULT '',
        decided_by  TEXT REFERENCES coders (coder_id),
        decided_at  TEXT NOT NULL,
        PRIMARY KEY (frame_id, dimension),
        FOREIGN KEY (category_id, dimension) REFERENCES categories (id, dimension)
      ) STRICT;

      -- Every decision, kept: who decided what, when, replacing what.
      CREATE TABLE adjudication_history (
        id          INTEGER PRIMARY KEY,
        frame_id    TEXT NOT NULL REFERENCES frames (frame_id),
        dimension   TEXT NOT NULL REFERENCES dimensions (name),
        before_id   INTEGER REFERENCES categories (id),
        after_id    INTEGER NOT NULL REFERENCES categories (id),
        note        TEXT NOT NULL,
        decided_by  TEXT,
        at          TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER adjudication_history_append_only_update BEFORE UPDATE ON adjudication_history
        BEGIN SELECT RAISE(ABORT, 'adjudication_history is append-only'); END;
      CREATE TRIGGER adjudication_history_append_only_delete BEFORE DELETE ON adjudication_history
        BEGIN SELECT RAISE(ABORT, 'adjudication_history is append-only'); END;

      -- A gold snapshot is what a model trains on: frozen, with each frame's provenance.
      CREATE TABLE gold_snapshots (
        id               TEXT PRIMARY KEY,
        dimension        TEXT NOT NULL REFERENCES dimensions (name),
        created_at       TEXT NOT NULL,
        codebook_version INTEGER NOT NULL,
        frames           INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE gold_items (
        snapshot_id TEXT NOT NULL REFERENCES gold_snapshots (id),
        frame_id    TEXT NOT NULL REFERENCES frames (frame_id),
        video_id    TEXT NOT NULL,
        timestamp_s REAL NOT NULL,
        category_id INTEGER NOT NULL REFERENCES categories (id),
        -- The category's name when the snapshot was taken: a later rename does not rewrite history.
        code        TEXT NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('agreed', 'adjudicated')),
        note        TEXT NOT NULL DEFAULT '',
        image_path  TEXT,
        PRIMARY KEY (snapshot_id, frame_id)
      ) STRICT;
      CREATE TRIGGER gold_snapshots_frozen_update BEFORE UPDATE ON gold_snapshots
        BEGIN SELECT RAISE(ABORT, 'gold snapshots are immutable'); END;
      CREATE TRIGGER gold_snapshots_frozen_delete BEFORE DELETE ON gold_snapshots
        BEGIN SELECT RAISE(ABORT, 'gold snapshots are immutable'); END;
      CREATE TRIGGER gold_items_frozen_update BEFORE UPDATE ON gold_items
        BEGIN SELECT RAISE(ABORT, 'gold snapshots are immutable'); END;
      CREATE TRIGGER gold_items_frozen_delete BEFORE DELETE ON gold_items
        BEGIN SELECT RAISE(ABORT, 'gold snapshots are immutable'); END;
    `,
  },
  {
    version: 4,
    name: 'model registry',
    sql: `
      -- Every model version Framelab knows: imported from a file or trained by a job.
      -- id is "<dimension>@<version>" (e.g. pov@v7); weights live in the home as safetensors + sidecar.
      CREATE TABLE models (
        id             TEXT PRIMARY KEY,
        dimension      TEXT NOT NULL,
        version        TEXT NOT NULL,
        architecture   TEXT NOT NULL,
        classes        TEXT NOT NULL,   -- JSON array, in output order
        preprocessing  TEXT NOT NULL,   -- JSON
        weights_path   TEXT NOT NULL,   -- relative to the home
        sha256         TEXT NOT NULL,
        parent_id      TEXT REFERENCES models (id),
        source         TEXT NOT NULL,   -- where it came from: a file path, or a job id
        training_config TEXT NOT NULL DEFAULT '{}',
        metrics        TEXT NOT NULL DEFAULT '{}',
        active         INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
        created_at     TEXT NOT NULL,
        UNIQUE (dimension, version)
      ) STRICT;
      -- At most one active model per dimension.
      CREATE UNIQUE INDEX models_one_active ON models (dimension) WHERE active = 1;
    `,
  },
  {
    version: 5,
    name: 'bucket sync: state per target, rounds, conflicts; annotations source of gold snapshots',
    sql: `
      -- Per bucket object ("gs://bucket/object"): the object's content and generation as of the
      -- last round that reached it (what "changed in the bucket since the last sync" compares
      -- with), and the code_history id up to which local edits are in the bucket.
      CREATE TABLE sync_state (
        target       TEXT PRIMARY KEY,
        generation   TEXT NOT NULL,
        base_csv     TEXT NOT NULL,
        history_mark INTEGER NOT NULL CHECK (history_mark >= 0),
        synced_at    TEXT NOT NULL
      ) STRICT;

      -- Every round, whether it reached the bucket or not.
      CREATE TABLE sync_rounds (
        id          INTEGER PRIMARY KEY,
        target      TEXT NOT NULL,
        trigger     TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        outcome     TEXT NOT NULL CHECK (outcome IN ('synced', 'offline')),
        problem     TEXT,
        message     TEXT,
        rows_in     INTEGER NOT NULL DEFAULT 0,
        rows_out    INTEGER NOT NULL DEFAULT 0,
        merged      INTEGER NOT NULL DEFAULT 0,
        conflicts   INTEGER NOT NULL DEFAULT 0,
        attempts    INTEGER NOT NULL DEFAULT 0,
        generation  TEXT,
        CHECK ((outcome = 'synced') = (problem IS NULL))
      ) STRICT;
      CREATE INDEX sync_rounds_by_target ON sync_rounds (target, id);

      -- A code edited on both sides since the last sync: the newer value was applied; the lead
      -- may choose another. Values are category names as the file writes them (null: absent).
      CREATE TABLE sync_conflicts (
        id             INTEGER PRIMARY KEY,
        round_id       INTEGER NOT NULL REFERENCES sync_rounds (id),
        frame_id       TEXT NOT NULL,
        coder_id       TEXT NOT NULL,
        dimension      TEXT NOT NULL,
        local_value    TEXT,
        remote_value   TEXT,
        applied        TEXT,
        local_at       TEXT,
        remote_at      TEXT,
        detected_at    TEXT NOT NULL,
        resolved_at    TEXT,
        resolved_value TEXT,
        resolved_by    TEXT
      ) STRICT;
      CREATE INDEX sync_conflicts_open ON sync_conflicts (resolved_at, id);

      -- Where a snapshot's annotations came from ({kind, generation, syncedAt}); NULL before v5.
      ALTER TABLE gold_snapshots ADD COLUMN annotations_source TEXT CHECK (annotations_source IS NULL OR json_valid(annotations_source));
    `,
  },
  {
    version: 6,
    name: 'preferences: video analyses with history, append-only ratings, rating sync conflicts',
    sql: `
      -- Every imported copy of a video's deep analysis, kept. Keyed by the lab's video_id only
      -- (no foreign key: an analysed video need not be imported into Framelab). The current
      -- analysis of (video_id, analysis_version) is its copy with the latest imported_at (then
      -- the highest id: within one import, the later record). content_hash is the SHA-256 of
      -- the analysis as canonical JSON (keys sorted), so a copy identical to the current one is
      -- never added again. feature_count is the analysis's own field, when it has one.
      CREATE TABLE preference_analyses (
        id               INTEGER PRIMARY KEY,
        video_id         TEXT NOT NULL CHECK (length(video_id) > 0),
        analysis_version TEXT NOT NULL CHECK (length(analysis_version) > 0),
        content_hash     TEXT NOT NULL CHECK (length(content_hash) = 64),
        analysis         TEXT NOT NULL CHECK (json_valid(analysis) AND json_type(analysis) = 'object'),
        feature_count    INTEGER CHECK (feature_count IS NULL OR feature_count >= 0),
        source           TEXT NOT NULL,
        imported_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX preference_analyses_by_key ON preference_analyses (video_id, analysis_version, imported_at, id);
      CREATE INDEX preference_analyses_by_version ON preference_analyses (analysis_version, video_id);
      CREATE TRIGGER preference_analyses_append_only_update BEFORE UPDATE ON preference_analyses
        BEGIN SELECT RAISE(ABORT, 'preference_analyses is append-only'); END;
      CREATE TRIGGER preference_analyses_append_only_delete BEFORE DELETE ON preference_analyses
        BEGIN SELECT RAISE(ABORT, 'preference_analyses is append-only'); END;

      CREATE VIEW preference_current_analyses AS
        SELECT a.* FROM preference_analyses a
        WHERE NOT EXISTS (
          SELECT 1 FROM preference_analyses n
          WHERE n.video_id = a.video_id AND n.analysis_version = a.analysis_version
            AND (n.imported_at > a.imported_at OR (n.imported_at = a.imported_at AND n.id > a.id))
        );

      -- Ratings, append-only like codes: a new rating of (video_id, rater) is a new row and the
      -- current one is the latest rated_at (ties, which only sync can bring, go to the higher
      -- entry_hash, so every machine picks the same). Scores are 0–10 in 0.5 steps; the
      -- sub-scores may be absent. entry_hash (SHA-256 of the row's values) makes a row a fact:
      -- importing or syncing the same row again adds nothing. No foreign key to videos.
      CREATE TABLE preference_ratings (
        id          INTEGER PRIMARY KEY,
        entry_hash  TEXT NOT NULL UNIQUE CHECK (length(entry_hash) = 64),
        video_id    TEXT NOT NULL CHECK (length(video_id) > 0),
        rater       TEXT NOT NULL CHECK (length(rater) > 0),
        rater_type  TEXT NOT NULL CHECK (rater_type IN ('owner', 'other')),
        overall     REAL NOT NULL CHECK (overall BETWEEN 0 AND 10 AND overall * 2 = round(overall * 2)),
        hook        REAL CHECK (hook IS NULL OR (hook BETWEEN 0 AND 10 AND hook * 2 = round(hook * 2))),
        pacing      REAL CHECK (pacing IS NULL OR (pacing BETWEEN 0 AND 10 AND pacing * 2 = round(pacing * 2))),
        payoff      REAL CHECK (payoff IS NULL OR (payoff BETWEEN 0 AND 10 AND payoff * 2 = round(payoff * 2))),
        notes       TEXT NOT NULL DEFAULT '',
        rated_at    TEXT NOT NULL,
        -- Where this home got it (app: saved here; import: a CSV; sync: the bucket) and when.
        source      TEXT NOT NULL CHECK (source IN ('app', 'import', 'sync')),
        recorded_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX preference_ratings_by_key ON preference_ratings (video_id, rater, rated_at, entry_hash);
      CREATE INDEX preference_ratings_by_rater ON preference_ratings (rater, video_id);
      CREATE TRIGGER preference_ratings_append_only_update BEFORE UPDATE ON preference_ratings
        BEGIN SELECT RAISE(ABORT, 'preference_ratings is append-only'); END;
      CREATE TRIGGER preference_ratings_append_only_delete BEFORE DELETE ON preference_ratings
        BEGIN SELECT RAISE(ABORT, 'preference_ratings is append-only'); END;

      CREATE VIEW preference_current_ratings AS
        SELECT r.* FROM preference_ratings r
        WHERE NOT EXISTS (
          SELECT 1 FROM preference_ratings n
          WHERE n.video_id = r.video_id AND n.rater = r.rater
            AND (n.rated_at > r.rated_at OR (n.rated_at = r.rated_at AND n.entry_hash > r.entry_hash))
        );

      -- A video rated by the same rater on both sides since the last sync round: both ratings
      -- are kept (history), the newer is current; listed for the lead. Values are the rows as
      -- JSON ({overall, hook, pacing, payoff, notes, ratedAt, raterType}).
      CREATE TABLE preference_rating_conflicts (
        id          INTEGER PRIMARY KEY,
        round_id    INTEGER NOT NULL REFERENCES sync_rounds (id),
        video_id    TEXT NOT NULL,
        rater       TEXT NOT NULL,
        local       TEXT NOT NULL CHECK (json_valid(local)),
        remote      TEXT NOT NULL CHECK (json_valid(remote)),
        applied     TEXT NOT NULL CHECK (applied IN ('local', 'remote')),
        detected_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: 'preference models, expected correlations, correlation snapshots',
    sql: `
      -- Owner-preference models (issue 19): their own registry, not the vision models' table
      -- (that one is for frame classifiers: architecture, classes, preprocessing, and every
      -- screen and picker that lists it would offer a preference model for inference).
      -- id is "preference@v<major>.<minor>"; the model (pipeline, weights or forest, metrics)
      -- is a content-hashed JSON file under the home (model_path, sha256). Immutable: only
      -- the active flag moves (triggers), at most one active.
      CREATE TABLE preference_models (
        id                TEXT PRIMARY KEY CHECK (id GLOB 'preference@v*'),
        version           TEXT NOT NULL UNIQUE,
        kind              TEXT NOT NULL CHECK (kind IN ('ridge', 'random_forest')),
        model_path        TEXT NOT NULL,   -- relative to the home's files folder
        sha256            TEXT NOT NULL CHECK (length(sha256) = 64),
        size              INTEGER NOT NULL,
        parent_id         TEXT REFERENCES preference_models (id),
        notes             TEXT NOT NULL DEFAULT '',
        training_ratings  INTEGER NOT NULL,
        training_videos   TEXT NOT NULL CHECK (json_valid(training_videos)),  -- JSON array of video_ids
        trained_through   TEXT NOT NULL,   -- the latest rated_at among the training ratings
        analysis_version  TEXT NOT NULL,
        min_features      INTEGER NOT NULL,
        options           TEXT NOT NULL CHECK (json_valid(options)),
        metrics           TEXT NOT NULL CHECK (json_valid(metrics)),
        features          INTEGER NOT NULL,
        advice            TEXT NOT NULL CHECK (json_valid(advice)),   -- activationAdvice when trained
        job_id            TEXT,
        active            INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
        created_at        TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX preference_models_one_active ON preference_models (active) WHERE active = 1;
      CREATE TRIGGER preference_models_immutable BEFORE UPDATE OF id, version, kind, model_path, sha256, size, parent_id, notes,
          training_ratings, training_videos, trained_through, analysis_version, min_features, options, metrics, features, advice,
          job_id, created_at ON preference_models
        BEGIN SELECT RAISE(ABORT, 'preference models are immutable: train a new version'); END;
      CREATE TRIGGER preference_models_no_delete BEFORE DELETE ON preference_models
        BEGIN SELECT RAISE(ABORT, 'preference models are immutable: train a new version'); END;

      -- The expected strong correlations (the spec's §4.2 by default), as edited in the app:
      -- every save is a new row (history kept), the latest is the list in use.
      CREATE TABLE preference_expected_lists (
        id       INTEGER PRIMARY KEY,
        list     TEXT NOT NULL CHECK (json_valid(list) AND json_type(list) = 'array'),
        saved_at TEXT NOT NULL
      ) STRICT;

      -- One row per correlate run: the report as it was, with the rating count and settings.
      CREATE TABLE preference_correlation_snapshots (
        id               INTEGER PRIMARY KEY,
        ratings          INTEGER NOT NULL,
        analysis_version TEXT NOT NULL,
        min_features     INTEGER NOT NULL,
        report           TEXT NOT NULL CHECK (json_valid(report)),
        created_at       TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER preference_correlation_snapshots_frozen BEFORE UPDATE ON preference_correlation_snapshots
        BEGIN SELECT RAISE(ABORT, 'correlation snapshots are immutable'); END;
    `,
  },
  {
    version: 8,
    name: 'codebook versions name their author',
    sql: `
      -- Who made each codebook change (the lead's id when the app is open as a named lead; NULL
      -- for changes before this version, from the CLI without --by, or by an unnamed lead).
      ALTER TABLE codebook_versions ADD COLUMN author TEXT;
    `,
  },
  {
    version: 9,
    name: 'suite models in a registry',
    sql: `
      -- Suite models (issue 21): each finished split run registers its models as
      -- "suite_<horizon>_<model>@v<N>" (suite_7d_ridge@v3), bound to the run folder that holds
      -- them and to what they were trained on (the lab's spec §13: version -> run id, horizon,
      -- feature set). Their own table, not the vision models': those are frame classifiers
      -- that inference and fine-tune pickers offer. Immutable; only the active flag moves, at
      -- most one active per name.
      CREATE TABLE suite_models (
        id                TEXT PRIMARY KEY CHECK (id = name || '@' || version),
        name              TEXT NOT NULL CHECK (name GLOB 'suite_*'),
        version           TEXT NOT NULL CHECK (version GLOB 'v[0-9]*'),
        run_id            TEXT NOT NULL,
        model             TEXT NOT NULL,   -- the model's name inside its run folder
        horizon           TEXT,
        feature_set_hash  TEXT NOT NULL,
        data_fingerprint  TEXT NOT NULL,
        git_commit        TEXT,
        rank_metric       TEXT NOT NULL,
        val_metrics       TEXT NOT NULL CHECK (json_valid(val_metrics)),
        test_metrics      TEXT CHECK (test_metrics IS NULL OR json_valid(test_metrics)),
        job_id            TEXT,
        active            INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
        created_at        TEXT NOT NULL,
        UNIQUE (name, version),
        UNIQUE (run_id, model)
      ) STRICT;
      CREATE UNIQUE INDEX suite_models_one_active ON suite_models (name) WHERE active = 1;
      CREATE TRIGGER suite_models_immutable BEFORE UPDATE OF id, name, version, run_id, model, horizon, feature_set_hash,
          data_fingerprint, git_commit, rank_metric, val_metrics, test_metrics, job_id, created_at ON suite_models
        BEGIN SELECT RAISE(ABORT, 'suite models are immutable: run the suite again for a new version'); END;
      CREATE TRIGGER suite_models_no_delete BEFORE DELETE ON suite_models
        BEGIN SELECT RAISE(ABORT, 'suite models are immutable: run the suite again for a new version'); END;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
