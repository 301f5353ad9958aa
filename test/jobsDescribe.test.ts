/**
 * Jobs that say what they are (issue 20 item 6): titles with their parameters, the first start
 * kept across a resume, pause/cancel/resume written to the job's log, and an ETA learned from
 * the pace after the first step rather than from the start-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EtaEstimator } from '../src/main/core/jobs/eta';
import { jobTitle } from '../src/shared/jobTitles';
import { openTestCore, runCleanup, storeRandomFiles, tempDir, waitUntil, withTimeout } from './helpers';

afterEach(runCleanup);

describe('job titles', () => {
  it('name what the job works on, and fall back to the kind’s title', () => {
    expect(jobTitle('annotations.import', { file: '/lab/exports/annotations.csv' })).toBe('Import annotations: annotations.csv');
    expect(jobTitle('finetune.run', { baseModel: 'pov@v7', goldSnapshotId: 'gold-3' })).toBe('Fine-tune a model: pov@v7 on gold-3');
    expect(jobTitle('infer.run', { videos: 'gs://lab-bucket/shorts/', models: ['pov@v8', 'distance@v8'] })).toBe(
      'Batch inference: shorts with pov@v8, distance@v8',
    );
    expect(jobTitle('media.import', { paths: ['/v/a.mp4', '/v/b.mp4', '/v/c.mp4'] })).toBe('Import videos: a.mp4, b.mp4 and 1 more');
    expect(jobTitle('frames.sample', { strategy: { kind: 'every', seconds: 1 } })).toBe('Sample frames: every video');
    expect(jobTitle('analysis.run', { config: { name: 'visual overload', data: '/d/videos.csv' } })).toBe(
      'Run an outcome analysis: visual overload',
    );
    expect(jobTitle('analysis.run', { config: { data: '/d/videos.csv' } })).toBe('Run an outcome analysis: videos.csv');
    expect(jobTitle('models.export', { model: 'pov@v8', format: 'onnx' })).toBe('Export a model: pov@v8 as onnx');
    expect(jobTitle('workspace.integrity', {})).toBe('Workspace integrity check');
    expect(jobTitle('suite.run', { config: { name: 'x'.repeat(200) } })).toMatch(/^Train a model suite: x{79}…$/);
  });
});

describe('the ETA', () => {
  it('leaves the start-up out: the first step sets the pace’s origin', () => {
    const eta = new EtaEstimator(0);
    // 30 s of start-up, then 1 % per second.
    expect(eta.update(0.01, 30_000)).toBeNull();
    expect(eta.update(0.011, 30_100)).toBeNull(); // too soon and too little to go on
    expect(eta.update(0.11, 40_000)).toBeCloseTo(89, 5);
    // A resumed attempt starts from its checkpoint's fraction.
    const resumed = new EtaEstimator(0.5);
    expect(resumed.update(0.5, 1_000)).toBeNull();
    expect(resumed.update(0.52, 2_000)).toBeNull();
    expect(resumed.update(0.62, 12_000)).toBeCloseTo(38, 5);
  });
});

describe('a job through the supervisor', () => {
  it('is titled with its parameters; pause and resume are logged and the first start is kept', async () => {
    const core = openTestCore(tempDir());
    storeRandomFiles(core.db, core.home, 300, 256 * 1024);
    const started = core.jobs.start('workspace.integrity', { hashFiles: false });
    expect(started.title).toBe('Workspace integrity check: database only');
    await withTimeout(core.jobs.waitFor(started.id), 20_000, 'the database check');

    const { id } = core.jobs.start('workspace.integrity', {});
    await waitUntil(
      () => core.jobRepo.get(id).status === 'running' && core.jobRepo.get(id).progress.fraction > 0.05,
      'the job to get going',
    );
    core.jobs.pause(id);
    const paused = await withTimeout(core.jobs.waitFor(id), 20_000, 'the paused job');
    expect(paused.startedAt).not.toBeNull();
    await waitUntil(() => !core.jobs.activeJobIds().includes(id), 'the supervisor to forget the process');
    core.jobs.resume(id);
    const done = await withTimeout(core.jobs.waitFor(id), 30_000, 'the resumed job');
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBe(2);
    expect(done.startedAt).toBe(paused.startedAt);
    const logs = core.jobRepo.logs(id).map((l) => l.message);
    expect(logs).toContain('Pause requested; stopping at a checkpoint to resume later.');
    expect(logs).toContain('Resumed (attempt 2); it continues from its checkpoint.');
  }, 60_000);
});
