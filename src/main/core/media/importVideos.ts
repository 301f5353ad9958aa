import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { VideoId, type ImportError, type ImportedVideo, type MediaImportParams, type MediaImportResult } from '../../../shared/media';
import type { Db } from '../db/open';
import type { JobContext } from '../jobs/context';
import { sha256OfFile } from '../workspace/files';
import { regularFileProblem } from '../workspace/inputPaths';
import { probeVideo, ProbeError } from './probe';
import { videoByHash, videoById } from './queries';
import { defaultVideoId, isVideoFile, VIDEO_EXTENSIONS } from './videoIds';

/**
 * The `media.import` job: finds the video files among the given files and folders, probes and
 * hashes each, and decides what it is (new, the same content again, or an id clash). It reads
 * the database only; the owner writes the result (see writes.ts). One bad file is reported by
 * name and reason; the rest go on.
 */
const KINDS = VIDEO_EXTENSIONS.join(', ');

interface Candidate {
  file: string;
  /** The external id given for it, if any. */
  videoId?: string;
}

const errnoReason = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file or folder';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  return e.message ?? String(err);
};

function walk(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && isVideoFile(entry.name)) out.push(full);
  }
}

/** Files to import, in the order given (folders sorted, recursively); problems become errors. */
export function collectCandidates(params: MediaImportParams, errors: ImportError[]): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const add = (file: string, videoId?: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    out.push({ file, videoId });
  };
  for (const given of params.paths) {
    const absolute = path.resolve(given);
    const name = path.basename(absolute) || absolute;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (err) {
      errors.push({ path: absolute, message: `${name}: ${errnoReason(err)}` });
      continue;
    }
    if (stat.isDirectory()) {
      const files: string[] = [];
      try {
        walk(absolute, files);
      } catch (err) {
        errors.push({ path: absolute, message: `${name}: the folder could not be read: ${errnoReason(err)}` });
        continue;
      }
      if (!files.length) errors.push({ path: absolute, message: `${name}: no video files (${KINDS}) in this folder` });
      for (const file of files) add(file);
    } else if (!stat.isFile()) {
      errors.push({ path: absolute, message: `${name}: ${regularFileProblem(absolute)?.reason ?? 'is not a regular file'}` });
    } else if (!isVideoFile(absolute)) {
      errors.push({ path: absolute, message: `${name}: not a video file (${KINDS})` });
    } else {
      add(absolute, params.videoIds?.[given]);
    }
  }
  return out;
}

interface Known {
  videoId: string;
  path: string | null;
  contentHash: string | null;
  /** Found in this batch (not yet in the database). */
  inBatch: boolean;
}

export async function runImport(ctx: JobContext, db: Db, params: MediaImportParams): Promise<MediaImportResult> {
  const errors: ImportError[] = [];
  ctx.progress(0, 'Looking for video files');
  const candidates = collectCandidates(params, errors);
  const imported: ImportedVideo[] = [];
  const batchByHash = new Map<string, Known>();
  const batchById = new Map<string, Known>();
  const knownByHash = (hash: string): Known | undefined => {
    const row = batchByHash.get(hash) ?? videoByHash(db, hash);
    if (!row || 'inBatch' in row) return row;
    return { videoId: row.video_id, path: row.path, contentHash: row.content_hash, inBatch: false };
  };
  const knownById = (id: string): Known | undefined => {
    const row = batchById.get(id) ?? videoById(db, id);
    if (!row || 'inBatch' in row) return row;
    return { videoId: row.video_id, path: row.path, contentHash: row.content_hash, inBatch: false };
  };

  for (const [i, { file, videoId: givenId }] of candidates.entries()) {
    ctx.throwIfCancelled();
    const name = path.basename(file);
    const stage = (what: string) => `${what} ${name} (${i + 1}/${candidates.length})`;
    const fail = (message: string) => {
      errors.push({ path: file, message: `${name}: ${message}` });
      ctx.log('warn', `${file}: ${message}`);
    };
    ctx.progress(i / candidates.length, stage('Probing'));
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (err) {
      fail(`cannot be read: ${errnoReason(err)}`);
      continue;
    }
    let probe;
    try {
      probe = await probeVideo(file);
    } catch (err) {
      if (err instanceof ProbeError) {
        fail(err.message);
        continue;
      }
      throw err;
    }
    ctx.progress((i + 0.2) / candidates.length, stage('Hashing'));
    const sizeBytes = fs.statSync(file).size;
    let contentHash: string;
    try {
      contentHash = await sha256OfFile(file, (read) => {
        ctx.throwIfCancelled();
        ctx.progress((i + 0.2 + 0.8 * (read / (sizeBytes || 1))) / candidates.length, stage('Hashing'));
      });
    } catch (err) {
      if (err instanceof FramelabError) throw err;
      fail(`cannot be read: ${errnoReason(err)}`);
      continue;
    }
    const base = { path: file, ...probe, contentHash, sizeBytes };

    const same = knownByHash(contentHash);
    if (same) {
      const relocated = !same.inBatch && (same.path === null || !fs.existsSync(same.path));
      imported.push({ ...base, videoId: same.videoId, existing: true, relocated });
      if (relocated) batchByHash.set(contentHash, { ...same, path: file, inBatch: true });
      ctx.log('info', `${file}: already imported as ${same.videoId}`);
      continue;
    }
    const videoId = givenId ?? defaultVideoId(file);
    const idCheck = VideoId.safeParse(videoId);
    if (!idCheck.success) {
      fail(`"${videoId}" cannot be a video id (${idCheck.error.issues[0]?.message ?? 'invalid'})`);
      continue;
    }
    const taken = knownById(videoId);
    if (taken && taken.contentHash !== null) {
      fail(
        `the video id "${videoId}" is already taken by a different video (${taken.path ?? 'no file'}, ` +
          `content ${taken.contentHash.slice(0, 12)}…); import this file under another id`,
      );
      continue;
    }
    const known: Known = { videoId, path: file, contentHash, inBatch: true };
    batchByHash.set(contentHash, known);
    batchById.set(videoId, known);
    imported.push({ ...base, videoId, existing: false, relocated: false });
    ctx.log('info', `${file}: ${videoId} (${probe.durationS} s, ${probe.width}x${probe.height}, ${probe.fps} fps, ${probe.codec})`);
  }
  ctx.progress(1, `Imported ${imported.length}, ${errors.length} with errors`);
  return { imported, errors };
}
