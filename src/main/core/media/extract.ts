import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { HomePaths } from '../home/paths';
import { absoluteStoredPath } from '../workspace/files';
import { FFMPEG_HINT, ffmpegCommand, ffmpegReason, isMissingBinary } from './ffmpegPaths';
import { trackChild } from '../jobs/childProcesses';
import { writeThumbnail } from './thumbnail';

/**
 * Extracts one frame (full size, by ffmpeg) and its thumbnail (320 px wide, resized from that
 * JPEG by thumbnail.ts) at a timestamp. Runs in a job process, which may not write the database:
 * files go under a temporary name beside their final place, and the owner renames and registers
 * them in one transaction.
 */

export interface ExtractedFile {
  /** Final place, relative to the files dir (what stored_files records). */
  path: string;
  /** Where the job process wrote it, relative to the files dir. */
  tmp: string;
  sha256: string;
  size: number;
}

export const framePath = (videoId: string, frameId: string) => `frames/${videoId}/${frameId}.jpg`;
export const thumbPath = (videoId: string, frameId: string) => `thumbs/${videoId}/${frameId}.jpg`;

/** `frames/v/v_t001.0.jpg` → `frames/v/.v_t001.0.<tag>.tmp.jpg` (ffmpeg picks the format by extension). */
export function tmpPathFor(relative: string, tag: string): string {
  const dir = path.posix.dirname(relative);
  return `${dir}/.${path.posix.basename(relative, '.jpg')}.${tag}.tmp.jpg`;
}

function run(command: ReturnType<typeof ffmpegCommand>): Promise<void> {
  return new Promise((resolve, reject) => {
    command
      // fluent-ffmpeg sets ffmpegProc just before 'start': tracked, it ends with the job.
      .on('start', () => trackChild((command as unknown as { ffmpegProc: ChildProcess }).ffmpegProc))
      .on('end', () => resolve())
      .on('error', (err: Error) => reject(err))
      .run();
  });
}

function describeFile(home: HomePaths, relative: string, tmp: string): ExtractedFile {
  const bytes = fs.readFileSync(absoluteStoredPath(home, tmp));
  return { path: relative, tmp, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

export function removeTmpFiles(home: HomePaths, files: readonly (ExtractedFile | null | undefined)[]): void {
  for (const file of files) if (file) fs.rmSync(absoluteStoredPath(home, file.tmp), { force: true });
}

export async function extractFrame(
  home: HomePaths,
  videoFile: string,
  target: { videoId: string; frameId: string; seconds: number },
  tag: string,
): Promise<{ image: ExtractedFile; thumb: ExtractedFile }> {
  const imageRel = framePath(target.videoId, target.frameId);
  const thumbRel = thumbPath(target.videoId, target.frameId);
  const imageTmp = tmpPathFor(imageRel, tag);
  const thumbTmp = tmpPathFor(thumbRel, tag);
  const imageAbs = absoluteStoredPath(home, imageTmp);
  const thumbAbs = absoluteStoredPath(home, thumbTmp);
  fs.mkdirSync(path.dirname(imageAbs), { recursive: true });
  fs.mkdirSync(path.dirname(thumbAbs), { recursive: true });
  const command = ffmpegCommand(videoFile)
    .seekInput(target.seconds)
    .output(imageAbs)
    .outputOptions(['-map', '0:v:0', '-frames:v', '1', '-q:v', '2', '-update', '1', '-an']);
  const cleanup = () => removeTmpFiles(home, [{ tmp: imageTmp } as ExtractedFile, { tmp: thumbTmp } as ExtractedFile]);
  try {
    await run(command);
  } catch (err) {
    cleanup();
    if (isMissingBinary(err)) {
      throw new FramelabError('CAPABILITY_MISSING', `ffmpeg could not be started (${(err as Error).message}). ${FFMPEG_HINT}`);
    }
    throw new Error(`ffmpeg could not extract ${target.frameId}: ${ffmpegReason(err)}`);
  }
  const empty = (file: string) => !fs.existsSync(file) || fs.statSync(file).size === 0;
  if (empty(imageAbs)) {
    cleanup();
    throw new Error(`ffmpeg found no frame at ${target.seconds.toFixed(1)} s for ${target.frameId}`);
  }
  try {
    await writeThumbnail(imageAbs, thumbAbs);
  } catch (err) {
    cleanup();
    throw new Error(`the thumbnail of ${target.frameId} could not be made: ${(err as Error).message}`);
  }
  return { image: describeFile(home, imageRel, imageTmp), thumb: describeFile(home, thumbRel, thumbTmp) };
}
