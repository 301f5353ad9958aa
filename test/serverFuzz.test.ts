import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, onCleanup, runCleanup, startServe, tempDir, withTimeout } from './helpers';

/**
 * The real `framelab serve` process under hostile input from someone on this machine without the
 * token: whatever arrives, the process stays up and keeps answering its own page.
 */

let serve: Awaited<ReturnType<typeof startServe>>;
let exited: string | null = null;

beforeAll(async () => {
  serve = await startServe(tempDir('fuzz-home'));
  serve.proc.child.once('exit', (code, signal) => (exited = `exit ${code ?? signal}: ${serve.proc.stderr()}`));
  onCleanup(() => void serve.proc.child.kill('SIGKILL'));
}, 30_000);
afterAll(runCleanup);

/** Sends raw bytes and resolves with what came back (the status line, or how the socket ended). */
function rawExchange(port: number, bytes: string | Buffer, waitMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = () => {
      socket.destroy();
      resolve(answer.split('\r\n')[0] || '(closed without an answer)');
    };
    const timer = setTimeout(done, waitMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n\r\n')) {
        clearTimeout(timer);
        done();
      }
    });
    socket.on('error', () => {
      clearTimeout(timer);
      done();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      done();
    });
  });
}

const upgrade = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;
const get = (target: string, extra = '') => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nConnection: close\r\n${extra}\r\n`;

async function stillServing(): Promise<void> {
  expect(exited).toBeNull();
  const info = await withTimeout(apiCall(serve.url, serve.token, 'app.info'), 10_000, 'app.info after the attack');
  expect(info.status).toBe(200);
  expect(info.body.ok).toBe(true);
}

/** A small seeded generator (mulberry32): the same cases on every run, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('serve under malformed requests, without the token', () => {
  it('a WebSocket upgrade with an unparsable target (GET //[) is refused and the server keeps serving', async () => {
    expect(await rawExchange(serve.port, upgrade('//['))).toMatch(/^HTTP\/1\.1 400/);
    await stillServing();
  });

  it('a WebSocket upgrade with a malformed cookie (a=%) is refused, not a crash', async () => {
    expect(await rawExchange(serve.port, upgrade('/events', 'Cookie: a=%\r\n'))).toMatch(/^HTTP\/1\.1 401/);
    await stillServing();
  });

  it('a malformed cookie is no cookie: pages still load with the token, the API still answers', async () => {
    const page = await rawExchange(serve.port, get(`/?token=${serve.token}`, 'Cookie: a=%; b=%E0%A4%A\r\n'));
    // 200 with the built pages, 503 when out/ is not built: never 500.
    expect(page).toMatch(/^HTTP\/1\.1 (200|503)/);
    const res = await fetch(`${serve.url}/api/app.info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${serve.token}`, Cookie: 'a=%', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    await stillServing();
  });

  it('an ordinary request with an unparsable target gets 400', async () => {
    expect(await rawExchange(serve.port, get('//['))).toMatch(/^HTTP\/1\.1 400/);
    await stillServing();
  });

  it('fuzzed paths, headers, cookies and bodies never stop the process', async () => {
    const rand = random(20261205);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
    const junk = (n: number) => Array.from({ length: n }, () => String.fromCharCode(33 + Math.floor(rand() * 94))).join('');
    const targets = [
      '//[',
      '/%',
      '/%E0%A4%A',
      '/api/%',
      '/api/app.info',
      '/events',
      '/files/%ZZ',
      '/files/../../etc/passwd',
      '/?token=%',
      '*',
      'http://[::1',
      '/\u00ff',
    ];
    const cookies = ['a=%', '=%', ';;;', 'framelab_page_1=%', `framelab_page_${serve.port}=%`, '%=%', 'a'.repeat(5000) + '=%'];
    const bodies = ['{', '[]', 'null', '{"__proto__":{"x":1}}', '"\\ud800"', '\u0000\u0001', '{"a":' + '['.repeat(5000)];
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 150; i++) {
      const target = rand() < 0.5 ? pick(targets) : `/${junk(1 + Math.floor(rand() * 40))}`;
      const headers = [
        rand() < 0.7 ? `Cookie: ${pick(cookies)}; ${junk(8)}=${junk(6)}` : '',
        rand() < 0.3 ? `Authorization: Bearer ${junk(32)}` : '',
        rand() < 0.3 ? `Origin: ${pick(['null', 'http://evil.example', junk(10)])}` : '',
        rand() < 0.2 ? `X-${junk(5)}: ${junk(200)}` : '',
      ]
        .filter(Boolean)
        .map((h) => `${h}\r\n`)
        .join('');
      const kind = rand();
      let request: string;
      if (kind < 0.35) request = upgrade(target, headers);
      else if (kind < 0.7) request = get(target, headers);
      else {
        const body = pick(bodies);
        request =
          `POST ${target.startsWith('/api/') ? target : '/api/app.info'} HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${headers}\r\n${body}`;
      }
      const status = (await rawExchange(serve.port, request, 800)).slice(0, 12);
      outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
      expect(exited, `after request ${i}: ${JSON.stringify(request.slice(0, 200))}`).toBeNull();
    }
    // No request without the token reached anything but a refusal.
    expect([...outcomes.keys()].filter((s) => /^HTTP\/1\.1 (2|5)/.test(s))).toEqual([]);
    await stillServing();
  }, 120_000);
});
