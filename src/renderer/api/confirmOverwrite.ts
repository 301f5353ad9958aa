import { FramelabError } from '../../shared/errors';
import { client } from './client';

/**
 * The API never replaces a file the person chose unless the call says `overwrite`; when the
 * file is there it answers CONFLICT with `details.exists`. The screens that write to a typed
 * path all go through this one helper: call, and on that answer ask "<file> exists. Replace
 * it?", then call again with overwrite. A destination folder that does not exist is offered
 * for creation the same way. Any other error is thrown as it came.
 */

interface ExistsDetails {
  exists: true;
  path: string;
  /** Files already in a destination folder (a several-file export). */
  existing?: string[];
}

/** True for the API's "FILE exists; pass overwrite to replace it" refusal. */
export function isExistsConflict(err: unknown): err is FramelabError & { details: ExistsDetails } {
  if (!(err instanceof FramelabError) || err.code !== 'CONFLICT') return false;
  const details = err.details as Partial<ExistsDetails> | undefined;
  return details?.exists === true && typeof details.path === 'string';
}

/** The question the person answers: which file (or which files of a folder) would be replaced. */
export function replaceQuestion(details: ExistsDetails): string {
  return details.existing?.length
    ? `${details.path} already holds ${details.existing.join(', ')}. Replace ${details.existing.length === 1 ? 'it' : 'them'}?`
    : `${details.path} exists. Replace it?`;
}

interface MissingFolderDetails {
  missingFolder: string;
}

/** True for the API's "the folder X does not exist" refusal of an output path. */
export function isMissingFolder(err: unknown): err is FramelabError & { details: MissingFolderDetails } {
  if (!(err instanceof FramelabError) || err.code !== 'INVALID_INPUT') return false;
  const details = err.details as Partial<MissingFolderDetails> | undefined;
  return typeof details?.missingFolder === 'string';
}

/**
 * Runs `call(false)`. If the destination folder does not exist, asks "Create it?" and on yes
 * creates it and tries again; if the file exists, asks "Replace it?" and on yes runs
 * `call(true)`. Resolves null when the person says no (nothing was written).
 */
export async function callConfirmingOverwrite<T>(
  call: (overwrite: boolean) => Promise<T>,
  confirm: (question: string) => boolean = (question) => window.confirm(question),
  createFolder: (dir: string) => Promise<unknown> = (dir) => client().call('exports.createFolder', { path: dir }),
): Promise<T | null> {
  let overwrite = false;
  let created = false;
  for (;;) {
    try {
      return await call(overwrite);
    } catch (err) {
      if (!created && isMissingFolder(err)) {
        if (!confirm(`The folder ${err.details.missingFolder} does not exist. Create it?`)) return null;
        await createFolder(err.details.missingFolder);
        created = true;
      } else if (!overwrite && isExistsConflict(err)) {
        if (!confirm(replaceQuestion(err.details))) return null;
        overwrite = true;
      } else {
        throw err;
      }
    }
  }
}
