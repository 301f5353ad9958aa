import fs from 'node:fs';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../src/main/core/core';
import { openDatabase } from '../src/main/core/db/open';
import { homePaths } from '../src/main/core/home/paths';
import { nodeForkLauncher } from '../src/main/core/jobs/launcher';
import type { IntegrityCheckpoint } from '../src/main/core/workspace/integrity';
import { absoluteStoredPath } from '../src/main/core/workspace/files';
import { createClient } from '../src/shared/client';
import type { FramelabEvent } from '../src/shared/events';
import { createHttpTransport } from '../src/shared/httpTransport';
import { IntegrityReport, type JobSummary } from '../src/shared/jobs';
import {
  expectFramelabError,
  jobUpdate,
  onCleanup,
  openTestCore,
  processGone,
  runCleanup,
  sha256,
  startServe,
  storeRandomFiles,
  tempDir,
  waitUntil,
  withTimeout,
} from './helpers';

afterEach(runCleanup);

const PROCESS_TEST_MS = 30_000;
/** Enough data that a job runs for a few hundred milliseconds: time to cancel or kill it. */
const LONG = { count: 300, size: 256 * 1024 };

const subscribeTo = (core: Core) => (listener: (event: FramelabEvent) => void) => core.events.subscribe(listener);

function ownerPid(core: Core, id: string): number | null {
  return (core.db.prepare('SELECT owner_pid FROM jobs WHERE id = ?').get(id) as { owner_pid: number | null }).owner_pid;
}

function logMessages(core: Core, id: string): string[] {
  return (core.db.prepare('SELECT message FROM job_logs WHERE job_id = ? ORDER BY id').all(id) as { message: string }[]).map(
    (r) => r.message,
  );
}

/** All `job.updated` summaries the core publishes, in order. */
function recordJobUpdates(core: Core): JobSummary[] {
  const seen: JobSummary[] = [];
  // Lives as long as the core (closed after the test).
  core.events.subscribe((event) => {
    if (event.type === 'job.updated') seen.push(event.job);
  });
  return seen;
}

/** A running job's update once the job process is at work (it reported a stage of its own). */
const working = (job: JobSummary) => job.status === 'running' && job.progress.stage !== '';

describe('job supervisor with real job processes', () => {
  it(
    'runs workspace.integrity to success with rising progress, logs and a full report',
    async () => {
      const core = openTestCore(tempDir());
      const files = storeRandomFiles(core.db, core.home, 20, 64 * 1024);
      const updates = recordJobUpdates(core);
      const logEvents: string[] = [];
      core.events.subscribe((e) => e.type === 'job.log' && logEvents.push(e.line.message));

      const started = core.jobs.start('workspace.integrity', {});
      expect(started).toMatchObject({ kind: 'workspace.integrity', status: 'running', attempts: 1, params: { hashFiles: true } });
      const job = await withTimeout(core.jobs.waitFor(started.id), 20_000, 'the job to finish');

      expect(job.status).toBe('succeeded');
      expect(job.error).toBeNull();
      expect(job.progress.fraction).toBe(1);
      const report = IntegrityReport.parse(job.result);
      expect(report.ok).toBe(true);
      expect(report.files).toEqual({ total: 20, checked: 20, ok: 20, bytes: 20 * 64 * 1024, missing: [], mismatched: [] });
      expect(files).toHaveLength(20);

      const mine = updates.filter((u) => u.id === started.id);
      expect(mine[0]!.status).toBe('queued');
      expect(mine.at(-1)!.status).toBe('succeeded');
      const progress = mine.filter(working).map((u) => u.progress.fraction);
      expect(progress.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]!);
      expect(progress[0]).toBe(0);
      expect(progress.at(-1)).toBe(1);

      const logs = logMessages(core, started.id);
      expect(logs.length).toBeGreaterThan(0);
      expect(logs).toContain('Workspace is intact');
      expect(logEvents).toEqual(logs);
      expect(core.jobRepo.logs(started.id).map((l) => l.message)).toEqual(logs);

      // The owner cleared what only a running job needs; a finished job keeps no checkpoint.
      expect(ownerPid(core, started.id)).toBeNull();
      expect(core.jobRepo.checkpoint(started.id)).toBeNull();
      expect(core.jobRepo.get(started.id)).toEqual(job);
    },
    PROCESS_TEST_MS,
  );

  it(
    'reports a changed file with both hashes and a deleted file as missing',
    async () => {
      const core = openTestCore(tempDir());
      const files = storeRandomFiles(core.db, core.home, 20, 64 * 1024);
      const changed = files[3]!;
      const changedBytes = fs.readFileSync(absoluteStoredPath(core.home, changed.path));
      changedBytes[100] = changedBytes[100]! ^ 0xff;
      fs.writeFileSync(absoluteStoredPath(core.home, changed.path), changedBytes);
      const deleted = files[11]!;
      fs.rmSync(absoluteStoredPath(core.home, deleted.path));

      const { id } = core.jobs.start('workspace.integrity', { hashFiles: true });
      const job = await withTimeout(core.jobs.waitFor(id), 20_000, 'the job to finish');

      expect(job.status).toBe('succeeded'); // the check ran; what it found is in the report
      const report = IntegrityReport.parse(job.result);
      expect(report.ok).toBe(false);
      expect(report.database.ok).toBe(true);
      expect(report.files.mismatched).toEqual([{ path: changed.path, expected: changed.sha256, actual: sha256(changedBytes) }]);
      expect(report.files.mismatched[0]!.expected).not.toBe(report.files.mismatched[0]!.actual);
      expect(report.files.missing).toEqual([deleted.path]);
      expect(report.files).toMatchObject({ total: 20, checked: 20, ok: 18 });
      const logs = logMessages(core, id);
      expect(logs).toContain(`Missing: ${deleted.path}`);
      expect(logs).toContain(`Changed since it was stored: ${changed.path}`);
    },
    PROCESS_TEST_MS,
  );

  it('refuses invalid parameters with INVALID_INPUT naming the field, creating no job', () => {
    const core = openTestCore(tempDir());
    const err = expectFramelabError(() => core.jobs.start('workspace.integrity', { hashFiles: 'yes' }), 'INVALID_INPUT');
    expect(err.message).toContain('hashFiles');
    expect(core.db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 0 });
    expect(core.jobs.activeJobIds()).toEqual([]);
  });

  it(
    'cancels a running job promptly: status cancelled, its process gone',
    async () => {
      const core = openTestCore(tempDir());
      storeRandomFiles(core.db, core.home, LONG.count, LONG.size);
      const { id } = core.jobs.start('workspace.integrity', {});
      const running = await jobUpdate(subscribeTo(core), () => id, working, 'the job process to report progress');
      expect(running.status).toBe('running');
      const pid = ownerPid(core, id)!;
      expect(pid).toBeGreaterThan(0);

      const askedAt = Date.now();
      const afterCancel = core.jobs.cancel(id);
      expect(afterCancel.progress.stage).toBe('Cancelling…');
      expect(core.jobs.cancel(id).status).toBe('running'); // a second request changes nothing
      const job = await withTimeout(core.jobs.waitFor(id), 20_000, 'the cancelled job to finish');

      expect(job.status).toBe('cancelled');
      expect(job.error).toEqual({ code: 'CANCELLED', message: 'Cancelled.' });
      expect(job.result).toBeNull();
      // The job process stopped on its own, well before the supervisor's 5 s grace kill.
      expect(Date.now() - askedAt).toBeLessThan(4000);
      await waitUntil(() => processGone(pid), 'the job process to exit');
      const checkpoint = core.jobRepo.checkpoint(id) as IntegrityCheckpoint | null;
      expect(checkpoint?.verified.length ?? 0).toBeLessThan(LONG.count);
      // Once the supervisor has seen the process exit, there is nothing left to cancel.
      await waitUntil(() => !core.jobs.activeJobIds().includes(id), 'the supervisor to forget the job process');
      expectFramelabError(() => core.jobs.cancel(id), 'CONFLICT');
    },
    PROCESS_TEST_MS,
  );

  it(
    'marks a job whose process was killed (kill -9) interrupted, then resumes it from its checkpoint',
    async () => {
      const core = openTestCore(tempDir());
      storeRandomFiles(core.db, core.home, LONG.count, LONG.size);
      const { id } = core.jobs.start('workspace.integrity', {});
      const midway = await jobUpdate(
        subscribeTo(core),
        () => id,
        (job) => job.status !== 'running' || job.progress.fraction > 0.2,
        'the job to get past 20%',
      );
      expect(midway.status, 'the job finished before it could be killed: give it more files').toBe('running');
      expect(midway.progress.fraction).toBeLessThan(0.95);
      const pid = ownerPid(core, id)!;
      process.kill(pid, 'SIGKILL');

      const interrupted = await withTimeout(core.jobs.waitFor(id), 20_000, 'the killed job to settle');
      expect(interrupted.status).toBe('interrupted');
      expect(interrupted.error?.code).toBe('JOB_FAILED');
      expect(interrupted.error?.message).toContain('SIGKILL');
      expect(interrupted.resumable).toBe(true);
      expect(interrupted.attempts).toBe(1);
      expect(ownerPid(core, id)).toBeNull();
      const checkpoint = core.jobRepo.checkpoint(id) as IntegrityCheckpoint;
      expect(checkpoint.verified.length).toBeGreaterThan(0);
      expect(checkpoint.verified.length).toBeLessThan(LONG.count);
      expect(checkpoint.files.checked).toBe(checkpoint.verified.length);

      const resumed = core.jobs.resume(id);
      expect(['queued', 'running']).toContain(resumed.status);
      expect(resumed.error).toBeNull();
      const done = await withTimeout(core.jobs.waitFor(id), 20_000, 'the resumed job to finish');
      expect(done.status).toBe('succeeded');
      expect(done.attempts).toBe(2);
      const report = IntegrityReport.parse(done.result);
      expect(report.ok).toBe(true);
      expect(report.files).toMatchObject({ total: LONG.count, checked: LONG.count, ok: LONG.count, bytes: LONG.count * LONG.size });
      const resumedAfter = logMessages(core, id).find((m) => m.startsWith('Resuming after'));
      expect(resumedAfter).toBe(`Resuming after ${checkpoint.verified.length} of ${LONG.count} files`);
    },
    PROCESS_TEST_MS,
  );

  it(
    'a job left running by an owner that was killed is interrupted at the next start, and resumes; its process exits by itself',
    async () => {
      const home = tempDir();
      {
        const db = openDatabase(homePaths(home).dbFile);
        storeRandomFiles(db, homePaths(home), LONG.count, LONG.size);
        db.close();
      }
      const serve = await startServe(home);
      const client = createClient(createHttpTransport({ baseUrl: serve.url, token: serve.token, WebSocket: WebSocket as never }));
      const current: { jobId?: string } = {};
      const busy = jobUpdate(
        (l) => client.onEvent(l),
        () => current.jobId,
        working,
        'the job to run in the server',
      );
      await withTimeout(client.eventsReady(), 10_000, 'the event socket');
      const jobId = (await client.call('jobs.start', { kind: 'workspace.integrity' })).job.id;
      current.jobId = jobId;
      await busy;
      expect((await client.call('jobs.get', { jobId })).job.status).toBe('running');

      // The job process's pid, as the server recorded it.
      const dbFile = homePaths(home).dbFile;
      const peek = new Database(dbFile, { readonly: true });
      const workerPid = (peek.prepare('SELECT owner_pid FROM jobs WHERE id = ?').get(jobId) as { owner_pid: number }).owner_pid;
      peek.close();
      expect(workerPid).toBeGreaterThan(0);
      expect(workerPid).not.toBe(serve.proc.pid);

      process.kill(serve.proc.pid, 'SIGKILL');
      expect(await withTimeout(serve.proc.exit, 10_000, 'serve to die')).toEqual({ code: null, signal: 'SIGKILL' });
      // Nobody can receive its results any more: the orphaned job process stops on its own.
      await waitUntil(() => processGone(workerPid), 'the orphaned job process to exit', { timeoutMs: 10_000 });
      // The dead server's lock is still there, naming it.
      const staleLock = JSON.parse(fs.readFileSync(homePaths(home).lockFile, 'utf8'));
      expect(staleLock).toMatchObject({ pid: serve.proc.pid, mode: 'serve', endpoint: { url: serve.url } });

      const core = openTestCore(home);
      expect(core.lock.info.pid).toBe(process.pid);
      expect(JSON.parse(fs.readFileSync(core.home.lockFile, 'utf8')).pid).toBe(process.pid);
      const job = core.jobRepo.get(jobId);
      expect(job.status).toBe('interrupted');
      expect(job.error?.message).toContain('Framelab stopped while this job ran');
      expect(job.resumable).toBe(true);
      expect(job.finishedAt).not.toBeNull();
      expect(ownerPid(core, jobId)).toBeNull();

      core.jobs.resume(jobId);
      const done = await withTimeout(core.jobs.waitFor(jobId), 20_000, 'the resumed job');
      expect(done.status).toBe('succeeded');
      expect(done.attempts).toBe(2);
      expect(IntegrityReport.parse(done.result).files.checked).toBe(LONG.count);
    },
    PROCESS_TEST_MS,
  );

  it(
    'close() while a job runs marks it interrupted, kills its process and releases the home',
    async () => {
      const home = tempDir();
      const core = openTestCore(home);
      storeRandomFiles(core.db, core.home, LONG.count, LONG.size);
      const { id } = core.jobs.start('workspace.integrity', {});
      await jobUpdate(subscribeTo(core), () => id, working, 'the job process to report progress');
      const pid = ownerPid(core, id)!;

      const settled = core.jobs.waitFor(id);
      core.close();
      const job = await withTimeout(settled, 5_000, 'the job to settle on close');
      expect(job.status).toBe('interrupted');
      expect(job.error).toEqual({
        code: 'JOB_FAILED',
        message: 'Framelab was closed while this job ran. Resume it to continue where it stopped.',
      });
      await waitUntil(() => processGone(pid), 'the job process to be killed');
      expect(fs.existsSync(homePaths(home).lockFile)).toBe(false);

      // What was written survives: the next owner finds the job interrupted (not "crashed"), resumable.
      const next = openTestCore(home);
      const again = next.jobRepo.get(id);
      expect(again.status).toBe('interrupted');
      expect(again.error?.message).toContain('Framelab was closed while this job ran');
      expect(again.resumable).toBe(true);
    },
    PROCESS_TEST_MS,
  );

  it(
    'jobs.resume of a succeeded job is a CONFLICT; of an unknown job NOT_FOUND',
    async () => {
      const core = openTestCore(tempDir());
      const { id } = core.jobs.start('workspace.integrity', { hashFiles: false });
      const job = await withTimeout(core.jobs.waitFor(id), 20_000, 'the job to finish');
      expect(job.status).toBe('succeeded');
      const err = expectFramelabError(() => core.jobs.resume(id), 'CONFLICT');
      expect(err.message).toContain('succeeded');
      expect(core.jobRepo.get(id)).toEqual(job);
      expectFramelabError(() => core.jobs.resume('job_nope'), 'NOT_FOUND');
    },
    PROCESS_TEST_MS,
  );

  it(
    'runs at most maxConcurrentJobs at once (default 2); the rest wait in order',
    async () => {
      const core = openTestCore(tempDir());
      const updates = recordJobUpdates(core);
      const ids = [1, 2, 3].map(() => core.jobs.start('workspace.integrity', { hashFiles: false }).id);
      expect(ids.map((id) => core.jobRepo.get(id).status)).toEqual(['running', 'running', 'queued']);
      expect(core.jobs.activeJobIds()).toEqual(ids);
      const jobs = await withTimeout(Promise.all(ids.map((id) => core.jobs.waitFor(id))), 25_000, 'three jobs');
      expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      // The third started only after one of the first two had finished.
      const thirdRunning = updates.findIndex((u) => u.id === ids[2] && u.status === 'running');
      const firstDone = updates.findIndex((u) => ids.slice(0, 2).includes(u.id) && u.status === 'succeeded');
      expect(firstDone).toBeGreaterThanOrEqual(0);
      expect(thirdRunning).toBeGreaterThan(firstDone);
    },
    PROCESS_TEST_MS,
  );
});

describe('job supervisor: between a job settling and its process exiting', () => {
  // A job settles when its process reports the outcome; the process exits a moment later.
  // Calls made in that moment must see the job as finished.

  it(
    'waitFor() resolves for a job that has finished even if its process has not exited yet',
    async () => {
      const core = openTestCore(tempDir());
      const { id } = core.jobs.start('workspace.integrity', { hashFiles: false });
      const pid = ownerPid(core, id)!;
      // Boxed: resolving with the promise itself would make this one wait for it.
      const lateWait = new Promise<{ late: Promise<JobSummary> }>((resolve) => {
        core.events.subscribe((event) => {
          // Right after the settle, as any caller reacting to the event would (next microtask).
          if (event.type === 'job.updated' && event.job.id === id && event.job.status === 'succeeded') {
            queueMicrotask(() => resolve({ late: core.jobs.waitFor(id) }));
          }
        });
      });
      expect((await withTimeout(core.jobs.waitFor(id), 20_000, 'the job')).status).toBe('succeeded');
      const { late } = await withTimeout(lateWait, 5_000, 'the succeeded event');
      await waitUntil(() => processGone(pid), 'the job process to exit');
      const job = await withTimeout(late, 2_000, 'waitFor() called just after the job finished');
      expect(job.status).toBe('succeeded');
    },
    PROCESS_TEST_MS,
  );

  it(
    'a job resumed right after it was cancelled can still be cancelled',
    async () => {
      const core = openTestCore(tempDir());
      storeRandomFiles(core.db, core.home, LONG.count, LONG.size);
      const { id } = core.jobs.start('workspace.integrity', {});
      await jobUpdate(subscribeTo(core), () => id, working, 'the first attempt to run');
      // Resume as soon as the cancel has settled (a user clicking Resume at once, a script).
      const resumedAt = new Promise<JobSummary>((resolve) => {
        const stop = core.events.subscribe((event) => {
          if (event.type === 'job.updated' && event.job.id === id && event.job.status === 'cancelled') {
            stop();
            queueMicrotask(() => resolve(core.jobs.resume(id)));
          }
        });
      });
      core.jobs.cancel(id);
      await withTimeout(resumedAt, 10_000, 'the cancel to settle');
      const second = await jobUpdate(
        subscribeTo(core),
        () => id,
        (job) => job.attempts === 2 && working(job),
        'the second attempt to run',
      );
      expect(second.status).toBe('running');
      // If this test fails, the second attempt's process may be unknown to the supervisor: stop it
      // (by pid) and let its exit settle the job before the core closes.
      const secondPid = ownerPid(core, id)!;
      onCleanup(async () => {
        if (!processGone(secondPid)) process.kill(secondPid, 'SIGKILL');
        await waitUntil(() => core.jobRepo.get(id).status !== 'running', 'the second attempt to settle');
      });
      expect(core.jobs.activeJobIds()).toContain(id);
      expect(core.jobs.cancel(id).progress.stage).toBe('Cancelling…');
      const job = await withTimeout(core.jobs.waitFor(id), 20_000, 'the second attempt to stop');
      expect(job.status).toBe('cancelled');
    },
    PROCESS_TEST_MS,
  );
});

describe('an interrupted job says "Resume it" only when its kind can resume', () => {
  it('after a crash: the integrity check (resumable) is told to resume, frame sampling (not resumable) to start again', () => {
    const home = tempDir();
    const crashed = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
    const check = crashed.jobRepo.create('workspace.integrity', { hashFiles: true });
    const sample = crashed.jobRepo.create('frames.sample', {});
    crashed.jobRepo.markRunning(check.id, 999_999);
    // The owner dies with one job running and one queued; the OS frees the lock.
    crashed.db.close();
    crashed.lock.release();

    const next = openTestCore(home);
    const cause = 'Framelab stopped while this job ran (a crash, a kill or a power loss).';
    expect(next.jobRepo.get(check.id)).toMatchObject({
      status: 'interrupted',
      resumable: true,
      error: { code: 'JOB_FAILED', message: `${cause} Resume it to continue where it stopped.` },
    });
    expect(next.jobRepo.get(sample.id)).toMatchObject({
      status: 'interrupted',
      resumable: false,
      error: { code: 'JOB_FAILED', message: `${cause} It cannot resume: start it again.` },
    });
    // What the message says is what resume does.
    expectFramelabError(() => next.jobs.resume(sample.id), 'JOB_NOT_RESUMABLE');
  });
});
