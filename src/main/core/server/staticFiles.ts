import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core';
import { absoluteStoredPath } from '../workspace/files';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.map': 'application/json; charset=utf-8',
};

export interface StaticFile {
  file: string;
  contentType: string;
  immutable: boolean;
}

/**
 * Maps a URL path into the built renderer folder. Paths that try to leave it resolve to
 * nothing; unknown non-asset paths fall back to index.html (the app routes itself).
 */
export function resolveStatic(rootDir: string, urlPath: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const candidate = path.resolve(rootDir, '.' + path.posix.normalize('/' + decoded));
  if (candidate !== rootDir && !candidate.startsWith(rootDir + path.sep)) return null;
  if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
    const ext = path.extname(candidate);
    return {
      file: candidate,
      contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      immutable: candidate.includes(`${path.sep}assets${path.sep}`),
    };
  }
  if (path.extname(decoded)) return null;
  const index = path.join(rootDir, 'index.html');
  return fs.existsSync(index) ? { file: index, contentType: CONTENT_TYPES['.html']!, immutable: false } : null;
}

/** A file the workspace registered in stored_files, by its relative path; null for anything else. */
export function resolveStoredFile(core: Core, encodedPath: string): StaticFile | null {
  let relative: string;
  try {
    relative = decodeURIComponent(encodedPath);
  } catch {
    return null;
  }
  if (!core.db.prepare('SELECT 1 FROM stored_files WHERE path = ?').get(relative)) return null;
  let file: string;
  try {
    file = absoluteStoredPath(core.home, relative);
  } catch {
    return null;
  }
  if (!fs.existsSync(file)) return null;
  return { file, contentType: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', immutable: false };
}

/**
 * An imported video's file, by its video id: the path the videos table recorded (outside the
 * home: videos are never copied). Null for an unknown id, a video without a path, or a file
 * that is gone.
 */
export function resolveVideoFile(core: Core, encodedVideoId: string): StaticFile | null {
  let videoId: string;
  try {
    videoId = decodeURIComponent(encodedVideoId);
  } catch {
    return null;
  }
  const row = core.db.prepare('SELECT path FROM videos WHERE video_id = ?').get(videoId) as { path: string | null } | undefined;
  if (!row?.path || !fs.existsSync(row.path) || !fs.statSync(row.path).isFile()) return null;
  return { file: row.path, contentType: CONTENT_TYPES[path.extname(row.path).toLowerCase()] ?? 'application/octet-stream', immutable: false };
}
