import type { Client } from '../../shared/client';
import { FramelabError, isErrorCode } from '../../shared/errors';
import { jobKinds, type JobKind, type JobParams, type JobResult, type JobSummary } from '../../shared/jobs';
import type { GlobalOptions } from './command';
import { runJob } from './commands/jobs';

/**
 * Runs a job of `kind` to its end (with progress on stderr) and returns its result. A job that
 * did not succeed becomes an error carrying the job's own code and message.
 */
export async function runJobForResult<K extends JobKind>(
  client: Client,
  mode: 'local' | 'remote',
  globals: GlobalOptions,
  kind: K,
  params: JobParams<K>,
): Promise<{ job: JobSummary; result: JobResult<K> }> {
  const outcome = await runJob(client, mode, globals, async () => (await client.call('jobs.start', { kind, params })).job, false);
  const job = (outcome.value as { job: JobSummary }).job;
  if (job.status !== 'succeeded') {
    const code = job.error && isErrorCode(job.error.code) ? job.error.code : 'JOB_FAILED';
    // The title names what the job worked on ("Run an outcome analysis: visual overload"): set apart by a dash.
    throw new FramelabError(code, `${job.title} — ${job.status} (job ${job.id}): ${job.error?.message ?? 'no reason given'}`);
  }
  return { job, result: jobKinds[kind].result.parse(job.result) as JobResult<K> };
}

/** The job's warnings, for the plain-words output (JSON output stays the result alone). */
export async function jobWarnings(client: Client, jobId: string): Promise<string[]> {
  const { logs } = await client.call('jobs.get', { jobId });
  return logs.filter((l) => l.level !== 'info').map((l) => `warning: ${l.message}`);
}
