import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCleanup, runCli, tempDir } from '../helpers';
import { makeClips, type Clips } from './fixtures';

afterEach(runCleanup);

let clips: Clips;
beforeAll(async () => {
  clips = await makeClips();
});
afterAll(() => clips?.remove());

const CLI_TEST_MS = 90_000;
const timeoutMs = 60_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI output, checked key by key below
function json(text: string): any {
  const lines = text.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

const keys = (o: object) => Object.keys(o).sort();

describe('framelab videos / frames', () => {
  it(
    'videos import and frames sample print exactly the documented JSON',
    async () => {
      const home = tempDir('cli');
      const imported = await runCli(['videos', 'import', clips.mp4, clips.corrupt, clips.text, '--json', '--home', home], { timeoutMs });
      expect(imported.code, imported.stderr).toBe(0);
      const result = json(imported.stdout);
      expect(keys(result)).toEqual(['errors', 'imported']);
      expect(result.imported).toEqual([{ videoId: 'clip', path: clips.mp4, durationS: 4, width: 160, height: 120, fps: 25 }]);
      expect(result.errors).toEqual([
        { path: clips.text, message: 'notes.txt: not a video file (mp4, mov, webm, mkv)' },
        { path: clips.corrupt, message: 'bad.mp4: ffprobe could not read it: Invalid data found when processing input' },
      ]);

      // Every path failed: the same shape, exit 1.
      const none = await runCli(['videos', 'import', clips.corrupt, path.join(clips.dir, 'gone.mov'), '--json', '--home', home], {
        timeoutMs,
      });
      expect(none.code).toBe(1);
      expect(json(none.stdout)).toEqual({
        imported: [],
        errors: [
          { path: path.join(clips.dir, 'gone.mov'), message: 'gone.mov: no such file or folder' },
          { path: clips.corrupt, message: 'bad.mp4: ffprobe could not read it: Invalid data found when processing input' },
        ],
      });

      const sampled = await runCli(['frames', 'sample', '--per-video', '2', '--random', '--seed', '5', '--json', '--home', home], {
        timeoutMs,
      });
      expect(sampled.code, sampled.stderr).toBe(0);
      const frames = json(sampled.stdout);
      expect(keys(frames)).toEqual(['frames', 'new', 'sampled']);
      expect(frames).toMatchObject({ sampled: 2, new: 2 });
      for (const f of frames.frames) {
        expect(keys(f)).toEqual(['frameId', 'timestampS', 'videoId']);
        expect(f.videoId).toBe('clip');
        expect(typeof f.timestampS).toBe('number');
        expect(f.frameId).toBe(`clip_t${f.timestampS.toFixed(1).padStart(5, '0')}`);
      }

      const listed = await runCli(['videos', 'list', '--json', '--home', home], { timeoutMs });
      expect(json(listed.stdout).videos).toEqual([
        expect.objectContaining({ videoId: 'clip', frameCount: 2, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
      ]);
      const frameList = await runCli(['frames', 'list', '--video', 'clip', '--json', '--home', home], { timeoutMs });
      const page = json(frameList.stdout);
      expect(page.total).toBe(2);
      expect(page.frames.map((f: { frameId: string }) => f.frameId)).toEqual(frames.frames.map((f: { frameId: string }) => f.frameId));
      expect(page.frames[0].image).toMatch(/^frames\/clip\/clip_t\d{3}\.\d\.jpg$/);
    },
    CLI_TEST_MS,
  );

  it(
    'bad flags exit 2 with INVALID_INPUT before touching the home',
    async () => {
      const home = tempDir('cli');
      const cases = [
        ['frames', 'sample', '--every', '1', '--per-video', '2'],
        ['frames', 'sample', '--per-video', '2', '--seed', '3'],
        ['frames', 'sample', '--every', '0'],
        ['videos', 'import'],
      ];
      const results = await Promise.all(cases.map((args) => runCli([...args, '--json', '--home', home], { timeoutMs })));
      for (const [i, res] of results.entries()) {
        expect(res.code, cases[i]!.join(' ')).toBe(2);
        expect(res.stdout).toBe('');
        expect(json(res.stderr)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: expect.any(String) } });
      }
      expect(fs.readdirSync(home)).toEqual([]);
    },
    CLI_TEST_MS,
  );
});
