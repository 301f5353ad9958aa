/**
 * What an `infer.run` job (job.ts) keeps as it goes: its counts and progress line, the finished
 * videos written as a part at each checkpoint (then the job's checkpoint and an upload), and what
 * an upload sends.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { InferCheckpoint } from '../../../shared/infer';
import type { JobContext } from '../jobs/context';
import { renderCsvs, type ModelColumns, type VideoRecord } from './outputs';
import { MANIFEST_FILE, modelsSidecar, PARTS_DIR, partFiles, readParts, writePart, type InferManifest } from './outputState';
import type { CheckpointUploader, UploadItem } from './upload';

/** The run's counts (a resumed run starts from the saved videos) and the progress line they make. */
export class InferProgress {
  done: number;
  errors: number;
  frames = 0;
  modelMs = 0;
  readonly total: number;
  private readonly started = Date.now();

  constructor(
    private readonly ctx: JobContext<InferCheckpoint>,
    private readonly resumedFrom: number,
    savedErrors: number,
    todo: number,
  ) {
    this.done = resumedFrom;
    this.errors = savedErrors;
    this.total = resumedFrom + todo;
  }

  /** A video through the models (or failed: its error is logged). */
  videoDone(record: VideoRecord): void {
    this.done++;
    if (record.error) {
      this.errors++;
      this.ctx.log('warn', `${record.videoId} (${record.path}): ${record.error.stage}: ${record.error.reason}`);
    }
  }

  batchDone(frames: number, ms: number): void {
    this.frames += frames;
    this.modelMs += ms;
  }

  report(): void {
    const { done, total, frames, errors } = this;
    const seconds = (Date.now() - this.started) / 1000;
    const rate = frames / Math.max(seconds, 1e-3);
    const videoRate = (done - this.resumedFrom) / Math.max(seconds, 1e-3);
    const eta = videoRate > 0 ? (total - done) / videoRate : undefined;
    this.ctx.progress(
      total ? 0.02 + (0.96 * done) / total : 0.98,
      `${done} of ${total} videos · ${rate.toFixed(1)} frames/s · ${errors} error(s)`,
      eta,
    );
  }
}

/** Finished videos, saved as a part every `every` videos (and on `flush`); each part is a checkpoint. */
export class Checkpoints {
  private pending: VideoRecord[] = [];

  constructor(
    private readonly ctx: JobContext<InferCheckpoint>,
    private readonly outDir: string,
    private readonly progress: InferProgress,
    private readonly uploader: CheckpointUploader | null,
    private readonly uploadItems: () => UploadItem[],
  ) {}

  add(record: VideoRecord, every: number): void {
    this.pending.push(record);
    if (this.pending.length >= every) this.flush();
  }

  flush(): void {
    if (!this.pending.length) return;
    writePart(this.outDir, this.pending);
    this.pending = [];
    const { done, total } = this.progress;
    this.ctx.saveCheckpoint({ videosDone: done });
    this.uploader?.schedule(this.uploadItems, `checkpoint at ${done} of ${total} videos`);
  }
}

/**
 * What an upload sends, read when it runs: the manifest and the parts not sent yet (the state a
 * new machine resumes from; only when the state may go to the bucket), then the CSVs of every
 * saved video and their sidecar.
 */
export function uploadItems(
  outDir: string,
  stateInBucket: boolean,
  columns: readonly ModelColumns[],
  manifest: InferManifest,
): () => UploadItem[] {
  return () => {
    const state: UploadItem[] = stateInBucket
      ? [
          { name: MANIFEST_FILE, text: () => fs.readFileSync(path.join(outDir, MANIFEST_FILE), 'utf8') },
          ...partFiles(outDir).map((file) => ({
            name: `${PARTS_DIR}/${path.basename(file)}`,
            text: () => fs.readFileSync(file, 'utf8'),
            once: true,
          })),
        ]
      : [];
    const results = { ...renderCsvs(columns, readParts(outDir)), ...modelsSidecar(manifest) };
    return [...state, ...Object.entries(results).map(([name, text]) => ({ name, text: () => text }))];
  };
}
