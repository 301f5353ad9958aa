import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { GoldSnapshotSummary } from '../../../shared/gold';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { withClient } from '../session';
import { warnLocalFallback } from '../sourceWarning';

const GOLD_USAGE = `framelab gold snapshot --dimension D [--json]
       framelab gold list [--dimension D] [--json]
       framelab gold export --snapshot ID --out FILE [--overwrite] [--json]`;
const ADJUDICATE_USAGE = 'framelab adjudicate --frame ID --dimension D --code C [--note TEXT] [--json]';

const usage = (message: string, text: string) => new FramelabError('INVALID_INPUT', `${message}\nUsage: ${text}`);

function describeSnapshot(s: GoldSnapshotSummary): string {
  const classes = Object.entries(s.byClass)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  const source = s.annotationsSource
    ? s.annotationsSource.kind === 'bucket'
      ? `; annotations from the bucket (generation ${s.annotationsSource.generation})`
      : `; LOCAL annotations (${s.annotationsSource.syncedAt ? `not synced since ${s.annotationsSource.syncedAt}` : 'never synced'})`
    : '';
  return `${s.id}: ${s.frames} ${s.dimension} frames (${s.bySource.agreed} agreed, ${s.bySource.adjudicated} adjudicated; ${classes}); ${s.imagesMissing} without an image${source}`;
}

/** What `gold snapshot --json` prints: the snapshot's id and integer counts. */
const snapshotCounts = (s: GoldSnapshotSummary) => ({
  id: s.id,
  dimension: s.dimension,
  frames: s.frames,
  byClass: s.byClass,
  imagesMissing: s.imagesMissing,
});

export const goldCommand: Command = {
  name: 'gold',
  usage: GOLD_USAGE,
  summary: 'Freeze, list and export gold snapshots (agreed + adjudicated frames)',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      { dimension: { type: 'string' }, snapshot: { type: 'string' }, out: { type: 'string' }, overwrite: { type: 'boolean' } },
      GOLD_USAGE,
    );
    const [action, ...extra] = positionals;
    if (extra.length) throw usage(`Unexpected "${extra.join(' ')}".`, GOLD_USAGE);
    return withClient(globals, async (client) => {
      switch (action) {
        case 'snapshot': {
          if (!values.dimension) throw usage('gold snapshot needs --dimension.', GOLD_USAGE);
          const snapshot = await client.call('gold.snapshot', { dimension: values.dimension });
          warnLocalFallback(snapshot.annotationsSource, `the gold snapshot ${snapshot.id}`);
          return { value: snapshotCounts(snapshot), text: describeSnapshot(snapshot) };
        }
        case 'list': {
          const { snapshots } = await client.call('gold.list', { dimension: values.dimension });
          return { value: { snapshots }, text: snapshots.length ? snapshots.map(describeSnapshot).join('\n') : 'No gold snapshots yet.' };
        }
        case 'export': {
          if (!values.snapshot || !values.out) throw usage('gold export needs --snapshot and --out.', GOLD_USAGE);
          const result = await client.call('gold.export', {
            snapshotId: values.snapshot,
            out: path.resolve(values.out),
            overwrite: values.overwrite ?? false,
          });
          return { value: result, text: `${result.rows} rows written to ${result.file}` };
        }
        default:
          throw usage(`Unknown gold action "${action ?? ''}".`, GOLD_USAGE);
      }
    });
  },
};

export const adjudicateCommand: Command = {
  name: 'adjudicate',
  usage: ADJUDICATE_USAGE,
  summary: 'Resolve a disagreement: the code a frame gets in the gold set, with a note',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      { frame: { type: 'string' }, dimension: { type: 'string' }, code: { type: 'string' }, note: { type: 'string' } },
      ADJUDICATE_USAGE,
    );
    if (positionals.length) throw usage(`Unexpected "${positionals.join(' ')}".`, ADJUDICATE_USAGE);
    if (!values.frame || !values.dimension || !values.code)
      throw usage('adjudicate needs --frame, --dimension and --code.', ADJUDICATE_USAGE);
    const { frame, dimension, code, note } = values;
    return withClient(globals, async (client) => {
      const decided = await client.call('gold.adjudicate', { frameId: frame, dimension, code, note });
      const replaced = decided.replaced ? ` (was "${decided.replaced}")` : '';
      return { value: decided, text: `${decided.frameId} ${decided.dimension} = "${decided.code}"${replaced}` };
    });
  },
};
