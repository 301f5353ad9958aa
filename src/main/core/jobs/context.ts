import type { LOG_LEVELS } from '../../../shared/jobs';
import { FramelabError } from '../../../shared/errors';

export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a job kind's implementation sees while it runs inside a job process. */
export interface JobContext<Checkpoint = unknown> {
  readonly jobId: string;
  /** Where the previous attempt stopped, when resuming; null on a first run. */
  readonly checkpoint: Checkpoint | null;
  progress(fraction: number, stage: string, etaS?: number): void;
  log(level: LogLevel, message: string): void;
  /** Records how far the job got, so an interrupted job resumes from here. */
  saveCheckpoint(state: Checkpoint): void;
  readonly cancelled: boolean;
  /** Throws CANCELLED once cancel was requested; call it between units of work. */
  throwIfCancelled(): void;
}

export const cancelledError = (): FramelabError => new FramelabError('CANCELLED', 'The job was cancelled.');
