import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core/core';
import { handlers } from '../src/main/core/api/handlers';
import { dispatch } from '../src/main/core/api/dispatch';
import { resolveDownload, stageExportFolder, STAGED_EXPORT_LIFETIME_MS } from '../src/main/core/exports/downloads';
import { startServer, type RunningServer } from '../src/main/core/server/server';
import { onCleanup, openTestCore, runCleanup, tempDir } from './helpers';

/**
 * GET /downloads?path=… (issue 20, item 8): a produced export as an attachment, for the API's
 * token only, and only from the home's exports/ and runs/ folders: no traversal, no link out,
 * no database, no file elsewhere on the machine.
 */
let root: string;
let core: Core;
let server: RunningServer;
let staged: string;

beforeEach(async () => {
  root = tempDir('server-downloads');
  const rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  core = openTestCore(path.join(root, 'home'), 'browser');
  const envelope = await dispatch(handlers, core, 'exports.stage', {});
  if (!envelope.ok) throw new Error(envelope.error.message);
  staged = (envelope.value as { dir: string }).dir;
  fs.writeFileSync(path.join(staged, 'réliability report.csv'), 'a,b\r\n1,2\r\n');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'secret');
  server = await startServer({ core, handlers, port: 0, rendererDir });
  onCleanup(() => server.close());
});
afterEach(runCleanup);

const get = (file: string, headers: Record<string, string> = { authorization: `Bearer ${server.token}` }) =>
  fetch(`${server.url}/downloads?path=${encodeURIComponent(file)}`, { headers });

describe('exports.stage', () => {
  it("makes a new empty folder in the home's exports area each time", async () => {
    expect(path.dirname(staged)).toBe(core.home.exportsDir);
    const again = await dispatch(handlers, core, 'exports.stage', {});
    expect(again.ok && (again.value as { dir: string }).dir).not.toBe(staged);
  });

  it('clears staged folders older than a day, and nothing else in the exports area', () => {
    const old = stageExportFolder(core.home);
    fs.writeFileSync(path.join(old, 'gold.csv'), 'x');
    const longAgo = new Date(Date.now() - STAGED_EXPORT_LIFETIME_MS - 60_000);
    fs.utimesSync(old, longAgo, longAgo);
    const mine = path.join(core.home.exportsDir, 'my-notes');
    fs.mkdirSync(mine);
    fs.utimesSync(mine, longAgo, longAgo);
    const fresh = stageExportFolder(core.home);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(staged)).toBe(true);
    expect(fs.existsSync(mine)).toBe(true);
    expect(fs.existsSync(fresh)).toBe(true);
  });
});

describe('/downloads', () => {
  it('serves a staged export as an attachment with its name', async () => {
    const res = await get(path.join(staged, 'réliability report.csv'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="r_liability report.csv"; filename*=UTF-8''${encodeURIComponent('réliability report.csv')}`,
    );
    expect(await res.text()).toBe('a,b\r\n1,2\r\n');
  });

  it('serves a job output under runs/', async () => {
    const run = path.join(core.home.runsDir, 'finetune', 'job1');
    fs.mkdirSync(run, { recursive: true });
    fs.writeFileSync(path.join(run, 'v8_comparison.json'), '{}');
    const res = await get(path.join(run, 'v8_comparison.json'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('v8_comparison.json');
  });

  it('needs the API token in the header: no token, a wrong one, the page cookie or ?token= get 401', async () => {
    const file = path.join(staged, 'réliability report.csv');
    expect((await get(file, {})).status).toBe(401);
    expect((await get(file, { authorization: 'Bearer nope' })).status).toBe(401);
    const page = await fetch(`${server.url}/?token=${server.token}`);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect((await get(file, { cookie })).status).toBe(401);
    const byQuery = await fetch(`${server.url}/downloads?path=${encodeURIComponent(file)}&token=${server.token}`);
    expect(byQuery.status).toBe(401);
  });

  it('refuses a path outside the area with 403 and says which files download', async () => {
    for (const outside of [
      path.join(root, 'secret.txt'),
      core.home.dbFile,
      path.join(staged, '..', '..', '..', 'secret.txt'),
      `${core.home.exportsDir}/../framelab.db`,
      `${core.home.exportsDir}-evil/x.csv`,
    ]) {
      const res = await get(outside);
      expect(res.status, outside).toBe(403);
      expect(await res.text()).toContain("only files in the home's exports/ or runs/ folder can be downloaded");
    }
  });

  it('refuses a link inside the area that leads out of it', async () => {
    const link = path.join(staged, 'innocent.csv');
    fs.symlinkSync(path.join(root, 'secret.txt'), link);
    const res = await get(link);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('outside the download area');
  });

  it('answers 404 for a missing file or a folder, 400 for a relative path or none', async () => {
    const missing = await get(path.join(staged, 'gone.csv'));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('does not exist');
    expect((await get(staged)).status).toBe(404);
    expect((await get('exports/x.csv')).status).toBe(400);
    const none = await fetch(`${server.url}/downloads`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(none.status).toBe(400);
  });
});

describe('resolveDownload', () => {
  it('refuses a traversal before touching the file system, and a control character', () => {
    const refused = resolveDownload(core.home, `${staged}/../../../../etc/passwd`);
    expect(refused).toMatchObject({ ok: false, status: 403 });
    expect(resolveDownload(core.home, `${staged}/a\u0000.csv`)).toMatchObject({ ok: false, status: 400 });
  });
});
