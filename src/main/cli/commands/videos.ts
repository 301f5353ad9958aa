import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { MediaImportResult, VideoSummary } from '../../../shared/media';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { runJobForResult } from '../jobResult';
import { withClient } from '../session';

const USAGE = `framelab videos import PATH... [--json]
       framelab videos list [--json]`;

/** What `videos import --json` prints: the public part of the job's result. */
export function importOutput(result: MediaImportResult) {
  return {
    imported: result.imported.map(({ videoId, path: file, durationS, width, height, fps }) => ({
      videoId,
      path: file,
      durationS,
      width,
      height,
      fps,
    })),
    errors: result.errors.map(({ path: file, message }) => ({ path: file, message })),
  };
}

function describeImport(result: MediaImportResult): string {
  const lines = result.imported.map((v) => {
    const what = v.existing ? 'already imported as' : 'imported as';
    return `${v.path}: ${what} ${v.videoId} (${v.durationS} s, ${v.width}x${v.height}, ${v.fps} fps, ${v.codec})`;
  });
  lines.push(...result.errors.map((e) => `error: ${e.message}`));
  lines.push(`${result.imported.length} imported, ${result.errors.length} with errors.`);
  return lines.join('\n');
}

function videoLine(v: VideoSummary): string {
  const size = v.width && v.height ? `${v.width}x${v.height}` : '?';
  return `${v.videoId}  ${v.durationS ?? '?'} s  ${size}  ${v.fps ?? '?'} fps  ${v.codec ?? '?'}  ${v.frameCount} frames  ${v.path ?? '(no file)'}`;
}

export const videosCommand: Command = {
  name: 'videos',
  usage: USAGE,
  summary: 'Import video files or folders (runs as a job) and list the imported videos',
  async run(args, globals) {
    const { positionals } = parseCommandArgs(args, {}, USAGE);
    const [action, ...rest] = positionals;
    if (action === 'import') {
      if (!rest.length) throw new FramelabError('INVALID_INPUT', `videos import needs at least one file or folder.\nUsage: ${USAGE}`);
      // Absolute here: a running server resolves paths against its own working directory.
      const paths = rest.map((p) => path.resolve(p));
      return withClient(globals, async (client, mode) => {
        const { result } = await runJobForResult(client, mode, globals, 'media.import', { paths });
        const allFailed = result.imported.length === 0 && result.errors.length > 0;
        return { value: importOutput(result), text: describeImport(result), exitCode: allFailed ? 1 : 0 };
      });
    }
    if (action === 'list') {
      if (rest.length) throw new FramelabError('INVALID_INPUT', `videos list takes no arguments.\nUsage: ${USAGE}`);
      return withClient(globals, async (client) => {
        const { videos } = await client.call('videos.list');
        return {
          value: { videos },
          text: videos.length ? videos.map(videoLine).join('\n') : 'No videos yet; import some with `framelab videos import PATH`.',
        };
      });
    }
    throw new FramelabError('INVALID_INPUT', `Unknown videos action "${action ?? ''}".\nUsage: ${USAGE}`);
  },
};
