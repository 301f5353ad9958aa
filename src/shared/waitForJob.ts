import type { Client } from './client';
import { FINISHED_STATUSES, type JobSummary } from './jobs';

/** Resolves when the job finishes; reports each update on the way. Uses events, never polls. */
export function waitForJob(client: Client, jobId: string, onUpdate?: (job: JobSummary) => void): Promise<JobSummary> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (job: JobSummary) => {
      if (done) return;
      done = true;
      unsubscribe();
      resolve(job);
    };
    const unsubscribe = client.onEvent((event) => {
      if (event.type !== 'job.updated' || event.job.id !== jobId) return;
      onUpdate?.(event.job);
      if (FINISHED_STATUSES.includes(event.job.status)) finish(event.job);
    });
    // The job may have finished before events started to flow.
    client
      .eventsReady()
      .then(() => client.call('jobs.get', { jobId }))
      .then(
        ({ job }) => {
          if (FINISHED_STATUSES.includes(job.status)) finish(job);
        },
        (err) => {
          if (done) return;
          done = true;
          unsubscribe();
          reject(err);
        },
      );
  });
}
