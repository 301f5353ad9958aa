import type { ErrorInfo } from '../../../shared/errors';
import type { JobKind } from '../../../shared/jobs';
import type { LogLevel } from './context';

/** Messages between the supervisor (owner process) and a job process. */
export type ToWorker =
  { type: 'run'; home: string; job: { id: string; kind: JobKind; params: unknown; checkpoint: unknown } } | { type: 'cancel' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; fraction: number; stage: string; etaS: number | null }
  | { type: 'log'; level: LogLevel; message: string }
  | { type: 'checkpoint'; state: unknown }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'cancelled' };
