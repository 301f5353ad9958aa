import type { Client } from '../../../shared/client';
import { FramelabError } from '../../../shared/errors';
import { isPaused, JOB_KIND_NAMES, JOB_STATUSES, type JobKind, type JobStatus, type JobSummary } from '../../../shared/jobs';
import { waitForJob } from '../../../shared/waitForJob';
import { numberFlag, parseCommandArgs } from '../args';
import type { Command, CommandResult, GlobalOptions } from '../command';
import { progressPrinter } from '../progress';
import { withClient } from '../session';

const USAGE = `framelab jobs list [--status S]... [--limit N]
       framelab jobs show JOB_ID
       framelab jobs start KIND [--param key=value]... [--detach]
       framelab jobs cancel JOB_ID
       framelab jobs pause JOB_ID
       framelab jobs resume JOB_ID [--detach]
kinds: ${JOB_KIND_NAMES.join(', ')}`;

export function jobLine(job: JobSummary): string {
  const pct = job.status === 'running' ? ` ${Math.round(job.progress.fraction * 100)}%` : '';
  const error = job.error && job.status !== 'succeeded' ? ` — ${job.error.message}` : '';
  return `${job.id}  ${isPaused(job) ? 'paused' : job.status}${pct}  ${job.title}  ${job.createdAt}${error}`;
}

function parseParam(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new FramelabError('INVALID_INPUT', `--param takes key=value, not "${text}".`);
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw); // numbers, booleans, lists; anything else stays a string
  } catch {
    value = raw;
  }
  return [text.slice(0, eq), value];
}

/**
 * Runs a job to its end and reports it. A command that owns the home itself must wait (its
 * job processes die with it); through a running server `--detach` returns at once.
 */
export async function runJob(
  client: Client,
  mode: 'local' | 'remote',
  globals: GlobalOptions,
  start: () => Promise<JobSummary>,
  detach: boolean,
): Promise<CommandResult> {
  await client.eventsReady();
  const started = await start();
  if (detach && mode === 'remote') return { value: { job: started }, text: jobLine(started) };
  const printer = progressPrinter(!globals.json);
  const stopOnSignal = () => {
    // Ctrl-C: cancel what this command started, then report it.
    void client.call('jobs.cancel', { jobId: started.id }).catch(() => undefined);
  };
  process.once('SIGINT', stopOnSignal);
  try {
    const job = await waitForJob(client, started.id, (j) => printer.update(j));
    printer.end();
    return { value: { job }, text: jobLine(job), exitCode: job.status === 'succeeded' ? 0 : 1 };
  } finally {
    process.off('SIGINT', stopOnSignal);
  }
}

export const jobsCommand: Command = {
  name: 'jobs',
  usage: USAGE,
  summary: 'List, show, start, cancel, pause and resume jobs',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        status: { type: 'string', multiple: true },
        limit: { type: 'string' },
        param: { type: 'string', multiple: true },
        detach: { type: 'boolean' },
      },
      USAGE,
    );
    const [action, target] = positionals;
    const needId = () => {
      if (!target) throw new FramelabError('INVALID_INPUT', `jobs ${action} needs a job id.\nUsage: ${USAGE}`);
      return target;
    };
    return withClient(globals, async (client, mode) => {
      switch (action) {
        case 'list': {
          const status = (values.status ?? []) as JobStatus[];
          for (const s of status) {
            if (!JOB_STATUSES.includes(s))
              throw new FramelabError('INVALID_INPUT', `Unknown status "${s}"; use one of ${JOB_STATUSES.join(', ')}.`);
          }
          const { jobs } = await client.call('jobs.list', {
            status: status.length ? status : undefined,
            limit: numberFlag(values.limit, 'limit', { integer: true, min: 0 }) ?? 100,
          });
          return { value: { jobs }, text: jobs.length ? jobs.map(jobLine).join('\n') : 'No jobs yet.' };
        }
        case 'show': {
          const { job, logs } = await client.call('jobs.get', { jobId: needId() });
          const text = [jobLine(job), ...logs.map((l) => `  ${l.at} ${l.level}: ${l.message}`)];
          if (job.result) text.push(JSON.stringify(job.result, null, 2));
          return { value: { job, logs }, text: text.join('\n') };
        }
        case 'start': {
          const kind = target as JobKind;
          if (!JOB_KIND_NAMES.includes(kind)) {
            throw new FramelabError('INVALID_INPUT', `Unknown job kind "${target ?? ''}"; kinds: ${JOB_KIND_NAMES.join(', ')}.`);
          }
          const params = Object.fromEntries((values.param ?? []).map(parseParam));
          return runJob(client, mode, globals, async () => (await client.call('jobs.start', { kind, params })).job, !!values.detach);
        }
        case 'cancel': {
          const { job } = await client.call('jobs.cancel', { jobId: needId() });
          return { value: { job }, text: jobLine(job) };
        }
        case 'pause': {
          const { job } = await client.call('jobs.pause', { jobId: needId() });
          return { value: { job }, text: jobLine(job) };
        }
        case 'resume': {
          const jobId = needId();
          return runJob(client, mode, globals, async () => (await client.call('jobs.resume', { jobId })).job, !!values.detach);
        }
        default:
          throw new FramelabError('INVALID_INPUT', `Unknown jobs action "${action ?? ''}".\nUsage: ${USAGE}`);
      }
    });
  },
};
