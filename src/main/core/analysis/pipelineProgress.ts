import { FramelabError } from '../../../shared/errors';

/**
 * What every stage of an analysis run shares: the reporter (a JobContext satisfies it), the
 * cancel point between models, the error that names its model, and progress over weighted
 * units of work.
 */

export interface PipelineReporter {
  progress(fraction: number, stage: string, etaS?: number): void;
  throwIfCancelled(): void;
}

/** Yields to the event loop (where a cancel request arrives), then honours it. */
export async function checkpoint(reporter: PipelineReporter): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  reporter.throwIfCancelled();
}

/** The core's error with the model named in front; other errors pass unchanged. */
export function inModel(label: string, err: unknown): unknown {
  if (err instanceof FramelabError && err.code === 'INVALID_INPUT') {
    const details = err.details && typeof err.details === 'object' ? err.details : {};
    return new FramelabError('INVALID_INPUT', `${label}: ${err.message}`, { ...details, model: label });
  }
  return err;
}

/** Progress over weighted units of work, with the stage label and an ETA once there is a pace. */
export class Progress {
  private done = 0;
  private readonly started = Date.now();
  constructor(
    private readonly reporter: PipelineReporter,
    private readonly total: number,
    private readonly from = 0.02,
    private readonly to = 0.95,
  ) {}
  /** The job's fraction after `units` of the planned work. */
  at(units = this.done): number {
    return this.from + ((this.to - this.from) * Math.min(units, this.total)) / Math.max(this.total, 1);
  }
  /** Seconds left at the pace so far; undefined until a twentieth of the work is done. */
  private eta(units: number): number | undefined {
    const share = units / Math.max(this.total, 1);
    if (share < 0.05) return undefined;
    return Math.round(((Date.now() - this.started) / 1000) * ((1 - Math.min(share, 1)) / share));
  }
  stage(label: string): void {
    this.reporter.progress(this.at(), label, this.eta(this.done));
  }
  advance(units: number): void {
    this.done += units;
  }
  /** A reporter for a long step worth `units`: its own 0–1 maps onto this step's share. */
  sub(units: number): PipelineReporter {
    const start = this.done;
    return {
      progress: (fraction, stage) => {
        const at = start + units * Math.min(1, Math.max(0, fraction));
        this.reporter.progress(this.at(at), stage, this.eta(at));
      },
      throwIfCancelled: () => this.reporter.throwIfCancelled(),
    };
  }
}

/** Units of work per kind, so the bar moves evenly: an OLS fit is 1. */
export const WEIGHTS = { ols: 1, count: 3, olsCv: 1, lasso: 4, gbmPerFit: 2, pdp: 1 } as const;
