/**
 * A missing object in a bucket whose name contains "bucket" (issue #21 item 4): Cloud Storage
 * says "No such object: lab-bucket/annotations.csv", which once read as a missing bucket, so
 * the first sync to a fresh object failed. Against the storage emulator (it answers a missing
 * object with Cloud Storage's exact JSON and media messages), through the real client and the
 * real sync service.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { saveFrameCodes } from '../../src/main/core/coding/codes';
import { classify, createBucketClient, missingThing } from '../../src/main/core/sync/gcs';
import { SyncFailure } from '../../src/main/core/sync/failure';
import { runCleanup } from '../helpers';
import { addFrames, csvCodes, localCodes, openHome, sorted, useStorageServer } from './fixtures';

afterEach(runCleanup);
const server = useStorageServer();

/** One emulator per test file, so each test names its own bucket with "bucket" in it. */
const BUCKETS = ['lab-bucket', 'bucket', 'my-bucket-of-buckets'];

describe('a bucket whose name contains "bucket"', () => {
  it('the first sync to a fresh object in gs://lab-bucket uploads it; the next round reads it back', async () => {
    const a = openHome('sync-a', { bucket: 'lab-bucket', keyFile: server.keyFile() });
    const [f1, f2] = addFrames(a, 2, ['coder_a']);
    saveFrameCodes(a.db, { coderId: 'coder_a', frameId: f1!, codes: { pov: '1st person', distance: 'Social' } });
    saveFrameCodes(a.db, { coderId: 'coder_a', frameId: f2!, codes: { pov: 'no person', distance: 'Public' } });
    expect(await server.proxy().read('lab-bucket', 'annotations.csv')).toBeNull();

    const test = await a.sync.testConnection();
    expect(test).toMatchObject({
      ok: true,
      problem: null,
      object: { exists: false },
      message: expect.stringContaining('does not exist yet'),
    });
    const first = await a.sync.run('manual');
    expect(first).toMatchObject({ offline: false, uploaded: 2, downloaded: 0 });
    expect(a.sync.status()).toMatchObject({ state: 'synced', problem: null, pendingEdits: 0 });
    const stored = await server.proxy().read('lab-bucket', 'annotations.csv');
    expect(sorted(csvCodes(stored!.text))).toEqual(sorted(localCodes(a)));
    expect(await a.sync.run('manual')).toMatchObject({ offline: false, uploaded: 0 });
  });

  it.each(BUCKETS)('the client reads a missing object in gs://%s as absent, and a missing bucket still as missing', async (bucket) => {
    const client = await createBucketClient(
      bucket,
      { describe: `key file ${server.keyFile()}`, keyFilename: server.keyFile(), probe: false } as never,
      { timeoutMs: 10_000 },
    );
    const object = 'client/annotations.csv';
    expect(await client.info(object)).toBeNull();
    expect(await client.read(object)).toBeNull();
    const generation = await client.write(object, 'frame_id,coder\r\n', '0');
    expect(await client.info(object)).toMatchObject({ generation });
    expect(await client.read(object)).toMatchObject({ generation, text: 'frame_id,coder\r\n' });
    expect(await client.info('client/other.csv')).toBeNull();

    server.proxy().mode = 'bucket-missing';
    for (const [what, call] of [
      ['info', () => client.info(object)],
      ['read', () => client.read(object)],
      ['list', () => client.list('')],
    ] as const) {
      const failure = await call().catch((e: unknown) => e);
      expect(failure, what).toBeInstanceOf(SyncFailure);
      expect(failure, `${what}: ${(failure as Error).message}`).toMatchObject({
        problem: 'bucket-missing',
        message: `The bucket "${bucket}" does not exist: check its name in Sync settings (gs://${bucket}).`,
      });
    }
  });
});

describe("missingThing: the reason and Cloud Storage's exact messages, never a word", () => {
  const apiError = (message: string, errors: { reason: string; message?: string }[] = []) =>
    Object.assign(new Error(message), { code: 404, errors });
  const credentials = { describe: 'key file k.json' } as never;

  it('tells a missing object from a missing bucket whatever the bucket is called', () => {
    expect(
      missingThing(
        apiError('No such object: lab-bucket/annotations.csv', [
          { reason: 'notFound', message: 'No such object: lab-bucket/annotations.csv' },
        ]),
      ),
    ).toBe('object');
    expect(missingThing(apiError('No such object: bucket/bucket.csv'))).toBe('object'); // a media download: text body, no reasons
    expect(missingThing(apiError('The specified bucket does not exist.', [{ reason: 'notFound' }]))).toBe('bucket');
    // A streamed download: the JSON body as the message.
    expect(
      missingThing(
        apiError(
          JSON.stringify({ error: { code: 404, message: 'The specified bucket does not exist.', errors: [{ reason: 'notFound' }] } }),
        ),
      ),
    ).toBe('bucket');
    expect(missingThing(apiError('Not Found', [{ reason: 'NoSuchKey' }]))).toBe('object'); // XML API
    expect(missingThing(apiError('Not Found', [{ reason: 'NoSuchBucket' }]))).toBe('bucket');
    // A 404 that says neither is neither (never a guess from the word "bucket").
    expect(missingThing(apiError('Not Found: the bucket proxy has no route'))).toBeNull();
    expect(missingThing(Object.assign(new Error('No such object: lab-bucket/x'), { code: 403 }))).toBeNull();
  });

  it('classify: only the bucket message is a missing bucket; an unexplained 404 says so and what to check', () => {
    expect(classify(apiError('The specified bucket does not exist.'), 'lab-bucket', credentials)).toMatchObject({
      problem: 'bucket-missing',
    });
    expect(classify(apiError('No such object: lab-bucket/annotations.csv'), 'lab-bucket', credentials)).toMatchObject({
      problem: 'error',
      message:
        'No such object: lab-bucket/annotations.csv: the object is not in gs://lab-bucket (it was removed or renamed); run the sync again.',
    });
    expect(classify(apiError('Not Found'), 'lab-bucket', credentials)).toMatchObject({
      problem: 'error',
      message:
        'Cloud Storage answered "not found" (HTTP 404) for gs://lab-bucket without saying what is missing: Not Found. Check the bucket name in Sync settings and try again.',
    });
  });
});
