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

/** A URL path segment decoded, or null when it is not valid percent-encoding. */
function decoded(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

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
  const decodedPath = decoded(urlPath);
  if (decodedPath === null) return null;
  const candidate = path.resolve(rootDir, '.' + path.posix.normalize('/' + decodedPath));
  if (candidate !== rootDir && !candidate.startsWith(rootDir + path.sep)) return null;
  if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
    const ext = path.extname(candidate);
    return {
      file: candidate,
      contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      immutable: candidate.includes(`${path.sep}assets${path.sep}`),
    };
  }
  if (path.extname(decodedPath)) return null;
  const index = path.join(rootDir, 'index.html');
  return fs.existsSync(index) ? { file: index, contentType: CONTENT_TYPES['.html']!, immutable: false } : null;
}

/** A file the workspace registered in stored_files, by its relative path; null for anything else. */
export function resolveStoredFile(core: Core, encodedPath: string): StaticFile | null {
  const relative = decoded(encodedPath);
  if (relative === null) return null;
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
  const videoId = decoded(encodedVideoId);
  if (videoId === null) return null;
  const row = core.db.prepare('SELECT path FROM videos WHERE video_id = ?').get(videoId) as { path: string | null } | undefined;
  if (!row?.path || !fs.existsSync(row.path) || !fs.statSync(row.path).isFile()) return null;
  return {
    file: row.path,
    contentType: CONTENT_TYPES[path.extname(row.path).toLowerCase()] ?? 'application/octet-stream',
    immutable: false,
  };
}
