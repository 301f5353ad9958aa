/**
 * Pause: a resumable job stopped on request, its checkpoint kept, shown as paused (status
 * cancelled + code PAUSED), and resumed where it stopped; refused for jobs that cannot resume.
 * Through the core, the HTTP API and `framelab jobs pause` against a running server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core/core';
import type { IntegrityCheckpoint } from '../src/main/core/workspace/integrity';
import type { FramelabEvent } from '../src/shared/events';
import { IntegrityReport, isPaused, JobSummary } from '../src/shared/jobs';
import {
  apiCall,
  expectFramelabError,
  jobUpdate,
  openTestCore,
  runCleanup,
  runCli,
  startServe,
  storeRandomFiles,
  tempDir,
  waitUntil,
  withTimeout,
} from './helpers';

afterEach(runCleanup);

const LONG = { count: 300, size: 256 * 1024 };
const subscribeTo = (core: Core) => (listener: (event: FramelabEvent) => void) => core.events.subscribe(listener);

describe('jobs.pause', () => {
  it('pauses a running resumable job (checkpoint kept, shown paused), resume finishes it from there', async () => {
    const core = openTestCore(tempDir());
    storeRandomFiles(core.db, core.home, LONG.count, LONG.size);
    const { id } = core.jobs.start('workspace.integrity', {});
    await jobUpdate(
      subscribeTo(core),
      () => id,
      (j) => j.status === 'running' && j.progress.fraction > 0.1,
      'the job to get going',
    );

    const asked = core.jobs.pause(id);
    expect(asked.progress.stage).toBe('Pausing…');
    expect(core.jobs.cancel(id).progress.stage).toBe('Pausing…'); // a later cancel does not change what was asked
    const paused = await withTimeout(core.jobs.waitFor(id), 20_000, 'the paused job to stop');
    expect(paused.status).toBe('cancelled');
    expect(paused.error).toEqual({ code: 'PAUSED', message: 'Paused. Resume it to continue where it stopped.' });
    expect(isPaused(paused)).toBe(true);
    const checkpoint = core.jobRepo.checkpoint(id) as IntegrityCheckpoint;
    expect(checkpoint.verified.length).toBeGreaterThan(0);
    expect(checkpoint.verified.length).toBeLessThan(LONG.count);
    await waitUntil(() => !core.jobs.activeJobIds().includes(id), 'the supervisor to forget the process');
    expectFramelabError(() => core.jobs.pause(id), 'CONFLICT');

    const resumed = core.jobs.resume(id);
    expect(isPaused(resumed)).toBe(false);
    const done = await withTimeout(core.jobs.waitFor(id), 30_000, 'the resumed job');
    expect(done.status).toBe('succeeded');
    expect(IntegrityReport.parse(done.result).files).toMatchObject({ checked: LONG.count, ok: LONG.count });
    const logs = core.jobRepo.logs(id).map((l) => l.message);
    expect(logs).toContain(`Resuming after ${checkpoint.verified.length} of ${LONG.count} files`);
  }, 60_000);

  it('a plain cancel stays a cancel; a queued job pauses without starting; a kind that cannot resume is refused', async () => {
    const core = openTestCore(tempDir());
    storeRandomFiles(core.db, core.home, 120, LONG.size);
    // Two run at once (the default): the third waits in line.
    const ids = [0, 1, 2].map(() => core.jobs.start('workspace.integrity', {}).id);
    const queued = core.jobs.pause(ids[2]!);
    expect(queued).toMatchObject({ status: 'cancelled', error: { code: 'PAUSED' }, attempts: 0 });
    const cancelled = core.jobs.cancel(ids[0]!);
    expect(cancelled.progress.stage).toBe('Cancelling…');
    const first = await withTimeout(core.jobs.waitFor(ids[0]!), 20_000, 'the cancelled job');
    expect(first.error?.code).toBe('CANCELLED');
    expect(isPaused(first)).toBe(false);
    await withTimeout(core.jobs.waitFor(ids[1]!), 30_000, 'the second job');

    const sample = core.jobs.start('frames.sample', { strategy: { kind: 'every', seconds: 1 } });
    const err = expectFramelabError(() => core.jobs.pause(sample.id), 'JOB_NOT_RESUMABLE');
    expect(err.message).toContain('cancel it instead');
    await withTimeout(core.jobs.waitFor(sample.id), 20_000, 'the sampling job');

    // The paused queued job resumes like any other.
    core.jobs.resume(ids[2]!);
    expect((await withTimeout(core.jobs.waitFor(ids[2]!), 30_000, 'the resumed job')).status).toBe('succeeded');
  }, 90_000);

  it('`framelab jobs pause ID` through a running server, then `jobs resume`', async () => {
    const home = tempDir('serve');
    const seed = openTestCore(home);
    storeRandomFiles(seed.db, seed.home, 2 * LONG.count, LONG.size);
    seed.close();
    const serve = await startServe(home);
    // Two jobs run at once: the third waits in line (or has just started) when the CLI pauses it.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await apiCall(serve.url, serve.token, 'jobs.start', { kind: 'workspace.integrity', params: {} })).body.value.job.id as string,
      );
    const id = ids[2]!;
    const res = await runCli(['jobs', 'pause', id, '--json', '--home', home]);
    expect(res.code, res.stderr).toBe(0);
    await waitUntil(
      async () => (await apiCall(serve.url, serve.token, 'jobs.get', { jobId: id })).body.value.job.status === 'cancelled',
      'the pause to land',
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const shown = await runCli(['jobs', 'show', id, '--home', home]);
    expect(shown.stdout).toMatch(new RegExp(`^${id}  paused  `));
    const job = JobSummary.parse((await apiCall(serve.url, serve.token, 'jobs.get', { jobId: id })).body.value.job);
    expect(isPaused(job)).toBe(true);

    const resumed = await runCli(['jobs', 'resume', id, '--json', '--home', home], { timeoutMs: 60_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split('\n').pop()!).job.status).toBe('succeeded');
    process.kill(serve.proc.pid, 'SIGTERM');
    await withTimeout(serve.proc.exit, 10_000, 'serve to exit');
  }, 180_000);
});
