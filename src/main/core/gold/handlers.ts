import { FramelabError } from '../../../shared/errors';
import { adjudicate } from './adjudication';
import { listDisagreements } from './disagreements';
import { exportSnapshot, listSnapshots, takeSnapshot } from './goldSet';
import { coverage } from '../icr/coverage';
import { freshAnnotationsSource } from '../sync/source';
import { projectReportContext, writeReport } from '../icr/exportReport';
import { fileOutput } from '../workspace/outputPaths';
import type { HandlerGroup } from '../api/types';

export const goldHandlers: HandlerGroup<
  'icr.coverage' | 'icr.export' | 'gold.disagreements' | 'gold.adjudicate' | 'gold.snapshot' | 'gold.list' | 'gold.export'
> = {
  'icr.coverage': ({ dimension }, core) => coverage(core.db, dimension),
  'icr.export': ({ format, out, overwrite, ...input }, core) => {
    // The path is checked before the report is computed (a bootstrap can take seconds).
    fileOutput(out, { extensions: [format], overwrite });
    return writeReport(projectReportContext(core.db, core.home, input), format, out, core.pdfPrinter, overwrite);
  },
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
