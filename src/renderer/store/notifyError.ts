import { FramelabError } from '../../shared/errors';
import { useStore } from './index';

/** Shows a failure as the core wrote it (what went wrong and what to do); anything else as unexpected. */
export function notifyError(err: unknown): void {
  const text = err instanceof FramelabError ? err.message : `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  useStore.getState().notify('error', text);
}
