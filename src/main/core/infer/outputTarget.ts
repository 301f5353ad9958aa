/**
 * Where an `infer.run` keeps its state and where that state goes (issue 21, item 5):
 *
 *   --out DIR                      the folder is the state (outputState.ts), as before;
 *   --out DIR --upload gs://B/P    the folder is the state, copied to the bucket at checkpoints;
 *   --out gs://B/P                 the bucket is the output: the state is staged in the home
 *                                  (<home>/cache/infer-out/B/<P encoded>) and copied to the
 *                                  bucket at checkpoints, so a new machine with an empty disk
 *                                  resumes from the bucket alone.
 *
 * No network here: the owner's checks and the results screens use it too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { InferParams } from '../../../shared/infer';
import { trustOutputRoot } from '../workspace/outputPaths';
import { parseGsUrl, sameGsTarget, type GsTarget } from './gsUrl';

export interface OutputTarget {
  /** The folder holding the run's state (manifest, parts, CSVs): the given folder, or the staging folder of a bucket output. */
  stateDir: string;
  /** gs://BUCKET/PREFIX the state is copied to at each checkpoint, or null. */
  bucketUrl: string | null;
  /** The bucket is the output (`--out gs://…`): not reaching it fails the run instead of warning. */
  bucketIsOutput: boolean;
  /** What the result and the CLI name: the folder, or the gs:// URL. */
  outDir: string;
}

/** Bucket names (Cloud Storage's rules, loosely): also keeps `..` and hidden names out of the staging path. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/;

export const stagingRoot = (homeRoot: string): string => path.join(homeRoot, 'cache', 'infer-out');

/**
 * The staging folder of a bucket output: one folder per bucket, one per prefix inside it, the
 * prefix encoded as one name (so `gs://b/x` and `gs://b/x/parts` never nest into each other's
 * state, and no `..` or leading dot survives). The bucket root is `%2F`.
 */
export function stagingDir(homeRoot: string, url: string, target: GsTarget): string {
  if (!BUCKET_NAME.test(target.bucket))
    throw new FramelabError(
      'INVALID_INPUT',
      `${url}: "${target.bucket}" is not a bucket name (lower-case letters, digits, dots, dashes, underscores).`,
    );
  const prefix = target.prefix.replace(/\/+$/, '');
  const name = prefix ? encodeURIComponent(prefix).replace(/^\./, '%2E') : '%2F';
  return path.join(stagingRoot(homeRoot), target.bucket, name);
}

export function outputTarget(homeRoot: string, params: Pick<InferParams, 'outDir' | 'uploadTo'>): OutputTarget {
  const out = parseGsUrl(params.outDir);
  if (!out) {
    return {
      stateDir: path.resolve(params.outDir),
      bucketUrl: params.uploadTo ?? null,
      bucketIsOutput: false,
      outDir: path.resolve(params.outDir),
    };
  }
  if (params.uploadTo && !sameGsTarget(params.uploadTo, params.outDir)) {
    throw new FramelabError(
      'INVALID_INPUT',
      `--out ${params.outDir} already puts the results in the bucket; --upload ${params.uploadTo} would copy them to a second place. Give one of them (or --out DIR --upload gs://…).`,
    );
  }
  return { stateDir: stagingDir(homeRoot, params.outDir, out), bucketUrl: params.outDir, bucketIsOutput: true, outDir: params.outDir };
}

/** The folder the screens read for a run's `outDir` (a bucket output's staging folder); null for a URL no run could have used. */
export function localStateDir(homeRoot: string, outDir: string): string | null {
  const gs = parseGsUrl(outDir);
  if (!gs) return path.resolve(outDir);
  try {
    return stagingDir(homeRoot, outDir, gs);
  } catch {
    return null;
  }
}

/**
 * Makes the staging folder's parent and lets outputs go below the staging root: it is
 * Framelab's own folder inside the home, which on Linux sits under the hidden `~/.config`.
 */
export function prepareStaging(homeRoot: string, stateDir: string): void {
  fs.mkdirSync(path.dirname(stateDir), { recursive: true });
  trustOutputRoot(stagingRoot(homeRoot));
}
