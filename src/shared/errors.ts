import { fsErrorInfo } from './fsErrors';

/**
 * Stable error codes. Every failure that crosses a process boundary (IPC, HTTP, CLI, job
 * process) travels as an envelope carrying one of these codes, never as a thrown string.
 * Codes are part of the public contract: add new ones, never rename.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'HOME_LOCKED',
  'DB_TOO_NEW',
  'DB_MIGRATION_FAILED',
  'JOB_NOT_RESUMABLE',
  'JOB_START_TIMEOUT',
  'JOB_FAILED',
  'CANCELLED',
  'PAUSED',
  'CAPABILITY_MISSING',
  'SERVER_UNREACHABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An error meant for the user: its message says what went wrong and what to do. */
export class FramelabError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'FramelabError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromInfo(info: ErrorInfo): FramelabError {
    return new FramelabError(info.code, info.message, info.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Normalises anything thrown into an ErrorInfo: a file-system error names its path (NOT_FOUND,
 * INVALID_INPUT, CONFLICT); other unknown errors become INTERNAL.
 */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof FramelabError) return err.toInfo();
  const fsInfo = fsErrorInfo(err);
  if (fsInfo) return fsInfo;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}
