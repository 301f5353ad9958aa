/**
 * Issue 21, item 5, through the storage emulator: `--out gs://BUCKET/PREFIX` sends the manifest
 * and each part to the bucket at checkpoints; a run killed (SIGKILL, as a preempted spot VM)
 * whose local state folder is then deleted resumes from the bucket alone, processes only the
 * videos the bucket lacks, and leaves CSVs (in the bucket and staged locally) byte-identical to
 * an uninterrupted run. Another run's manifest in the bucket is refused (CONFLICT), nothing
 * deleted; --fresh deletes the earlier run's objects and starts over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/core/api/dispatch';
import { handlers } from '../../src/main/core/api/handlers';
import { parseGsUrl } from '../../src/main/core/infer/gsUrl';
import { stagingDir } from '../../src/main/core/infer/outputTarget';
import type { Input, MethodName, Output } from '../../src/shared/api';
import { InferResult, type InferParams } from '../../src/shared/infer';
import { runCleanup, tempDir, withTimeout } from '../helpers';
import { pythonHas } from '../helpers/python';
import { freshBucket, openHome, useStorageServer } from '../sync/fixtures';
import { makeClips } from './clips';
import { importSeededModel } from './seedModels';

afterEach(runCleanup);
const server = useStorageServer();
const RESULTS = ['model_predictions.csv', 'model_predictions_video.csv', 'errors.csv', 'model_predictions.models.json'];
const JOB_MS = 240_000;

describe.skipIf(!pythonHas('torch', 'torchvision'))('infer.run: resume from the bucket on a fresh machine', () => {
  it('killed after two parts reached the bucket, local state deleted: resumes from the bucket, CSVs equal the uninterrupted run; another run refused; --fresh discards', async () => {
    const dir = tempDir('infer-resume');
    const bucket = freshBucket();
    const url = `gs://${bucket}/results/spot-run/`;
    const core = openHome('infer-resume', { bucket, keyFile: server.keyFile() });
    const clips = await makeClips(path.join(dir, 'videos'), 4); // 8 videos: 4 good, 4 unreadable
    await importSeededModel(core, path.join(dir, 'pov.pth'), 'pov', ['a', 'b', 'c', 'd'], 3, 'v7');
    const staging = stagingDir(core.home.root, url, parseGsUrl(url)!);

    const emulator = () => server.emulator().url;
    const objects = async (prefix: string) => {
      const res = await fetch(`${emulator()}/storage/v1/b/${bucket}/o?prefix=${encodeURIComponent(prefix)}`);
      const body = (await res.json()) as { items?: { name: string }[] };
      return (body.items ?? []).map((o) => o.name).sort();
    };
    const download = async (name: string) => {
      const res = await fetch(`${emulator()}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?alt=media`);
      return res.ok ? await res.text() : null;
    };
    const params = (extra: Partial<InferParams> = {}): InferParams => ({
      videos: clips.dir,
      models: ['pov@v7'],
      sampling: { kind: 'every', seconds: 1 },
      workers: 2,
      batchSize: 8,
      checkpointEvery: 1,
      shard: null,
      fresh: false,
      outDir: url,
      ...extra,
    });
    const run = async (p: InferParams) => {
      const job = core.jobs.start('infer.run', p);
      const done = await withTimeout(core.jobs.waitFor(job.id), JOB_MS, 'the infer job');
      return { done, logs: core.jobRepo.logs(job.id).map((l) => l.message) };
    };
    const call = async <M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> => {
      const envelope = await dispatch(handlers, core, method, input);
      if (!envelope.ok) throw new Error(envelope.error.message);
      return envelope.value as Output<M>;
    };
    const read = (folder: string, names = RESULTS) =>
      Object.fromEntries(names.map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8')]));

    // The uninterrupted reference, into a local folder.
    const reference = path.join(dir, 'reference');
    const ref = await run(params({ outDir: reference }));
    expect(ref.done.status, JSON.stringify(ref.done.error)).toBe('succeeded');
    expect(InferResult.parse(ref.done.result)).toMatchObject({ videos: 8, errors: 4, resumedFrom: 0 });

    // 1. To the bucket, one video a part; the job process is killed (SIGKILL) when part 3's upload
    //    arrives, which never lands: the bucket holds parts 1 and 2, whatever the disk held.
    let jobId = '';
    let killed = false;
    server.proxy().beforeUpload = async (object) => {
      if (killed || object !== 'results/spot-run/parts/part-000003.jsonl') return;
      killed = true;
      const pid = (core.db.prepare('SELECT owner_pid FROM jobs WHERE id = ?').get(jobId) as { owner_pid: number | null }).owner_pid;
      process.kill(pid!, 'SIGKILL');
      throw new Error('the machine was preempted');
    };
    const first = core.jobs.start('infer.run', params());
    jobId = first.id;
    const interrupted = await withTimeout(core.jobs.waitFor(first.id), JOB_MS, 'the killed job');
    expect(interrupted.status, JSON.stringify(interrupted.error)).toBe('interrupted');
    expect(killed).toBe(true);
    server.proxy().beforeUpload = null;
    expect(await objects('results/spot-run/parts/')).toEqual([
      'results/spot-run/parts/part-000001.jsonl',
      'results/spot-run/parts/part-000002.jsonl',
    ]);
    expect(await download('results/spot-run/infer-manifest.json')).toBe(
      fs.readFileSync(path.join(reference, 'infer-manifest.json'), 'utf8'),
    );
    // The new machine's disk is empty: the staging folder (in the home's cache) is gone.
    expect(fs.existsSync(path.join(staging, 'parts', 'part-000001.jsonl'))).toBe(true);
    fs.rmSync(path.join(core.home.root, 'cache', 'infer-out'), { recursive: true });

    // 2. The same params again: the two videos in the bucket are restored, the six others run.
    const resumed = await run(params());
    expect(resumed.done.status, JSON.stringify(resumed.done.error)).toBe('succeeded');
    // The same outcome; the time accounting covers only the videos this run decoded.
    expect({ ...InferResult.parse(resumed.done.result), timings: undefined }).toEqual({
      ...InferResult.parse(ref.done.result),
      outDir: url,
      resumedFrom: 2,
      timings: undefined,
    });
    expect(resumed.logs).toContain(`restored 2 part(s) from ${url}`);
    expect(resumed.logs).toContain(`resuming: 2 video(s) already in ${url}, 6 to go`);
    // Only the six: one part each, numbered after the bucket's.
    const parts = await objects('results/spot-run/parts/');
    expect(parts).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `results/spot-run/parts/part-00000${n}.jsonl`));
    for (const p of parts) expect(await download(p), p).toBe(fs.readFileSync(path.join(staging, 'parts', path.basename(p)), 'utf8'));
    const expected = read(reference);
    for (const f of RESULTS) expect(await download(`results/spot-run/${f}`), f).toBe(expected[f]);
    expect(read(staging)).toEqual(expected);
    // The screens read a bucket output from its staging folder.
    const listed = (await call('infer.outputs', {})).outputs.find((o) => o.outDir === staging);
    expect(listed).toMatchObject({ exists: true, status: 'succeeded' });
    expect((await call('infer.results', { outDir: url })).overview).toMatchObject({
      outDir: staging,
      videos: 4,
      errors: 4,
      complete: true,
    });

    // 2b. A local folder (--upload) whose part 1 holds other bytes than the bucket's: refused
    //     before any work, naming both; the bucket is untouched.
    const copy = path.join(dir, 'copy');
    fs.cpSync(staging, copy, { recursive: true });
    const part1 = path.join(copy, 'parts', 'part-000001.jsonl');
    fs.writeFileSync(part1, fs.readFileSync(part1, 'utf8').replace(/}\n$/, ' }\n'));
    const clash = await run(params({ outDir: copy, uploadTo: url }));
    expect(clash.done.status).toBe('failed');
    expect(clash.done.error).toMatchObject({ code: 'CONFLICT' });
    expect(clash.done.error!.message).toContain(
      `${part1} and gs://${bucket}/results/spot-run/parts/part-000001.jsonl are both part-000001.jsonl but hold different videos`,
    );
    expect(await download('results/spot-run/parts/part-000001.jsonl')).toBe(
      fs.readFileSync(path.join(staging, 'parts', 'part-000001.jsonl'), 'utf8'),
    );

    // 3. Another run's manifest in the bucket (other models): refused, naming the URL and the
    //    difference, even with no local state; nothing in the bucket is touched.
    await importSeededModel(core, path.join(dir, 'pov8.pth'), 'pov', ['a', 'b', 'c', 'd'], 4, 'v8');
    fs.rmSync(path.join(core.home.root, 'cache', 'infer-out'), { recursive: true });
    const before = await objects('results/');
    const other = await run(params({ models: ['pov@v8'] }));
    expect(other.done.status).toBe('failed');
    expect(other.done.error).toMatchObject({ code: 'CONFLICT' });
    expect(other.done.error!.message).toMatch(
      new RegExp(
        `^${url} holds results of another run: models were pov@v7 \\(sha256 [0-9a-f]{12}…\\), now pov@v8 \\(sha256 [0-9a-f]{12}…\\)\\. .*--fresh`,
      ),
    );
    expect(await objects('results/')).toEqual(before);
    expect(await download('results/spot-run/model_predictions.csv')).toBe(expected['model_predictions.csv']);

    // 4. --fresh: the earlier run's objects are deleted (its parts would otherwise come back on
    //    a resume), the new run's replace them.
    const fresh = await run(params({ models: ['pov@v8'], fresh: true }));
    expect(fresh.done.status, JSON.stringify(fresh.done.error)).toBe('succeeded');
    expect(InferResult.parse(fresh.done.result)).toMatchObject({ videos: 8, errors: 4, resumedFrom: 0, outDir: url });
    expect(fresh.logs).toContain(`--fresh: deleted 13 object(s) of the earlier run from ${url} (8 part(s))`);
    const freshParts = await objects('results/spot-run/parts/');
    expect(freshParts.map((p) => path.basename(p))).toEqual(
      fs
        .readdirSync(path.join(staging, 'parts'))
        .filter((n) => n.endsWith('.jsonl'))
        .sort(),
    );
    for (const p of freshParts) expect(await download(p), p).toBe(fs.readFileSync(path.join(staging, 'parts', path.basename(p)), 'utf8'));
    expect(JSON.parse((await download('results/spot-run/infer-manifest.json'))!).models.map((m: { id: string }) => m.id)).toEqual([
      'pov@v8',
    ]);
    for (const f of RESULTS) expect(await download(`results/spot-run/${f}`), f).toBe(fs.readFileSync(path.join(staging, f), 'utf8'));
    expect(await download('results/spot-run/model_predictions.csv')).not.toBe(expected['model_predictions.csv']);
  }, 600_000);
});
