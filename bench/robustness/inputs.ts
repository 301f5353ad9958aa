/**
 * Inputs for the job kills, made by code (nothing downloaded): short distinct clips from
 * ffmpeg's test sources, and an annotations.csv in the lab's format with frame images beside it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { mulberry32 } from '../../src/main/core/random';

const run = promisify(execFile);
const ffmpeg = () => process.env.FFMPEG_PATH || 'ffmpeg';

/** `count` clips of `seconds` s, each different (size, source, rate) so none is a duplicate of another. */
export async function makeClips(dir: string, count: number, seconds: number): Promise<string[]> {
  const sources = ['testsrc', 'testsrc2', 'smptebars', 'rgbtestsrc'];
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `clip_${String(i + 1).padStart(3, '0')}.mp4`);
    const size = `${96 + 16 * (i % 5)}x${64 + 8 * (i % 4)}`;
    const source = `${sources[i % sources.length]}=duration=${seconds}:size=${size}:rate=${10 + (i % 3)}`;
    await run(ffmpeg(), [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      source,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      file,
    ]);
    files.push(file);
  }
  return files;
}

export interface AnnotationsFile {
  file: string;
  /** Folder of `<frame_id>.jpg` for the first frames: an import copies them into the home. */
  framesDir: string;
  rows: number;
  frames: number;
}

/**
 * `videos` × `framesPerVideo` frames, each coded by coder_a and coder_b (every code set, so the
 * file imports without re-code entries), and `images` of the frames with a JPEG in framesDir.
 */
export async function makeAnnotations(
  dir: string,
  options: { videos: number; framesPerVideo: number; images: number; seed: number },
): Promise<AnnotationsFile> {
  const random = mulberry32(options.seed);
  const pov = ['1st person', '2nd person', '3rd person', 'no person'];
  const distance = ['Intimate', 'Personal', 'Social', 'Public'];
  const pick = (values: string[]) => values[Math.floor(random() * values.length)]!;
  const lines = ['frame_id,video_id,timestamp_s,coder,pov,distance,coded_at'];
  const frameIds: string[] = [];
  for (let v = 1; v <= options.videos; v++) {
    const videoId = `ann_${String(v).padStart(4, '0')}`;
    for (let t = 1; t <= options.framesPerVideo; t++) {
      const frameId = `${videoId}_t${t.toFixed(1).padStart(5, '0')}`;
      frameIds.push(frameId);
      for (const coder of ['coder_a', 'coder_b']) {
        lines.push(`${frameId},${videoId},${t.toFixed(1)},${coder},${pick(pov)},${pick(distance)},2025-02-19T21:33:00Z`);
      }
    }
  }
  const file = path.join(dir, 'annotations.csv');
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  const framesDir = path.join(dir, 'frames');
  fs.mkdirSync(framesDir, { recursive: true });
  const images = Math.min(options.images, frameIds.length);
  if (images > 0) {
    await run(ffmpeg(), [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=160x90:rate=1',
      '-frames:v',
      String(images),
      path.join(framesDir, 'img_%05d.jpg'),
    ]);
    for (let i = 0; i < images; i++) {
      fs.renameSync(path.join(framesDir, `img_${String(i + 1).padStart(5, '0')}.jpg`), path.join(framesDir, `${frameIds[i]}.jpg`));
    }
  }
  return { file, framesDir, rows: lines.length - 1, frames: frameIds.length };
}
