/**
 * A predicted frame's image for the results view: decoded again by the run's own decoder
 * (decodeFrames.ts: same seek, same pixels the models saw before their resize) from the video
 * the run read. A bucket video is read from the home's bucket cache, where the run put it.
 */
import fs from 'node:fs';
import { FramelabError } from '../../../shared/errors';
import type { InferFrameImage } from '../../../shared/inferResults';
import type { HomePaths } from '../home/paths';
import { probeVideo, ProbeError } from '../media/probe';
import { cacheFile } from '../sync/bucketFiles';
import { decodeFrameAt } from './decodeFrames';
import { encodePngRgb, shrinkRgb } from './pngEncode';
import { parseGsUrl } from './videoSource';

/** The local file behind a run's video path (a gs:// URL → its cached copy). */
export function localVideoFile(home: HomePaths, videoPath: string): string {
  const gs = parseGsUrl(videoPath);
  const file = gs ? cacheFile(home, gs.bucket, gs.prefix) : videoPath;
  if (!fs.existsSync(file)) {
    throw new FramelabError(
      'NOT_FOUND',
      gs
        ? `${videoPath} is no longer in this home's bucket cache (${file}): run the inference again on the same folder to fetch it, or fetch it on the Sync screen.`
        : `The video ${file} is no longer there: its frames cannot be shown (the predictions are still in the CSVs).`,
    );
  }
  return file;
}

export async function frameImage(home: HomePaths, videoPath: string, timestampS: number, maxWidth: number): Promise<InferFrameImage> {
  const file = localVideoFile(home, videoPath);
  let size: { width: number; height: number };
  try {
    size = await probeVideo(file);
  } catch (err) {
    if (err instanceof ProbeError) throw new FramelabError('INVALID_INPUT', `${file}: ${err.message}`);
    throw err;
  }
  const image = await decodeFrameAt(file, timestampS, size.width, size.height);
  const shown = shrinkRgb(image.width, image.height, image.data, maxWidth);
  const png = encodePngRgb(shown.width, shown.height, shown.data);
  return {
    dataUrl: `data:image/png;base64,${png.toString('base64')}`,
    width: shown.width,
    height: shown.height,
    sourceWidth: image.width,
    sourceHeight: image.height,
  };
}
