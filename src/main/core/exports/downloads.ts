import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { HomePaths } from '../home/paths';
import { trustOutputRoot } from '../workspace/outputPaths';

/**
 * Browser downloads (issue 20, item 8). An export the person downloads is first written by the
 * ordinary export method into a fresh folder of the home's exports area, then served once by
 * `GET /downloads?path=…` as an attachment. The route serves nothing but regular files below
 * the home's `exports/` and `runs/` folders, resolved through links, so a token holder cannot
 * turn it into a reader of `~/.ssh` or the database.
 */

/** How long a staged export stays in the home after its download: long enough to download it again the same day. */
export const STAGED_EXPORT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * A new, empty folder in the home's exports area for one export (`<home>/exports/20261206-073000-1a2b3c4d`).
 * Staged folders older than a day go first: the browser has its own copy, and the home should
 * not grow by every report ever downloaded.
 */
export function stageExportFolder(home: HomePaths, now = Date.now()): string {
  fs.mkdirSync(home.exportsDir, { recursive: true, mode: 0o700 });
  trustOutputRoot(home.exportsDir);
  pruneStagedExports(home.exportsDir, now - STAGED_EXPORT_LIFETIME_MS);
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const dir = path.join(home.exportsDir, `${stamp}-${crypto.randomBytes(4).toString('hex')}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}

const STAGED_NAME = /^\d{8}-\d{6}-[0-9a-f]{8}$/;

/** Removes the staged folders (only those, by their name's shape) last changed before `cutoff`. */
function pruneStagedExports(exportsDir: string, cutoff: number): void {
  for (const entry of fs.readdirSync(exportsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !STAGED_NAME.test(entry.name)) continue;
    const dir = path.join(exportsDir, entry.name);
    try {
      if (fs.statSync(dir).mtimeMs < cutoff) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Gone already, or busy: the next export tries again.
    }
  }
}

export type DownloadResolution =
  { ok: true; file: string; name: string; contentType: string } | { ok: false; status: 400 | 403 | 404; message: string };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.pdf': 'application/pdf',
  '.tex': 'text/x-tex; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const AREA = "only files in the home's exports/ or runs/ folder can be downloaded";

function realOrNull(target: string): string | null {
  try {
    return fs.realpathSync(target);
  } catch {
    return null;
  }
}

const inside = (file: string, dir: string) => file.startsWith(dir + path.sep);

/**
 * Which file a download request may read. The given path must be absolute and, once every link
 * in it is resolved, a regular file inside the real exports or runs folder: anything else is
 * refused (403 outside the area, 404 for a missing file), with a message that says why.
 */
export function resolveDownload(home: HomePaths, requested: string | null): DownloadResolution {
  if (!requested) return { ok: false, status: 400, message: 'Bad request: give the file to download as ?path=<absolute path>.' };
  if ([...requested].some((c) => c.charCodeAt(0) < 0x20) || !path.isAbsolute(requested)) {
    return { ok: false, status: 400, message: `Bad request: ${JSON.stringify(requested)} is not an absolute path.` };
  }
  const given = path.resolve(requested);
  const areas = [home.exportsDir, home.runsDir].map(realOrNull).filter((d): d is string => d !== null);
  // Checked on the path as given too, so a path outside the area is refused without touching it.
  const givenInside = [home.exportsDir, home.runsDir].some((d) => inside(given, path.resolve(d)));
  const real = realOrNull(given);
  if (!givenInside && (real === null || !areas.some((d) => inside(real, d)))) {
    return { ok: false, status: 403, message: `Forbidden: ${given} is outside the download area; ${AREA}.` };
  }
  if (real === null) return { ok: false, status: 404, message: `Not found: ${given} does not exist (any more).` };
  if (!areas.some((d) => inside(real, d))) {
    return { ok: false, status: 403, message: `Forbidden: ${given} leads to ${real}, outside the download area; ${AREA}.` };
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(real);
  } catch {
    return { ok: false, status: 404, message: `Not found: ${given} does not exist (any more).` };
  }
  if (!stat.isFile()) return { ok: false, status: 404, message: `Not found: ${given} is not a file.` };
  return {
    ok: true,
    file: real,
    name: path.basename(given),
    contentType: CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
  };
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
