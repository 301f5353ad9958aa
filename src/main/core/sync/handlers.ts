import { FramelabError } from '../../../shared/errors';
import { SyncSettings } from '../../../shared/sync';
import { fetchBucketObjects, listBucketEntries } from './bucketFiles';
import { listConflicts, resolveConflict } from './conflicts';
import { listRounds } from './status';
import type { Core } from '../core';
import type { HandlerGroup } from '../api/types';

type SyncMethods =
  | 'sync.status'
  | 'sync.settings.get'
  | 'sync.settings.set'
  | 'sync.test'
  | 'sync.run'
  | 'sync.rounds'
  | 'sync.conflicts'
  | 'sync.resolve'
  | 'sync.bucket.list'
  | 'sync.bucket.fetch';

function prefixFor(core: Core, kind: 'videos' | 'frames', prefix: string | undefined): string {
  const settings = core.sync.settings();
  if (!settings.bucket) throw new FramelabError('INVALID_INPUT', 'No bucket is set: choose one in Sync settings first.');
  return prefix ?? (kind === 'videos' ? settings.videoPrefix : settings.framesPrefix);
}

export const syncHandlers: HandlerGroup<SyncMethods> = {
  'sync.status': (_input, core) => core.sync.status(),
  'sync.settings.get': (_input, core) => core.sync.settings(),
  'sync.settings.set': (change, core) => core.sync.saveSettings(SyncSettings.parse({ ...core.sync.settings(), ...change })),
  'sync.test': ({ settings }, core) => core.sync.testConnection(settings && SyncSettings.parse({ ...core.sync.settings(), ...settings })),
  'sync.run': ({ bucket, object }, core) => core.sync.run(core.info.mode === 'cli' ? 'cli' : 'manual', { bucket, object }),
  'sync.rounds': ({ limit }, core) => ({ rounds: listRounds(core.db, limit) }),
  'sync.conflicts': ({ includeResolved }, core) => ({ conflicts: listConflicts(core.db, includeResolved) }),
  'sync.resolve': (input, core) => {
    const { conflict, changed } = resolveConflict(core.db, input);
    core.events.emit({ type: 'data.changed', topics: ['codes'] });
    core.events.emit({ type: 'sync.status', status: core.sync.status() });
    if (changed) core.sync.background('resolve');
    return { conflict };
  },
  'sync.bucket.list': async ({ kind, prefix }, core) => {
    const chosen = prefixFor(core, kind, prefix);
    const client = await core.sync.client(core.sync.settings());
    return { prefix: chosen, entries: await listBucketEntries(core.db, core.home, client, kind, chosen) };
  },
  'sync.bucket.fetch': async ({ kind, names, prefix }, core) => {
    const chosen = prefixFor(core, kind, prefix);
    const client = await core.sync.client(core.sync.settings());
    const result = await fetchBucketObjects(core.db, core.home, client, kind, chosen, names);
    if (result.linked > 0) core.events.emit({ type: 'data.changed', topics: ['frames'] });
    return result;
  },
};
