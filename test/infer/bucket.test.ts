/**
 * A bucket source through the storage emulator: `--videos gs://BUCKET/PREFIX` gives the same
 * prediction rows as the same clips in a local folder; videos land in the verified cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { InferResult, type InferParams } from '../../src/shared/infer';
import { runCleanup, tempDir, withTimeout } from '../helpers';
import { pythonHas } from '../helpers/python';
import { freshBucket, openHome, useStorageServer } from '../sync/fixtures';
import { makeClips, uploadClips } from './clips';
import { importSeededModel } from './seedModels';

afterEach(runCleanup);
const server = useStorageServer();

describe.skipIf(!pythonHas('torch', 'torchvision'))('infer.run from a bucket', () => {
  it('gs://BUCKET/PREFIX: the same rows as the local folder, errors named by their gs:// URL, a rerun downloads nothing', async () => {
    const dir = tempDir('infer-gs');
    const bucket = freshBucket();
    const core = openHome('infer-gs', { bucket, keyFile: server.keyFile() });
    const clips = await makeClips(path.join(dir, 'videos'), 5);
    await uploadClips(server.emulator().url, bucket, clips);
    await importSeededModel(core, path.join(dir, 'pov.pth'), 'pov', ['a', 'b', 'c', 'd'], 3, 'v7');

    const run = async (videos: string, outDir: string) => {
      const p: InferParams = {
        videos,
        models: ['pov@v7'],
        sampling: { kind: 'every', seconds: 1 },
        workers: 2,
        batchSize: 8,
        checkpointEvery: 2,
        shard: null,
        fresh: false,
        outDir,
        keepCache: true,
      };
      const job = core.jobs.start('infer.run', p);
      const done = await withTimeout(core.jobs.waitFor(job.id), 180_000, 'the infer job');
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      return InferResult.parse(done.result);
    };
    const local = path.join(dir, 'local');
    const remote = path.join(dir, 'remote');
    expect(await run(clips.dir, local)).toMatchObject({ videos: 9, errors: 4 });
    expect(await run(`gs://${bucket}/corpus/`, remote)).toMatchObject({ videos: 9, errors: 4, resumedFrom: 0 });
    for (const f of ['model_predictions.csv', 'model_predictions_video.csv']) {
      expect(fs.readFileSync(path.join(remote, f), 'utf8')).toBe(fs.readFileSync(path.join(local, f), 'utf8'));
    }
    const errors = parseCsv(fs.readFileSync(path.join(remote, 'errors.csv'), 'utf8')).records.slice(1);
    expect(errors.map((r) => [r[0], r[1], r[2]])).toEqual(
      ['bad_audio_only', 'bad_empty', 'bad_random', 'bad_truncated'].map((id) => [id, `gs://${bucket}/corpus/${id}.mp4`, 'probe']),
    );
    const cached = path.join(core.home.root, 'cache', 'bucket', bucket, 'corpus', 'sub', 'clip_000.mp4');
    expect(fs.readFileSync(cached)).toEqual(fs.readFileSync(path.join(clips.dir, 'sub', 'clip_000.mp4')));
    // (--keep-cache here; without it each downloaded video leaves the cache: bucketUpload.test.ts.)
    const before = server.proxy().stats.requests;
    expect(await run(`gs://${bucket}/corpus/`, remote)).toMatchObject({ videos: 9, resumedFrom: 9 });
    // Only the listing: every video was saved already, none is downloaded again.
    expect(server.proxy().stats.requests - before).toBeLessThanOrEqual(2);
  }, 400_000);
});
