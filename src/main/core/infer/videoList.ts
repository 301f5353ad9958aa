/**
 * The videos a run covers: every video file under a folder (recursively), by video id, and the
 * deterministic slice of them a shard runs. Sorted by id so every machine sees the same list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { InferShard } from '../../../shared/infer';
import { hash32 } from '../media/sampling';
import { defaultVideoId, isVideoFile } from '../media/videoIds';

export interface VideoEntry {
  videoId: string;
  /** A local file, or the gs:// URL of a bucket object (then `fetch` gives the local copy). */
  path: string;
  fetch?: () => Promise<string>;
  /** Called once the video's frames are decoded: drops a copy `fetch` downloaded for this run. */
  release?: () => void;
}

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && isVideoFile(entry.name)) out.push(full);
  }
}

/** Every video under `dir`; two files with the same id are refused (their rows would mix). */
export function listLocalVideos(dir: string): VideoEntry[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new FramelabError('NOT_FOUND', `The videos folder ${dir} does not exist or is not a folder.`);
  }
  const files: string[] = [];
  walk(dir, files);
  const byId = new Map<string, string>();
  for (const file of files.sort()) {
    const videoId = defaultVideoId(file);
    const other = byId.get(videoId);
    if (other) throw new FramelabError('INVALID_INPUT', `Two files have the video id "${videoId}": ${other} and ${file}. Rename one.`);
    byId.set(videoId, file);
  }
  return [...byId.entries()].map(([videoId, p]) => ({ videoId, path: p })).sort((a, b) => compareIds(a.videoId, b.videoId));
}

/** Code-unit order, not locale order: the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Which shard a video belongs to: FNV-1a of its id, so the split never depends on the list. */
export function shardOf(videoId: string, count: number): number {
  return hash32(videoId) % count;
}

export function inShard(videos: readonly VideoEntry[], shard: InferShard | null): VideoEntry[] {
  return shard ? videos.filter((v) => shardOf(v.videoId, shard.count) === shard.index) : [...videos];
}

/** "2/8" → { index: 2, count: 8 }. */
export function parseShard(text: string): InferShard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !(count > 0) || !(index < count)) {
    throw new FramelabError('INVALID_INPUT', `--shard must be K/N with 0 ≤ K < N (e.g. 0/4), not "${text}".`);
  }
  return { index, count };
}
