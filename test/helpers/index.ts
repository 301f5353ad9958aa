/**
 * Shared helpers for the integration tests: temp homes, spawning the real CLI, bounded waits,
 * events as promises, and HTTP with the browser-mode token. No mocks: everything here drives
 * real files, real processes and real sockets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { openCore, type Core } from '../../src/main/core/core';
import type { Db } from '../../src/main/core/db/open';
import type { HomePaths } from '../../src/main/core/home/paths';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';
import { storeFile, type StoredFile } from '../../src/main/core/workspace/files';
import type { AppMode } from '../../src/shared/api';
import { FramelabError } from '../../src/shared/errors';
import type { FramelabEvent } from '../../src/shared/events';
import type { JobSummary } from '../../src/shared/jobs';

export const REPO_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const CLI_ENTRY = path.join(REPO_ROOT, 'bin', 'framelab.js');
export const PACKAGE_VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;

/** Regex the `serve` command's one stdout line must match. */
export const LISTENING_LINE = /^Framelab listening on http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)$/;

// ---------------------------------------------------------------------------------------------
// Cleanup: each test file calls `afterEach(runCleanup)`; helpers register what they create.
// Runs last-in first-out so cores close before their temp dirs are removed.

type CleanupFn = () => void | Promise<void>;
const cleanups: CleanupFn[] = [];

export function onCleanup(fn: CleanupFn): void {
  cleanups.push(fn);
}

export async function runCleanup(): Promise<void> {
  const errors: unknown[] = [];
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length) throw errors[0];
}

/** A fresh empty directory under the OS temp dir, removed after the test. */
export function tempDir(label = 'home'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `framelab-test-${label}-`));
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** openCore on a home with the real fork launcher; closed after the test. */
export function openTestCore(home: string, mode: AppMode = 'cli'): Core {
  const core = openCore({ home, mode, launcher: nodeForkLauncher() });
  onCleanup(() => core.close());
  return core;
}

/**
 * Stores `count` files of `size` random bytes each (every file distinct) under `dir/`.
 * Runs in one transaction so big sets stay fast.
 */
export function storeRandomFiles(db: Db, home: HomePaths, count: number, size: number, dir = 'frames'): StoredFile[] {
  const base = crypto.randomBytes(size);
  const out: StoredFile[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const bytes = Buffer.from(base);
      bytes.writeUInt32LE(i, 0);
      crypto.randomFillSync(bytes, 4, Math.min(64, size - 4));
      out.push(storeFile(db, home, `${dir}/${String(i).padStart(5, '0')}.bin`, 'test', bytes));
    }
  })();
  return out;
}

export function sha256(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Waiting, bounded.

export class TimeoutError extends Error {}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` until it returns a truthy value. Only for states that announce no event. */
export async function waitUntil<T>(
  condition: () => T | Promise<T>,
  what: string,
  { timeoutMs = 10_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new TimeoutError(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

type Subscribe = (listener: (event: FramelabEvent) => void) => () => void;

/**
 * Subscribes at once and resolves with the first event `predicate` accepts. Call it before
 * triggering what should produce the event. The predicate may return a value to resolve with.
 */
export function nextEvent<T = FramelabEvent>(
  subscribe: Subscribe,
  predicate: (event: FramelabEvent) => T | false | undefined | null,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  let unsubscribe: () => void = () => undefined;
  const found = new Promise<T>((resolve) => {
    unsubscribe = subscribe((event) => {
      const value = predicate(event);
      if (value) {
        unsubscribe();
        resolve(value === true ? (event as T) : value);
      }
    });
  });
  return withTimeout(found, timeoutMs, what).finally(() => unsubscribe());
}

/** A `job.updated` event for `jobId` matching `predicate`, as the job summary. */
export function jobUpdate(
  subscribe: Subscribe,
  jobId: () => string | undefined,
  predicate: (job: JobSummary) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<JobSummary> {
  return nextEvent(
    subscribe,
    (event) => (event.type === 'job.updated' && event.job.id === jobId() && predicate(event.job) ? event.job : null),
    what,
    timeoutMs,
  );
}

// ---------------------------------------------------------------------------------------------
// Processes.

/** True once `pid` no longer runs (gone, or a zombie nobody reaped yet). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A pid that certainly belonged to a process that has exited (and was reaped). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid!;
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return pid;
}

/** Environment for CLI children: FRAMELAB_HOME never leaks in; tests pass --home. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // The suite builds out/ once up front; its many servers must not each rebuild it.
  const env: NodeJS.ProcessEnv = { FRAMELAB_SKIP_BUILD: '1', ...process.env, ...extra };
  delete env.FRAMELAB_HOME;
  delete env.NODE_OPTIONS;
  return env;
}

export interface CliProcess {
  child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** The first complete stdout line (rejects if the process exits first). */
  firstLine: Promise<string>;
  exit: Promise<Exit>;
}

/** Spawns `node bin/framelab.js ...args`; killed (by its pid) after the test if still running. */
export function spawnCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): CliProcess {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: options.env ?? cliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  const exit = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    void exit.then(({ code, signal }) =>
      reject(new Error(`framelab ${args.join(' ')} exited (code ${code}, signal ${signal}) before printing a line; stderr:\n${err}`)),
    );
  });
  firstLine.catch(() => undefined);
  child.stderr!.on('data', (chunk: string) => (err += chunk));
  let exited = false;
  void exit.then(() => (exited = true));
  onCleanup(async () => {
    if (exited) return;
    try {
      process.kill(child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await exit;
  });
  return { child, pid: child.pid!, stdout: () => out, stderr: () => err, firstLine, exit };
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end (bounded) and returns its exit and output. */
export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const proc = spawnCli(args, options);
  // The stdio streams may still hold data when 'exit' fires: wait for 'close' too.
  const closed = new Promise<void>((resolve) => proc.child.once('close', () => resolve()));
  const exit = await withTimeout(proc.exit, options.timeoutMs ?? 25_000, `framelab ${args.join(' ')} to exit`);
  await closed;
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() };
}

/** Starts `framelab serve --port 0 --home HOME` and parses its listening line. */
export async function startServe(home: string, extraArgs: string[] = []) {
  const proc = spawnCli(['serve', '--port', '0', '--home', home, ...extraArgs]);
  const line = await withTimeout(proc.firstLine, 20_000, 'the serve listening line');
  const match = LISTENING_LINE.exec(line);
  if (!match) throw new Error(`Unexpected serve line: ${JSON.stringify(line)}`);
  const port = Number(match[1]);
  return { proc, line, port, token: match[2]!, url: `http://127.0.0.1:${port}` };
}

// ---------------------------------------------------------------------------------------------
// HTTP.

/** POSTs an API call with the bearer token and returns the status and the parsed envelope. */
export async function apiCall(baseUrl: string, token: string | null, method: string, input: unknown = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(input) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the wire format, checked by each test
  type Body = { ok: boolean; value?: any; error?: { code: string; message: string } };
  return { status: res.status, body: (await res.json()) as Body };
}

/** fetch with the token as bearer header (API) or as query parameter (pages). */
export function fetchWithToken(url: string, token: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return fetch(url, { ...init, headers });
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with exactly this path and these headers (fetch would normalise both). */
export function rawRequest(
  port: number,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string; host?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host ?? '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Runs fn and returns the FramelabError it threw, failing the test unless it threw one with this code. */
export function expectFramelabError(fn: () => unknown, code: string): FramelabError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a FramelabError ${code}`).toBeInstanceOf(FramelabError);
  expect((caught as FramelabError).code).toBe(code);
  return caught as FramelabError;
}

/** Exactly one line of output, parsed as JSON (what every `--json` command must print). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI output, checked field by field by the tests
export function singleJsonLine(text: string): any {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}
