/**
 * Through the storage emulator: `--upload gs://BUCKET/PREFIX` puts the CSVs and the manifest in
 * the bucket at checkpoints and at the end (equal to the local files), an unreachable target
 * is a warning and the run still succeeds; bucket videos downloaded by a run leave the cache
 * once decoded unless `--keep-cache`, and videos cached before the run stay.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InferResult, type InferParams } from '../../src/shared/infer';
import { runCleanup, tempDir, withTimeout } from '../helpers';
import { pythonHas } from '../helpers/python';
import { freshBucket, openHome, useStorageServer } from '../sync/fixtures';
import { makeClips, uploadClips } from './clips';
import { importSeededModel } from './seedModels';

afterEach(runCleanup);
const server = useStorageServer();
const FILES = [
  'model_predictions.csv',
  'model_predictions_video.csv',
  'errors.csv',
  'infer-manifest.json',
  'model_predictions.models.json',
];

describe.skipIf(!pythonHas('torch', 'torchvision'))('infer.run: upload and cache', () => {
  it('uploads the results at checkpoints and at the end; drops downloaded videos unless kept; cached ones stay', async () => {
    const dir = tempDir('infer-up');
    const bucket = freshBucket();
    const core = openHome('infer-up', { bucket, keyFile: server.keyFile() });
    const clips = await makeClips(path.join(dir, 'videos'), 4);
    const names = await uploadClips(server.emulator().url, bucket, clips);
    await importSeededModel(core, path.join(dir, 'pov.pth'), 'pov', ['a', 'b', 'c', 'd'], 3, 'v7');

    const cacheOf = (name: string) => path.join(core.home.root, 'cache', 'bucket', bucket, ...name.split('/'));
    const cachedNow = () => names.filter((n) => fs.existsSync(cacheOf(n)));
    const download = async (name: string) => {
      const res = await fetch(`${server.emulator().url}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?alt=media`);
      return res.ok ? await res.text() : null;
    };
    const run = async (extra: Partial<InferParams>) => {
      const p: InferParams = {
        videos: `gs://${bucket}/corpus/`,
        models: ['pov@v7'],
        sampling: { kind: 'every', seconds: 1 },
        workers: 2,
        batchSize: 8,
        checkpointEvery: 2,
        shard: null,
        fresh: true,
        outDir: path.join(dir, 'out'),
        ...extra,
      };
      const job = core.jobs.start('infer.run', p);
      const done = await withTimeout(core.jobs.waitFor(job.id), 240_000, 'the infer job');
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      return { result: InferResult.parse(done.result), logs: core.jobRepo.logs(job.id) };
    };

    // 1. Upload under results/run1 (videos from the local folder: the emulator sometimes resets a
    // download that overlaps an upload, which would turn a video into a download error).
    const first = await run({ videos: clips.dir, uploadTo: `gs://${bucket}/results/run1/`, outDir: path.join(dir, 'a') });
    expect(first.result).toMatchObject({ videos: 8, errors: 4 });
    const uploads = first.logs.filter((l) => l.message.startsWith(`uploaded ${FILES.length} file(s) to`));
    expect(uploads.length, 'a checkpoint upload and the final one').toBeGreaterThanOrEqual(2);
    expect(uploads.some((l) => l.message.includes('(checkpoint at '))).toBe(true);
    expect(uploads.at(-1)!.message).toContain('(final)');
    for (const f of FILES) expect(await download(`results/run1/${f}`), f).toBe(fs.readFileSync(path.join(dir, 'a', f), 'utf8'));

    // 1b. From the bucket with --keep-cache: every video stays cached.
    await run({ keepCache: true, outDir: path.join(dir, 'kept') });
    expect(cachedNow().sort(), fs.readFileSync(path.join(dir, 'kept', 'errors.csv'), 'utf8')).toEqual([...names].sort());

    // 2. Two videos leave the cache; a run without --keep-cache downloads and then drops only those.
    const evicted = names.filter((n) => n.includes('clip_')).slice(0, 2);
    for (const n of evicted) for (const f of [cacheOf(n), `${cacheOf(n)}.verified`]) fs.rmSync(f);
    const second = await run({ outDir: path.join(dir, 'b') });
    expect(second.result).toMatchObject({ videos: 8, errors: 4 });
    expect(cachedNow().sort()).toEqual(names.filter((n) => !evicted.includes(n)).sort());
    for (const n of evicted) expect(fs.existsSync(`${cacheOf(n)}.verified`)).toBe(false);
    for (const f of FILES.slice(0, 3))
      expect(fs.readFileSync(path.join(dir, 'b', f), 'utf8')).toBe(
        fs.readFileSync(path.join(dir, f === 'errors.csv' ? 'kept' : 'a', f), 'utf8'),
      );

    // 3. The bucket answers "does not exist" to every call: upload warnings, the run (of the
    // same clips from the local folder) still succeeds with the same files.
    server.proxy().mode = 'bucket-missing';
    try {
      const third = await run({
        videos: clips.dir,
        uploadTo: `gs://${bucket}/results/run3/`,
        outDir: path.join(dir, 'c'),
        checkpointEvery: 500,
      });
      expect(third.result).toMatchObject({ videos: 8, errors: 4 });
      const warned = third.logs.filter(
        (l) => l.level === 'warn' && l.message.startsWith(`could not upload the final results to gs://${bucket}/results/run3/: `),
      );
      expect(warned.length, JSON.stringify(third.logs)).toBe(1);
      expect(third.logs.some((l) => l.message.startsWith('uploaded'))).toBe(false);
    } finally {
      server.proxy().mode = 'ok';
    }
    expect(fs.readFileSync(path.join(dir, 'c', 'model_predictions.csv'), 'utf8')).toBe(
      fs.readFileSync(path.join(dir, 'a', 'model_predictions.csv'), 'utf8'),
    );
  }, 600_000);
});
