/**
 * The Inference screens' API on a real output folder written by the real `infer.run` job (a
 * few generated clips, two seeded ResNet-50s at a 32 px crop): the overview, distribution and
 * per-video rows agree with the CSVs the job wrote, search and paging, a video's frames, the
 * frame image equals ffmpeg's own decode of that frame, an unfinished run read from its parts,
 * a merged (CSV-only) folder, and the export (atomic copy, never a silent overwrite).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/core/api/dispatch';
import { handlers } from '../../src/main/core/api/handlers';
import { parseCsv } from '../../src/main/core/annotations/csv';
import type { Core } from '../../src/main/core/core';
import { ffmpegArgs } from '../../src/main/core/infer/decodeFrames';
import type { Input, MethodName, Output } from '../../src/shared/api';
import type { InferParams } from '../../src/shared/infer';
import { openTestCore, runCleanup, tempDir, withTimeout } from '../helpers';
import { pythonHas } from '../helpers/python';
import { makeClips, type ClipSet } from './clips';
import { DISTANCE, POV, seedInferModels } from './seedModels';

const FILES = ['model_predictions.csv', 'model_predictions_video.csv', 'errors.csv'];
/** What `infer export` copies: the CSVs and their models sidecar (ids and sha256s). */
const EXPORTED = [...FILES, 'model_predictions.models.json'];

let dir: string;
let core: Core;
let clips: ClipSet;
let outDir: string;
let jobId: string;

async function call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  const envelope = await dispatch(handlers, core, method, input);
  if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
  return envelope.value as Output<M>;
}

async function failure(method: MethodName, input: unknown): Promise<{ code: string; message: string }> {
  const envelope = await dispatch(handlers, core, method, input);
  expect(envelope.ok, `${method} should fail`).toBe(false);
  return (envelope as { error: { code: string; message: string } }).error;
}

function table(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(file, 'utf8')).records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

const slug = (c: string) => c.toLowerCase().replace(/[^a-z0-9]/g, '_');

describe.skipIf(!pythonHas('torch', 'torchvision'))('infer results API', () => {
  beforeAll(async () => {
    dir = tempDir('infer-results');
    core = openTestCore(path.join(dir, 'home'));
    clips = await makeClips(path.join(dir, 'videos'), 6);
    await seedInferModels(core, dir);
    outDir = path.join(dir, 'out');
    const params: InferParams = {
      videos: clips.dir,
      models: ['pov@v7', 'distance@v7'],
      sampling: { kind: 'every', seconds: 1 },
      workers: 2,
      batchSize: 8,
      checkpointEvery: 2,
      shard: null,
      fresh: false,
      outDir,
    };
    const job = core.jobs.start('infer.run', params);
    jobId = job.id;
    const done = await withTimeout(core.jobs.waitFor(job.id), 240_000, 'the infer job');
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  }, 400_000);
  afterAll(runCleanup);

  it("lists the run's output folder from the jobs", async () => {
    const { outputs } = await call('infer.outputs', {});
    expect(outputs).toEqual([
      expect.objectContaining({ outDir, jobId, status: 'succeeded', videos: clips.dir, models: ['pov@v7', 'distance@v7'], exists: true }),
    ]);
  });

  it('the overview, distribution and video rows agree with the CSVs the job wrote', async () => {
    const frames = table(path.join(outDir, 'model_predictions.csv'));
    const videos = table(path.join(outDir, 'model_predictions_video.csv'));
    const errors = table(path.join(outDir, 'errors.csv'));
    const view = await call('infer.results', { outDir, limit: 500 });
    expect(view.overview).toMatchObject({
      outDir,
      complete: true,
      source: 'parts',
      videos: videos.length,
      frames: frames.length,
      errors: errors.length,
      sampling: { kind: 'every', seconds: 1 },
      shard: null,
      job: { id: jobId, status: 'succeeded' },
    });
    expect(videos.length).toBe(6);
    expect(errors.length).toBe(4);
    expect(view.overview.models).toEqual([
      { id: 'pov@v7', dimension: 'pov', classes: POV },
      { id: 'distance@v7', dimension: 'distance', classes: DISTANCE },
    ]);
    for (const [dim, classes] of [
      ['pov', POV],
      ['distance', DISTANCE],
    ] as const) {
      const dist = view.distribution.find((d) => d.dimension === dim)!;
      expect(dist.classes.map((c) => c.name)).toEqual(classes);
      for (const c of dist.classes) {
        expect(c.frames, `${dim} ${c.name} frames`).toBe(frames.filter((f) => f[`${dim}_pred`] === c.name).length);
        expect(c.videos, `${dim} ${c.name} videos`).toBe(videos.filter((v) => v[`${dim}_pred`] === c.name).length);
      }
      expect(dist.classes.reduce((s, c) => s + c.frames, 0)).toBe(frames.length);
    }
    expect(view.videos.total).toBe(videos.length);
    expect(view.videos.rows).toEqual(
      videos.map((v) => ({
        videoId: v.video_id,
        nFrames: Number(v.n_frames),
        models: {
          pov: { pred: v.pov_pred, share: expect.closeTo(Number(v.pov_share), 6) },
          distance: { pred: v.distance_pred, share: expect.closeTo(Number(v.distance_share), 6) },
        },
      })),
    );
    expect(view.errorRows).toEqual(errors.map((e) => ({ videoId: e.video_id, path: e.path, stage: e.stage, reason: e.reason })));
  });

  it('searches video ids by substring (any case) and pages', async () => {
    const ids = table(path.join(outDir, 'model_predictions_video.csv')).map((v) => v.video_id!);
    const one = await call('infer.results', { outDir, search: 'CLIP_003' });
    expect(one.videos).toEqual({ rows: [expect.objectContaining({ videoId: 'clip_003' })], total: 1, offset: 0 });
    const none = await call('infer.results', { outDir, search: 'nothing-like-this' });
    expect(none.videos.total).toBe(0);
    const page = await call('infer.results', { outDir, search: 'clip', offset: 2, limit: 3 });
    expect(page.videos.total).toBe(ids.length);
    expect(page.videos.rows.map((r) => r.videoId)).toEqual(ids.slice(2, 5));
  });

  it("a video's frames equal its rows in model_predictions.csv", async () => {
    const frames = table(path.join(outDir, 'model_predictions.csv')).filter((f) => f.video_id === 'clip_004');
    const view = await call('infer.videoFrames', { outDir, videoId: 'clip_004' });
    expect(view.path).toBe(clips.good.find((f) => f.endsWith('clip_004.mp4')));
    expect(view.frames.map((f) => f.frameId)).toEqual(frames.map((f) => f.frame_id));
    expect(frames.length).toBeGreaterThan(1);
    view.frames.forEach((f, i) => {
      const row = frames[i]!;
      expect(f.timestampS).toBe(Number(row.timestamp_s));
      for (const [dim, classes] of [
        ['pov', POV],
        ['distance', DISTANCE],
      ] as const) {
        expect(f.models[dim]!.pred).toBe(row[`${dim}_pred`]);
        expect(f.models[dim]!.conf.toFixed(6)).toBe(row[`${dim}_conf`]);
        expect(f.models[dim]!.probabilities.map((p) => p.toFixed(6))).toEqual(classes.map((c) => row[`${dim}_p_${slug(c)}`]));
      }
    });
    expect(await failure('infer.videoFrames', { outDir, videoId: 'bad_random' })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('could not be read (probe'),
    });
    expect(await failure('infer.videoFrames', { outDir, videoId: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it("a frame's image is ffmpeg's own decode of that frame (PNG read back by ffmpeg), scaled on request", async () => {
    const video = clips.good.find((f) => f.endsWith('clip_001.mp4'))!;
    const full = await call('infer.frameImage', { outDir, videoId: 'clip_001', timestampS: 1, maxWidth: 4096 });
    expect(full).toMatchObject({ width: 64, height: 48, sourceWidth: 64, sourceHeight: 48 });
    expect(full.dataUrl.startsWith('data:image/png;base64,')).toBe(true);
    const png = path.join(dir, 'frame.png');
    fs.writeFileSync(png, Buffer.from(full.dataUrl.slice('data:image/png;base64,'.length), 'base64'));
    const shown = execFileSync('ffmpeg', ['-v', 'error', '-i', png, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    const truth = execFileSync('ffmpeg', ffmpegArgs(video, 1));
    expect(shown.length).toBe(64 * 48 * 3);
    expect(Buffer.compare(shown, truth)).toBe(0);
    const other = execFileSync('ffmpeg', ffmpegArgs(video, 0));
    expect(Buffer.compare(other, truth), 'frames at 0 s and 1 s differ (testsrc2 moves)').not.toBe(0);

    const small = await call('infer.frameImage', { outDir, videoId: 'clip_001', timestampS: 1, maxWidth: 32 });
    expect(small).toMatchObject({ width: 32, height: 24, sourceWidth: 64, sourceHeight: 48 });
    expect(await failure('infer.frameImage', { outDir, videoId: 'clip_001', timestampS: 0.5 })).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('an unfinished run is read from its parts and cannot be exported yet', async () => {
    const partial = path.join(dir, 'partial');
    fs.cpSync(outDir, partial, { recursive: true });
    for (const f of FILES) fs.rmSync(path.join(partial, f));
    const parts = fs.readdirSync(path.join(partial, 'parts')).sort();
    expect(parts.length).toBeGreaterThan(1);
    fs.rmSync(path.join(partial, 'parts', parts.at(-1)!));
    const kept = parts
      .slice(0, -1)
      .flatMap((p) =>
        fs
          .readFileSync(path.join(partial, 'parts', p), 'utf8')
          .split('\n')
          .filter(Boolean),
      )
      .map((l) => JSON.parse(l) as { error: unknown });
    const view = await call('infer.results', { outDir: partial });
    expect(view.overview).toMatchObject({
      complete: false,
      source: 'parts',
      videos: kept.filter((r) => !r.error).length,
      errors: kept.filter((r) => r.error).length,
      job: null,
    });
    expect(await failure('infer.export', { outDir: partial, dest: path.join(dir, 'never') })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('has not finished'),
    });
    expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
  });

  it('while a run goes on, a new checkpoint parses only its own part (parts never change once written)', async () => {
    const growing = path.join(dir, 'growing');
    fs.cpSync(outDir, growing, { recursive: true });
    for (const f of FILES) fs.rmSync(path.join(growing, f));
    const partsDir = path.join(growing, 'parts');
    const parts = fs.readdirSync(partsDir).sort();
    const last = path.join(partsDir, parts.at(-1)!);
    const lastText = fs.readFileSync(last, 'utf8');
    fs.rmSync(last);
    const first = path.join(partsDir, parts[0]!);
    const written = new Date('2026-01-01T00:00:00Z'); // a time the file system keeps exactly
    fs.utimesSync(first, written, written);
    const before = await call('infer.results', { outDir: growing });

    // The first part turns into garbage of the same size and time: were it parsed again, the call would fail.
    fs.writeFileSync(first, '#'.repeat(fs.statSync(first).size));
    fs.utimesSync(first, written, written);
    fs.writeFileSync(last, lastText); // the next checkpoint
    const after = await call('infer.results', { outDir: growing });
    const added = lastText
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { error: unknown });
    expect(after.overview.videos).toBe(before.overview.videos + added.filter((r) => !r.error).length);
    expect(after.overview.errors).toBe(before.overview.errors + added.filter((r) => r.error).length);

    // A part that really changed (new size) is read again, and its problem named.
    fs.writeFileSync(first, 'not json\n');
    expect(await failure('infer.results', { outDir: growing })).toMatchObject({
      message: expect.stringMatching(/part-000001\.jsonl line 1: it is not valid JSON/),
    });
  });

  it('a merged folder (CSVs only) gives the same rows and frames, but no images', async () => {
    const merged = path.join(dir, 'merged');
    fs.mkdirSync(merged);
    for (const f of [...FILES, 'infer-manifest.json']) fs.copyFileSync(path.join(outDir, f), path.join(merged, f));
    const a = await call('infer.results', { outDir, limit: 500 });
    const b = await call('infer.results', { outDir: merged, limit: 500 });
    expect(b.overview).toMatchObject({
      source: 'csv',
      complete: true,
      videos: a.overview.videos,
      frames: a.overview.frames,
      errors: a.overview.errors,
    });
    expect(b.distribution).toEqual(a.distribution);
    expect(b.videos.rows.map((r) => [r.videoId, r.nFrames, r.models.pov!.pred, r.models.distance!.pred])).toEqual(
      a.videos.rows.map((r) => [r.videoId, r.nFrames, r.models.pov!.pred, r.models.distance!.pred]),
    );
    const fa = await call('infer.videoFrames', { outDir, videoId: 'clip_002' });
    const fb = await call('infer.videoFrames', { outDir: merged, videoId: 'clip_002' });
    expect(fb.path).toBeNull();
    expect(fb.frames.map((f) => [f.frameId, f.models.pov!.pred, f.models.pov!.conf.toFixed(6)])).toEqual(
      fa.frames.map((f) => [f.frameId, f.models.pov!.pred, f.models.pov!.conf.toFixed(6)]),
    );
    expect(await failure('infer.frameImage', { outDir: merged, videoId: 'clip_002', timestampS: 0 })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('exports the three CSVs byte for byte, refuses to replace files unless asked, and says what it replaced', async () => {
    fs.mkdirSync(path.join(dir, 'export'));
    const dest = path.join(dir, 'export', 'here'); // created: its parent exists
    expect(await failure('infer.export', { outDir, dest: path.join(dir, 'missing', 'here') })).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('does not exist'),
    });
    expect(await failure('infer.export', { outDir, dest: path.join(dir, '.hidden') })).toMatchObject({ code: 'INVALID_INPUT' });
    const first = await call('infer.export', { outDir, dest });
    expect(first.replaced).toEqual([]);
    expect(first.files.map((f) => f.name)).toEqual(EXPORTED);
    for (const f of EXPORTED) expect(fs.readFileSync(path.join(dest, f)).equals(fs.readFileSync(path.join(outDir, f))), f).toBe(true);
    fs.writeFileSync(path.join(dest, 'errors.csv'), 'mine\n');
    const refused = await failure('infer.export', { outDir, dest });
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('model_predictions.csv, model_predictions_video.csv, errors.csv'),
    });
    expect(fs.readFileSync(path.join(dest, 'errors.csv'), 'utf8')).toBe('mine\n');
    const again = await call('infer.export', { outDir, dest, overwrite: true });
    expect(again.replaced).toEqual(EXPORTED);
    expect(fs.readFileSync(path.join(dest, 'errors.csv')).equals(fs.readFileSync(path.join(outDir, 'errors.csv')))).toBe(true);
    expect(fs.readdirSync(dest).sort()).toEqual([...EXPORTED].sort());
    // A link named like one of the files is never written through, even with overwrite.
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    fs.rmSync(path.join(dest, 'errors.csv'));
    fs.symlinkSync(victim, path.join(dest, 'errors.csv'));
    expect(await failure('infer.export', { outDir, dest, overwrite: true })).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('symbolic link'),
    });
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('names a folder that is missing or not an output folder', async () => {
    expect(await failure('infer.results', { outDir: path.join(dir, 'missing') })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('does not exist'),
    });
    expect(await failure('infer.results', { outDir: clips.dir })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('not an inference output folder'),
    });
  });
});
