/**
 * How to decode a video's sampled frames with the least decoding: one pass from the start
 * (every frame up to the last sampled one), or seeking to the keyframe before each group of
 * sampled times and decoding from there (what `-ss T` does for one frame). Seeking pays a new
 * ffmpeg and decoder per group; a pass pays for every frame between the samples. With a
 * keyframe every 2 s and one sample a second, seeking decodes about half the frames of a pass,
 * but each of its ffmpegs costs ~70 portrait frames to start, so the pass wins; with five samples
 * over a minute, seeking decodes a few percent of them. The plan counts packets (≈ frames
 * decoded) from the stream's packet index, so it chooses per video.
 */
import type { PacketIndex } from './keyframes';

export interface DecodeSegment {
  /** The keyframe to seek to (stream time base, the demuxer's timestamps). */
  keyframe: bigint;
  /** Indices of the sampled times this segment serves, ascending. */
  samples: number[];
}

export interface DecodePlan {
  kind: 'pass' | 'seek';
  /** For 'seek': the segments in order; for 'pass': empty. */
  segments: DecodeSegment[];
  /** Packets each way would decode, spawn costs included (what the choice compared). */
  cost: { pass: number; seek: number };
}

/** First index i with xs[i] ≥ v (xs ascending); xs.length when none. */
function lowerBound(xs: readonly bigint[], v: bigint): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The frames one more ffmpeg costs, in frames of this size. Measured on the 2-core CI machine
 * (ffmpeg 5.1, user + system time of the whole process, as the shell's `time` gives it; ffmpeg's
 * own `-benchmark` leaves out its start): starting ffmpeg (loading its libraries), opening the
 * file and seeking take about 300 ms of CPU, whatever the video; decoding H.264 takes about
 * 2.1 ms per megapixel per frame on one core (4.3 ms for a 1080×1920 frame). So a seek pays off
 * only across a gap of more than ~70 portrait frames (over 2 s at 30 fps) between sampled times.
 */
const START_MS = 300;
const DECODE_MS_PER_MEGAPIXEL = 2.1;

export function spawnCostFrames(width: number, height: number): number {
  const megapixels = Math.max((width * height) / 1e6, 1e-3);
  return Math.max(2, Math.ceil(START_MS / (DECODE_MS_PER_MEGAPIXEL * megapixels)));
}

/**
 * Whether seeking could beat a pass at all, from the sampled times alone: only when some gap
 * (before the first sampled time, or between two) spans more frames than an ffmpeg start costs.
 * When none does, the packet index (another process) is not worth reading.
 */
export function seekingCanHelp(tenths: readonly number[], fps: number, spawnCost: number): boolean {
  if (!tenths.length || !(fps > 0)) return true; // unknown rate: let the index decide
  let widest = tenths[0]!;
  for (let i = 1; i < tenths.length; i++) widest = Math.max(widest, tenths[i]! - tenths[i - 1]!);
  return (widest / 10) * fps > spawnCost;
}

/**
 * The plan for `thresholds` (absolute stream timestamps, ascending: the first frame at or past
 * each is the sampled frame). Thresholds past the last packet are left to the caller (no frame
 * there). `force` picks a kind regardless of cost (tests, and a user who knows better).
 */
export function planDecode(thresholds: readonly bigint[], index: PacketIndex, spawnCost: number, force?: 'pass' | 'seek'): DecodePlan {
  const { pts, keyframes } = index;
  const within = thresholds.map((t, i) => ({ i, need: lowerBound(pts, t) })).filter((s) => s.need < pts.length);
  if (!within.length) return { kind: 'pass', segments: [], cost: { pass: 0, seek: 0 } };
  const last = within[within.length - 1]!.need;
  const passCost = last + 1 + spawnCost;

  // Seek segments: a sample whose keyframe lies inside the current decode range extends it; so
  // does one whose keyframe is nearer than a new start costs; otherwise a new segment starts.
  const segments: (DecodeSegment & { start: number; end: number })[] = [];
  for (const { i, need } of within) {
    const k = Math.max(0, lowerBound(keyframes, pts[need]! + 1n) - 1); // last keyframe at or before the frame
    const keyAt = lowerBound(pts, keyframes[k]!);
    const current = segments[segments.length - 1];
    if (current && keyAt - current.end <= spawnCost) {
      current.samples.push(i);
      current.end = Math.max(current.end, need);
    } else {
      segments.push({ keyframe: keyframes[k]!, samples: [i], start: keyAt, end: need });
    }
  }
  const seekCost = segments.reduce((sum, s) => sum + (s.end - s.start + 1) + spawnCost, 0);
  const kind = force ?? (seekCost < passCost ? 'seek' : 'pass');
  return {
    kind,
    segments: kind === 'seek' ? segments.map(({ keyframe, samples }) => ({ keyframe, samples })) : [],
    cost: { pass: passCost, seek: seekCost },
  };
}
