import fs from 'node:fs';
import { FramelabError } from '../../../shared/errors';
import type { FramesSampleResult, MediaImportResult } from '../../../shared/media';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { absoluteStoredPath, registerStoredFile } from '../workspace/files';
import { notePendingFiles } from '../workspace/pendingFiles';
import { removeTmpFiles } from './extract';
import { frameById, videoByHash, videoById } from './queries';

/**
 * Owner-side writes of the media jobs' results. They run inside the transaction the
 * supervisor opens when a job succeeds: any throw rolls everything back. The job computed
 * against a snapshot, so each write re-checks what it relies on.
 */

const changedUnder = (what: string) =>
  new FramelabError('CONFLICT', `The videos changed while the job ran: ${what}. Nothing was saved; run it again.`);

export function applyImport(db: Db, result: MediaImportResult): MediaImportResult {
  const now = new Date().toISOString();
  for (const v of result.imported) {
    const byId = videoById(db, v.videoId);
    if (byId?.content_hash === v.contentHash) {
      if (v.relocated) db.prepare('UPDATE videos SET path = ? WHERE video_id = ?').run(v.path, v.videoId);
      continue;
    }
    if (v.existing) throw changedUnder(`video "${v.videoId}" no longer holds the content of ${v.path}`);
    const byHash = videoByHash(db, v.contentHash);
    if (byHash) throw changedUnder(`${v.path} was meanwhile imported as "${byHash.video_id}"`);
    if (byId && byId.content_hash !== null) {
      throw changedUnder(`the id "${v.videoId}" was meanwhile taken by ${byId.path ?? 'another video'}`);
    }
    const row = {
      videoId: v.videoId,
      hash: v.contentHash,
      path: v.path,
      size: v.sizeBytes,
      duration: v.durationS,
      width: v.width,
      height: v.height,
      fps: v.fps,
      codec: v.codec,
      now,
    };
    if (byId) {
      // Known so far only by id (e.g. from an annotations file): this file is its content.
      db.prepare(
        `UPDATE videos SET content_hash = @hash, path = @path, size_bytes = @size, duration_s = @duration, width = @width,
           height = @height, fps = @fps, codec = @codec WHERE video_id = @videoId AND content_hash IS NULL`,
      ).run(row);
    } else {
      db.prepare(
        `INSERT INTO videos (video_id, content_hash, path, size_bytes, duration_s, width, height, fps, codec, imported_at)
         VALUES (@videoId, @hash, @path, @size, @duration, @width, @height, @fps, @codec, @now)`,
      ).run(row);
    }
  }
  return result;
}

/**
 * Registers extracted frames: stored_files rows with the hash the job measured, the frame
 * rows, then the files moved from their temporary names into place. A frame that got its
 * image meanwhile (another job) keeps it; this job's copy is dropped.
 */
export function applySample(db: Db, home: HomePaths, result: FramesSampleResult): FramesSampleResult {
  const now = new Date().toISOString();
  const moves: { from: string; to: string }[] = [];
  const dropped: FramesSampleResult['frames'] = [];
  try {
    const frames = result.frames.map((f) => {
      if (!f.image || !f.thumb) return { ...f, created: false };
      const row = frameById(db, f.frameId);
      if (row?.image_path) {
        dropped.push(f);
        return { ...f, created: false, image: null, thumb: null };
      }
      if (row && row.video_id !== f.videoId) throw changedUnder(`frame "${f.frameId}" belongs to video "${row.video_id}"`);
      registerStoredFile(db, { path: f.image.path, role: 'frame', sha256: f.image.sha256, size: f.image.size });
      registerStoredFile(db, { path: f.thumb.path, role: 'thumb', sha256: f.thumb.sha256, size: f.thumb.size });
      if (row) {
        db.prepare('UPDATE frames SET image_path = ?, thumb_path = ? WHERE frame_id = ?').run(f.image.path, f.thumb.path, f.frameId);
      } else {
        db.prepare(
          `INSERT INTO frames (frame_id, video_id, timestamp_s, image_path, thumb_path, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(f.frameId, f.videoId, f.timestampS, f.image.path, f.thumb.path, now);
      }
      moves.push({ from: f.image.tmp, to: f.image.path }, { from: f.thumb.tmp, to: f.thumb.path });
      return { ...f, created: !row };
    });
    // Last, so a failed write above moves nothing. A failed rename rolls the rows back; files
    // already moved then sit unregistered at their final place, noted in the pending-files
    // journal: the next start-up removes them (and the next run would overwrite them).
    notePendingFiles(
      home,
      moves.map((m) => m.to),
    );
    for (const move of moves) fs.renameSync(absoluteStoredPath(home, move.from), absoluteStoredPath(home, move.to));
    removeTmpFiles(
      home,
      dropped.flatMap((f) => [f.image, f.thumb]),
    );
    return { sampled: result.sampled, new: frames.filter((f) => f.created).length, frames };
  } catch (err) {
    removeTmpFiles(
      home,
      result.frames.flatMap((f) => [f.image, f.thumb]),
    );
    throw err;
  }
}
