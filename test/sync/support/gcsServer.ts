/**
 * A real storage server for sync tests: the Firebase storage emulator (in its own process)
 * behind a small proxy that does what the emulator does not:
 * - enforces `ifGenerationMatch` on uploads (the emulator ignores it and never answers 412),
 *   one upload per object at a time, so the check and the write are atomic;
 * - answers like Cloud Storage for a missing bucket (404) or missing permission (403) (the
 *   emulator creates any bucket and skips auth);
 * - goes offline (resets every connection), and interrupts an upload mid-way, before or after
 *   the write reached the emulator.
 * Used by vitest and by Playwright's worker alike (plain Node, no test framework imports).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'storageEmulator.mjs');

export interface Emulator {
  port: number;
  url: string;
  process: ChildProcess;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmulator(): Promise<Emulator> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-gcs-emulator-'));
  const child = spawn(process.execPath, [SCRIPT], {
    cwd: path.resolve(path.dirname(SCRIPT), '..', '..', '..'),
    env: { ...process.env, TMPDIR: tmp, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`storage emulator did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /READY (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`storage emulator exited (${code}): ${stderr}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    process: child,
    async reset() {
      await fetch(`${url}/internal/reset`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export type ProxyMode = 'ok' | 'offline' | 'bucket-missing' | 'forbidden';

export interface GcsProxy {
  port: number;
  /** What STORAGE_EMULATOR_HOST points at. */
  url: string;
  mode: ProxyMode;
  stats: { requests: number; uploads: number; preconditionFailures: number; interrupted: number };
  /** The next upload: 'before-write' cuts the connection after half the body (nothing stored); 'after-write' stores it, then cuts the connection before the answer. */
  interruptNextUpload(how: 'before-write' | 'after-write'): void;
  /** Runs before each upload's generation check (tests write concurrently here). */
  beforeUpload: ((object: string) => Promise<void>) | null;
  /** The object's current content and generation, straight from the emulator. */
  read(bucket: string, object: string): Promise<{ text: string; generation: string } | null>;
  /** Writes straight to the emulator (an "old script" editing the file). */
  write(bucket: string, object: string, text: string): Promise<string>;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: object) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const gcsError = (code: number, message: string, reason: string) => ({
  error: { code, message, errors: [{ message, domain: 'global', reason }] },
});

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });

function forward(
  target: string,
  req: http.IncomingMessage,
  body: Buffer | null,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url!, target);
    const headers = { ...req.headers, host: url.host };
    if (body) {
      delete headers['transfer-encoding'];
      headers['content-length'] = String(body.length);
    }
    const out = http.request(url, { method: req.method, headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    out.on('error', reject);
    if (body) out.end(body);
    else req.pipe(out);
  });
}

export async function startProxy(emulator: Pick<Emulator, 'url'>): Promise<GcsProxy> {
  const locks = new Map<string, Promise<unknown>>();
  const serial = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (locks.get(key) ?? Promise.resolve()).then(work, work);
    locks.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  };
  let interrupt: 'before-write' | 'after-write' | null = null;

  const objectUrl = (bucket: string, object: string) =>
    `${emulator.url}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(object)}`;
  const generationOf = async (bucket: string, object: string): Promise<string> => {
    const res = await fetch(objectUrl(bucket, object));
    if (res.status === 404) return '0';
    const meta = (await res.json()) as { generation: string };
    return String(meta.generation);
  };

  const proxy: GcsProxy = {
    port: 0,
    url: '',
    mode: 'ok',
    stats: { requests: 0, uploads: 0, preconditionFailures: 0, interrupted: 0 },
    beforeUpload: null,
    interruptNextUpload(how) {
      interrupt = how;
    },
    async read(bucket, object) {
      const meta = await fetch(objectUrl(bucket, object));
      if (meta.status === 404) return null;
      const { generation } = (await meta.json()) as { generation: string };
      const res = await fetch(`${objectUrl(bucket, object)}?alt=media`);
      return { text: await res.text(), generation: String(generation) };
    },
    async write(bucket, object, text) {
      return serial(`${bucket}/${object}`, async () => {
        const res = await fetch(
          `${emulator.url}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=media&name=${encodeURIComponent(object)}`,
          {
            method: 'POST',
            headers: { 'content-type': 'text/csv' },
            body: text,
          },
        );
        if (!res.ok) throw new Error(`emulator write failed: ${res.status} ${await res.text()}`);
        return String(((await res.json()) as { generation: string }).generation);
      });
    },
    close: async () => undefined,
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      proxy.stats.requests++;
      if (process.env.PROXY_DEBUG) console.log('proxy', req.method, req.url);
      if (proxy.mode === 'offline') {
        req.socket.destroy();
        return;
      }
      const url = new URL(req.url!, 'http://proxy');
      const match = /^\/(?:upload\/|download\/)?(?:storage\/v1\/)?b\/([^/]+)/.exec(url.pathname);
      if (match && proxy.mode === 'bucket-missing') {
        await readBody(req);
        return json(res, 404, gcsError(404, 'The specified bucket does not exist.', 'notFound'));
      }
      if (match && proxy.mode === 'forbidden') {
        await readBody(req);
        return json(
          res,
          403,
          gcsError(
            403,
            `framelab-test@demo-test.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage bucket. Permission 'storage.objects.get' denied on resource (or it may not exist).`,
            'forbidden',
          ),
        );
      }
      const isUpload = req.method === 'POST' && /^\/upload\/(?:storage\/v1\/)?b\//.test(url.pathname);
      if (!isUpload) {
        const answer = await forward(emulator.url, req, null);
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        return;
      }
      const body = await readBody(req);
      const bucket = decodeURIComponent(match![1]!);
      const object = url.searchParams.get('name') ?? /"name"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(body.toString('latin1'))?.[1] ?? '';
      await serial(`${bucket}/${object}`, async () => {
        proxy.stats.uploads++;
        const how = interrupt;
        interrupt = null;
        if (how === 'before-write') {
          proxy.stats.interrupted++;
          req.socket.destroy();
          return;
        }
        await proxy.beforeUpload?.(object);
        const wanted = url.searchParams.get('ifGenerationMatch');
        if (wanted !== null && wanted !== (await generationOf(bucket, object))) {
          proxy.stats.preconditionFailures++;
          return json(res, 412, gcsError(412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet'));
        }
        const answer = await forward(emulator.url, req, body);
        if (how === 'after-write') {
          proxy.stats.interrupted++;
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      });
    })().catch((err) => {
      if (!res.headersSent) json(res, 502, gcsError(502, `proxy: ${(err as Error).message}`, 'backendError'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as { port: number }).port;
  proxy.url = `http://127.0.0.1:${proxy.port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** A service-account key file with a real RSA key nobody knows (the emulator never checks it). */
export function writeFakeKeyFile(dir: string): string {
  const file = path.join(dir, 'framelab-test-key.json');
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(
    file,
    JSON.stringify({
      type: 'service_account',
      project_id: 'demo-test',
      private_key_id: 'test',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: 'framelab-test@demo-test.iam.gserviceaccount.com',
      client_id: '1',
      token_uri: 'https://oauth2.googleapis.com/token',
    }),
  );
  return file;
}
