import type { FrameSummary, VideoSummary } from '../../../shared/media';
import type { Db } from '../db/open';

/** Typed reads over `videos` and `frames`; safe from a job process's read-only connection. */
export interface VideoRow {
  video_id: string;
  content_hash: string | null;
  path: string | null;
  size_bytes: number | null;
  duration_s: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  codec: string | null;
}

export interface FrameRow {
  frame_id: string;
  video_id: string;
  timestamp_s: number;
  image_path: string | null;
  thumb_path: string | null;
}

const VIDEO_COLUMNS = 'video_id, content_hash, path, size_bytes, duration_s, width, height, fps, codec';

export function videoById(db: Db, videoId: string): VideoRow | undefined {
  return db.prepare(`SELECT ${VIDEO_COLUMNS} FROM videos WHERE video_id = ?`).get(videoId) as VideoRow | undefined;
}

export function videoByHash(db: Db, contentHash: string): VideoRow | undefined {
  return db.prepare(`SELECT ${VIDEO_COLUMNS} FROM videos WHERE content_hash = ?`).get(contentHash) as VideoRow | undefined;
}

export function allVideos(db: Db): VideoRow[] {
  return db.prepare(`SELECT ${VIDEO_COLUMNS} FROM videos ORDER BY video_id`).all() as VideoRow[];
}

export function framesOfVideo(db: Db, videoId: string): FrameRow[] {
  return db
    .prepare('SELECT frame_id, video_id, timestamp_s, image_path, thumb_path FROM frames WHERE video_id = ? ORDER BY timestamp_s')
    .all(videoId) as FrameRow[];
}

export function frameById(db: Db, frameId: string): FrameRow | undefined {
  return db.prepare('SELECT frame_id, video_id, timestamp_s, image_path, thumb_path FROM frames WHERE frame_id = ?').get(frameId) as
    FrameRow | undefined;
}

export function listVideos(db: Db): VideoSummary[] {
  const rows = db
    .prepare(
      `SELECT ${VIDEO_COLUMNS.split(', ')
        .map((c) => `v.${c}`)
        .join(', ')},
              (SELECT count(*) FROM frames f WHERE f.video_id = v.video_id) AS frame_count
       FROM videos v ORDER BY v.video_id`,
    )
    .all() as (VideoRow & { frame_count: number })[];
  return rows.map((r) => ({
    videoId: r.video_id,
    path: r.path,
    durationS: r.duration_s,
    width: r.width,
    height: r.height,
    fps: r.fps,
    codec: r.codec,
    contentHash: r.content_hash,
    frameCount: r.frame_count,
  }));
}

export function listFrames(
  db: Db,
  options: { videoId?: string; frameIds?: string[]; limit: number; offset: number },
): { frames: FrameSummary[]; total: number } {
  const conditions = [
    ...(options.videoId === undefined ? [] : ['video_id = @videoId']),
    ...(options.frameIds === undefined ? [] : ['frame_id IN (SELECT value FROM json_each(@frameIds))']),
  ];
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const params = {
    videoId: options.videoId,
    frameIds: JSON.stringify(options.frameIds ?? []),
    limit: options.limit,
    offset: options.offset,
  };
  const total = (db.prepare(`SELECT count(*) AS n FROM frames ${where}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT frame_id, video_id, timestamp_s, image_path, thumb_path FROM frames ${where}
       ORDER BY video_id, timestamp_s LIMIT @limit OFFSET @offset`,
    )
    .all(params) as FrameRow[];
  return {
    total,
    frames: rows.map((r) => ({
      frameId: r.frame_id,
      videoId: r.video_id,
      timestampS: r.timestamp_s,
      image: r.image_path,
      thumb: r.thumb_path,
    })),
  };
}
