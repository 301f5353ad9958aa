import type { JobContext } from '../jobs/context';

/**
 * The part of a job's context a long computation needs: a JobContext satisfies it as is, and a
 * caller that runs one step of a larger job passes a wrapper that rescales `fraction`.
 */
export type AnalysisReporter = Pick<JobContext, 'progress' | 'throwIfCancelled'>;

/** How long synchronous work may hold the event loop before it yields. */
const SLICE_MS = 50;

/**
 * A checkpoint for long synchronous work (XGBoost rounds, prediction chunks, tree walks).
 * A job process learns of a cancel request through a message, which arrives only when the
 * event loop turns: so every `SLICE_MS` the work yields (setImmediate), then asks the reporter
 * whether it was cancelled, and reports progress. Between yields it costs one clock read.
 */
export function cooperation(reporter: AnalysisReporter | undefined): (fraction: number, stage: string) => Promise<void> {
  let last = performance.now();
  return async (fraction, stage) => {
    if (performance.now() - last < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
    reporter?.throwIfCancelled();
    reporter?.progress(Math.min(1, Math.max(0, fraction)), stage);
  };
}
