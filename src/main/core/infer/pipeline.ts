/**
 * The run's pipeline: N decode workers → a bounded frame queue → one consumer that runs the
 * models in batches. Workers spend their time waiting on ffprobe/ffmpeg child processes, so
 * decoding overlaps inference; the bounded queue keeps memory flat when the model is slower.
 * A video finishes once all its frames went through the models; a worker that cannot read a
 * video records why and goes on with the next one.
 */
import { FramelabError } from '../../../shared/errors';
import type { InferSampling } from '../../../shared/infer';
import type { VideoProbe } from '../media/probe';
import { decodeThreads, decodeVideoFrames, type DecodeStats } from './decodeFrames';
import type { VideoRecord } from './outputs';
import type { VideoEntry } from './videoList';
import { downloadVideo, endAtLastFrame, probeFile, sampledTimes } from './videoStages';
import type { RgbImage } from '../vision/preprocessResample';

/** One model's view of the frames: inputs are prepared by the workers, run by the consumer. */
export interface PipelineModel {
  dimension: string;
  /** RGB frame → this model's input tensor (one item). */
  prepare(image: import('../vision/preprocessResample').RgbImage): Float32Array;
  /** n items laid out one after another → n probability vectors. */
  classify(input: Float32Array, n: number): Promise<number[][]>;
}

export interface PipelineOptions {
  workers: number;
  batchSize: number;
  sampling: InferSampling;
  /** Asked between batches; true stops the workers and the consumer (finished videos stay). */
  stopped(): boolean;
  onVideo(record: VideoRecord): void;
  /** Something about a video the lead should know that does not make it an error. */
  onWarning?(videoId: string, message: string): void;
  onBatch?(frames: number, modelMs: number): void;
  /** Where the time goes, summed over workers (they overlap each other and the model). */
  timings?: PipelineTimings;
}

/**
 * Where a run's time goes (summed over workers, which overlap each other and the model): what
 * each stage spent working and what it spent waiting, so the closing line can say what bounds
 * the run (runAccounting.ts).
 */
export interface PipelineTimings extends DecodeStats {
  fetchMs: number;
  /** ffprobe (duration, size, time base). */
  probeMs: number;
  /** Workers waiting on ffmpeg for their next frame (decoding, plus ffmpeg sharing the cores). */
  decodeMs: number;
  /** Resize + normalise, synchronous on the main thread: CPU time. */
  prepareMs: number;
  /** Workers waiting for room in a full queue: the model is behind. */
  queueFullMs?: number;
  /** The model stage waiting for frames: the decoders are behind. */
  modelIdleMs?: number;
  /** Frames' time in the queue, from queued to their batch's start, summed; and how many. */
  queuedMs?: number;
  queuedFrames?: number;
}

interface Pending {
  record: VideoRecord;
  queued: number;
  processed: number;
  decoding: boolean;
}

interface FrameItem {
  pending: Pending;
  index: number;
  inputs: Float32Array[];
  queuedAt: number;
}

/** Promise-based wake-ups between the workers and the consumer. */
class Signal {
  private waiters: (() => void)[] = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export async function runPipeline(
  videos: readonly VideoEntry[],
  models: readonly PipelineModel[],
  options: PipelineOptions,
): Promise<void> {
  await new FramePipeline(videos, models, options).run();
}

/** One run: the workers and the consumer share the queue, the wake-ups, and the first failure that is not one video's. */
class FramePipeline {
  private readonly queue: FrameItem[] = [];
  private readonly maxQueued: number;
  /** Room in the queue (the workers wait for it). */
  private readonly space = new Signal();
  /** Frames in the queue, or a worker done (the consumer waits for it). */
  private readonly items = new Signal();
  /** The next video a worker takes. */
  private next = 0;
  private workersLeft: number;
  /** An error without a `stage` (not one video's): it stops every worker and the consumer, and the run throws it. */
  private failure: unknown = null;
  private readonly threads: number;

  constructor(
    private readonly videos: readonly VideoEntry[],
    private readonly models: readonly PipelineModel[],
    private readonly options: PipelineOptions,
  ) {
    this.maxQueued = options.batchSize * 4;
    this.workersLeft = Math.max(1, Math.min(options.workers, videos.length));
    this.threads = decodeThreads(options.workers);
  }

  async run(): Promise<void> {
    const workers = Array.from({ length: this.workersLeft }, async () => {
      try {
        await this.worker();
      } finally {
        this.workersLeft--;
        this.items.notify();
      }
    });
    try {
      await this.consumer();
    } catch (err) {
      this.failure ??= err;
    }
    this.space.notify();
    await Promise.all(workers);
    if (this.failure) throw this.failure;
  }

  private add(key: 'queueFullMs' | 'modelIdleMs' | 'queuedMs' | 'queuedFrames', value: number): void {
    if (this.options.timings) this.options.timings[key] = (this.options.timings[key] ?? 0) + value;
  }

  /** Takes the next video until none is left or the run stopped or failed. */
  private async worker(): Promise<void> {
    while (this.next < this.videos.length && !this.options.stopped() && !this.failure) {
      const video = this.videos[this.next++]!;
      if (!(await this.decodeVideo(video))) return;
    }
  }

  /**
   * One video's frames into the queue; a video that cannot be read gets its error (by stage) and
   * the worker goes on. False when the run stopped or failed meanwhile (the video stays unfinished).
   */
  private async decodeVideo(video: VideoEntry): Promise<boolean> {
    const record: VideoRecord = {
      videoId: video.videoId,
      path: video.path,
      tenths: [],
      probabilities: this.emptyProbabilities(),
      error: null,
    };
    const pending: Pending = { record, queued: 0, processed: 0, decoding: true };
    try {
      const file = video.fetch ? await downloadVideo(video.fetch, this.options.timings) : video.path;
      const probe = await probeFile(file, this.options.timings);
      record.tenths = sampledTimes(this.options.sampling, probe.durationS, video.videoId);
      const decoded = await this.queueFrames(video, file, probe, pending);
      if (decoded === null) return false;
      endAtLastFrame(record, decoded, probe.durationS, this.options.onWarning);
    } catch (err) {
      const stage = (err as { stage?: string }).stage;
      if (!stage) {
        this.failure = err;
        this.items.notify();
        return false;
      }
      record.error = { stage, reason: (err as Error).message };
    }
    video.release?.();
    pending.decoding = false;
    this.finishIfDone(pending);
    return true;
  }

  /** Decodes the record's sampled times into the queue; how many frames decoded, or null when the run stopped or failed meanwhile. */
  private async queueFrames(video: VideoEntry, file: string, probe: VideoProbe, pending: Pending): Promise<number | null> {
    const { options } = this;
    // One pass or a seek per keyframe group, whichever decodes less (decodeFrames.ts); pulling
    // the next frame only once the queue has room keeps ffmpeg paused while the model catches up.
    const frames = decodeVideoFrames(file, pending.record.tenths, probe, {
      threads: this.threads,
      stats: options.timings,
      onWarning: (m) => options.onWarning?.(video.videoId, m),
    });
    let decoded = 0;
    try {
      for (;;) {
        if (this.queue.length >= this.maxQueued) {
          const waitFrom = Date.now();
          while (this.queue.length >= this.maxQueued && !options.stopped() && !this.failure) await this.space.wait();
          this.add('queueFullMs', Date.now() - waitFrom);
        }
        if (options.stopped() || this.failure) return null;
        const t2 = Date.now();
        let step;
        try {
          step = await frames.next();
        } catch (err) {
          if (err instanceof FramelabError) throw err;
          throw Object.assign(new Error((err as Error).message), { stage: 'decode' });
        }
        if (options.timings) options.timings.decodeMs += Date.now() - t2;
        if (step.done) break;
        decoded = step.value.index + 1;
        this.enqueue(pending, step.value.index, step.value.image);
      }
    } finally {
      await frames.return(undefined);
    }
    return decoded;
  }

  /** The frame prepared for every model, into the queue. */
  private enqueue(pending: Pending, index: number, image: RgbImage): void {
    const t3 = Date.now();
    const inputs = this.models.map((m) => m.prepare(image));
    if (this.options.timings) this.options.timings.prepareMs += Date.now() - t3;
    this.queue.push({ pending, index, inputs, queuedAt: Date.now() });
    pending.queued++;
    this.items.notify();
  }

  /** Runs the models on batches until the workers are done and the queue is empty, or the run stopped or failed. */
  private async consumer(): Promise<void> {
    const { options, models } = this;
    for (;;) {
      if (this.failure) return;
      if (options.stopped()) return;
      if (this.queue.length < options.batchSize && this.workersLeft > 0) {
        const idleFrom = Date.now();
        await this.items.wait();
        this.add('modelIdleMs', Date.now() - idleFrom);
        continue;
      }
      if (!this.queue.length) return;
      const batch = this.takeBatch();
      const started = Date.now();
      for (const item of batch) this.add('queuedMs', started - item.queuedAt);
      this.add('queuedFrames', batch.length);
      for (let k = 0; k < models.length; k++) {
        const model = models[k]!;
        const probs = await model.classify(batchInput(batch, k), batch.length);
        batch.forEach((item, j) => (item.pending.record.probabilities[model.dimension]![item.index] = probs[j]!));
      }
      options.onBatch?.(batch.length, Date.now() - started);
      this.finishBatch(batch);
    }
  }

  private takeBatch(): FrameItem[] {
    const batch = this.queue.splice(0, this.options.batchSize);
    this.space.notify();
    return batch;
  }

  private finishBatch(batch: readonly FrameItem[]): void {
    for (const item of batch) {
      item.pending.processed++;
      this.finishIfDone(item.pending);
    }
  }

  /** A video is done once decoded and all its frames went through the models; one with an error has no frames. */
  private finishIfDone(p: Pending): void {
    if (p.decoding || p.processed < p.queued) return;
    if (p.record.error) {
      p.record.tenths = [];
      p.record.probabilities = this.emptyProbabilities();
    }
    this.options.onVideo(p.record);
  }

  private emptyProbabilities(): VideoRecord['probabilities'] {
    return Object.fromEntries(this.models.map((m) => [m.dimension, []]));
  }
}

/** Model k's inputs of the batch, laid out one after another. */
function batchInput(batch: readonly FrameItem[], k: number): Float32Array {
  const itemSize = batch[0]!.inputs[k]!.length;
  const input = new Float32Array(batch.length * itemSize);
  batch.forEach((item, j) => input.set(item.inputs[k]!, j * itemSize));
  return input;
}
