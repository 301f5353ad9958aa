import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../src/main/core/api/dispatch';
import { handlerGroups, handlers } from '../src/main/core/api/handlers';
import { createLocalTransport } from '../src/main/core/api/localTransport';
import type { Handlers } from '../src/main/core/api/types';
import { api, METHOD_NAMES, type MethodName, type Output } from '../src/shared/api';
import { createClient } from '../src/shared/client';
import { FramelabError } from '../src/shared/errors';
import { waitForJob } from '../src/shared/waitForJob';
import { openTestCore, runCleanup, storeRandomFiles, tempDir, withTimeout } from './helpers';

afterEach(runCleanup);

describe('the API contract', () => {
  it('handlers implement exactly the methods api declares', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(api).sort());
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(api).sort());
    for (const name of METHOD_NAMES) expect(typeof handlers[name], name).toBe('function');
  });

  it('no method is implemented by two handler groups, and the groups cover the whole api', () => {
    const owners = new Map<string, string[]>();
    for (const [group, map] of Object.entries(handlerGroups)) {
      for (const method of Object.keys(map)) owners.set(method, [...(owners.get(method) ?? []), group]);
    }
    const duplicated = [...owners].filter(([, groups]) => groups.length > 1);
    expect(duplicated).toEqual([]);
    expect([...owners.keys()].sort()).toEqual(Object.keys(api).sort());
    // The merged map uses each group's own function (no later group shadowed an earlier one).
    for (const map of Object.values(handlerGroups)) {
      for (const [method, fn] of Object.entries(map)) expect(handlers[method as MethodName]).toBe(fn);
    }
  });
});

describe('dispatch', () => {
  it('answers an unknown method with UNKNOWN_METHOD naming it', async () => {
    const core = openTestCore(tempDir());
    const envelope = await dispatch(handlers, core, 'jobs.explode', {});
    expect(envelope).toEqual({ ok: false, error: { code: 'UNKNOWN_METHOD', message: expect.stringContaining('"jobs.explode"') } });
    // Not fooled by names inherited from Object.prototype.
    expect(await dispatch(handlers, core, 'toString', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await dispatch(handlers, core, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it.each([
    ['jobs.list', { limit: 0 }, 'limit'],
    ['jobs.list', { limit: 1001 }, 'limit'],
    ['jobs.list', { status: ['exploded'] }, 'status'],
    ['jobs.get', {}, 'jobId'],
    ['jobs.get', { jobId: '' }, 'jobId'],
    ['jobs.start', { kind: 'nope' }, 'kind'],
    ['app.info', { extra: 1 }, 'extra'],
    ['jobs.cancel', { jobId: 'x', force: true }, 'force'],
  ])('rejects bad input for %s %j with INVALID_INPUT naming %s', async (method, input, field) => {
    const core = openTestCore(tempDir());
    const envelope = await dispatch(handlers, core, method, input);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('INVALID_INPUT');
    expect(envelope.error.message).toContain(method);
    expect(envelope.error.message).toContain(field);
  });

  it('treats a missing input as {} and applies the defaults', async () => {
    const core = openTestCore(tempDir());
    let received: unknown;
    const recordingHandlers: Handlers = {
      ...handlers,
      'jobs.list': (input, c) => {
        received = input;
        return handlers['jobs.list'](input, c);
      },
    };
    expect(await dispatch(recordingHandlers, core, 'jobs.list', undefined)).toEqual({ ok: true, value: { jobs: [] } });
    expect(received).toEqual({ limit: 100 });
  });

  it("carries a handler's FramelabError code, message and details; anything else becomes INTERNAL", async () => {
    const core = openTestCore(tempDir());
    expect(await dispatch(handlers, core, 'jobs.get', { jobId: 'job_missing' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'There is no job "job_missing".' },
    });

    const failing: Handlers = {
      ...handlers,
      'app.info': () => {
        throw new FramelabError('CAPABILITY_MISSING', 'ffmpeg is missing: install it.', { tool: 'ffmpeg' });
      },
      'workspace.summary': async () => {
        throw new TypeError('boom');
      },
    };
    expect(await dispatch(failing, core, 'app.info', {})).toEqual({
      ok: false,
      error: { code: 'CAPABILITY_MISSING', message: 'ffmpeg is missing: install it.', details: { tool: 'ffmpeg' } },
    });
    const original = console.error;
    console.error = () => undefined; // dispatch logs unexpected errors; keep the test output clean
    try {
      expect(await dispatch(failing, core, 'workspace.summary', {})).toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: 'Unexpected error: boom' },
      });
    } finally {
      console.error = original;
    }
  });

  it('every output of app.info, workspace.summary, jobs.list, jobs.get and doctor.report matches its schema', async () => {
    const core = openTestCore(tempDir());
    storeRandomFiles(core.db, core.home, 3, 1024);
    const call = async <M extends MethodName>(method: M, input: unknown = {}) => {
      const envelope = await dispatch(handlers, core, method, input);
      if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
      return api[method].output.parse(envelope.value) as Output<M>;
    };

    const info = await call('app.info');
    expect(info).toMatchObject({ name: 'Framelab', mode: 'cli', home: core.home.root });
    const emptySummary = await call('workspace.summary');
    expect(emptySummary).toMatchObject({ storedFiles: { count: 3, bytes: 3072 }, lastIntegrityCheck: null });
    expect(Object.values(emptySummary.jobs).every((n) => n === 0)).toBe(true);
    expect(await call('jobs.list')).toEqual({ jobs: [] });

    const { job } = await call('jobs.start', { kind: 'workspace.integrity' });
    const done = await withTimeout(core.jobs.waitFor(job.id), 20_000, 'the job');
    expect(done.status).toBe('succeeded');

    const summary = await call('workspace.summary');
    expect(summary.jobs.succeeded).toBe(1);
    expect(summary.lastIntegrityCheck).toEqual({
      jobId: job.id,
      finishedAt: done.finishedAt,
      status: 'succeeded',
      ok: true,
      unregistered: 0,
    });
    expect(summary.dbBytes).toBeGreaterThan(0);
    const list = await call('jobs.list', { status: ['succeeded'], limit: 5 });
    expect(list.jobs.map((j) => j.id)).toEqual([job.id]);
    expect((await call('jobs.list', { status: ['failed'] })).jobs).toEqual([]);
    const got = await call('jobs.get', { jobId: job.id });
    expect(got.job).toEqual(done);
    expect(got.logs.length).toBeGreaterThan(0);

    const doctor = await call('doctor.report');
    expect(doctor.home).toMatchObject({ path: core.home.root, exists: true, schemaVersion: info.schemaVersion });
    expect(doctor.home.owner).toMatchObject({ pid: process.pid, mode: 'cli', alive: true });
    expect(doctor.versions.node).toBe(process.versions.node);
  }, 30_000);
});

describe('client over the local transport', () => {
  it('resolves with outputs, rejects with a FramelabError carrying the code, and waits for jobs through events', async () => {
    const core = openTestCore(tempDir());
    const client = createClient(createLocalTransport(core, handlers));
    expect(await client.call('app.info')).toEqual(core.info);

    const notFound = await client.call('jobs.get', { jobId: 'job_nope' }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(FramelabError);
    expect(notFound).toMatchObject({ code: 'NOT_FOUND', message: 'There is no job "job_nope".' });
    const invalid = await client.call('jobs.list', { limit: -1 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(FramelabError);
    expect((invalid as FramelabError).code).toBe('INVALID_INPUT');
    const unknown = await client.call('nope.nope' as MethodName).catch((e: unknown) => e);
    expect((unknown as FramelabError).code).toBe('UNKNOWN_METHOD');

    await client.eventsReady();
    const { job } = await client.call('jobs.start', { kind: 'workspace.integrity', params: { hashFiles: false } });
    const seen: string[] = [];
    const done = await withTimeout(
      waitForJob(client, job.id, (j) => seen.push(j.status)),
      20_000,
      'waitForJob',
    );
    expect(done.status).toBe('succeeded');
    expect(seen.at(-1)).toBe('succeeded');
    // And for a job that had already finished: resolves from jobs.get, without any event.
    expect((await withTimeout(waitForJob(client, job.id), 5_000, 'waitForJob on a finished job')).status).toBe('succeeded');
    await expect(waitForJob(client, 'job_nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 30_000);
});
