/**
 * `--upload gs://BUCKET/PREFIX`: the run's CSVs so far (rendered from the saved parts) and its
 * manifest go to the bucket at each checkpoint and at the end, with the Sync settings'
 * credentials, so a preempted machine's partial results are visible elsewhere. Uploads run in
 * the background one at a time (a checkpoint that lands while one is under way is folded into
 * the next); a failure is a warning in the job's log, never the end of the run.
 */
import type { Db } from '../db/open';
import { resolveCredentials } from '../sync/credentials';
import { createBucketClient, type BucketClient } from '../sync/gcs';
import { readSyncSettings } from '../sync/settings';
import { parseGsUrl } from './videoSource';

export interface CheckpointUploader {
  /** Schedules an upload of what `files()` gives when its turn comes (name → text). */
  schedule(files: () => Record<string, string>, what: string): void;
  /** Waits for the uploads scheduled so far. */
  settle(): Promise<void>;
}

type Warn = (message: string) => void;
type Info = (message: string) => void;

/** Object name under the prefix: `PREFIX/name`, with one slash between. */
export function objectName(prefix: string, name: string): string {
  return prefix ? `${prefix.replace(/\/+$/, '')}/${name}` : name;
}

async function put(client: BucketClient, object: string, text: string): Promise<void> {
  // ifGenerationMatch: the current generation, or 0 ("must not exist yet") for a new object.
  const current = await client.info(object);
  await client.write(object, text, current ? current.generation : '0');
}

export function checkpointUploader(db: Db, url: string, log: { warn: Warn; info: Info }): CheckpointUploader {
  const target = parseGsUrl(url);
  if (!target) throw new Error(`not a gs:// URL: ${url}`);
  let client: Promise<BucketClient> | null = null;
  let chain = Promise.resolve();
  let queued: { files: () => Record<string, string>; what: string } | null = null;

  const uploadOnce = async (job: { files: () => Record<string, string>; what: string }) => {
    try {
      client ??= createBucketClient(target.bucket, resolveCredentials(readSyncSettings(db)));
      const bucket = await client;
      const files = job.files();
      for (const [name, text] of Object.entries(files)) await put(bucket, objectName(target.prefix, name), text);
      log.info(`uploaded ${Object.keys(files).length} file(s) to ${url} (${job.what})`);
    } catch (err) {
      client = null; // credentials or the network may be back next time
      log.warn(`could not upload the ${job.what} results to ${url}: ${(err as Error).message}`);
    }
  };

  return {
    schedule(files, what) {
      const pending = queued === null;
      queued = { files, what };
      if (!pending) return; // the queued upload will take the newest files
      chain = chain.then(async () => {
        const job = queued!;
        queued = null;
        await uploadOnce(job);
      });
    },
    settle: () => chain,
  };
}
