/**
 * Batch inference end to end on real clips and real (seeded, full-size) ResNet-50 models at a
 * small crop: the CSVs' shapes and values, unreadable videos in errors.csv, kill -9 + a new run
 * on the same folder equal to an uninterrupted run byte for byte, a changed model or sampling
 * refused, shards + merge equal to the unsharded run, and the CLI's JSON.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { ffmpegArgs } from '../../src/main/core/infer/decodeFrames';
import { shardOf } from '../../src/main/core/infer/videoList';
import { sampleTimestamps } from '../../src/main/core/media/sampling';
import { mulberry32 } from '../../src/main/core/random';
import { InferResult, type InferParams } from '../../src/shared/infer';
import { isPaused } from '../../src/shared/jobs';
import { ModelsPredictResult } from '../../src/shared/models';
import { openTestCore, runCleanup, runCli, cliEnv, tempDir, waitUntil, withTimeout } from '../helpers';
import { pythonHas } from '../helpers/python';
import { makeClips, type ClipSet } from './clips';
import { DISTANCE, POV, seedInferModels } from './seedModels';

const JOB_MS = 240_000;
const FILES = ['model_predictions.csv', 'model_predictions_video.csv', 'errors.csv'];

let dir: string;
let home: string;
let core: Core;
let clips: ClipSet;
let reference: string;
let referenceResult: InferResult;
let referenceJob: string;

function params(outDir: string, extra: Partial<InferParams> = {}): InferParams {
  return {
    videos: clips.dir,
    models: ['pov@v7', 'distance@v7'],
    sampling: { kind: 'every', seconds: 1 },
    workers: 2,
    batchSize: 8,
    checkpointEvery: 3,
    shard: null,
    fresh: false,
    outDir,
    ...extra,
  };
}

async function runInfer(p: InferParams) {
  const job = core.jobs.start('infer.run', p);
  return withTimeout(core.jobs.waitFor(job.id), JOB_MS, 'the infer job');
}

function read(outDir: string): Record<string, string> {
  return Object.fromEntries(FILES.map((f) => [f, fs.readFileSync(path.join(outDir, f), 'utf8')]));
}

function table(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header, ...rows] = parseCsv(text).records;
  return { header: header!, rows: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))) };
}

describe.skipIf(!pythonHas('torch', 'torchvision'))('infer.run', () => {
  beforeAll(async () => {
    dir = tempDir('infer');
    home = path.join(dir, 'home');
    core = openTestCore(home);
    clips = await makeClips(path.join(dir, 'videos'), 30);
    await seedInferModels(core, dir);
    reference = path.join(dir, 'reference');
    const done = await runInfer(params(reference));
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    referenceResult = InferResult.parse(done.result);
    referenceJob = done.id;
  }, 600_000);
  afterAll(runCleanup);

  it("writes the three CSVs with the issue's columns, one row per sampled frame, unreadable videos in errors.csv", () => {
    expect(referenceResult).toMatchObject({ videos: 34, errors: 4, resumedFrom: 0, outDir: reference });
    // Where the time went: every decoded frame went through the model; the stages add up to something.
    const t = referenceResult.timings!;
    expect(t.frames).toBe(referenceResult.frames);
    expect(t.modelOnlyFps).toBeGreaterThan(t.endToEndFps);
    expect(t.passes + t.seeks).toBeGreaterThanOrEqual(30);
    expect(t.passes + t.seeks).toBeLessThanOrEqual(34);
    expect(t.ffmpegCpuMs).toBeGreaterThan(0);
    expect(['model', 'decode', 'resize', 'probe', 'download']).toContain(t.bound);
    const line = core.jobRepo
      .logs(referenceJob)
      .map((l) => l.message)
      .find((m) => m.includes('frames/s end to end'))!;
    expect(line).toMatch(
      new RegExp(`^${t.frames} frames in [\\d.]+ s: [\\d.]+ frames/s end to end, [\\d.]+ frames/s model only\\. Model: busy .* Bound by `),
    );
    const files = read(reference);
    const frames = table(files['model_predictions.csv']!);
    expect(frames.header).toEqual([
      'video_id',
      'frame_id',
      'timestamp_s',
      'pov_pred',
      'pov_conf',
      'pov_p_1st_person',
      'pov_p_2nd_person',
      'pov_p_3rd_person',
      'pov_p_no_person',
      'distance_pred',
      'distance_conf',
      'distance_p_close_up',
      'distance_p_medium',
      'distance_p_long_shot',
    ]);
    const videos = table(files['model_predictions_video.csv']!);
    expect(videos.header).toEqual([
      'video_id',
      'n_frames',
      'pov_pred',
      'pov_share',
      'pov_mean_p_1st_person',
      'pov_mean_p_2nd_person',
      'pov_mean_p_3rd_person',
      'pov_mean_p_no_person',
      'distance_pred',
      'distance_share',
      'distance_mean_p_close_up',
      'distance_mean_p_medium',
      'distance_mean_p_long_shot',
    ]);
    expect(videos.rows.map((r) => r.video_id)).toEqual(clips.good.map((f) => path.basename(f, '.mp4')).sort());
    // every 1 s: 0, 1, 2, 3 while before the end (clips are 1.2 … 3.4 s).
    for (const v of videos.rows) {
      const own = frames.rows.filter((f) => f.video_id === v.video_id);
      const seconds = Number(
        execFileSync('ffprobe', [
          '-v',
          'error',
          '-show_entries',
          'format=duration',
          '-of',
          'csv=p=0',
          clips.good.find((f) => f.includes(v.video_id!))!,
        ]).toString(),
      );
      const expected = sampleTimestamps({ kind: 'every', seconds: 1 }, Math.round(seconds * 1000) / 1000, v.video_id!);
      expect(own.map((f) => f.frame_id)).toEqual(expected.map((t) => `${v.video_id}_t${(t / 10).toFixed(1).padStart(5, '0')}`));
      expect(Number(v.n_frames)).toBe(own.length);
    }
    expect(frames.rows.length).toBe(referenceResult.frames);
    for (const f of frames.rows) {
      for (const [dim, classes] of [
        ['pov', POV],
        ['distance', DISTANCE],
      ] as const) {
        const probs = classes.map((c) => f[`${dim}_p_${c.toLowerCase().replace(/[^a-z0-9]/g, '_')}`]!);
        for (const p of probs) expect(p).toMatch(/^\d\.\d{6}$/);
        expect(Math.abs(probs.reduce((s, p) => s + Number(p), 0) - 1)).toBeLessThan(1e-5);
        expect(f[`${dim}_conf`]).toBe(probs.reduce((a, b) => (Number(b) > Number(a) ? b : a)));
        expect(classes).toContain(f[`${dim}_pred`]);
      }
    }
    const errors = table(files['errors.csv']!);
    expect(errors.header).toEqual(['video_id', 'path', 'stage', 'reason']);
    expect(errors.rows.map((r) => [r.video_id, r.stage])).toEqual([
      ['bad_audio_only', 'probe'],
      ['bad_empty', 'probe'],
      ['bad_random', 'probe'],
      ['bad_truncated', 'probe'],
    ]);
    expect(errors.rows[0]!.reason).toBe('it has no video stream');
  });

  it('the per-video vote: majority, share, mean probabilities from the frame rows', () => {
    const files = read(reference);
    const frames = table(files['model_predictions.csv']!).rows;
    for (const v of table(files['model_predictions_video.csv']!).rows) {
      const own = frames.filter((f) => f.video_id === v.video_id);
      const slugs = POV.map((c) => c.toLowerCase().replace(/[^a-z0-9]/g, '_'));
      const votes = POV.map((c) => own.filter((f) => f.pov_pred === c).length);
      const top = Math.max(...votes);
      expect(votes[POV.indexOf(v.pov_pred!)]).toBe(top);
      expect(v.pov_share).toBe((top / own.length).toFixed(6));
      slugs.forEach((s) => {
        const mean = own.reduce((sum, f) => sum + Number(f[`pov_p_${s}`]), 0) / own.length;
        expect(Math.abs(Number(v[`pov_mean_p_${s}`]) - mean)).toBeLessThan(1e-5);
      });
    }
  });

  it(
    'probabilities equal `models predict` on the same frames extracted as PNG',
    async () => {
      const frames = table(read(reference)['model_predictions.csv']!)
        .rows.filter((_, i) => i % 9 === 0)
        .slice(0, 8);
      const pngDir = path.join(dir, 'png');
      fs.mkdirSync(pngDir, { recursive: true });
      const images = frames.map((f) => {
        const video = clips.good.find((g) => path.basename(g, '.mp4') === f.video_id)!;
        const png = path.join(pngDir, `${f.frame_id}.png`);
        // The decoder's own arguments without its raw output: a PNG of the same pixels.
        const args = ffmpegArgs(video, Number(f.timestamp_s)).slice(0, -5);
        execFileSync('ffmpeg', [...args, '-pix_fmt', 'rgb24', '-y', png]);
        return png;
      });
      for (const [dim, classes] of [
        ['pov', POV],
        ['distance', DISTANCE],
      ] as const) {
        const job = core.jobs.start('models.predict', { model: `${dim}@v7`, images, batchSize: 8 });
        const done = await core.jobs.waitFor(job.id);
        expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
        const { predictions } = ModelsPredictResult.parse(done.result);
        predictions.forEach((p, i) => {
          expect(frames[i]![`${dim}_pred`]).toBe(p.class);
          for (const c of classes) {
            const ours = Number(frames[i]![`${dim}_p_${c.toLowerCase().replace(/[^a-z0-9]/g, '_')}`]);
            // Same pixels, same graph; ORT may batch differently, hence a float32-sized tolerance.
            expect(Math.abs(ours - p.probabilities[c]!)).toBeLessThan(2e-6);
          }
        });
      }
    },
    JOB_MS,
  );

  it(
    'a video whose audio outlasts its picture: its frames up to the last one, no error, the frame ids coding samples',
    async () => {
      const videos = path.join(dir, 'longaudio');
      fs.mkdirSync(videos);
      const file = path.join(videos, 'longaudio.mp4');
      // 1.8 s of picture, 2.6 s of sound: the file lasts 2.6 s; every 0.5 s, 2.0 s and 2.5 s have no frame.
      execFileSync('ffmpeg', [
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-t',
        '1.8',
        '-i',
        'testsrc2=size=64x48:rate=10',
        '-f',
        'lavfi',
        '-t',
        '2.6',
        '-i',
        'sine',
        '-pix_fmt',
        'yuv420p',
        '-c:v',
        'libx264',
        '-c:a',
        'aac',
        file,
      ]);
      const sampling = { kind: 'every', seconds: 0.5 } as const;
      const outDir = path.join(dir, 'longaudio-out');
      const job = core.jobs.start('infer.run', { ...params(outDir, { sampling }), videos });
      const done = await withTimeout(core.jobs.waitFor(job.id), JOB_MS, 'the infer job');
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      expect(InferResult.parse(done.result)).toMatchObject({ videos: 1, frames: 4, errors: 0 });
      const files = read(outDir);
      const predicted = table(files['model_predictions.csv']!).rows.map((r) => [r.frame_id, r.timestamp_s]);
      expect(predicted).toEqual([
        ['longaudio_t000.0', '0.0'],
        ['longaudio_t000.5', '0.5'],
        ['longaudio_t001.0', '1.0'],
        ['longaudio_t001.5', '1.5'],
      ]);
      expect(table(files['model_predictions_video.csv']!).rows[0]!.n_frames).toBe('4');
      expect(table(files['errors.csv']!).rows).toEqual([]);
      const warning = core.jobRepo.logs(job.id).find((l) => l.level === 'warn')?.message;
      expect(warning).toBe(
        'longaudio: its video ends before 2.0 s (the file lasts 2.6 s): 2 of 6 sampled time(s) have no frame and are left out',
      );

      // Coding samples the same video the same way: the same frames, the same ids.
      const imported = await core.jobs.waitFor(core.jobs.start('media.import', { paths: [file] }).id);
      expect(imported.status, JSON.stringify(imported.error)).toBe('succeeded');
      const sampled = await core.jobs.waitFor(core.jobs.start('frames.sample', { strategy: sampling, videoIds: ['longaudio'] }).id);
      expect(sampled.status, JSON.stringify(sampled.error)).toBe('succeeded');
      const coded = (sampled.result as { frames: { frameId: string; timestampS: number }[] }).frames;
      expect(coded.map((f) => [f.frameId, f.timestampS.toFixed(1)])).toEqual(predicted);
    },
    JOB_MS,
  );

  it(
    'kill -9 at random points, twice, a cancel, then jobs resume: byte-identical CSVs, no video twice or missing',
    async () => {
      const outDir = path.join(dir, 'killed');
      const seed = Date.now() % 1000;
      const random = mulberry32(seed);
      let resumedFrom = 0;
      let lastJob = '';
      for (const after of [1 + Math.floor(random() * 2), 1 + Math.floor(random() * 3)]) {
        const job = core.jobs.start('infer.run', params(outDir));
        lastJob = job.id;
        // Wait for `after` more parts than there were, then kill the job process.
        const partsNow = () =>
          fs.existsSync(path.join(outDir, 'parts'))
            ? fs.readdirSync(path.join(outDir, 'parts')).filter((n) => n.endsWith('.jsonl')).length
            : 0;
        const before = partsNow();
        await waitUntil(() => partsNow() >= before + after, 'parts written', { timeoutMs: JOB_MS / 2, intervalMs: 20 });
        const pid = (core.db.prepare('SELECT owner_pid FROM jobs WHERE id = ?').get(job.id) as { owner_pid: number | null }).owner_pid;
        process.kill(pid!, 'SIGKILL');
        const killed = await withTimeout(core.jobs.waitFor(job.id), 60_000, 'the killed job to settle');
        expect(killed.status, `seed ${seed}`).toBe('interrupted');
        expect(fs.existsSync(path.join(outDir, 'model_predictions.csv'))).toBe(false);
      }
      // A cancel keeps the whole videos finished so far (saved as one more part).
      const cancelled = core.jobs.start('infer.run', params(outDir));
      const partsBefore = fs.readdirSync(path.join(outDir, 'parts')).filter((n) => n.endsWith('.jsonl')).length;
      await waitUntil(() => fs.readdirSync(path.join(outDir, 'parts')).filter((n) => n.endsWith('.jsonl')).length > partsBefore, 'a part', {
        timeoutMs: JOB_MS / 2,
      });
      core.jobs.cancel(cancelled.id);
      expect((await withTimeout(core.jobs.waitFor(cancelled.id), 60_000, 'the cancel')).status).toBe('cancelled');
      // The last killed job, resumed: it re-reads the folder.
      core.jobs.resume(lastJob);
      const done = await withTimeout(core.jobs.waitFor(lastJob), JOB_MS, 'the resumed job');
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      const result = InferResult.parse(done.result);
      resumedFrom = result.resumedFrom;
      expect(resumedFrom, `seed ${seed}`).toBeGreaterThanOrEqual(3 * 3);
      expect(resumedFrom).toBeLessThan(34);
      // The same outcome; the time accounting covers only the frames this last attempt decoded.
      expect({ ...result, resumedFrom: 0, outDir: reference, timings: undefined }).toEqual({ ...referenceResult, timings: undefined });
      expect(result.timings!.frames).toBeLessThan(referenceResult.timings!.frames);
      expect(read(outDir)).toEqual(read(reference));
    },
    JOB_MS * 2,
  );

  it(
    'jobs.pause stops the run keeping its finished videos; jobs.resume of the same job ends byte-identical',
    async () => {
      const outDir = path.join(dir, 'paused');
      const job = core.jobs.start('infer.run', params(outDir));
      const parts = () =>
        fs.existsSync(path.join(outDir, 'parts'))
          ? fs.readdirSync(path.join(outDir, 'parts')).filter((n) => n.endsWith('.jsonl')).length
          : 0;
      await waitUntil(() => parts() >= 1, 'a first part', { timeoutMs: JOB_MS / 2, intervalMs: 20 });
      expect(core.jobs.pause(job.id).progress.stage).toBe('Pausing…');
      const paused = await withTimeout(core.jobs.waitFor(job.id), 60_000, 'the pause');
      expect(isPaused(paused), JSON.stringify(paused.error)).toBe(true);
      expect(parts()).toBeGreaterThanOrEqual(1);
      expect(fs.existsSync(path.join(outDir, 'model_predictions.csv'))).toBe(false);
      core.jobs.resume(job.id);
      const done = await withTimeout(core.jobs.waitFor(job.id), JOB_MS, 'the resumed job');
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      const result = InferResult.parse(done.result);
      expect(result.resumedFrom).toBeGreaterThanOrEqual(3);
      expect(result.resumedFrom).toBeLessThan(34);
      expect(read(outDir)).toEqual(read(reference));
    },
    JOB_MS * 2,
  );

  it(
    'refuses a folder made with other models or sampling, names the difference; --fresh starts over',
    async () => {
      const sampling = await runInfer(params(reference, { sampling: { kind: 'perVideo', count: 2, random: true, seed: 7 } }));
      expect(sampling.status).toBe('failed');
      expect(sampling.error).toMatchObject({ code: 'CONFLICT' });
      expect(sampling.error!.message).toContain('sampling was {"kind":"every","seconds":1}');
      expect(sampling.error!.message).toContain('--fresh');
      const models = await runInfer(params(reference, { models: ['pov@v7'] }));
      expect(models.status).toBe('failed');
      expect(models.error!.message).toMatch(/models were pov@v7 \(sha256 [0-9a-f]{12}…\), distance@v7 .*, now pov@v7 \(sha256/);
      expect(read(reference)['model_predictions.csv']).toBe(read(path.join(dir, 'killed'))['model_predictions.csv']);

      const freshDir = path.join(dir, 'fresh');
      fs.cpSync(reference, freshDir, { recursive: true });
      const fresh = await runInfer(params(freshDir, { sampling: { kind: 'perVideo', count: 2, random: true, seed: 7 }, fresh: true }));
      expect(fresh.status, JSON.stringify(fresh.error)).toBe('succeeded');
      expect(InferResult.parse(fresh.result)).toMatchObject({ resumedFrom: 0, videos: 34, errors: 4, frames: 30 * 2 });
    },
    JOB_MS * 2,
  );

  it(
    'shards K/N split by a hash of video_id; merge equals the unsharded run and refuses a missing shard',
    async () => {
      const shardDirs = [0, 1, 2].map((k) => path.join(dir, `shard${k}`));
      for (let k = 0; k < 3; k++) {
        const done = await runInfer(params(shardDirs[k]!, { shard: { index: k, count: 3 } }));
        expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
        const ids = table(read(shardDirs[k]!)['model_predictions_video.csv']!).rows.map((r) => r.video_id!);
        for (const id of ids) expect(shardOf(id, 3)).toBe(k);
      }
      // merge needs no home: run the CLI while the test core holds this one.
      const merged = path.join(dir, 'merged');
      const cli = await runCli(['infer', 'merge', '--out', merged, ...shardDirs, '--json'], { env: cliEnv(), timeoutMs: 60_000 });
      expect(cli.code, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ videos: 34, errors: 4, frames: referenceResult.frames, shards: 3 });
      expect(read(merged)).toEqual(read(reference));

      const missing = await runCli(['infer', 'merge', '--out', path.join(dir, 'merged2'), shardDirs[0]!, shardDirs[2]!, '--json'], {
        timeoutMs: 60_000,
      });
      expect(missing.code).not.toBe(0);
      expect(missing.stderr + missing.stdout).toContain('Shard(s) 1/3 are missing');
    },
    JOB_MS * 3,
  );

  it(
    'the CLI runs the job and prints {videos, frames, errors, outDir, resumedFrom}',
    async () => {
      core.close();
      const outDir = path.join(dir, 'killed');
      const cli = await runCli(
        ['--home', home, 'infer', '--videos', clips.dir, '--models', 'pov@v7,distance@v7', '--out', outDir, '--workers', '2', '--json'],
        { timeoutMs: JOB_MS },
      );
      expect(cli.code, cli.stderr).toBe(0);
      // Everything was already done in that folder: nothing runs again.
      expect(JSON.parse(cli.stdout)).toEqual({ videos: 34, frames: referenceResult.frames, errors: 4, outDir, resumedFrom: 34 });
      expect(read(outDir)).toEqual(read(reference));
    },
    JOB_MS,
  );
});
