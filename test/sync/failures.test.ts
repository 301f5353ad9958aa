/**
 * Rounds that cannot finish: an interrupted upload, an unreachable bucket (at start, then
 * back), missing credentials, a missing bucket, no permission. Nothing local may change
 * (except the round's own record), and the status says what is wrong until a round succeeds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveFrameCodes } from '../../src/main/core/coding/codes';
import { annotationsSource } from '../../src/main/core/sync/source';
import type { SyncStatus } from '../../src/shared/sync';
import { nextEvent, runCleanup, tempDir } from '../helpers';
import { addFrames, csvCodes, freshBucket, localCodes, localState, openHome, sorted, useStorageServer } from './fixtures';

afterEach(runCleanup);
const server = useStorageServer();

describe('a round that cannot finish changes nothing local', () => {
  it('an upload interrupted before it reached the bucket: offline, nothing written; the next round uploads', async () => {
    const bucket = freshBucket();
    const a = openHome('sync-a', { bucket, keyFile: server.keyFile() });
    const [f1] = addFrames(a, 3, ['coder_a']);
    saveFrameCodes(a.db, { coderId: 'coder_a', frameId: f1!, codes: { pov: '1st person', distance: 'Social' } });
    const before = localState(a);
    server.proxy().interruptNextUpload('before-write');
    const cut = await a.sync.run('manual');
    expect(cut).toMatchObject({ offline: true, problem: 'offline' });
    expect(localState(a)).toEqual(before);
    expect(await server.proxy().read(bucket, 'annotations.csv')).toBeNull();
    expect(a.sync.status()).toMatchObject({ state: 'offline', lastSyncedAt: null, pendingEdits: 2 });

    const next = await a.sync.run('manual');
    expect(next).toMatchObject({ offline: false, uploaded: 1, downloaded: 0 });
    expect(sorted(csvCodes((await server.proxy().read(bucket, 'annotations.csv'))!.text))).toEqual(sorted(localCodes(a)));
    expect(a.sync.status()).toMatchObject({ state: 'synced', pendingEdits: 0, offlineSince: null });
  });

  it('an upload whose answer was lost after the bucket stored it: the next round finds its own file, no conflict, no loss', async () => {
    const bucket = freshBucket();
    const settings = { bucket, keyFile: server.keyFile() };
    const a = openHome('sync-a', settings);
    const b = openHome('sync-b', settings);
    const frames = addFrames(a, 3, ['coder_a', 'coder_b']);
    addFrames(b, 3, ['coder_a', 'coder_b']);
    saveFrameCodes(b.db, { coderId: 'coder_b', frameId: frames[1]!, codes: { pov: 'no person', distance: 'Public' } });
    await b.sync.run('manual');
    saveFrameCodes(a.db, { coderId: 'coder_a', frameId: frames[0]!, codes: { pov: '2nd person', distance: 'Personal' } });
    const before = localState(a);
    server.proxy().interruptNextUpload('after-write');
    expect(await a.sync.run('manual')).toMatchObject({ offline: true });
    expect(localState(a)).toEqual(before); // B's codes are not taken either: the round did not finish
    const next = await a.sync.run('manual');
    expect(next).toMatchObject({ offline: false, uploaded: 0, conflicts: [] }); // the bucket already holds the merge
    expect(next.offline === false && next.merged).toBe(2);
    await b.sync.run('manual');
    const bucketCodes = csvCodes((await server.proxy().read(bucket, 'annotations.csv'))!.text);
    expect(sorted(localCodes(a))).toEqual(sorted(bucketCodes));
    expect(sorted(localCodes(b))).toEqual(sorted(bucketCodes));
    expect(bucketCodes.size).toBe(4);
  });

  it('unreachable at start and back later: "offline since" with the reason, local work goes on, the source says local; a retry reconciles', async () => {
    const bucket = freshBucket();
    server.proxy().mode = 'offline';
    // A running app (not a one-shot CLI): start, after-save and retry triggers are on.
    const a = openHome('sync-a', { bucket, keyFile: server.keyFile() }, { mode: 'browser', sync: { offlineRetryMs: 300, debounceMs: 20 } });
    const offline = await nextEvent<SyncStatus>(
      (l) => a.events.subscribe(l),
      (e) => e.type === 'sync.status' && e.status.state === 'offline' && e.status,
      'the start round to report offline',
    );
    expect(offline).toMatchObject({ problem: 'offline', lastSyncedAt: null, source: { kind: 'local', generation: null, syncedAt: null } });
    expect(offline.message).toMatch(/Cannot reach the storage emulator at .*: this machine is offline/);
    expect(offline.offlineSince).not.toBeNull();

    const [f1] = addFrames(a, 2, ['coder_a']);
    saveFrameCodes(a.db, { coderId: 'coder_a', frameId: f1!, codes: { pov: '3rd person', distance: 'Intimate' } });
    expect(localCodes(a).get(`${f1}|coder_a|pov`)).toBe('3rd person');
    expect(annotationsSource(a.db).kind).toBe('local');

    const synced = nextEvent<SyncStatus>(
      (l) => a.events.subscribe(l),
      (e) => e.type === 'sync.status' && e.status.state === 'synced' && e.status,
      'a retry round to reach the bucket',
    );
    server.proxy().mode = 'ok';
    const status = await synced;
    expect(status).toMatchObject({ offlineSince: null, problem: null, pendingEdits: 0, source: { kind: 'bucket' } });
    expect(status.source.generation).toMatch(/^\d+$/);
    expect(sorted(csvCodes((await server.proxy().read(bucket, 'annotations.csv'))!.text))).toEqual(sorted(localCodes(a)));

    // Online again: a save brings its own round.
    const uploaded = nextEvent(
      (l) => a.events.subscribe(l),
      (e) => e.type === 'sync.status' && e.status.state === 'synced' && e.status.generation !== status.generation,
      'the after-save round',
    );
    saveFrameCodes(a.db, { coderId: 'coder_a', frameId: f1!, codes: { pov: '1st person', distance: 'Intimate' } });
    a.events.emit({ type: 'data.changed', topics: ['codes'] });
    await uploaded;
    expect(csvCodes((await server.proxy().read(bucket, 'annotations.csv'))!.text).get(`${f1}|coder_a|pov`)).toBe('1st person');
  });

  it('missing credentials: the round and the connection test say so, nothing changes', async () => {
    const bucket = freshBucket();
    const missing = path.join(tempDir('no-key'), 'key.json');
    const a = openHome('sync-a', { bucket, keyFile: missing });
    const [f1] = addFrames(a, 1, ['coder_a']);
    saveFrameCodes(a.db, { coderId: 'coder_a', frameId: f1!, codes: { pov: '1st person', distance: 'Social' } });
    const before = localState(a);
    const round = await a.sync.run('manual');
    expect(round).toMatchObject({ offline: true, problem: 'no-credentials' });
    expect(round.offline && round.reason).toBe(
      `No credentials: the key file ${missing} does not exist. Choose a service-account key file, or clear it to use application default credentials.`,
    );
    expect(localState(a)).toEqual(before);
    expect(server.proxy().stats.requests).toBeGreaterThanOrEqual(0);
    expect(await a.sync.testConnection()).toMatchObject({ ok: false, problem: 'no-credentials' });

    // A file that is not a key, and no application default credentials anywhere.
    const notKey = path.join(tempDir('not-key'), 'key.json');
    fs.writeFileSync(notKey, '{"hello": "world"}');
    a.sync.saveSettings({ ...a.sync.settings(), keyFile: notKey });
    expect(await a.sync.testConnection()).toMatchObject({
      ok: false,
      problem: 'no-credentials',
      message: expect.stringContaining('is not a Google credentials file'),
    });
    const saved = { ...process.env };
    try {
      delete process.env.STORAGE_EMULATOR_HOST;
      delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      process.env.CLOUDSDK_CONFIG = tempDir('gcloud');
      process.env.METADATA_SERVER_DETECTION = 'none';
      a.sync.saveSettings({ ...a.sync.settings(), keyFile: '' });
      const adc = await a.sync.run('manual');
      expect(adc).toMatchObject({ offline: true, problem: 'no-credentials' });
      expect(adc.offline && adc.reason).toMatch(/No Google Cloud credentials found/);
    } finally {
      for (const key of ['STORAGE_EMULATOR_HOST', 'GOOGLE_APPLICATION_CREDENTIALS', 'CLOUDSDK_CONFIG', 'METADATA_SERVER_DETECTION']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
    expect(localState(a)).toEqual(before);
  });

  it('test connection names the problem exactly and writes nothing', async () => {
    const bucket = freshBucket();
    const a = openHome('sync-a', { bucket, keyFile: server.keyFile() });
    expect(await a.sync.testConnection()).toMatchObject({
      ok: true,
      problem: null,
      credentials: `key file ${server.keyFile()}`,
      object: { exists: false },
      message: expect.stringContaining('does not exist yet'),
    });
    const generation = await server.proxy().write(bucket, 'annotations.csv', 'frame_id,coder\r\n');
    expect(await a.sync.testConnection()).toMatchObject({ ok: true, object: { exists: true, generation } });
    for (const [mode, problem, text] of [
      ['bucket-missing', 'bucket-missing', `The bucket "${bucket}" does not exist`],
      ['forbidden', 'permission-denied', `Permission denied on gs://${bucket}`],
      ['offline', 'offline', 'Cannot reach'],
    ] as const) {
      server.proxy().mode = mode;
      const test = await a.sync.testConnection();
      expect(test, mode).toMatchObject({ ok: false, problem, message: expect.stringContaining(text) });
      const round = await a.sync.run('manual');
      expect(round, mode).toMatchObject({ offline: true, problem });
      expect(a.sync.status(), mode).toMatchObject({ state: 'offline', problem });
    }
    server.proxy().mode = 'ok';
    expect((await server.proxy().read(bucket, 'annotations.csv'))!.generation).toBe(generation);
  });
});
