import fs from 'node:fs';
import path from 'node:path';
import type { BucketEntry } from '../../../shared/sync';
import { FramelabError } from '../../../shared/errors';
import { storedImagePath } from '../annotations/images';
import { cached, type Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { isVideoFile } from '../media/videoIds';
import { storeFile } from '../workspace/files';
import { matchesHashes, type BucketClient, type ObjectInfo } from './gcs';

/**
 * Videos and frame images from the bucket. Objects are downloaded on demand into a cache
 * under the home (`cache/bucket/<bucket>/<object name>`), each checked against the object's
 * MD5 (or CRC32C for composite objects) before it is used; a sidecar remembers the verified
 * hash so a listing can tell what is cached without re-hashing. A frame image
 * `<frame_id>.jpg|png` is linked to its frame when the frame is known (from annotations or
 * sampling), so a second machine shows the very same frames.
 */
const FRAME_IMAGE = /^(.+)\.(jpe?g|png)$/i;

export function cacheFile(home: HomePaths, bucket: string, name: string): string {
  const root = path.join(home.root, 'cache', 'bucket', bucket);
  const file = path.resolve(root, ...name.split('/'));
  if (!file.startsWith(root + path.sep)) throw new FramelabError('INVALID_INPUT', `"${name}" is not an object name this cache can hold.`);
  return file;
}

const sidecar = (file: string) => `${file}.verified`;
const fingerprint = (info: ObjectInfo) => `${info.generation} ${info.md5 ?? ''} ${info.crc32c ?? ''}`;

function isCached(file: string, info: ObjectInfo): boolean {
  try {
    return fs.statSync(file).size === info.size && fs.readFileSync(sidecar(file), 'utf8') === fingerprint(info);
  } catch {
    return false;
  }
}

export function frameIdOf(name: string): string | null {
  const match = FRAME_IMAGE.exec(path.posix.basename(name));
  return match ? match[1]! : null;
}

export async function listBucketEntries(
  db: Db,
  home: HomePaths,
  client: BucketClient,
  kind: 'videos' | 'frames',
  prefix: string,
): Promise<BucketEntry[]> {
  const objects = await client.list(prefix);
  const known = cached(db, 'SELECT 1 FROM frames WHERE frame_id = ?');
  const entries: BucketEntry[] = [];
  for (const o of objects) {
    const frameId = kind === 'frames' ? frameIdOf(o.name) : null;
    if (kind === 'frames' ? frameId === null : !isVideoFile(o.name)) continue;
    entries.push({
      name: o.name,
      size: o.size,
      md5: o.md5,
      crc32c: o.crc32c,
      updated: o.updated,
      frameId,
      cached: isCached(cacheFile(home, client.bucket, o.name), o),
      known: frameId !== null && known.get(frameId) !== undefined,
    });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One listed object into the cache (unless a verified copy is there); its cached path. */
export async function fetchBucketObject(
  home: HomePaths,
  client: BucketClient,
  info: ObjectInfo,
): Promise<{ path: string; downloaded: boolean }> {
  const file = cacheFile(home, client.bucket, info.name);
  if (isCached(file, info) && (await matchesHashes(file, info))) return { path: file, downloaded: false };
  await client.download(info, file);
  fs.writeFileSync(sidecar(file), fingerprint(info));
  return { path: file, downloaded: true };
}

/** Downloads what is not cached (or whose cached copy fails its hash) and links frame images. */
export async function fetchBucketObjects(
  db: Db,
  home: HomePaths,
  client: BucketClient,
  kind: 'videos' | 'frames',
  prefix: string,
  names: readonly string[],
): Promise<{ files: { name: string; path: string; downloaded: boolean }[]; linked: number }> {
  const listed = new Map((await client.list(prefix)).map((o) => [o.name, o]));
  const files: { name: string; path: string; downloaded: boolean }[] = [];
  for (const name of names) {
    const info = listed.get(name);
    if (!info) throw new FramelabError('NOT_FOUND', `There is no object gs://${client.bucket}/${name} under "${prefix}".`);
    files.push({ name, ...(await fetchBucketObject(home, client, info)) });
  }
  let linked = 0;
  if (kind === 'frames') {
    const frame = cached(db, 'SELECT video_id, image_path FROM frames WHERE frame_id = ?');
    const link = cached(db, 'UPDATE frames SET image_path = ? WHERE frame_id = ?');
    db.transaction(() => {
      for (const f of files) {
        const frameId = frameIdOf(f.name);
        const row = frameId ? (frame.get(frameId) as { video_id: string; image_path: string | null } | undefined) : undefined;
        if (!frameId || !row || row.image_path !== null) continue;
        const stored = storeFile(db, home, storedImagePath(row.video_id, frameId, f.path), 'frame', fs.readFileSync(f.path));
        link.run(stored.path, frameId);
        linked++;
      }
    }).immediate();
  }
  return { files, linked };
}
