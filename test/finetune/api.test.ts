/**
 * The API the Fine-tune screens read: `finetune.runs` (finetune jobs, newest first) and
 * `finetune.run` (parameters, run state from the checkpoint or the result, the result, the
 * snapshot's frames). Real core, real job processes; one real (short) training run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalTransport } from '../../src/main/core/api/localTransport';
import { handlers } from '../../src/main/core/api/handlers';
import { loadNativeAddon } from '../../native/loader';
import { appRoot } from '../../src/main/core/appRoot';
import { absoluteStoredPath } from '../../src/main/core/workspace/files';
import { createClient } from '../../src/shared/client';
import { FramelabError } from '../../src/shared/errors';
import type { FinetuneRunState } from '../../src/shared/finetune';
import { jobUpdate, openTestCore, runCleanup, tempDir } from '../helpers';
import { buildGoldHome } from '../helpers/goldHome';
import { pythonHas } from '../helpers/python';

afterEach(runCleanup);

function clientOf(core: ReturnType<typeof openTestCore>) {
  return createClient(createLocalTransport(core, handlers));
}

describe('finetune.runs and finetune.run', () => {
  it('list only fine-tune jobs, newest first; a run that failed at once has its params, no state, no result', async () => {
    const core = openTestCore(tempDir());
    const client = clientOf(core);
    expect(await client.call('finetune.runs', {})).toEqual({ runs: [] });

    const first = core.jobs.start('finetune.run', { goldSnapshotId: 'gold_nope', baseModel: 'pov@v7' });
    const other = core.jobs.start('workspace.integrity', {});
    const second = core.jobs.start('finetune.run', { goldSnapshotId: 'gold_nope', baseModel: 'pov@v7', cv: 'both', version: 'v9' });
    for (const job of [first, other, second]) await core.jobs.waitFor(job.id);

    const { runs } = await client.call('finetune.runs', {});
    expect(runs.map((r) => r.job.id)).toEqual([second.id, first.id]);
    expect(runs[0]!.newModelId).toBe('pov@v9');
    expect(runs[1]!.newModelId).toBe('pov@v8');
    expect(runs[0]!.params.cv).toBe('both');
    expect(runs[0]!.params.recipe).toMatchObject({ optimizer: 'adam', lr: 1e-5, batchSize: 8, maxEpochs: 15, patience: 3 });
    expect(runs.every((r) => r.job.status === 'failed' && r.outcome === null && r.job.result === null)).toBe(true);
    expect((await client.call('finetune.runs', { limit: 1 })).runs).toHaveLength(1);

    const view = await client.call('finetune.run', { jobId: first.id });
    expect(view.job.status).toBe('failed');
    expect(view.job.error).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('No model pov@v7') });
    expect(view.params).toMatchObject({ goldSnapshotId: 'gold_nope', baseModel: 'pov@v7', cv: 'loo', metric: 'macro_f1' });
    expect(view).toMatchObject({ state: null, result: null, newModelId: 'pov@v8', registered: false, frames: {} });
    expect(view.plan).toEqual([{ cv: 'loo', folds: 0 }]);

    // While a run is stopped (failed, cancelled, interrupted) its state is the checkpoint the job saved.
    const saved: FinetuneRunState = {
      folds: {
        'loo:a': {
          foldId: 'loo:a',
          cv: 'loo',
          epochs: [
            { epoch: 1, loss: 1.4 },
            { epoch: 2, loss: 1.1 },
          ],
          stoppedEarly: false,
          heldOut: [{ frameId: 'a', v8Pred: 0, v8Probs: [0.7, 0.3] }],
        },
      },
      current: { foldId: 'loo:b', cv: 'loo', epochs: [{ epoch: 1, loss: 1.3 }] },
      final: null,
    };
    core.jobRepo.saveCheckpoint(second.id, saved);
    expect((await client.call('finetune.run', { jobId: second.id })).state).toEqual(saved);
    expect((await client.call('finetune.run', { jobId: second.id })).plan).toEqual([
      { cv: 'loo', folds: 0 },
      { cv: 'video', folds: 0 },
    ]);

    const notFinetune = await client.call('finetune.run', { jobId: other.id }).catch((e: unknown) => e);
    expect(notFinetune).toBeInstanceOf(FramelabError);
    expect((notFinetune as FramelabError).code).toBe('INVALID_INPUT');
    expect((notFinetune as FramelabError).message).toContain('not a fine-tune run');
    const missing = await client.call('finetune.run', { jobId: 'job_nope' }).catch((e: unknown) => e);
    expect((missing as FramelabError).code).toBe('NOT_FOUND');
    const invalid = await client.call('finetune.run', {} as { jobId: string }).catch((e: unknown) => e);
    expect((invalid as FramelabError).code).toBe('INVALID_INPUT');
  }, 60_000);

  const canTrain = loadNativeAddon(appRoot()).available && pythonHas('torch', 'torchvision');

  it.skipIf(!canTrain)(
    'a real 1-epoch run: the checkpoint while it runs, then the result, its run state, frames with images, the registry',
    async () => {
      const dir = tempDir('finetune-api');
      const core = openTestCore(path.join(dir, 'home'));
      const client = clientOf(core);
      const gold = await buildGoldHome(core, dir, { videos: 3, perVideo: 2 });
      const subscribe = core.events.subscribe.bind(core.events);

      const started: { id?: string } = {};
      // The job saves its checkpoint before it reports the epoch, so the event finds it in place.
      const firstEpoch = jobUpdate(
        subscribe,
        () => started.id,
        (j) => j.status === 'running' && /epoch 1\/1/.test(j.progress.stage),
        'the first epoch',
        120_000,
      );
      const { job } = await client.call('jobs.start', {
        kind: 'finetune.run',
        params: {
          goldSnapshotId: gold.snapshotId,
          baseModel: 'pov@v7',
          recipe: { maxEpochs: 1, threads: 2, lr: 1e-3 },
          bootstrapResamples: 200,
          outDir: path.join(dir, 'out'),
        },
      });
      started.id = job.id;
      await firstEpoch;
      const live = await client.call('finetune.run', { jobId: job.id });
      expect(live.result).toBeNull();
      expect(live.state).not.toBeNull();
      const trained = Object.keys(live.state!.folds).length + (live.state!.current?.epochs.length ? 1 : 0);
      expect(trained).toBeGreaterThanOrEqual(1);
      expect(live.plan).toEqual([{ cv: 'loo', folds: 6 }]);

      const done = await core.jobs.waitFor(job.id);
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      const view = await client.call('finetune.run', { jobId: job.id });
      const result = view.result!;
      expect(result).not.toBeNull();
      expect(view.state).toEqual(result.run);
      expect(Object.keys(view.state!.folds).sort()).toEqual(gold.frameIds.map((id) => `loo:${id}`).sort());
      for (const fold of Object.values(view.state!.folds)) expect(fold.epochs).toHaveLength(1);
      expect(view.state!.current).toBeNull();
      expect(Object.keys(view.frames).sort()).toEqual([...gold.frameIds].sort());
      for (const id of [...result.entry.fixed, ...result.entry.regressed]) {
        const frame = view.frames[id]!;
        expect(frame.image).toBeTruthy();
        expect(fs.existsSync(absoluteStoredPath(core.home, frame.image!))).toBe(true);
      }
      expect(view.newModelId).toBe('pov@v8');
      expect(view.registered).toBe(result.entry.decision.save);
      expect(view.state!.final !== null).toBe(result.entry.decision.save);

      const [summary] = (await client.call('finetune.runs', {})).runs;
      expect(summary).toMatchObject({
        job: { id: job.id, status: 'succeeded', result: null },
        newModelId: 'pov@v8',
        outcome: { dimension: 'pov', save: result.entry.decision.save, reason: result.entry.decision.reason },
      });
    },
    300_000,
  );
});
