import type { SyncProblem } from '../../../shared/sync';

/** A round that could not reach the bucket, with the one message the UI and CLI show. */
export class SyncFailure extends Error {
  readonly problem: SyncProblem;
  constructor(problem: SyncProblem, message: string) {
    super(message);
    this.name = 'SyncFailure';
    this.problem = problem;
  }
}

/** The bucket's object changed since we read it (HTTP 412 on ifGenerationMatch). */
export class PreconditionFailed extends Error {
  constructor() {
    super('The object changed since it was read (precondition failed).');
    this.name = 'PreconditionFailed';
  }
}
