/**
 * Frame ids as the lab writes them: `<video_id>_t<seconds as %05.1f>` (vid_0007_t001.0).
 * Times are compared as integer tenths of a second so no float decides whether two agree.
 * (The same rule as src/main/core/media/videoIds.ts; kept here so parsing a CSV needs no media code.)
 */

/** Seconds → integer tenths, half up, after snapping to microseconds (1.05 → 11). */
export function toTenths(seconds: number): number {
  const micros = Math.round(seconds * 1_000_000);
  return Math.floor((micros + 50_000) / 100_000);
}

/** Integer tenths as `%05.1f`: 10 → "001.0", 12345 → "1234.5". */
export function formatTenths(tenths: number): string {
  return `${Math.floor(tenths / 10)}.${tenths % 10}`.padStart(5, '0');
}

export function frameIdOf(videoId: string, tenths: number): string {
  return `${videoId}_t${formatTenths(tenths)}`;
}

/** `vid_0007_t001.0` → { videoId: 'vid_0007', tenths: 10 }; null when the id is not in that form. */
export function splitFrameId(frameId: string): { videoId: string; tenths: number } | null {
  const match = /^(.+)_t(\d+\.\d)$/.exec(frameId);
  if (!match) return null;
  const tenths = toTenths(Number(match[2]));
  // Only the canonical spelling counts: `v_t01.0` or `v_t0001.0` are not ids Framelab makes.
  return frameIdOf(match[1]!, tenths) === frameId ? { videoId: match[1]!, tenths } : null;
}

/** A time in seconds as the lab's file writes it: 1.0, 10.0, 12.5. */
export function formatSeconds(seconds: number): string {
  const tenths = toTenths(seconds);
  return Math.abs(tenths / 10 - seconds) < 1e-9 ? (tenths / 10).toFixed(1) : String(seconds);
}
