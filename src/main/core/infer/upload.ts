/**
 * Copies a run's state to `gs://BUCKET/PREFIX` at each checkpoint and at the end, with the Sync
 * settings' credentials, so a preempted machine's work is in the bucket: the manifest, each new
 * part (parts never change once written, so each is sent once, as an object that must not exist
 * yet), then the CSVs so far and their models sidecar (replaced each time). Uploads run in the
 * background one at a time (a checkpoint that lands while one is under way is folded into the
 * next; a part that failed is sent with the next one); a failure is a warning in the job's log,
 * never the end of the run: the caller decides at the end whether the bucket had to have it.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/open';
import { resolveCredentials } from '../sync/credentials';
import { PreconditionFailed } from '../sync/failure';
import { createBucketClient, type BucketClient } from '../sync/gcs';
import { readSyncSettings } from '../sync/settings';
import { objectName, parseGsUrl } from './gsUrl';

export { objectName } from './gsUrl';

export interface UploadItem {
  /** Name under the prefix (`infer-manifest.json`, `parts/part-000001.jsonl`). */
  name: string;
  text: () => string;
  /** Written once and never replaced (a part): skipped once sent. */
  once?: boolean;
}

export interface CheckpointUploader {
  /** Schedules an upload of what `items()` gives when its turn comes, in that order. */
  schedule(items: () => UploadItem[], what: string): void;
  /** Objects the bucket already holds with this run's content (parts restored from it): never sent again. */
  markSent(names: Iterable<string>): void;
  /** Waits for the uploads scheduled so far; the last one's failure, or null when it went through. */
  settle(): Promise<string | null>;
}

type Log = (message: string) => void;

const md5 = (text: string) => crypto.createHash('md5').update(text, 'utf8').digest('base64');

async function put(client: BucketClient, object: string, text: string): Promise<void> {
  // ifGenerationMatch: the current generation, or 0 ("must not exist yet") for a new object.
  const current = await client.info(object);
  await client.write(object, text, current ? current.generation : '0');
}

/** A part goes up once; one already there is fine only with the same bytes (a resend after a lost answer). */
async function putOnce(client: BucketClient, object: string, text: string): Promise<void> {
  try {
    await client.write(object, text, '0');
  } catch (err) {
    if (!(err instanceof PreconditionFailed)) throw err;
    const there = await client.info(object);
    if (there?.md5 !== md5(text)) {
      throw new Error(
        `gs://${client.bucket}/${object} already holds other videos (is another machine writing to the same place?); it was left as it is`,
      );
    }
  }
}

export function checkpointUploader(db: Db, url: string, log: { warn: Log; info: Log }): CheckpointUploader {
  const target = parseGsUrl(url);
  if (!target) throw new Error(`not a gs:// URL: ${url}`);
  let client: Promise<BucketClient> | null = null;
  let chain = Promise.resolve();
  let queued: { items: () => UploadItem[]; what: string } | null = null;
  let lastFailure: string | null = null;
  const sent = new Set<string>();

  const uploadOnce = async (job: { items: () => UploadItem[]; what: string }) => {
    try {
      client ??= createBucketClient(target.bucket, resolveCredentials(readSyncSettings(db)));
      const bucket = await client;
      let files = 0;
      let parts = 0;
      for (const item of job.items()) {
        const object = objectName(target.prefix, item.name);
        if (!item.once) {
          await put(bucket, object, item.text());
          files++;
        } else if (!sent.has(item.name)) {
          await putOnce(bucket, object, item.text());
          sent.add(item.name);
          parts++;
        }
      }
      lastFailure = null;
      log.info(`uploaded ${files} file(s) to ${url} (${job.what})${parts ? `, and ${parts} new part(s)` : ''}`);
    } catch (err) {
      client = null; // credentials or the network may be back next time
      lastFailure = (err as Error).message;
      log.warn(`could not upload the ${job.what} results to ${url}: ${lastFailure}`);
    }
  };

  return {
    schedule(items, what) {
      const pending = queued === null;
      queued = { items, what };
      if (!pending) return; // the queued upload will take the newest files
      chain = chain.then(async () => {
        const job = queued!;
        queued = null;
        await uploadOnce(job);
      });
    },
    markSent(names) {
      for (const n of names) sent.add(n);
    },
    settle: () => chain.then(() => lastFailure),
  };
}
