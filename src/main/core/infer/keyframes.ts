/**
 * The video stream's packets as the demuxer gives them (presentation timestamps in the
 * stream's time base, and which are keyframes), read by ffprobe without decoding: a demux
 * pass costs a few percent of a decode. The decode planner (decodePlan.ts) counts frames
 * with it to choose between one pass over the whole video and seeking to the keyframe before
 * each group of sampled times.
 */
import { execFile } from 'node:child_process';
import { trackChild } from '../jobs/childProcesses';

export interface PacketIndex {
  /** Every video packet's pts, ascending (presentation order). */
  pts: bigint[];
  /** The keyframes' pts, ascending. */
  keyframes: bigint[];
}

/** ffprobe's `pts,flags` lines → the index; null when a packet has no pts (nothing to plan with) or there is no keyframe. */
export function parsePacketLines(text: string): PacketIndex | null {
  const pts: bigint[] = [];
  const keyframes: bigint[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const [value, flags] = trimmed.split(',');
    if (!value || !/^-?\d+$/.test(value)) return null;
    const p = BigInt(value);
    pts.push(p);
    if (flags?.startsWith('K')) keyframes.push(p);
  }
  if (!pts.length || !keyframes.length) return null;
  const byValue = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  return { pts: pts.sort(byValue), keyframes: keyframes.sort(byValue) };
}

/** The packet index of `file`'s first video stream, or null when ffprobe cannot give one (the caller decodes in one pass). */
export function probePackets(file: string): Promise<PacketIndex | null> {
  return new Promise((resolve) => {
    const child = trackChild(
      execFile(
        process.env.FFPROBE_PATH || 'ffprobe',
        ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,flags', '-of', 'csv=p=0', file],
        { maxBuffer: 64 * 1024 * 1024 },
        (err, stdout) => resolve(err ? null : parsePacketLines(stdout)),
      ),
    );
    child.on('error', () => resolve(null));
  });
}
