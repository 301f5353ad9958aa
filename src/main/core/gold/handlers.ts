import { FramelabError } from '../../../shared/errors';
import { adjudicate } from './adjudication';
import { listDisagreements } from './disagreements';
import { exportSnapshot, listSnapshots, takeSnapshot } from './goldSet';
import { freshAnnotationsSource } from '../sync/source';
import type { HandlerGroup } from '../api/types';

export const goldHandlers: HandlerGroup<'gold.disagreements' | 'gold.adjudicate' | 'gold.snapshot' | 'gold.list' | 'gold.export'> = {
  'gold.disagreements': ({ dimension, pair }, core) => ({ disagreements: listDisagreements(core.db, dimension, pair) }),
  'gold.adjudicate': (input, core) => {
    const decided = adjudicate(core.db, input);
    core.events.emit({ type: 'data.changed', topics: ['gold'] });
    return decided;
  },
  'gold.snapshot': async ({ dimension }, core) => {
    // Bucket first: the snapshot is what fine-tuning trains on (offline: the local copy, recorded with the reason).
    const { source, warning } = await freshAnnotationsSource(core, `the ${dimension} gold snapshot`);
    let snapshot;
    try {
      snapshot = takeSnapshot(core.db, dimension, source);
    } catch (err) {
      // E.g. an empty gold set: offline, it may be empty only because the bucket's codes are not here.
      if (warning && err instanceof FramelabError) throw new FramelabError(err.code, `${err.message} ${warning}`, err.details);
      throw err;
    }
    core.events.emit({ type: 'data.changed', topics: ['gold'] });
    return snapshot;
  },
  'gold.list': ({ dimension }, core) => ({ snapshots: listSnapshots(core.db, dimension) }),
  'gold.export': ({ snapshotId, out, overwrite }, core) => exportSnapshot(core.db, snapshotId, out, overwrite),
};
