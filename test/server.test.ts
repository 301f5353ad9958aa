import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core/core';
import { handlers } from '../src/main/core/api/handlers';
import { startServer, type RunningServer } from '../src/main/core/server/server';
import { AppInfo } from '../src/shared/api';
import { createClient } from '../src/shared/client';
import { FramelabError } from '../src/shared/errors';
import type { FramelabEvent } from '../src/shared/events';
import { createHttpTransport } from '../src/shared/httpTransport';
import { waitForJob } from '../src/shared/waitForJob';
import { apiCall, fetchWithToken, onCleanup, openTestCore, rawRequest, runCleanup, tempDir, withTimeout } from './helpers';

const INDEX_HTML = '<!doctype html><title>Framelab test page</title><script type="module" src="/assets/app.js"></script>';
const APP_JS = 'console.log("framelab test asset");\n';
const SECRET = 'top secret next to the renderer folder';

let core: Core;
let server: RunningServer;
let rendererDir: string;
let outside: string;

beforeEach(async () => {
  const root = tempDir('server');
  rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), APP_JS);
  // A file outside the served folder that no path may reach.
  outside = path.join(root, 'secret.json');
  fs.writeFileSync(outside, JSON.stringify({ secret: SECRET }));
  core = openTestCore(path.join(root, 'home'), 'browser');
  server = await startServer({ core, handlers, port: 0, rendererDir });
  onCleanup(() => server.close());
});
afterEach(runCleanup);

/** The page cookie a browser holds after opening the printed address: `name=value`. */
let pageCookiePair = '';
const cookieHeader = () => pageCookiePair;
beforeEach(async () => {
  const res = await fetch(`${server.url}/?token=${server.token}`);
  pageCookiePair = res.headers.get('set-cookie')!.split(';')[0]!;
});

/** Listening TCP sockets on `port` from /proc/net/tcp{,6}, as "address" strings. */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [hexAddr, hexPort] = local!.split(':');
      if (state !== '0A' || parseInt(hexPort!, 16) !== port) continue;
      if (hexAddr!.length === 8) {
        found.push(
          hexAddr!
            .match(/../g)!
            .reverse()
            .map((b) => parseInt(b, 16))
            .join('.'),
        );
      } else {
        found.push(`ipv6:${hexAddr}`);
      }
    }
  }
  return found;
}

const nonLoopbackIPv4 = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

function connectError(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** Opens a WebSocket and resolves with how the attempt ended. */
function tryWebSocket(url: string, options: WebSocket.ClientOptions = {}): Promise<{ opened: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve({ opened: ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

describe('browser-mode server: binding', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    expect(await connectError('127.0.0.1', server.port)).toBe('connected');
    if (process.platform === 'linux') expect(listeningAddresses(server.port)).toEqual(['127.0.0.1']);
  });

  it.skipIf(!nonLoopbackIPv4)(
    `refuses connections on this machine's non-loopback IPv4 address (${nonLoopbackIPv4 ?? 'skipped: this machine has none'})`,
    async () => {
      expect(await connectError(nonLoopbackIPv4!, server.port)).toBe('ECONNREFUSED');
    },
  );

  it('uses a fresh unguessable token per launch', async () => {
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const other = await startServer({ core, handlers, port: 0, rendererDir });
    try {
      expect(other.token).not.toBe(server.token);
      expect(other.port).not.toBe(server.port);
      // One server's token opens nothing on the other.
      expect((await apiCall(other.url, server.token, 'app.info')).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('browser-mode server: pages', () => {
  it('answers 401 to a page request without the token or with a wrong one', async () => {
    const none = await fetch(`${server.url}/`);
    expect(none.status).toBe(401);
    expect(await none.text()).not.toContain('Framelab test page');
    const wrong = await fetch(`${server.url}/?token=WRONG`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const almost = await fetch(`${server.url}/?token=${server.token.slice(0, -1)}`);
    expect(almost.status).toBe(401);
    const asset = await fetch(`${server.url}/assets/app.js`);
    expect(asset.status).toBe(401);
  });

  it('serves index.html for the token, sets a per-port page cookie that is not the token, and a strict CSP', async () => {
    const res = await fetch(`${server.url}/?token=${server.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toBe(INDEX_HTML);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^framelab_page_${server.port}=[A-Za-z0-9_-]{32}; `));
    // Browsers send 127.0.0.1's cookies to every port: the API token must never be one.
    expect(cookie).not.toContain(server.token);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('serves assets with the cookie alone', async () => {
    const res = await fetch(`${server.url}/assets/app.js`, { headers: { Cookie: cookieHeader() } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await res.text()).toBe(APP_JS);
    // A cookie for another port does not count, nor the token itself in a cookie.
    const pageKey = cookieHeader().split('=')[1];
    for (const wrong of [
      `framelab_page_${server.port + 1}=${pageKey}`,
      `framelab_page_${server.port}=${server.token}`,
      `framelab_token_${server.port}=${server.token}`,
    ]) {
      expect((await fetch(`${server.url}/assets/app.js`, { headers: { Cookie: wrong } })).status).toBe(401);
    }
    // Unknown assets are 404, unknown app routes fall back to the page.
    expect((await fetch(`${server.url}/assets/nope.js`, { headers: { Cookie: cookieHeader() } })).status).toBe(404);
    const route = await fetch(`${server.url}/jobs/123`, { headers: { Cookie: cookieHeader() } });
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(INDEX_HTML);
  });

  it('answers 421 to a foreign Host header even with the token (DNS rebinding)', async () => {
    const page = await rawRequest(server.port, {
      path: `/?token=${server.token}`,
      headers: { Host: `evil.example:${server.port}` },
    });
    expect(page.status).toBe(421);
    expect(page.body).not.toContain('Framelab test page');
    const api = await rawRequest(server.port, {
      path: '/api/app.info',
      method: 'POST',
      headers: { Host: `evil.example:${server.port}`, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(api.status).toBe(421);
    expect(api.body).not.toContain(core.home.root);
    // localhost with the right port is our own origin.
    const local = await rawRequest(server.port, { path: `/?token=${server.token}`, headers: { Host: `localhost:${server.port}` } });
    expect(local.status).toBe(200);
  });

  it.each([
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  ])('never serves a file outside the renderer folder: %s', async (p) => {
    const withoutToken = await rawRequest(server.port, { path: p });
    expect(withoutToken.status).toBe(401);
    const res = await rawRequest(server.port, { path: p, headers: { Cookie: cookieHeader() } });
    expect(res.body).not.toMatch(/root:.*:0:0:/);
    // A path without an extension is an app route: the page, or nothing.
    if (res.status === 200) expect(res.body).toBe(INDEX_HTML);
    else expect(res.status).toBe(404);
  });

  it.each(['/../secret.json', '/%2e%2e/secret.json', '/..%2fsecret.json', '/assets/..%2f..%2fsecret.json'])(
    'answers 404, not the file, for a traversal to a sibling file: %s',
    async (p) => {
      const res = await rawRequest(server.port, { path: p, headers: { Cookie: cookieHeader() } });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(SECRET);
    },
  );
});

describe('browser-mode server: API', () => {
  it('requires the bearer header: none or the cookie alone is 401 UNAUTHORIZED', async () => {
    const none = await apiCall(server.url, null, 'app.info');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const cookieOnly = await fetch(`${server.url}/api/app.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookieHeader() },
      body: '{}',
    });
    expect(cookieOnly.status).toBe(401);
    expect(await cookieOnly.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const queryOnly = await fetch(`${server.url}/api/app.info?token=${server.token}`, { method: 'POST', body: '{}' });
    expect(queryOnly.status).toBe(401);
    const wrong = await apiCall(server.url, 'x'.repeat(server.token.length), 'app.info');
    expect(wrong.status).toBe(401);
  });

  it('answers with the envelope for the bearer token', async () => {
    const res = await apiCall(server.url, server.token, 'app.info');
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(AppInfo.parse(res.body.value)).toEqual(core.info);
    expect(res.body.value.mode).toBe('browser');
  });

  it('maps error codes to HTTP statuses and keeps the envelope', async () => {
    const invalid = await apiCall(server.url, server.token, 'jobs.list', { limit: 0 });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('limit') } });
    const unknown = await apiCall(server.url, server.token, 'jobs.explode');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('UNKNOWN_METHOD');
    const missing = await apiCall(server.url, server.token, 'jobs.get', { jobId: 'job_nope' });
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe('NOT_FOUND');

    const badJson = await fetch(`${server.url}/api/app.info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: '{not json',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const get = await fetchWithToken(`${server.url}/api/app.info`, server.token);
    expect(get.status).toBe(405);
  });

  it('answers a malformed method name with a client error, not a 500', async () => {
    const res = await rawRequest(server.port, {
      path: '/api/%E0%A4%A',
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(UNKNOWN_METHOD|INVALID_INPUT)$/) } });
    expect([400, 404]).toContain(res.status);
  });
});

describe('browser-mode server: events socket', () => {
  const eventsUrl = () => `ws://127.0.0.1:${server.port}/events`;

  it('refuses the upgrade without the token (401)', async () => {
    expect(await tryWebSocket(eventsUrl())).toEqual({ status: 401 });
    expect(await tryWebSocket(`${eventsUrl()}?token=WRONG`)).toEqual({ status: 401 });
  });

  it('refuses the upgrade from a foreign Origin or Host, even with the token', async () => {
    expect(await tryWebSocket(`${eventsUrl()}?token=${server.token}`, { origin: 'http://evil.example' })).toEqual({ status: 401 });
    expect(await tryWebSocket(`${eventsUrl()}?token=${server.token}`, { headers: { Host: `evil.example:${server.port}` } })).toEqual({
      status: 401,
    });
    expect(await tryWebSocket(`ws://127.0.0.1:${server.port}/elsewhere?token=${server.token}`)).toEqual({ status: 401 });
  });

  it('opens with the token (query, or cookie with our own Origin) and pushes job.updated for a job started over HTTP', async () => {
    const viaCookie = await tryWebSocket(eventsUrl(), { headers: { Cookie: cookieHeader() }, origin: server.url });
    expect('opened' in viaCookie).toBe(true);
    if ('opened' in viaCookie) viaCookie.opened.close();

    const result = await tryWebSocket(`${eventsUrl()}?token=${server.token}`);
    if (!('opened' in result)) throw new Error(`upgrade refused: ${JSON.stringify(result)}`);
    const ws = result.opened;
    onCleanup(() => ws.terminate());
    const events: FramelabEvent[] = [];
    const current: { jobId?: string } = {};
    const finished = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        const event = JSON.parse(String(data)) as FramelabEvent;
        events.push(event);
        if (event.type === 'job.updated' && event.job.id === current.jobId && event.job.status === 'succeeded') resolve();
      });
    });
    const started = await apiCall(server.url, server.token, 'jobs.start', { kind: 'workspace.integrity', params: { hashFiles: false } });
    expect(started.status).toBe(200);
    const jobId: string = started.body.value.job.id;
    current.jobId = jobId;
    await withTimeout(finished, 20_000, 'job.updated succeeded on the socket');
    const statuses = events
      .filter((e) => e.type === 'job.updated' && e.job.id === jobId)
      .map((e) => (e as { job: { status: string } }).job.status);
    expect(statuses[0]).toBe('queued');
    expect(statuses).toContain('running');
    expect(events.some((e) => e.type === 'job.log' && e.jobId === jobId)).toBe(true);
  }, 30_000);
});

describe('shared HTTP transport and client against the server', () => {
  it('calls, receives events, waits for a job; once the server stops, calls fail with SERVER_UNREACHABLE', async () => {
    const connection: boolean[] = [];
    const transport = createHttpTransport({
      baseUrl: server.url,
      token: server.token,
      WebSocket: WebSocket as never,
      onConnectionChange: (up) => connection.push(up),
    });
    const client = createClient(transport);
    expect(await client.call('app.info')).toEqual(core.info);
    const bad = await client.call('jobs.get', { jobId: 'job_nope' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(FramelabError);
    expect((bad as FramelabError).code).toBe('NOT_FOUND');

    const stop = client.onEvent(() => undefined);
    await withTimeout(client.eventsReady(), 10_000, 'the event socket to open');
    expect(connection).toEqual([true]);
    const { job } = await client.call('jobs.start', { kind: 'workspace.integrity', params: { hashFiles: false } });
    const done = await withTimeout(waitForJob(client, job.id), 20_000, 'waitForJob over HTTP');
    expect(done.status).toBe('succeeded');
    stop();

    await server.close();
    const err = await client.call('app.info').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FramelabError);
    expect((err as FramelabError).code).toBe('SERVER_UNREACHABLE');
    expect((err as FramelabError).message).toContain(server.url);
  }, 30_000);
});
