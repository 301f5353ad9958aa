import type { Core } from '../../src/main/core/core';

/** Frames for coding tests, inserted as the media import would leave them (no image yet). */
export function addFrames(core: Core, videoId: string, timestamps: number[]): string[] {
  const at = new Date().toISOString();
  core.db.prepare('INSERT OR IGNORE INTO videos (video_id, imported_at) VALUES (?, ?)').run(videoId, at);
  return timestamps.map((t) => {
    const frameId = `${videoId}_t${t.toFixed(1).padStart(5, '0')}`;
    core.db.prepare('INSERT INTO frames (frame_id, video_id, timestamp_s, created_at) VALUES (?, ?, ?, ?)').run(frameId, videoId, t, at);
    return frameId;
  });
}

export function historyRows(core: Core): {
  frame_id: string;
  coder_id: string;
  dimension: string;
  before_id: number | null;
  after_id: number | null;
  source: string;
  batch_id: string;
}[] {
  return core.db.prepare('SELECT * FROM code_history ORDER BY id').all() as never;
}

export function categoryId(core: Core, dimension: string, value: string): number {
  return (
    core.db.prepare('SELECT id FROM categories WHERE dimension = ? AND value = ? AND retired_at IS NULL').get(dimension, value) as {
      id: number;
    }
  ).id;
}
