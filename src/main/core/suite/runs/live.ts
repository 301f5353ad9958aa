import fs from 'node:fs';
import path from 'node:path';

/**
 * Live training curves of a running suite job. The run folder only appears when the run is
 * complete, so the points of the epochs trained so far go to a small file keyed by the job
 * id (`<home>/runs/suite/.live/<jobId>.json`), rewritten atomically after every epoch. The
 * screen refetches it on the job's progress events. It is removed when the run succeeds
 * (the run's curves/ folder holds the same points); a failed or cancelled run keeps it, so
 * the curve of what happened stays visible.
 */
export interface LivePoint {
  epoch: number;
  trainLoss: number;
  valRmse: number;
}

export interface LiveCurvesFile {
  jobId: string;
  runId: string;
  /** Curve name (the model, or `<model>.fold<k>` in K-fold runs) → points so far. */
  curves: Record<string, LivePoint[]>;
  updatedAt: string;
}

export const liveCurvesFile = (runsDir: string, jobId: string): string => path.join(runsDir, '.live', `${jobId}.json`);

export function liveCurvesWriter(runsDir: string, jobId: string | undefined, runId: string) {
  const state: LiveCurvesFile = { jobId: jobId ?? '', runId, curves: {}, updatedAt: new Date().toISOString() };
  const file = jobId ? liveCurvesFile(runsDir, jobId) : null;
  const flush = () => {
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    state.updatedAt = new Date().toISOString();
    // Write then rename: a reader never sees half a file.
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(state));
    fs.renameSync(`${file}.tmp`, file);
  };
  return {
    point(curve: string, p: LivePoint): void {
      (state.curves[curve] ??= []).push(p);
      flush();
    },
    start: flush,
    /** The run folder is complete: its curves/ replace the live file. */
    finished(): void {
      if (file) fs.rmSync(file, { force: true });
    },
  };
}

export function readLiveCurves(runsDir: string, jobId: string): LiveCurvesFile | null {
  const file = liveCurvesFile(runsDir, jobId);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LiveCurvesFile;
}
