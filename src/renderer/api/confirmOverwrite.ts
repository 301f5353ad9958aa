import { FramelabError } from '../../shared/errors';

/**
 * The API never replaces a file the person chose unless the call says `overwrite`; when the
 * file is there it answers CONFLICT with `details.exists`. The screens that write to a typed
 * path all go through this one helper: call, and on that answer ask "<file> exists. Replace
 * it?", then call again with overwrite. Any other error is thrown as it came.
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

/**
 * Runs `call(false)`; if the file exists, asks, and on yes runs `call(true)`. Resolves null
 * when the person keeps the existing file (nothing was written).
 */
export async function callConfirmingOverwrite<T>(
  call: (overwrite: boolean) => Promise<T>,
  confirm: (question: string) => boolean = (question) => window.confirm(question),
): Promise<T | null> {
  try {
    return await call(false);
  } catch (err) {
    if (!isExistsConflict(err)) throw err;
    if (!confirm(replaceQuestion(err.details))) return null;
    return call(true);
  }
}
