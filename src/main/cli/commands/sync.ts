import type { SyncRoundResult, SyncStatus } from '../../../shared/sync';
import { FramelabError } from '../../../shared/errors';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { withClient } from '../session';

const USAGE = `framelab sync [--bucket BUCKET] [--object PATH] [--json]
       framelab sync status [--json]`;

/** Exit code of a round that could not reach the bucket (nothing local changed). */
export const OFFLINE_EXIT_CODE = 3;

function describeRound(r: SyncRoundResult): string {
  const lines = [
    `Synced: ${r.downloaded} rows downloaded, ${r.uploaded ? `${r.uploaded} rows uploaded` : 'nothing to upload'}, ${r.merged} codes merged from the bucket; generation ${r.generation}.`,
  ];
  if (r.conflicts.length) {
    lines.push(`${r.conflicts.length} conflict${r.conflicts.length === 1 ? '' : 's'} (edited on both sides; the newer value was applied):`);
    for (const c of r.conflicts)
      lines.push(`  ${c.frameId} ${c.coder} ${c.dimension}: local "${c.local ?? ''}", bucket "${c.remote ?? ''}" → "${c.applied ?? ''}"`);
  }
  const ratings = r.ratings;
  if (ratings?.offline) lines.push(`Ratings NOT synced (${ratings.target}): ${ratings.reason}`);
  else if (ratings) {
    lines.push(
      `Ratings (${ratings.target}): ${ratings.downloaded} rows downloaded, ${ratings.uploaded ? `${ratings.uploaded} rows uploaded` : 'nothing to upload'}, ` +
        `${ratings.merged} ratings merged from the bucket${ratings.conflicts ? `, ${ratings.conflicts} rated on both sides (both kept, the newer current; see preference ratings conflicts)` : ''}.`,
    );
  }
  return lines.join('\n');
}

function describeStatus(s: SyncStatus): string {
  if (s.state === 'off') return 'Sync is off: no bucket is set.';
  const since = s.lastSyncedAt ? `last synced ${s.lastSyncedAt} (generation ${s.generation})` : 'never synced';
  const head =
    s.state === 'offline'
      ? `NOT SYNCED since ${s.lastSyncedAt ?? 'ever'} — offline since ${s.offlineSince}: ${s.message}`
      : `${s.state}: ${since}`;
  const lines = [`${s.target}: ${head}`, `${s.pendingEdits} local edits not in the bucket yet; ${s.openConflicts} open conflicts`];
  const r = s.ratings;
  if (r) {
    const state =
      r.state === 'offline'
        ? `NOT SYNCED since ${r.lastSyncedAt ?? 'ever'}: ${r.message}`
        : r.state === 'never'
          ? 'never synced'
          : `last synced ${r.lastSyncedAt}`;
    lines.push(`${r.target}: ${state}; ${r.pendingEdits} ratings not in the bucket yet`);
  }
  return lines.join('\n');
}

export const syncCommand: Command = {
  name: 'sync',
  usage: USAGE,
  summary:
    "Sync annotations (and the owner's ratings beside them) with the bucket now (exit 3 when it cannot be reached; nothing local changes)",
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(args, { bucket: { type: 'string' }, object: { type: 'string' } }, USAGE);
    const [action, ...extra] = positionals;
    if (extra.length || (action !== undefined && action !== 'status')) {
      throw new FramelabError('INVALID_INPUT', `Unexpected "${positionals.join(' ')}".\nUsage: ${USAGE}`);
    }
    return withClient(globals, async (client) => {
      if (action === 'status') {
        const status = await client.call('sync.status');
        return { value: status, text: describeStatus(status) };
      }
      const outcome = await client.call('sync.run', { bucket: values.bucket, object: values.object });
      if (outcome.offline) {
        return {
          value: { offline: true, reason: outcome.reason },
          text: `Not synced: ${outcome.reason}\nNothing local changed; work goes on locally.`,
          exitCode: OFFLINE_EXIT_CODE,
        };
      }
      const { downloaded, uploaded, merged, conflicts, generation, ratings } = outcome;
      // `ratings` only once the lab has ratings (here or in the bucket): the annotations-only output keeps its shape.
      const value = { downloaded, uploaded, merged, conflicts, generation, offline: false, ...(ratings ? { ratings } : {}) };
      return { value, text: describeRound(outcome) };
    });
  },
};
