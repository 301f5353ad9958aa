/**
 * The bucket copy of a run's state (issue 21, item 5: spot VMs checkpoint to the bucket, and
 * the same command on a new machine with an empty disk resumes there). Before the run opens its
 * folder, the bucket's manifest is checked against this run's; then either the bucket's parts
 * the folder lacks are downloaded into it (the folder's resume logic does the rest), or, with
 * --fresh, the earlier run's objects are deleted from the bucket: they were asked to be
 * discarded, and left there a later resume would download them back among the new run's parts.
 * Only the objects a run writes are ever deleted, and only with --fresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { describeJsonError } from '../workspace/describeContent';
import { PreconditionFailed, SyncFailure } from '../sync/failure';
import { matchesHashes, type BucketClient, type ObjectInfo } from '../sync/gcs';
import { objectName, type GsTarget } from './gsUrl';
import { ERRORS_CSV, MODELS_SIDECAR, PREDICTIONS_CSV, VIDEO_CSV } from './outputs';
import { MANIFEST_FILE, manifestDifferences, PARTS_DIR, type InferManifest } from './outputState';

const PART_NAME = /^part-\d+\.jsonl$/;

export interface BucketState {
  url: string;
  manifest: InferManifest | null;
  /** The bucket's parts by file name (`part-000001.jsonl`). */
  parts: Map<string, ObjectInfo>;
}

/** A bucket failure as the job's error: what was being done, to which URL, and the bucket's own words. */
export function bucketError(err: unknown, doing: string): FramelabError {
  if (err instanceof FramelabError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof PreconditionFailed)
    return new FramelabError(
      'CONFLICT',
      `${doing}: an object changed meanwhile (is another machine writing to the same place?); run again.`,
    );
  const code = err instanceof SyncFailure && err.problem === 'offline' ? 'SERVER_UNREACHABLE' : 'INVALID_INPUT';
  return new FramelabError(code, `${doing}: ${message}`);
}

/** What the bucket holds under the prefix: its manifest (checked to parse) and its parts. */
export async function readBucketState(client: BucketClient, url: string, target: GsTarget): Promise<BucketState> {
  const partsPrefix = objectName(target.prefix, `${PARTS_DIR}/`);
  const parts = new Map<string, ObjectInfo>();
  for (const info of await client.list(partsPrefix)) {
    const name = info.name.slice(partsPrefix.length);
    if (PART_NAME.test(name)) parts.set(name, info);
  }
  const manifestObject = objectName(target.prefix, MANIFEST_FILE);
  const got = await client.read(manifestObject);
  let manifest: InferManifest | null = null;
  if (got) {
    try {
      manifest = JSON.parse(got.text) as InferManifest;
    } catch (err) {
      throw new FramelabError(
        'INVALID_INPUT',
        `gs://${client.bucket}/${manifestObject} cannot be read: ${describeJsonError(err, got.text)}; run with --fresh to start over (that deletes the run's objects under ${url}).`,
      );
    }
  }
  return { url, manifest, parts };
}

/** Refuses a bucket holding another run's results (or parts nobody can vouch for), as openOutput refuses a folder. */
export function checkBucketState(state: BucketState, manifest: InferManifest): void {
  if (state.manifest) {
    const diff = manifestDifferences(state.manifest, manifest);
    if (diff.length) {
      throw new FramelabError(
        'CONFLICT',
        `${state.url} holds results of another run: ${diff.join('; ')}. Use another gs:// prefix, or --fresh to discard them (deletes them from the bucket).`,
      );
    }
  } else if (state.parts.size) {
    throw new FramelabError(
      'CONFLICT',
      `${state.url} holds ${state.parts.size} part(s) but no ${MANIFEST_FILE}, so nothing says which models made them. Use another gs:// prefix, or --fresh to discard them (deletes them from the bucket).`,
    );
  }
}

/**
 * Downloads the bucket's parts the folder lacks. A part of the same name with other bytes is
 * refused, naming both: two machines wrote the same place, and neither copy may be dropped
 * silently. Returns the parts now in both places (never uploaded again).
 */
export async function restoreParts(
  client: BucketClient,
  state: BucketState,
  stateDir: string,
  log: (message: string) => void,
): Promise<string[]> {
  let downloaded = 0;
  for (const [name, info] of state.parts) {
    const file = path.join(stateDir, PARTS_DIR, name);
    if (fs.existsSync(file)) {
      if (!(await matchesHashes(file, info))) {
        throw new FramelabError(
          'CONFLICT',
          `${file} and gs://${client.bucket}/${info.name} are both ${name} but hold different videos (two machines wrote to the same place?). Keep the one you trust and move the other away, then run again.`,
        );
      }
      continue;
    }
    await client.download(info, file);
    downloaded++;
  }
  if (downloaded) log(`restored ${downloaded} part(s) from ${state.url}`);
  return [...state.parts.keys()];
}

/** --fresh: deletes the earlier run's objects (its parts first, the manifest last, so an interrupted discard leaves a consistent earlier run). */
export async function discardBucketState(
  client: BucketClient,
  state: BucketState,
  target: GsTarget,
  log: (message: string) => void,
): Promise<void> {
  const others = [PREDICTIONS_CSV, VIDEO_CSV, ERRORS_CSV, MODELS_SIDECAR, MANIFEST_FILE].map((n) => objectName(target.prefix, n));
  const infos = [...state.parts.values()];
  for (const name of others) {
    const info = await client.info(name);
    if (info) infos.push(info);
  }
  for (const info of infos) await client.remove(info);
  if (infos.length) log(`--fresh: deleted ${infos.length} object(s) of the earlier run from ${state.url} (${state.parts.size} part(s))`);
}
