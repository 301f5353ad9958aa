import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { storeFile } from '../workspace/files';

/**
 * Links imported frames to their images. A frame whose image is not found yet keeps
 * image_path NULL ("image missing"): its codes still count, and a later import with the
 * images links it. Sources:
 * - a frames folder with `<frame_id>.jpg|jpeg|png`, copied into the store under
 *   `frames/<video_id>/<frame_id>.<ext>` with its sha256;
 * - an imported video (videos.path set): extraction belongs to the media jobs, which run
 *   ffmpeg outside the owner process; `framesAwaitingExtraction` lists what they could link.
 */
const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png'] as const;

/** frame_id → absolute image file, from one listing of the folder. jpg wins over png. */
export function indexFramesDir(dir: string): Map<string, string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FramelabError('NOT_FOUND', `There is no frames folder ${dir}.`);
    if (code === 'ENOTDIR')
      throw new FramelabError('INVALID_INPUT', `${dir} is a file; --frames takes a folder of <frame_id>.jpg or .png images.`);
    throw err;
  }
  const found = new Map<string, { file: string; rank: number }>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const ext = path.extname(entry.name).slice(1).toLowerCase();
    const rank = (IMAGE_EXTENSIONS as readonly string[]).indexOf(ext);
    if (rank < 0) continue;
    const frameId = entry.name.slice(0, -(ext.length + 1));
    const earlier = found.get(frameId);
    if (!earlier || rank < earlier.rank) found.set(frameId, { file: path.join(dir, entry.name), rank });
  }
  return new Map([...found].map(([frameId, { file }]) => [frameId, file]));
}

/** Where a linked image is stored, relative to the files dir. */
export function storedImagePath(videoId: string, frameId: string, file: string): string {
  const ext = path.extname(file).slice(1).toLowerCase();
  return `frames/${videoId}/${frameId}.${ext === 'png' ? 'png' : 'jpg'}`;
}

/**
 * Copies the images of these frames that have none yet into the store and links them.
 * Runs inside the caller's transaction; records each stored path in `written` as soon as the
 * file is in place (so a caller whose transaction fails can remove them).
 */
export function linkFrameImages(
  db: Db,
  home: HomePaths,
  frameIds: readonly string[],
  images: Map<string, string>,
  written: string[] = [],
): string[] {
  const frame = db.prepare('SELECT video_id, image_path FROM frames WHERE frame_id = ?');
  const link = db.prepare('UPDATE frames SET image_path = ? WHERE frame_id = ?');
  for (const frameId of frameIds) {
    const file = images.get(frameId);
    if (!file) continue;
    const row = frame.get(frameId) as { video_id: string; image_path: string | null } | undefined;
    if (!row || row.image_path !== null) continue;
    const stored = storeFile(db, home, storedImagePath(row.video_id, frameId, file), 'frame', fs.readFileSync(file));
    written.push(stored.path);
    link.run(stored.path, frameId);
  }
  return written;
}

/** How many of these frames have no image yet. */
export function countImagesMissing(db: Db, frameIds: readonly string[]): number {
  const missing = db.prepare('SELECT 1 FROM frames WHERE frame_id = ? AND image_path IS NULL');
  return frameIds.filter((id) => missing.get(id) !== undefined).length;
}

/**
 * Frames without an image whose video has been imported with a file: what a media job can
 * link by extracting the frame at its timestamp (then registering the file and setting
 * frames.image_path in the owner, as frame sampling does).
 */
export function framesAwaitingExtraction(db: Db): { frameId: string; videoId: string; timestampS: number; videoPath: string }[] {
  return db
    .prepare(
      `SELECT f.frame_id AS frameId, f.video_id AS videoId, f.timestamp_s AS timestampS, v.path AS videoPath
       FROM frames f JOIN videos v ON v.video_id = f.video_id
       WHERE f.image_path IS NULL AND v.path IS NOT NULL ORDER BY f.video_id, f.timestamp_s`,
    )
    .all() as { frameId: string; videoId: string; timestampS: number; videoPath: string }[];
}
