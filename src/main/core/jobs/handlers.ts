import { syncBeforeJob } from './annotationsFirst';
import type { HandlerGroup } from '../api/types';

export const jobsHandlers: HandlerGroup<'jobs.list' | 'jobs.get' | 'jobs.start' | 'jobs.cancel' | 'jobs.pause' | 'jobs.resume'> = {
  'jobs.list': (input, core) => ({ jobs: core.jobRepo.list(input) }),
  'jobs.get': ({ jobId }, core) => ({ job: core.jobRepo.get(jobId), logs: core.jobRepo.logs(jobId) }),
  'jobs.start': async ({ kind, params }, core) => {
    // Jobs that read annotations sync first (bucket first); how it went goes into the job's log.
    const notes = await syncBeforeJob(kind, params, core);
    const job = core.jobs.start(kind, params);
    for (const note of notes) core.jobs.note(job.id, note.level, note.message);
    return { job: notes.length ? core.jobRepo.get(job.id) : job };
  },
  'jobs.cancel': ({ jobId }, core) => ({ job: core.jobs.cancel(jobId) }),
  'jobs.pause': ({ jobId }, core) => ({ job: core.jobs.pause(jobId) }),
  'jobs.resume': ({ jobId }, core) => ({ job: core.jobs.resume(jobId) }),
};
