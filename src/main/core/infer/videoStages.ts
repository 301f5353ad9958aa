/**
 * One video's way into the pipeline (pipeline.ts) around its decoding: the local copy of a
 * bucket object, the probe, the sampled times, and the check of where the video really ends.
 * A failure carries the `stage` it happened in: the video gets it as its error, the run goes on.
 */
import type { InferSampling } from '../../../shared/infer';
import { probeVideo, ProbeError, type VideoProbe } from '../media/probe';
import { sampleTimestamps, type SamplingStrategy } from '../media/sampling';
import { tenthsToSeconds } from '../media/videoIds';
import type { VideoRecord } from './outputs';
import type { PipelineOptions, PipelineTimings } from './pipeline';

/** The local copy of a video in a bucket. */
export async function downloadVideo(fetch: () => Promise<string>, timings: PipelineTimings | undefined): Promise<string> {
  const t0 = Date.now();
  try {
    const file = await fetch();
    if (timings) timings.fetchMs += Date.now() - t0;
    return file;
  } catch (err) {
    throw Object.assign(new Error((err as Error).message), { stage: 'download' });
  }
}

/** ffprobe's view of the file (duration, size, time base). */
export async function probeFile(file: string, timings: PipelineTimings | undefined): Promise<VideoProbe> {
  const t1 = Date.now();
  try {
    const probe = await probeVideo(file);
    if (timings) timings.probeMs += Date.now() - t1;
    return probe;
  } catch (err) {
    if (err instanceof ProbeError) throw Object.assign(new Error(err.message), { stage: 'probe' });
    throw err;
  }
}

/** The video's sampled times (tenths of a second); a video with none is an error. */
export function sampledTimes(sampling: InferSampling, durationS: number, videoId: string): number[] {
  const tenths = sampleTimestamps(samplingFor(sampling), durationS, videoId);
  if (!tenths.length) throw Object.assign(new Error(`no frame to sample in ${durationS} s`), { stage: 'sample' });
  return tenths;
}

function samplingFor(s: InferSampling): SamplingStrategy {
  return s.kind === 'every' ? { kind: 'every', seconds: s.seconds } : { kind: 'perVideo', count: s.count, random: s.random, seed: s.seed };
}

/**
 * The decoder stops at the first sampled time past the video's last frame (decodeFrames.ts):
 * those slots are not frames of this video, as in coding. A video with no frame at all is an error.
 */
export function endAtLastFrame(record: VideoRecord, decoded: number, durationS: number, warn: PipelineOptions['onWarning']): void {
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
