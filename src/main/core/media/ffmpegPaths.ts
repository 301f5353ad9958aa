import ffmpeg from 'fluent-ffmpeg';

/**
 * A fluent-ffmpeg command with the binaries the environment asks for: FFMPEG_PATH and
 * FFPROBE_PATH win (set explicitly, so a wrong path fails loudly instead of falling back),
 * otherwise whatever `ffmpeg`/`ffprobe` the PATH holds.
 */
export function ffmpegCommand(input?: string): ffmpeg.FfmpegCommand {
  const command = input === undefined ? ffmpeg() : ffmpeg(input);
  command.setFfmpegPath(process.env.FFMPEG_PATH || 'ffmpeg');
  command.setFfprobePath(process.env.FFPROBE_PATH || 'ffprobe');
  return command;
}

export const FFMPEG_HINT =
  'Install ffmpeg (Debian/Ubuntu `apt-get install -y ffmpeg`, macOS `brew install ffmpeg`) or set FFMPEG_PATH/FFPROBE_PATH.';

/** True when the error says the binary itself could not be started (not that the input is bad). */
export function isMissingBinary(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /^spawn \S+ (ENOENT|EACCES)/.test(message) || /^Cannot find ff(mpeg|probe)/.test(message);
}

/**
 * ffmpeg's stderr ends with the line that matters ("Invalid data found when processing input");
 * fluent-ffmpeg wraps it in "ffprobe exited with code 1" and the whole log. Keep the reason.
 */
export function ffmpegReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^ff(mpeg|probe) (exited|was killed)/i.test(l) && !/^Conversion failed!?$/.test(l));
  const last = lines[lines.length - 1] ?? message.trim();
  // "path/to/file: Invalid data found…" → just the reason; the caller names the file.
  const colon = last.lastIndexOf(': ');
  return colon >= 0 && last.slice(0, colon).includes('/') ? last.slice(colon + 2) : last;
}
