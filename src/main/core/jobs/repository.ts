import crypto from 'node:crypto';
import { FramelabError, type ErrorInfo } from '../../../shared/errors';
import { jobKinds, type JobKind, type JobLogLine, type JobProgress, type JobStatus, type JobSummary } from '../../../shared/jobs';
import { jobTitle } from '../../../shared/jobTitles';
import type { Db } from '../db/open';
import type { LogLevel } from './context';

/** Typed queries over the `jobs` and `job_logs` tables. Only the home's owner writes. */
interface JobRow {
  id: string;
  kind: string;
  title: string;
  params: string;
  status: JobStatus;
  fraction: number;
  stage: string;
  eta_s: number | null;
  checkpoint: string | null;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

/** Keeps a chatty job from filling the database: later lines are counted, not stored. */
export const MAX_LOG_LINES_PER_JOB = 5000;

const now = () => new Date().toISOString();

function toSummary(row: JobRow): JobSummary {
  const kind = row.kind as JobKind;
  return {
    id: row.id,
    kind,
    title: row.title,
    status: row.status,
    progress: { fraction: row.fraction, stage: row.stage, etaS: row.eta_s },
    params: JSON.parse(row.params),
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    resumable: jobKinds[kind]?.resumable ?? false,
    attempts: row.attempts,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
  };
}

export class JobRepository {
  constructor(private readonly db: Db) {}

  /** Runs fn in one immediate transaction on the owner's connection (all or nothing). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  create(kind: JobKind, params: unknown): JobSummary {
    const id = `job_${Date.now().toString(36)}_${crypto.randomBytes(4).toString('hex')}`;
    const at = now();
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, title, params, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
      )
      .run(id, kind, jobTitle(kind, params), JSON.stringify(params), at, at);
    return this.get(id);
  }

  get(id: string): JobSummary {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new FramelabError('NOT_FOUND', `There is no job "${id}".`);
    return toSummary(row);
  }

  list(options: { status?: JobStatus[]; limit: number }): JobSummary[] {
    const statuses = options.status ?? [];
    const where = statuses.length ? `WHERE status IN (${statuses.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare(`SELECT * FROM jobs ${where} ORDER BY created_at DESC, rowid DESC LIMIT ?`)
      .all(...statuses, options.limit) as JobRow[];
    return rows.map(toSummary);
  }

  countByStatus(): Partial<Record<JobStatus, number>> {
    const rows = this.db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status').all() as {
      status: JobStatus;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  latestOfKind(kind: JobKind): JobSummary | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE kind = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(kind) as
      JobRow | undefined;
    return row ? toSummary(row) : null;
  }

  checkpoint(id: string): unknown {
    const row = this.db.prepare('SELECT checkpoint FROM jobs WHERE id = ?').get(id) as { checkpoint: string | null };
    return row?.checkpoint ? JSON.parse(row.checkpoint) : null;
  }

  /** started_at is the first start: a resumed job keeps it (attempts counts the restarts). */
  markRunning(id: string, ownerPid: number): void {
    this.db
      .prepare(
        `UPDATE jobs SET status = 'running', attempts = attempts + 1, owner_pid = ?, started_at = COALESCE(started_at, ?),
           finished_at = NULL, error_code = NULL, error_message = NULL, updated_at = ? WHERE id = ?`,
      )
      .run(ownerPid, now(), now(), id);
  }

  /** Puts a finished job back in line, keeping its checkpoint so it resumes where it stopped. */
  requeue(id: string): void {
    this.db
      .prepare(
        `UPDATE jobs SET status = 'queued', error_code = NULL, error_message = NULL, finished_at = NULL, updated_at = ? WHERE id = ?`,
      )
      .run(now(), id);
  }

  saveProgress(id: string, progress: JobProgress): void {
    this.db
      .prepare('UPDATE jobs SET fraction = ?, stage = ?, eta_s = ?, updated_at = ? WHERE id = ?')
      .run(progress.fraction, progress.stage, progress.etaS, now(), id);
  }

  saveCheckpoint(id: string, state: unknown): void {
    this.db.prepare('UPDATE jobs SET checkpoint = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(state), now(), id);
  }

  finish(id: string, status: Exclude<JobStatus, 'queued' | 'running'>, outcome: { result?: unknown; error?: ErrorInfo }): void {
    const done = status === 'succeeded';
    this.db
      .prepare(
        `UPDATE jobs SET status = ?, result = ?, error_code = ?, error_message = ?, finished_at = ?, updated_at = ?,
           fraction = CASE WHEN ? THEN 1 ELSE fraction END, eta_s = NULL, owner_pid = NULL,
           checkpoint = CASE WHEN ? THEN NULL ELSE checkpoint END
         WHERE id = ?`,
      )
      .run(
        status,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.error?.code ?? null,
        outcome.error?.message ?? null,
        now(),
        now(),
        done ? 1 : 0,
        done ? 1 : 0,
        id,
      );
  }

  /** Jobs left running or queued by an owner that is gone: they were interrupted, not lost. */
  interruptOrphans(reasonFor: (kind: JobKind) => ErrorInfo): string[] {
    const rows = this.db.prepare(`SELECT id, kind FROM jobs WHERE status IN ('queued','running')`).all() as { id: string; kind: JobKind }[];
    for (const row of rows) this.finish(row.id, 'interrupted', { error: reasonFor(row.kind) });
    return rows.map((r) => r.id);
  }

  appendLog(id: string, level: LogLevel, message: string): JobLogLine | null {
    const count = (this.db.prepare('SELECT count(*) AS n FROM job_logs WHERE job_id = ?').get(id) as { n: number }).n;
    if (count >= MAX_LOG_LINES_PER_JOB) return null;
    const line = { at: now(), level, message: count === MAX_LOG_LINES_PER_JOB - 1 ? '(log truncated)' : message };
    this.db.prepare('INSERT INTO job_logs (job_id, at, level, message) VALUES (?, ?, ?, ?)').run(id, line.at, line.level, line.message);
    return line;
  }

  logs(id: string): JobLogLine[] {
    return this.db.prepare('SELECT at, level, message FROM job_logs WHERE job_id = ? ORDER BY id').all(id) as JobLogLine[];
  }
}
