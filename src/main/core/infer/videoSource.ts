/**
 * Where a run's videos come from: a local folder, or `gs://BUCKET/PREFIX` through the Sync
 * settings' credentials. A bucket video is fetched by a decode worker when its turn comes
 * (download is the I/O-bound work the workers overlap with the model) into the home's verified
 * bucket cache, so a resumed run downloads only what is not cached yet.
 */
import fs from 'node:fs';
import { FramelabError } from '../../../shared/errors';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { defaultVideoId, isVideoFile } from '../media/videoIds';
import { fetchBucketObject } from '../sync/bucketFiles';
import { resolveCredentials } from '../sync/credentials';
import { createBucketClient } from '../sync/gcs';
import { readSyncSettings } from '../sync/settings';
import { parseGsUrl } from './gsUrl';
import { compareIds, listLocalVideos, type VideoEntry } from './videoList';

export { parseGsUrl } from './gsUrl';

/**
 * A download is tried three times (after 1 s, then 3 s): over hours of downloads a connection
 * reset is bound to happen, and a failed download is saved as the video's error (not retried
 * on resume). A missing capability is not retried.
 */
async function withRetries<T>(work: () => Promise<T>, delaysMs: readonly number[] = [1000, 3000]): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= delaysMs.length || (err instanceof FramelabError && err.code === 'CAPABILITY_MISSING')) throw err;
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  }
}

/** Deletes a cached bucket object and its verification sidecar (see sync/bucketFiles.ts). */
function dropCached(file: string): void {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.verified`, { force: true });
}

/**
 * `keepCache` false: a video this run downloads is deleted from the cache once its frames are
 * decoded (15,000 videos would fill the disk); one that was cached before the run stays.
 */
export async function listVideoSource(db: Db, home: HomePaths, source: string, keepCache = true): Promise<VideoEntry[]> {
  const gs = parseGsUrl(source);
  if (!gs) return listLocalVideos(source);
  const client = await createBucketClient(gs.bucket, resolveCredentials(readSyncSettings(db)));
  const byId = new Map<string, VideoEntry>();
  for (const info of (await client.list(gs.prefix)).filter((o) => isVideoFile(o.name))) {
    const videoId = defaultVideoId(info.name);
    const other = byId.get(videoId);
    if (other)
      throw new FramelabError(
        'INVALID_INPUT',
        `Two objects have the video id "${videoId}": ${other.path} and gs://${gs.bucket}/${info.name}. Rename one.`,
      );
    let downloaded: string | null = null;
    byId.set(videoId, {
      videoId,
      path: `gs://${gs.bucket}/${info.name}`,
      fetch: async () => {
        const got = await withRetries(() => fetchBucketObject(home, client, info));
        if (got.downloaded) downloaded = got.path;
        return got.path;
      },
      release: () => {
        if (downloaded && !keepCache) dropCached(downloaded);
        downloaded = null;
      },
    });
  }
  return [...byId.values()].sort((a, b) => compareIds(a.videoId, b.videoId));
}
