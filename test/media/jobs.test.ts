import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocalTransport } from '../../src/main/core/api/localTransport';
import { handlers } from '../../src/main/core/api/handlers';
import type { Core } from '../../src/main/core/core';
import { openCore } from '../../src/main/core/core';
import { absoluteStoredPath } from '../../src/main/core/workspace/files';
import { createClient } from '../../src/shared/client';
import { IntegrityReport, type JobKind, type JobSummary } from '../../src/shared/jobs';
import { FramesSampleResult, MediaImportResult, type SamplingStrategy } from '../../src/shared/media';
import { onCleanup, openTestCore, runCleanup, sha256, tempDir, withTimeout } from '../helpers';
import { makeClips, scriptedLauncher, type Clips } from './fixtures';

afterEach(runCleanup);

let clips: Clips;
beforeAll(async () => {
  clips = await makeClips();
});
afterAll(() => clips?.remove());

async function runJob(core: Core, kind: JobKind, params: unknown): Promise<JobSummary> {
  const started = core.jobs.start(kind, params);
  return withTimeout(core.jobs.waitFor(started.id), 60_000, `${kind} to finish`);
}

async function importPaths(core: Core, paths: string[]) {
  const job = await runJob(core, 'media.import', { paths });
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  return MediaImportResult.parse(job.result);
}

async function sample(core: Core, strategy: SamplingStrategy, videoIds?: string[]) {
  const job = await runJob(core, 'frames.sample', { strategy, videoIds });
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  return FramesSampleResult.parse(job.result);
}

/** Job processes and ffmpeg runs: room for a loaded machine. */
const JOB_TEST_MS = 90_000;

const count = (core: Core, table: string) => (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('media.import job', () => {
  it(
    'records hash and metadata; the same content under another name is the same video',
    async () => {
      const core = openTestCore(tempDir());
      const first = await importPaths(core, [clips.mp4, clips.mov]);
      expect(first.errors).toEqual([]);
      expect(first.imported.map((v) => [v.videoId, v.existing])).toEqual([
        ['clip', false],
        ['talk', false],
      ]);
      const row = core.db.prepare('SELECT * FROM videos WHERE video_id = ?').get('clip') as Record<string, unknown>;
      expect(row).toMatchObject({
        content_hash: sha256(fs.readFileSync(clips.mp4)),
        path: clips.mp4,
        size_bytes: fs.statSync(clips.mp4).size,
        duration_s: 4,
        width: 160,
        height: 120,
        fps: 25,
        codec: 'h264',
      });

      const again = await importPaths(core, [clips.sameContent, clips.mp4]);
      expect(again.errors).toEqual([]);
      expect(again.imported.map((v) => [v.videoId, v.path, v.existing])).toEqual([
        ['clip', clips.sameContent, true],
        ['clip', clips.mp4, true],
      ]);
      expect(count(core, 'videos')).toBe(2);
      expect((core.db.prepare('SELECT path FROM videos WHERE video_id = ?').get('clip') as { path: string }).path).toBe(clips.mp4);
    },
    JOB_TEST_MS,
  );

  it(
    'reports corrupt, missing, non-video and clashing files by name and reason while the good ones import',
    async () => {
      const core = openTestCore(tempDir());
      const missing = path.join(clips.dir, 'gone.mp4');
      const result = await importPaths(core, [clips.corrupt, clips.text, missing, clips.folder, clips.mp4, clips.clash, clips.sameContent]);
      // Folders are scanned recursively, in name order; their text files are skipped.
      expect(result.imported.map((v) => v.videoId)).toEqual(['bars', 'web', 'clip', 'clip']);
      expect(result.imported.map((v) => v.path)).toEqual([clips.mkv, clips.webm, clips.mp4, clips.sameContent]);
      const errors = Object.fromEntries(result.errors.map((e) => [e.path, e.message]));
      expect(Object.keys(errors).sort()).toEqual([clips.clash, clips.corrupt, clips.text, missing].sort());
      expect(errors[clips.corrupt]).toBe('bad.mp4: ffprobe could not read it: Invalid data found when processing input');
      expect(errors[clips.text]).toBe('notes.txt: not a video file (mp4, mov, webm, mkv)');
      expect(errors[missing]).toBe('gone.mp4: no such file or folder');
      // Names both: the file, the id and the video holding it.
      expect(errors[clips.clash]).toMatch(
        /^clip\.mp4: the video id "clip" is already taken by a different video \(.*clip\.mp4, content [0-9a-f]{12}…\)/,
      );
      expect(errors[clips.clash]).toContain(clips.mp4);
      expect(count(core, 'videos')).toBe(3);

      // A clash with a video already in the database, too.
      const later = await importPaths(core, [clips.clash]);
      expect(later.imported).toEqual([]);
      expect(later.errors[0]!.message).toContain('"clip" is already taken');
    },
    JOB_TEST_MS,
  );

  it(
    'an empty folder and an unreadable file are errors, not failures; an explicit id replaces the name',
    async () => {
      const core = openTestCore(tempDir());
      const empty = tempDir('empty');
      const locked = path.join(tempDir('locked'), 'locked.mp4');
      fs.copyFileSync(clips.mp4, locked);
      fs.chmodSync(locked, 0o000);
      const root = process.getuid?.() === 0; // root reads it anyway
      // The lab's own id may be given per file: it replaces the file name.
      const job = await runJob(core, 'media.import', {
        paths: [empty, ...(root ? [] : [locked]), clips.clash],
        videoIds: { [clips.clash]: 'vid_0007' },
      });
      const result = MediaImportResult.parse(job.result);
      expect(result.imported.map((v) => [v.videoId, v.path])).toEqual([['vid_0007', clips.clash]]);
      expect(result.errors).toEqual([
        { path: empty, message: `${path.basename(empty)}: no video files (mp4, mov, webm, mkv) in this folder` },
        ...(root ? [] : [{ path: locked, message: 'locked.mp4: cannot be read: permission denied' }]),
      ]);
    },
    JOB_TEST_MS,
  );
});

describe('frames.sample job', () => {
  it(
    'samples evenly, extracts frames and thumbnails once, registers them, and re-sampling adds nothing',
    async () => {
      const core = openTestCore(tempDir());
      await importPaths(core, [clips.mp4, clips.webm]);
      const first = await sample(core, { kind: 'perVideo', count: 4 });
      expect(first.frames.map((f) => [f.frameId, f.timestampS])).toEqual([
        ['clip_t000.5', 0.5],
        ['clip_t001.5', 1.5],
        ['clip_t002.5', 2.5],
        ['clip_t003.5', 3.5],
        ['web_t000.3', 0.3], // 0.25 rounds half up
        ['web_t000.8', 0.8],
        ['web_t001.3', 1.3],
        ['web_t001.8', 1.8],
      ]);
      expect(first).toMatchObject({ sampled: 8, new: 8 });

      const rows = core.db.prepare('SELECT * FROM frames ORDER BY frame_id').all() as {
        frame_id: string;
        image_path: string;
        thumb_path: string;
      }[];
      expect(rows).toHaveLength(8);
      for (const row of rows) {
        const videoId = row.frame_id.split('_t')[0];
        expect(row.image_path).toBe(`frames/${videoId}/${row.frame_id}.jpg`);
        expect(row.thumb_path).toBe(`thumbs/${videoId}/${row.frame_id}.jpg`);
        for (const rel of [row.image_path, row.thumb_path]) {
          const bytes = fs.readFileSync(absoluteStoredPath(core.home, rel));
          expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff])); // JPEG
          const stored = core.db.prepare('SELECT sha256, size, role FROM stored_files WHERE path = ?').get(rel);
          expect(stored).toEqual({ sha256: sha256(bytes), size: bytes.length, role: rel.startsWith('frames/') ? 'frame' : 'thumb' });
        }
      }
      // No temporary file is left behind.
      const leftovers = fs
        .readdirSync(core.home.filesDir, { recursive: true })
        .map(String)
        .filter((f) => f.includes('.tmp'));
      expect(leftovers).toEqual([]);

      const mtimes = rows.map((r) => fs.statSync(absoluteStoredPath(core.home, r.image_path)).mtimeMs);
      const again = await sample(core, { kind: 'perVideo', count: 4 });
      expect(again).toMatchObject({ sampled: 8, new: 0 });
      expect(again.frames.map((f) => f.frameId)).toEqual(first.frames.map((f) => f.frameId));
      expect(again.frames.every((f) => f.image === null)).toBe(true);
      expect(count(core, 'frames')).toBe(8);
      expect(count(core, 'stored_files')).toBe(16);
      expect(rows.map((r) => fs.statSync(absoluteStoredPath(core.home, r.image_path)).mtimeMs)).toEqual(mtimes);

      // Every second, on one video: overlaps with nothing above, then the integrity check covers all.
      const every = await sample(core, { kind: 'every', seconds: 1 }, ['clip']);
      expect(every.frames.map((f) => f.timestampS)).toEqual([0, 1, 2, 3]);
      expect(every.new).toBe(4);
      const check = await runJob(core, 'workspace.integrity', {});
      const report = IntegrityReport.parse(check.result);
      expect(report.ok).toBe(true);
      expect(report.files).toMatchObject({ total: 24, ok: 24, missing: [], mismatched: [] });

      // The list API sees the same.
      const client = createClient(createLocalTransport(core, handlers));
      const { videos } = await client.call('videos.list');
      expect(videos.map((v) => [v.videoId, v.frameCount, v.durationS, v.contentHash?.length])).toEqual([
        ['clip', 8, 4, 64],
        ['web', 4, 2, 64],
      ]);
      const page = await client.call('frames.list', { videoId: 'clip', limit: 3, offset: 1 });
      expect(page.total).toBe(8);
      expect(page.frames).toEqual([
        {
          frameId: 'clip_t000.5',
          videoId: 'clip',
          timestampS: 0.5,
          image: 'frames/clip/clip_t000.5.jpg',
          thumb: 'thumbs/clip/clip_t000.5.jpg',
        },
        {
          frameId: 'clip_t001.0',
          videoId: 'clip',
          timestampS: 1,
          image: 'frames/clip/clip_t001.0.jpg',
          thumb: 'thumbs/clip/clip_t001.0.jpg',
        },
        {
          frameId: 'clip_t001.5',
          videoId: 'clip',
          timestampS: 1.5,
          image: 'frames/clip/clip_t001.5.jpg',
          thumb: 'thumbs/clip/clip_t001.5.jpg',
        },
      ]);
      expect((await client.call('frames.list')).total).toBe(12);
    },
    JOB_TEST_MS,
  );

  it(
    'random sampling is reproducible (same seed same frames, another seed others); an unknown video fails clearly',
    async () => {
      const core = openTestCore(tempDir());
      await importPaths(core, [clips.mp4]);
      const a = await sample(core, { kind: 'perVideo', count: 3, random: true, seed: 11 });
      const b = await sample(core, { kind: 'perVideo', count: 3, random: true, seed: 11 });
      expect(b.frames.map((f) => f.frameId)).toEqual(a.frames.map((f) => f.frameId));
      expect(b.new).toBe(0);
      for (const f of a.frames) {
        expect(f.timestampS).toBeLessThan(4);
        expect(Math.round(f.timestampS * 10)).toBe(f.timestampS * 10);
        expect(f.frameId).toMatch(/^clip_t\d{3}\.\d$/);
      }
      const other = await sample(core, { kind: 'perVideo', count: 3, random: true, seed: 12 });
      expect(other.frames.map((f) => f.frameId)).not.toEqual(a.frames.map((f) => f.frameId));

      // An unknown id fails the job clearly and writes nothing.
      const before = count(core, 'frames');
      const job = await runJob(core, 'frames.sample', { strategy: { kind: 'every', seconds: 1 }, videoIds: ['nope'] });
      expect(job.status).toBe('failed');
      expect(job.error).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('No video "nope"') });
      expect(count(core, 'frames')).toBe(before);
    },
    JOB_TEST_MS,
  );
});

describe('apply: the owner writes a job result all or nothing', () => {
  function coreWithScriptedJob(home: string, result: (job: { id: string }) => unknown): Core {
    const core = openCore({ home, mode: 'cli', launcher: scriptedLauncher(result) });
    onCleanup(() => core.close());
    return core;
  }

  const video = (videoId: string, hash: string) => ({
    videoId,
    path: `/videos/${videoId}.mp4`,
    durationS: 4,
    width: 160,
    height: 120,
    fps: 25,
    codec: 'h264',
    contentHash: hash.repeat(64),
    sizeBytes: 1000,
    existing: false,
    relocated: false,
  });

  it('a video id taken meanwhile fails the import job and leaves no row of it', async () => {
    const home = tempDir();
    const core = coreWithScriptedJob(home, () => ({ imported: [video('fresh', 'b'), video('taken', 'c')], errors: [] }));
    core.db
      .prepare(`INSERT INTO videos (video_id, content_hash, path, imported_at) VALUES ('taken', ?, '/videos/other.mp4', 'x')`)
      .run('a'.repeat(64));
    const changed: string[][] = [];
    core.events.subscribe((e) => e.type === 'data.changed' && changed.push(e.topics));
    const job = await runJob(core, 'media.import', { paths: ['/videos'] });
    expect(job.status).toBe('failed');
    expect(job.error!.code).toBe('CONFLICT');
    expect(job.error!.message).toMatch(/results could not be saved: .*"taken" was meanwhile taken.*Nothing was saved/);
    expect(job.result).toBeNull();
    expect(core.db.prepare('SELECT video_id FROM videos ORDER BY video_id').all()).toEqual([{ video_id: 'taken' }]);
    expect(changed.flat()).not.toContain('videos');
  });

  it('a frame whose video vanished fails the sample job: no rows, no stored files, temporary files removed', async () => {
    const home = tempDir();
    const files = (jobId: string) =>
      ['frames/ghost/ghost_t001.0', 'thumbs/ghost/ghost_t001.0'].map((p) => {
        const tmp = `${path.posix.dirname(p)}/.${path.posix.basename(p)}.${jobId}.tmp.jpg`;
        const abs = path.join(home, 'files', tmp);
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, 'jpeg');
        return { path: `${p}.jpg`, tmp, sha256: sha256(Buffer.from('jpeg')), size: 4 };
      });
    const core = coreWithScriptedJob(home, (job) => {
      const [image, thumb] = files(job.id);
      return {
        sampled: 2,
        new: 2,
        frames: [
          { frameId: 'real_t000.0', videoId: 'real', timestampS: 0, created: true, image: null, thumb: null },
          { frameId: 'ghost_t001.0', videoId: 'ghost', timestampS: 1, created: true, image, thumb },
        ],
      };
    });
    const job = await runJob(core, 'frames.sample', { strategy: { kind: 'every', seconds: 1 } });
    expect(job.status).toBe('failed');
    expect(job.error!.message).toMatch(/results could not be saved: .*FOREIGN KEY.*Nothing was saved\.$/);
    expect(count(core, 'frames')).toBe(0);
    expect(count(core, 'stored_files')).toBe(0);
    const left = fs
      .readdirSync(path.join(home, 'files'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.jpg'));
    expect(left).toEqual([]);
  });
});
