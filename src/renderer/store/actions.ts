import type { Input } from '../../shared/api';
import type { FramelabEvent } from '../../shared/events';
import { client } from '../api/client';
import { loadCodingSetup as refreshCodingSetup } from './codingActions';
import { useStore } from './index';
import { notifyError } from './notifyError';

/** API calls that feed the store. Failures become notices that show the message as written. */
async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    notifyError(err);
    return undefined;
  }
}

export const loadInfo = () => attempt(async () => useStore.getState().setInfo(await client().call('app.info')));

export const loadJobs = () => attempt(async () => useStore.getState().setJobs((await client().call('jobs.list', { limit: 200 })).jobs));

export const loadWorkspace = () => attempt(async () => useStore.getState().setSummary(await client().call('workspace.summary')));

export const loadSyncStatus = () => attempt(async () => useStore.getState().setSyncStatus(await client().call('sync.status')));

export const loadDoctor = () => attempt(async () => useStore.getState().setDoctor(await client().call('doctor.report')));

export const loadJobDetail = (jobId: string) =>
  attempt(async () => {
    const { job, logs } = await client().call('jobs.get', { jobId });
    useStore.getState().upsertJob(job);
    useStore.getState().setLogs(jobId, logs);
  });

export const startIntegrityCheck = () =>
  attempt(async () => {
    const { job } = await client().call('jobs.start', { kind: 'workspace.integrity', params: {} });
    useStore.getState().upsertJob(job);
    useStore.getState().setJobsPanelOpen(true);
  });

export const cancelJob = (jobId: string) =>
  attempt(async () => useStore.getState().upsertJob((await client().call('jobs.cancel', { jobId })).job));

export const pauseJob = (jobId: string) =>
  attempt(async () => useStore.getState().upsertJob((await client().call('jobs.pause', { jobId })).job));

export const resumeJob = (jobId: string) =>
  attempt(async () => useStore.getState().upsertJob((await client().call('jobs.resume', { jobId })).job));

/** The one subscription: events update the store; nothing polls. */
export function applyEvent(event: FramelabEvent): void {
  const state = useStore.getState();
  switch (event.type) {
    case 'job.updated':
      state.upsertJob(event.job);
      return;
    case 'job.log':
      state.appendLog(event.jobId, event.line);
      return;
    case 'sync.status':
      state.setSyncStatus(event.status);
      return;
    case 'data.changed':
      state.bumpTopics(event.topics);
      if (event.topics.includes('workspace')) void loadWorkspace();
      // Another window or the CLI changed the setup: the coding view follows.
      if (event.topics.some((t) => t === 'codebook' || t === 'coders' || t === 'assignments')) void refreshCodingSetup();
      return;
  }
}

// Calls a screen makes for itself (it keeps the answer, or shows a refusal in its form or as a
// notice): each rejects as the core wrote it.

/**
 * How far the home has come, as counts: videos, frames, coders, assignments, codes, frames coded by
 * two coders, gold snapshots.
 */
export const loadProgress = () => client().call('workspace.progress');

/** Start a job of a kind with its parameters. */
export const startJob = (input: Input<'jobs.start'>) => client().call('jobs.start', input);
