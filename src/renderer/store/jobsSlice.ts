import type { StateCreator } from 'zustand';
import type { JobLogLine, JobSummary } from '../../shared/jobs';
import type { Store } from './index';

export interface JobsSlice {
  jobs: Record<string, JobSummary>;
  /** Job ids, newest first. */
  jobOrder: string[];
  jobsLoaded: boolean;
  selectedJobId: string | null;
  logs: Record<string, JobLogLine[]>;
  setJobs(jobs: JobSummary[]): void;
  upsertJob(job: JobSummary): void;
  selectJob(id: string | null): void;
  setLogs(id: string, lines: JobLogLine[]): void;
  appendLog(id: string, line: JobLogLine): void;
}

const finished = (job: JobSummary) => job.status !== 'queued' && job.status !== 'running';

/** True when `a` is a later state of the job than `b` (same millisecond: a finished state wins). */
function isNewer(a: JobSummary, b: JobSummary): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  return finished(a) && !finished(b);
}

export const createJobsSlice: StateCreator<Store, [], [], JobsSlice> = (set) => ({
  jobs: {},
  jobOrder: [],
  jobsLoaded: false,
  selectedJobId: null,
  logs: {},
  setJobs: (list) => set({ jobs: Object.fromEntries(list.map((j) => [j.id, j])), jobOrder: list.map((j) => j.id), jobsLoaded: true }),
  upsertJob: (job) =>
    set((s) => {
      // A call's response can arrive after an event that already carried a newer state (a
      // cancel answered "running" after the job was "cancelled"): keep the newest.
      const known = s.jobs[job.id];
      if (known && isNewer(known, job)) return {};
      return {
        jobs: { ...s.jobs, [job.id]: job },
        jobOrder: s.jobOrder.includes(job.id) ? s.jobOrder : [job.id, ...s.jobOrder],
      };
    }),
  selectJob: (selectedJobId) => set({ selectedJobId }),
  setLogs: (id, lines) => set((s) => ({ logs: { ...s.logs, [id]: lines } })),
  appendLog: (id, line) => set((s) => (s.logs[id] ? { logs: { ...s.logs, [id]: [...s.logs[id]!, line] } } : {})),
});
