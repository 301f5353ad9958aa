import { useEffect, useState } from 'react';
import type { JobSummary } from '../../shared/jobs';
import { client } from '../api/client';
import { useStore } from './index';
import { notifyError } from './notifyError';

/**
 * One job for a screen that follows it: the store's copy (kept current by the job events)
 * when it has one, else fetched once (a job started before this window opened).
 */
export function useJob(jobId: string): JobSummary | null {
  const storeJob = useStore((s) => s.jobs[jobId]);
  const [fetched, setFetched] = useState<JobSummary | null>(null);
  useEffect(() => {
    if (storeJob) return;
    client()
      .call('jobs.get', { jobId })
      .then(({ job }) => setFetched(job), notifyError);
  }, [jobId, storeJob]);
  return storeJob ?? fetched;
}
