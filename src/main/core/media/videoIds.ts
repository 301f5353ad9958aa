import path from 'node:path';

/**
 * Stable ids. A video's id is the lab's external id (by default the file name without its
 * extension); a frame's id is `<video_id>_t<seconds as %05.1f>`, so the same frame has the same
 * id on every machine. Times are kept as integer tenths of a second: no float ever decides an id.
 */

export const VIDEO_EXTENSIONS = ['mp4', 'mov', 'webm', 'mkv'] as const;

export function isVideoFile(file: string): boolean {
  const ext = path.extname(file).slice(1).toLowerCase();
  return (VIDEO_EXTENSIONS as readonly string[]).includes(ext);
}

/** `clips/vid_0007.mp4` → `vid_0007`. */
export function defaultVideoId(file: string): string {
  return path.parse(file).name;
}

/**
 * Seconds → integer tenths, rounding half up. The input is first snapped to microseconds so
 * binary noise (1.15 is stored as 1.1499999…) cannot flip a half: 1.05 → 11, 12.25 → 123.
 */
export function toTenths(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`Not a timestamp: ${seconds}`);
  const micros = Math.round(seconds * 1_000_000);
  return Math.floor((micros + 50_000) / 100_000);
}

export function tenthsToSeconds(tenths: number): number {
  return tenths / 10;
}

/** Integer tenths as `%05.1f`: 10 → "001.0", 1234 → "123.4", 12345 → "1234.5". */
export function formatTenths(tenths: number): string {
  if (!Number.isInteger(tenths) || tenths < 0) throw new RangeError(`Not a count of tenths: ${tenths}`);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`.padStart(5, '0');
}

export function frameIdAt(videoId: string, tenths: number): string {
  return `${videoId}_t${formatTenths(tenths)}`;
}

/** The frame id for a time in seconds, rounded to 0.1 s half up. */
export function frameId(videoId: string, seconds: number): string {
  return frameIdAt(videoId, toTenths(seconds));
}

/** `vid_0007_t001.0` → { videoId: 'vid_0007', tenths: 10 }; null when the id is not in that form. */
export function splitFrameId(id: string): { videoId: string; tenths: number } | null {
  const match = /^(.+)_t(\d+\.\d)$/.exec(id);
  if (!match) return null;
  const tenths = toTenths(Number(match[2]));
  // Only the canonical spelling counts: `v_t01.0` or `v_t0001.0` are not ids Framelab makes.
  return frameIdAt(match[1]!, tenths) === id ? { videoId: match[1]!, tenths } : null;
}

/** A time in seconds as the lab's annotations file writes it: 1.0, 10.0, 12.5. */
export function formatSeconds(seconds: number): string {
  const tenths = toTenths(seconds);
  return Math.abs(tenths / 10 - seconds) < 1e-9 ? (tenths / 10).toFixed(1) : String(seconds);
}
