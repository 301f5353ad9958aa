import { FramelabError } from '../../../shared/errors';
import { regularFileProblem } from '../workspace/inputPaths';
import { FFMPEG_HINT, ffmpegCommand, ffmpegReason, isMissingBinary } from './ffmpegPaths';

/** What ffprobe says about a video file. */
export interface VideoProbe {
  durationS: number;
  width: number;
  height: number;
  fps: number;
  codec: string;
  /** The video stream's time base ("1/12800"): its frame timestamps count these. */
  timeBase: string | null;
  /** The container's start time in seconds (what ffmpeg's -ss counts from), 0 when it gives none. */
  startTimeS: number;
  /** Display rotation in degrees (side data or the old `rotate` tag): ffmpeg auto-rotates by it. */
  rotation: number;
}

/** The display matrix's rotation (side data) or the older `rotate` tag, in degrees; 0 when none. */
function rotationOf(stream: import('fluent-ffmpeg').FfprobeStream): number {
  // fluent-ffmpeg flattens the stream's [SIDE_DATA] section into the stream (`rotation`); ffprobe's JSON nests it.
  const raw = stream as { rotation?: number | string; side_data_list?: { rotation?: number | string }[] };
  const fromMatrix = [raw.rotation, ...(raw.side_data_list ?? []).map((d) => d.rotation)]
    .map(Number)
    .find((r) => Number.isFinite(r) && r !== 0);
  const tag = Number((stream.tags as Record<string, unknown> | undefined)?.rotate);
  return fromMatrix ?? (Number.isFinite(tag) ? tag : 0);
}

/** "30000/1001" → 29.97; "0/0" or garbage → 0. */
export function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den] = rate.split('/').map(Number);
  if (!Number.isFinite(num) || !num) return 0;
  const value = den === undefined ? num! : den ? num! / den : 0;
  return Math.round(value * 1000) / 1000;
}

/** A reason a file cannot be imported; the caller prefixes the file name. */
export class ProbeError extends Error {}

function ffprobe(file: string): Promise<import('fluent-ffmpeg').FfprobeData> {
  return new Promise((resolve, reject) => {
    ffmpegCommand(file).ffprobe((err: unknown, data) => (err ? reject(err) : resolve(data)));
  });
}

/**
 * Probes a file through fluent-ffmpeg. A file ffprobe cannot read, or one without a video
 * stream, throws ProbeError with the reason; a missing ffprobe throws CAPABILITY_MISSING.
 */
export async function probeVideo(file: string): Promise<VideoProbe> {
  // ffprobe on a FIFO or a device waits forever: only a regular file gets that far.
  const problem = regularFileProblem(file);
  if (problem) throw new ProbeError(`it ${problem.reason}`);
  let data: import('fluent-ffmpeg').FfprobeData;
  try {
    data = await ffprobe(file);
  } catch (err) {
    if (isMissingBinary(err)) {
      throw new FramelabError('CAPABILITY_MISSING', `ffprobe could not be started (${(err as Error).message}). ${FFMPEG_HINT}`);
    }
    throw new ProbeError(`ffprobe could not read it: ${ffmpegReason(err)}`);
  }
  const video = data.streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!video) throw new ProbeError('it has no video stream');
  const durationS = Number(data.format.duration ?? video.duration);
  if (!Number.isFinite(durationS) || durationS <= 0) throw new ProbeError('ffprobe reports no duration');
  const width = Number(video.width);
  const height = Number(video.height);
  if (!(width > 0 && height > 0)) throw new ProbeError('ffprobe reports no frame size');
  return {
    durationS: Math.round(durationS * 1000) / 1000,
    width,
    height,
    fps: parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate),
    codec: String(video.codec_name ?? 'unknown'),
    timeBase: typeof video.time_base === 'string' && /^\d+\/\d+$/.test(video.time_base) ? video.time_base : null,
    startTimeS: Number.isFinite(Number(data.format.start_time)) ? Number(data.format.start_time) : 0,
    rotation: rotationOf(video),
  };
}
