import type { Input } from '../../shared/api';
import { client } from '../api/client';

/**
 * The Sync screen's API calls. The screens call these, never the client: every screen reads and
 * writes through the store's actions. Failures reject as the core wrote them; the caller
 * notifies or shows them in its form.
 */

/**
 * Download videos or frame images into the local cache (checked by MD5/CRC32C); frames are linked
 * to their frame ids.
 */
export const fetchFromBucket = (input: Input<'sync.bucket.fetch'>) => client().call('sync.bucket.fetch', input);

/** Sync settings (bucket, object, prefixes, key file path; never a credential). */
export const getSyncSettings = () => client().call('sync.settings.get');

/** List the bucket's videos or frame images (<frame_id>.jpg|png) under the configured prefix. */
export const listBucket = (input: Input<'sync.bucket.list'>) => client().call('sync.bucket.list', input);

/** Codes edited on both sides since the last sync, for the lead. */
export const listConflicts = (input: Input<'sync.conflicts'>) => client().call('sync.conflicts', input);

/** Recorded sync rounds, newest first. */
export const listSyncRounds = (input: Input<'sync.rounds'>) => client().call('sync.rounds', input);

/**
 * Resolve a sync conflict with a category (the local, the bucket's, or another); a change goes up
 * at the next round.
 */
export const resolveConflict = (input: Input<'sync.resolve'>) => client().call('sync.resolve', input);

/** One sync round now: download, merge, upload with ifGenerationMatch; offline leaves everything local as it was. */
export const runSync = (input: Input<'sync.run'>) => client().call('sync.run', input);

/** Change sync settings (the fields given). */
export const setSyncSettings = (input: Input<'sync.settings.set'>) => client().call('sync.settings.set', input);

/** Test the connection to the bucket with these settings (or the saved ones); writes nothing. */
export const testSyncConnection = (input: Input<'sync.test'>) => client().call('sync.test', input);
