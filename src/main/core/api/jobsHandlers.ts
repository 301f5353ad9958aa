import type { HandlerGroup } from './types';

export const jobsHandlers: HandlerGroup<'jobs.list' | 'jobs.get' | 'jobs.start' | 'jobs.cancel' | 'jobs.pause' | 'jobs.resume'> = {
  'jobs.list': (input, core) => ({ jobs: core.jobRepo.list(input) }),
  'jobs.get': ({ jobId }, core) => ({ job: core.jobRepo.get(jobId), logs: core.jobRepo.logs(jobId) }),
  'jobs.start': ({ kind, params }, core) => ({ job: core.jobs.start(kind, params) }),
  'jobs.cancel': ({ jobId }, core) => ({ job: core.jobs.cancel(jobId) }),
  'jobs.pause': ({ jobId }, core) => ({ job: core.jobs.pause(jobId) }),
  'jobs.resume': ({ jobId }, core) => ({ job: core.jobs.resume(jobId) }),
};
