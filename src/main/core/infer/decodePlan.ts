/**
 * How to decode a video's sampled frames with the least decoding: one pass from the start
 * (every frame up to the last sampled one), or seeking to the keyframe before each group of
 * sampled times and decoding from there (what `-ss T` does for one frame). Seeking pays a new
 * ffmpeg and decoder per group; a pass pays for every frame between the samples. With a
 * keyframe every 2 s and one sample a second, seeking decodes about half the frames of a pass;
 * with a sample every 0.1 s, the pass wins. The plan counts packets (≈ frames decoded) from the
 * stream's packet index, so it chooses per video.
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
 * The packets one ffmpeg start costs, in frames of this size: process, demuxer and decoder
 * start plus the seek, about 40 ms, against about 4 ms per megapixel per frame for H.264 on
 * one core (8 ms for a 1080×1920 frame on the CI machine).
 */
export function spawnCostFrames(width: number, height: number): number {
  const megapixels = Math.max((width * height) / 1e6, 1e-3);
  return Math.max(2, Math.ceil(40 / (4 * megapixels)));
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
  return { kind, segments: kind === 'seek' ? segments.map(({ keyframe, samples }) => ({ keyframe, samples })) : [], cost: { pass: passCost, seek: seekCost } };
}
