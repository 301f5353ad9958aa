/**
 * The run's pipeline: N decode workers → a bounded frame queue → one consumer that runs the
 * models in batches. Workers spend their time waiting on ffprobe/ffmpeg child processes, so
 * decoding overlaps inference; the bounded queue keeps memory flat when the model is slower.
 * A video finishes once all its frames went through the models; a worker that cannot read a
 * video records why and goes on with the next one.
 */
import { FramelabError } from '../../../shared/errors';
import type { InferSampling } from '../../../shared/infer';
import { probeVideo, ProbeError } from '../media/probe';
import { sampleTimestamps } from '../media/sampling';
import { tenthsToSeconds } from '../media/videoIds';
import { decodeThreads, decodeVideoFrames, type DecodeStats } from './decodeFrames';
import type { VideoRecord } from './outputs';
import type { VideoEntry } from './videoList';

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

function samplingFor(s: InferSampling): import('../media/sampling').SamplingStrategy {
  return s.kind === 'every' ? { kind: 'every', seconds: s.seconds } : { kind: 'perVideo', count: s.count, random: s.random, seed: s.seed };
}

/**
 * The decoder stops at the first sampled time past the video's last frame (decodeFrames.ts):
 * those slots are not frames of this video, as in coding. A video with no frame at all is an error.
 */
function endAtLastFrame(record: VideoRecord, decoded: number, durationS: number, warn: PipelineOptions['onWarning']): void {
  const sampled = record.tenths.length;
  if (decoded === sampled) return;
  const firstMissing = tenthsToSeconds(record.tenths[decoded]!).toFixed(1);
  if (decoded === 0) throw Object.assign(new Error(`ffmpeg decodes no frame at or after ${firstMissing} s`), { stage: 'decode' });
  record.tenths = record.tenths.slice(0, decoded);
  warn?.(
    record.videoId,
    `its video ends before ${firstMissing} s (the file lasts ${durationS} s): ${sampled - decoded} of ${sampled} sampled time(s) have no frame and are left out`,
  );
}

export async function runPipeline(videos: readonly VideoEntry[], models: readonly PipelineModel[], options: PipelineOptions): Promise<void> {
  const queue: FrameItem[] = [];
  const maxQueued = options.batchSize * 4;
  const space = new Signal();
  const items = new Signal();
  let next = 0;
  let workersLeft = Math.max(1, Math.min(options.workers, videos.length));
  let failure: unknown = null;
  const threads = decodeThreads(options.workers);
  const add = (key: 'queueFullMs' | 'modelIdleMs' | 'queuedMs' | 'queuedFrames', value: number) => {
    if (options.timings) options.timings[key] = (options.timings[key] ?? 0) + value;
  };

  const finishIfDone = (p: Pending) => {
    if (p.decoding || p.processed < p.queued) return;
    if (p.record.error) {
      p.record.tenths = [];
      p.record.probabilities = Object.fromEntries(models.map((m) => [m.dimension, []]));
    }
    options.onVideo(p.record);
  };

  const worker = async () => {
    while (next < videos.length && !options.stopped() && !failure) {
      const video = videos[next++]!;
      const record: VideoRecord = {
        videoId: video.videoId,
        path: video.path,
        tenths: [],
        probabilities: Object.fromEntries(models.map((m) => [m.dimension, []])),
        error: null,
      };
      const pending: Pending = { record, queued: 0, processed: 0, decoding: true };
      try {
        let file = video.path;
        if (video.fetch) {
          const t0 = Date.now();
          try {
            file = await video.fetch();
            if (options.timings) options.timings.fetchMs += Date.now() - t0;
          } catch (err) {
            throw Object.assign(new Error((err as Error).message), { stage: 'download' });
          }
        }
        let probe;
        const t1 = Date.now();
        try {
          probe = await probeVideo(file);
          if (options.timings) options.timings.probeMs += Date.now() - t1;
        } catch (err) {
          if (err instanceof ProbeError) throw Object.assign(new Error(err.message), { stage: 'probe' });
          throw err;
        }
        record.tenths = sampleTimestamps(samplingFor(options.sampling), probe.durationS, video.videoId);
        if (!record.tenths.length) throw Object.assign(new Error(`no frame to sample in ${probe.durationS} s`), { stage: 'sample' });
        // One pass or a seek per keyframe group, whichever decodes less (decodeFrames.ts); pulling
        // the next frame only once the queue has room keeps ffmpeg paused while the model catches up.
        const frames = decodeVideoFrames(file, record.tenths, probe, { threads, stats: options.timings, onWarning: (m) => options.onWarning?.(video.videoId, m) });
        let decoded = 0;
        try {
          for (;;) {
            if (queue.length >= maxQueued) {
              const waitFrom = Date.now();
              while (queue.length >= maxQueued && !options.stopped() && !failure) await space.wait();
              add('queueFullMs', Date.now() - waitFrom);
            }
            if (options.stopped() || failure) return;
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
            const { index, image } = step.value;
            decoded = index + 1;
            const t3 = Date.now();
            const inputs = models.map((m) => m.prepare(image));
            if (options.timings) options.timings.prepareMs += Date.now() - t3;
            queue.push({ pending, index, inputs, queuedAt: Date.now() });
            pending.queued++;
            items.notify();
          }
        } finally {
          await frames.return(undefined);
        }
        endAtLastFrame(record, decoded, probe.durationS, options.onWarning);
      } catch (err) {
        const stage = (err as { stage?: string }).stage;
        if (!stage) {
          failure = err;
          items.notify();
          return;
        }
        record.error = { stage, reason: (err as Error).message };
      }
      video.release?.();
      pending.decoding = false;
      finishIfDone(pending);
    }
  };

  const consumer = async () => {
    for (;;) {
      if (failure) return;
      if (options.stopped()) return;
      if (queue.length < options.batchSize && workersLeft > 0) {
        const idleFrom = Date.now();
        await items.wait();
        add('modelIdleMs', Date.now() - idleFrom);
        continue;
      }
      if (!queue.length) return;
      const batch = queue.splice(0, options.batchSize);
      space.notify();
      const started = Date.now();
      for (const item of batch) add('queuedMs', started - item.queuedAt);
      add('queuedFrames', batch.length);
      for (let k = 0; k < models.length; k++) {
        const model = models[k]!;
        const itemSize = batch[0]!.inputs[k]!.length;
        const input = new Float32Array(batch.length * itemSize);
        batch.forEach((item, j) => input.set(item.inputs[k]!, j * itemSize));
        const probs = await model.classify(input, batch.length);
        batch.forEach((item, j) => (item.pending.record.probabilities[model.dimension]![item.index] = probs[j]!));
      }
      options.onBatch?.(batch.length, Date.now() - started);
      for (const item of batch) {
        item.pending.processed++;
        finishIfDone(item.pending);
      }
    }
  };

  const workers = Array.from({ length: workersLeft }, async () => {
    try {
      await worker();
    } finally {
      workersLeft--;
      items.notify();
    }
  });
  try {
    await consumer();
  } catch (err) {
    failure ??= err;
  }
  space.notify();
  await Promise.all(workers);
  if (failure) throw failure;
}
