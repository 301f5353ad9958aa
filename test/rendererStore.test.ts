import { beforeEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../src/shared/jobs';
import { resetStore, useStore } from '../src/renderer/store';
import { applyEvent } from '../src/renderer/store/actions';

const job = (id: string, status: JobSummary['status'], fraction = 0): JobSummary => ({
  id,
  kind: 'workspace.integrity',
  title: 'Workspace integrity check',
  status,
  progress: { fraction, stage: '', etaS: null },
  params: {},
  result: null,
  error: null,
  resumable: true,
  attempts: 1,
  createdAt: new Date().toISOString(),
  startedAt: null,
  finishedAt: null,
  updatedAt: new Date(Date.now() + fraction).toISOString(),
});

describe('renderer store', () => {
  beforeEach(() => resetStore());

  it('starts empty and resets to empty', () => {
    useStore.getState().setJobs([job('a', 'running')]);
    useStore.getState().setArea('jobs');
    useStore.getState().setCoderId('coder_a');
    resetStore();
    const s = useStore.getState();
    expect(s.jobOrder).toEqual([]);
    expect(s.jobsLoaded).toBe(false);
    expect(s.area).toBe('coding');
    expect(s.coderId).toBeNull();
  });

  it('applies job events: new jobs go first, updates replace in place', () => {
    useStore.getState().setJobs([job('old', 'succeeded')]);
    applyEvent({ type: 'job.updated', job: job('new', 'queued') });
    applyEvent({ type: 'job.updated', job: job('new', 'running', 0.4) });
    const s = useStore.getState();
    expect(s.jobOrder).toEqual(['new', 'old']);
    expect(s.jobs.new!.status).toBe('running');
    expect(s.jobs.new!.progress.fraction).toBe(0.4);
  });

  it('keeps the newest state when a stale response arrives after an event', () => {
    const cancelled = { ...job('j', 'cancelled'), updatedAt: '2026-01-01T00:00:00.200Z' };
    const staleResponse = { ...job('j', 'running', 0.3), updatedAt: '2026-01-01T00:00:00.100Z' };
    applyEvent({ type: 'job.updated', job: cancelled });
    useStore.getState().upsertJob(staleResponse);
    expect(useStore.getState().jobs.j!.status).toBe('cancelled');
    // Same millisecond: the finished state wins.
    useStore.getState().upsertJob({ ...staleResponse, updatedAt: cancelled.updatedAt });
    expect(useStore.getState().jobs.j!.status).toBe('cancelled');
    // A genuinely newer state replaces it (a resume).
    useStore.getState().upsertJob({ ...job('j', 'queued'), updatedAt: '2026-01-01T00:00:00.300Z' });
    expect(useStore.getState().jobs.j!.status).toBe('queued');
  });

  it('appends log lines only to logs that are open', () => {
    const line = { at: new Date().toISOString(), level: 'info' as const, message: 'hello' };
    applyEvent({ type: 'job.log', jobId: 'x', line });
    expect(useStore.getState().logs.x).toBeUndefined();
    useStore.getState().setLogs('x', []);
    applyEvent({ type: 'job.log', jobId: 'x', line });
    expect(useStore.getState().logs.x).toEqual([line]);
  });

  it('keeps at most five notices, newest last', () => {
    for (let i = 0; i < 7; i++) useStore.getState().notify('error', `n${i}`);
    expect(useStore.getState().notices.map((n) => n.text)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
  });
});
