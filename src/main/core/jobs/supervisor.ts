import { EtaEstimator } from './eta';
import { FramelabError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { DataTopic } from '../../../shared/events';
import { FINISHED_STATUSES, jobKinds, PAUSED_CODE, type JobKind, type JobSummary } from '../../../shared/jobs';
import type { EventBus } from '../events';
import { zodMessage } from '../zodMessage';
import type { ChildHandle, ProcessLauncher } from './launcher';
import type { FromWorker } from './protocol';
import type { JobRepository } from './repository';

export interface SupervisorOptions {
  repo: JobRepository;
  launcher: ProcessLauncher;
  events: EventBus;
  home: string;
  /** Jobs running at once; the rest wait in order. */
  maxConcurrent?: number;
  /** A job process that has not said `ready` by then is killed and the job fails. */
  readyTimeoutMs?: number;
  /** After a cancel request, a job process gets this long to stop before it is killed. */
  cancelGraceMs?: number;
  /**
   * Writes a succeeded job's result where its kind has more to write than `jobs.result`
   * (see jobs/apply.ts). Runs in the same transaction that marks the job succeeded; a throw
   * rolls it all back and the job fails. Returns the result to store and the topics changed.
   */
  applyResult?: (kind: JobKind, result: unknown, jobId: string) => { result: unknown; topics: DataTopic[] };
  /** Checks a kind's parsed parameters before the job is queued (see jobs/precheck.ts); throws to refuse. */
  checkParams?: (kind: JobKind, params: unknown) => void;
}

interface Running {
  id: string;
  kind: JobKind;
  child: ChildHandle;
  eta: EtaEstimator;
  cancelRequested: boolean;
  /** The stop asked for is a pause: the job ends cancelled with code PAUSED, ready to resume. */
  pauseRequested: boolean;
  settled: boolean;
  timers: NodeJS.Timeout[];
}

const STOPPED_BY_CRASH = 'Framelab stopped while this job ran (a crash, a kill or a power loss).';
const STOPPED_BY_QUIT = 'Framelab was closed while this job ran.';

/**
 * Owns every job process: starts them in order, relays their typed progress as events,
 * writes their state and results (job processes never write), cancels them, and marks the
 * ones that died as interrupted so nothing is silently lost.
 */
export class JobSupervisor {
  private readonly running = new Map<string, Running>();
  private readonly queue: string[] = [];
  private readonly waiters = new Map<string, ((job: JobSummary) => void)[]>();
  private readonly maxConcurrent: number;
  private readonly readyTimeoutMs: number;
  private readonly cancelGraceMs: number;
  private closed = false;

  constructor(private readonly options: SupervisorOptions) {
    this.maxConcurrent = options.maxConcurrent ?? 2;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
    this.cancelGraceMs = options.cancelGraceMs ?? 5_000;
  }

  private get repo(): JobRepository {
    return this.options.repo;
  }

  /** At start-up the new owner marks what the previous owner left running as interrupted. */
  reconcile(): string[] {
    const ids = this.repo.interruptOrphans((kind) => interruptedInfo(kind, STOPPED_BY_CRASH));
    for (const id of ids) this.publish(id);
    return ids;
  }

  start(kind: JobKind, rawParams: unknown): JobSummary {
    const parsed = jobKinds[kind].params.safeParse(rawParams ?? {});
    if (!parsed.success) {
      throw new FramelabError('INVALID_INPUT', `Invalid parameters for ${kind}: ${zodMessage(parsed.error)}`);
    }
    this.options.checkParams?.(kind, parsed.data);
    const job = this.repo.create(kind, parsed.data);
    this.enqueue(job.id);
    return this.repo.get(job.id);
  }

  resume(id: string): JobSummary {
    const job = this.repo.get(id);
    if (!job.resumable) {
      throw new FramelabError('JOB_NOT_RESUMABLE', `${job.title} cannot resume; start a new one instead.`);
    }
    if (!['interrupted', 'failed', 'cancelled'].includes(job.status)) {
      throw new FramelabError('CONFLICT', `Job ${id} is ${job.status}; only an interrupted, failed or cancelled job resumes.`);
    }
    this.repo.requeue(id);
    this.log(id, 'info', `Resumed (attempt ${job.attempts + 1}); it continues from its checkpoint.`);
    this.enqueue(id);
    return this.repo.get(id);
  }

  cancel(id: string): JobSummary {
    const job = this.repo.get(id);
    const queuedAt = this.queue.indexOf(id);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      this.settle(id, 'cancelled', { error: { code: 'CANCELLED', message: 'Cancelled before it started.' } });
      return this.repo.get(id);
    }
    const run = this.liveRun(id);
    if (!run) throw new FramelabError('CONFLICT', `Job ${id} is ${job.status}; there is nothing to cancel.`);
    if (!run.cancelRequested) this.log(id, 'info', 'Cancel requested; stopping.');
    this.requestStop(run);
    return this.repo.get(id);
  }

  /**
   * A pause is a cancel of a resumable job that says so: the job stops the way it stops on
   * cancel (saving what its checkpoint covers), ends `cancelled` with the code PAUSED, and
   * `resume` continues it. No new status: the jobs table and every reader stay as they are.
   */
  pause(id: string): JobSummary {
    const job = this.repo.get(id);
    if (!job.resumable) throw new FramelabError('JOB_NOT_RESUMABLE', `${job.title} cannot resume, so it cannot pause; cancel it instead.`);
    const queuedAt = this.queue.indexOf(id);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      this.settle(id, 'cancelled', { error: pausedInfo() });
      return this.repo.get(id);
    }
    const run = this.liveRun(id);
    if (!run) throw new FramelabError('CONFLICT', `Job ${id} is ${job.status}; there is nothing to pause.`);
    if (!run.cancelRequested) {
      run.pauseRequested = true;
      this.log(id, 'info', 'Pause requested; stopping at a checkpoint to resume later.');
    }
    this.requestStop(run);
    return this.repo.get(id);
  }

  private requestStop(run: Running): void {
    if (run.cancelRequested) return;
    run.cancelRequested = true;
    run.child.send({ type: 'cancel' });
    this.repo.saveProgress(run.id, { ...this.repo.get(run.id).progress, stage: stoppingStage(run) });
    this.publish(run.id);
    // A job that ignores the request is stopped anyway.
    run.timers.push(setTimeout(() => run.child.kill(), this.cancelGraceMs));
  }

  /** Resolves once the job has finished (succeeded, failed, cancelled or interrupted). */
  waitFor(id: string): Promise<JobSummary> {
    const job = this.repo.get(id);
    if (FINISHED_STATUSES.includes(job.status) && !this.liveRun(id) && !this.queue.includes(id)) {
      return Promise.resolve(job);
    }
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  activeJobIds(): string[] {
    return [...[...this.running.values()].filter((r) => !r.settled).map((r) => r.id), ...this.queue];
  }

  /**
   * The run of a job that has not finished yet. A finished job's process may still be exiting
   * for a few milliseconds; it no longer counts as running.
   */
  private liveRun(id: string): Running | undefined {
    const run = this.running.get(id);
    return run && !run.settled ? run : undefined;
  }

  /** On quit: kill every job process and mark its job interrupted, so it can be resumed next time. */
  shutdown(): void {
    this.closed = true;
    for (const id of this.queue.splice(0)) {
      this.settle(id, 'interrupted', { error: interruptedInfo(this.repo.get(id).kind, STOPPED_BY_QUIT) });
    }
    for (const run of [...this.running.values()]) {
      this.settle(run.id, 'interrupted', { error: interruptedInfo(run.kind, STOPPED_BY_QUIT) }, run);
      run.child.kill();
    }
  }

  private enqueue(id: string): void {
    if (this.closed) throw new FramelabError('CONFLICT', 'Framelab is shutting down; no new job can start.');
    this.queue.push(id);
    this.publish(id);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.maxConcurrent && this.queue.length > 0) {
      this.launch(this.queue.shift()!);
    }
  }

  private launch(id: string): void {
    const job = this.repo.get(id);
    const child = this.options.launcher.launch();
    const run: Running = {
      id,
      kind: job.kind,
      child,
      eta: new EtaEstimator(job.progress.fraction),
      cancelRequested: false,
      pauseRequested: false,
      settled: false,
      timers: [],
    };
    this.running.set(id, run);
    this.repo.markRunning(id, child.pid ?? -1);
    this.publish(id);

    run.timers.push(
      setTimeout(() => {
        this.settle(
          id,
          'failed',
          {
            error: {
              code: 'JOB_START_TIMEOUT',
              message: `The job process did not start within ${this.readyTimeoutMs / 1000} s. Try again; if it persists, run \`framelab doctor\`.`,
            },
          },
          run,
        );
        child.kill();
      }, this.readyTimeoutMs),
    );
    child.onMessage((message) => this.onMessage(run, message));
    child.onStderr((line) => this.log(id, 'error', line));
    child.onExit(({ code, signal }) => {
      if (!run.settled) {
        if (run.cancelRequested) this.settle(id, 'cancelled', { error: stoppedInfo(run) }, run);
        else {
          const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
          this.settle(
            id,
            'interrupted',
            {
              error: interruptedInfo(run.kind, `The job process ${how} before finishing.`),
            },
            run,
          );
        }
      }
      // A resumed job may already have a new run under the same id: leave that one alone.
      if (this.running.get(id) === run) this.running.delete(id);
      for (const timer of run.timers) clearTimeout(timer);
      this.pump();
    });
  }

  private onMessage(run: Running, message: FromWorker): void {
    if (run.settled) return;
    const { id } = run;
    switch (message.type) {
      case 'ready': {
        clearTimeout(run.timers[0]);
        run.child.send({
          type: 'run',
          home: this.options.home,
          job: { id, kind: run.kind, params: this.repo.get(id).params, checkpoint: this.repo.checkpoint(id) },
        });
        if (run.cancelRequested) run.child.send({ type: 'cancel' });
        return;
      }
      case 'progress': {
        const stage = run.cancelRequested ? stoppingStage(run) : message.stage;
        this.repo.saveProgress(id, { fraction: message.fraction, stage, etaS: message.etaS ?? run.eta.update(message.fraction) });
        this.publish(id);
        return;
      }
      case 'log':
        this.log(id, message.level, message.message);
        return;
      case 'checkpoint':
        this.repo.saveCheckpoint(id, message.state);
        return;
      case 'done': {
        // A cancel asked for before the result came wins: the person said stop, so the result is
        // not applied (no model registered, no rows imported). A pause that arrives too late
        // keeps the finished work instead: resuming would only redo it.
        if (run.cancelRequested && !run.pauseRequested) {
          this.log(id, 'info', 'It finished before the cancel took effect; its result is discarded.');
          this.settle(id, 'cancelled', { error: stoppedInfo(run) }, run);
          return;
        }
        const parsed = jobKinds[run.kind].result.safeParse(message.result);
        if (parsed.success) this.succeed(run, parsed.data);
        else
          this.settle(
            id,
            'failed',
            { error: { code: 'INTERNAL', message: `The job returned a malformed result: ${zodMessage(parsed.error)}` } },
            run,
          );
        return;
      }
      case 'failed':
        this.log(id, 'error', message.error.message);
        this.settle(id, 'failed', { error: message.error }, run);
        return;
      case 'cancelled':
        this.settle(id, 'cancelled', { error: stoppedInfo(run) }, run);
        return;
    }
  }

  /** Writes the result (through the kind's apply step, if any) and marks the job succeeded, atomically. */
  private succeed(run: Running, result: unknown): void {
    const apply = this.options.applyResult;
    if (!apply) return this.settle(run.id, 'succeeded', { result }, run);
    let topics: DataTopic[] = [];
    let failure: ErrorInfo | null = null;
    try {
      this.repo.transaction(() => {
        const applied = apply(run.kind, result, run.id);
        topics = applied.topics;
        this.repo.finish(run.id, 'succeeded', { result: applied.result });
      });
    } catch (err) {
      const info = toErrorInfo(err);
      if (!(err instanceof FramelabError)) console.error(`[framelab] saving the result of job ${run.id} failed:`, err);
      const reason = /[.!?]$/.test(info.message) ? info.message : `${info.message}.`;
      const saved = /nothing was saved/i.test(reason) ? '' : ' Nothing was saved.';
      failure = { code: info.code, message: `The job finished, but its results could not be saved: ${reason}${saved}` };
      this.log(run.id, 'error', failure.message);
    }
    if (failure) this.settle(run.id, 'failed', { error: failure }, run);
    else this.settle(run.id, 'succeeded', { result }, run, topics, true);
  }

  /** A line in a job's log from its owner (e.g. how the sync before it went), published like the job's own. */
  note(id: string, level: 'info' | 'warn', message: string): void {
    this.log(id, level, message);
  }

  private log(id: string, level: 'info' | 'warn' | 'error', message: string): void {
    const line = this.repo.appendLog(id, level, message);
    if (line) this.options.events.emit({ type: 'job.log', jobId: id, line });
  }

  private settle(
    id: string,
    status: 'succeeded' | 'failed' | 'cancelled' | 'interrupted',
    outcome: { result?: unknown; error?: ErrorInfo },
    run?: Running,
    topics: DataTopic[] = [],
    /** The caller already wrote the outcome (in its own transaction). */
    written = false,
  ) {
    if (run) {
      if (run.settled) return;
      run.settled = true;
    }
    if (!written) this.repo.finish(id, status, outcome);
    const job = this.publish(id);
    this.options.events.emit({ type: 'data.changed', topics: [...new Set<DataTopic>(['jobs', 'workspace', ...topics])] });
    for (const resolve of this.waiters.get(id) ?? []) resolve(job);
    this.waiters.delete(id);
  }

  private publish(id: string): JobSummary {
    const job = this.repo.get(id);
    this.options.events.emit({ type: 'job.updated', job });
    return job;
  }
}

function pausedInfo(): ErrorInfo {
  return { code: PAUSED_CODE, message: 'Paused. Resume it to continue where it stopped.' };
}

function stoppedInfo(run: Running): ErrorInfo {
  return run.pauseRequested ? pausedInfo() : { code: 'CANCELLED', message: 'Cancelled.' };
}

function stoppingStage(run: Running): string {
  return run.pauseRequested ? 'Pausing…' : 'Cancelling…';
}

/**
 * Why a job was interrupted and what to do next: "Resume it" only where its kind can resume;
 * a kind that cannot starts again (resuming it would only be refused).
 */
export function interruptedInfo(kind: JobKind, cause: string): ErrorInfo {
  const next = jobKinds[kind]?.resumable ? 'Resume it to continue where it stopped.' : 'It cannot resume: start it again.';
  return { code: 'JOB_FAILED', message: `${cause} ${next}` };
}
