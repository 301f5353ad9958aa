import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core/core';
import { handlers } from '../src/main/core/api/handlers';
import { parseRange, startServer, type RunningServer } from '../src/main/core/server/server';
import { onCleanup, openTestCore, runCleanup, tempDir } from './helpers';

/** The Rate panel plays an imported video from /videos/<id>: only paths the videos table holds, with byte ranges. */
let core: Core;
let server: RunningServer;
let clip: string;
const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

beforeEach(async () => {
  const root = tempDir('server-video');
  const rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  clip = path.join(root, 'clip 01.mp4');
  fs.writeFileSync(clip, BYTES);
  core = openTestCore(path.join(root, 'home'), 'browser');
  const insert = core.db.prepare('INSERT INTO videos (video_id, path, imported_at) VALUES (?, ?, ?)');
  insert.run('clip 01', clip, new Date().toISOString());
  insert.run('gone', path.join(root, 'gone.mp4'), new Date().toISOString());
  insert.run('no_path', null, new Date().toISOString());
  server = await startServer({ core, handlers, port: 0, rendererDir });
  onCleanup(() => server.close());
});
afterEach(runCleanup);

async function pageCookie(): Promise<string> {
  const res = await fetch(`${server.url}/?token=${server.token}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('/videos/<id>', () => {
  it('streams the whole file and byte ranges to a page that holds the cookie', async () => {
    const cookie = await pageCookie();
    const whole = await fetch(`${server.url}/videos/${encodeURIComponent('clip 01')}`, { headers: { cookie } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(BYTES)).toBe(true);

    const part = await fetch(`${server.url}/videos/${encodeURIComponent('clip 01')}`, { headers: { cookie, range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await part.arrayBuffer()).equals(BYTES.subarray(100, 200))).toBe(true);

    const open = await fetch(`${server.url}/videos/${encodeURIComponent('clip 01')}`, { headers: { cookie, range: 'bytes=990-' } });
    expect(open.status).toBe(206);
    expect((await open.arrayBuffer()).byteLength).toBe(10);

    const beyond = await fetch(`${server.url}/videos/${encodeURIComponent('clip 01')}`, { headers: { cookie, range: 'bytes=5000-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers 404 for an unknown id, a video without a path or whose file is gone, and a path instead of an id', async () => {
    const cookie = await pageCookie();
    for (const id of ['nope', 'gone', 'no_path', encodeURIComponent(clip)]) {
      const res = await fetch(`${server.url}/videos/${id}`, { headers: { cookie } });
      expect(res.status, id).toBe(404);
    }
  });

  it('answers 401 without the page cookie or token', async () => {
    const res = await fetch(`${server.url}/videos/${encodeURIComponent('clip 01')}`);
    expect(res.status).toBe(401);
  });
});

describe('parseRange', () => {
  it('reads one bytes range and refuses what lies outside the file', () => {
    expect(parseRange(undefined, 10)).toBeNull();
    expect(parseRange('bytes=0-', 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=2-4', 10)).toEqual({ start: 2, end: 4 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=10-', 10)).toBe('bad');
    expect(parseRange('bytes=0-1,3-4', 10)).toBeNull();
    expect(parseRange('items=0-1', 10)).toBeNull();
  });
});
