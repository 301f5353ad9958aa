/**
 * The robustness campaign's harness: the real `framelab serve` as a child process, its API over
 * HTTP with the bearer token, its event socket, kill -9, and the process tree read from /proc.
 * Nothing here imports vitest: `npm run robustness` runs the same code outside the test runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { Envelope } from '../../src/shared/envelope';
import type { FramelabEvent } from '../../src/shared/events';
import { HTTP_PATHS, TOKEN_QUERY_PARAM } from '../../src/shared/http';

export const REPO_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const CLI_ENTRY = path.join(REPO_ROOT, 'bin', 'framelab.js');
const LISTENING_LINE = /^Framelab listening on (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_-]+)$/;

// ---------------------------------------------------------------------------------------------
// Findings: a campaign collects every broken invariant instead of stopping at the first.

export interface CampaignReport {
  name: string;
  /** What was done and measured, in the order printed. */
  figures: Record<string, number | string>;
  /** Broken invariants; empty when the campaign passed. */
  failures: string[];
}

export class Findings {
  readonly failures: string[] = [];
  readonly figures: Record<string, number | string> = {};

  check(condition: boolean, message: string): boolean {
    if (!condition) this.failures.push(message);
    return condition;
  }

  report(name: string): CampaignReport {
    return { name, figures: this.figures, failures: this.failures };
  }
}

export type Log = (line: string) => void;

// ---------------------------------------------------------------------------------------------
// Temp homes and children, all removed or killed on exit so a failed run leaves nothing behind.

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/**
 * Kills every child still running and removes every temp folder. Runs on exit; a test runner's
 * worker may be ended without an 'exit' event, so the test file calls it too.
 */
export function cleanUpAll(): void {
  for (const child of children) {
    try {
      process.kill(child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
  if (!process.env.FRAMELAB_KEEP_TEMP) for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', cleanUpAll);

/** A fresh temp folder, removed when this process exits (kept with FRAMELAB_KEEP_TEMP=1, to look at after a failure). */
export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `framelab-robustness-${label}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  tempDirs.delete(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The children's environment: no inherited home, and no build per start (the API needs no built pages). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FRAMELAB_SKIP_BUILD: '1' };
  delete env.FRAMELAB_HOME;
  delete env.NODE_OPTIONS;
  return env;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface FramelabProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited and its output streams are drained. */
  readonly exit: Promise<Exit>;
  exited(): boolean;
}

/** `node bin/framelab.js ...args`: the CLI exactly as a user runs it. */
export function spawnFramelab(args: string[]): FramelabProcess {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd: REPO_ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  let done = false;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<Exit>((resolve) =>
    // 'close' comes after 'exit' once stdout and stderr are drained: nothing printed is missed.
    child.once('close', (code, signal) => {
      done = true;
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, pid: child.pid!, stdout: () => out, stderr: () => err, exit, exited: () => done };
}

/** Runs a CLI command to its end (bounded). */
export async function runFramelab(args: string[], timeoutMs = 120_000): Promise<Exit & { stdout: string; stderr: string }> {
  const proc = spawnFramelab(args);
  const exit = await bounded(proc.exit, timeoutMs, `framelab ${args.join(' ')}`).catch(async (err) => {
    await killHard(proc);
    throw err;
  });
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() };
}

export interface Server {
  readonly home: string;
  readonly proc: FramelabProcess;
  readonly pid: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly token: string;
}

/** Finds the listening line among a serve process's stdout lines. */
export function listeningEndpoint(stdout: string): { url: string; port: number; token: string } | null {
  for (const line of stdout.split('\n')) {
    const match = LISTENING_LINE.exec(line);
    if (match) return { url: match[1]!, port: Number(match[2]), token: match[3]! };
  }
  return null;
}

/** Waits until `proc` prints its listening line (a server) or exits (null). */
export async function listeningOrExit(proc: FramelabProcess, timeoutMs: number): Promise<ReturnType<typeof listeningEndpoint>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const endpoint = listeningEndpoint(proc.stdout());
    if (endpoint) return endpoint;
    if (proc.exited()) return null;
    if (Date.now() > deadline)
      throw new Error(`framelab serve printed no listening line within ${timeoutMs} ms; stderr:\n${proc.stderr()}`);
    await sleep(10);
  }
}

/** `framelab serve --port 0 --home HOME`, resolved once it listens. */
export async function startServe(home: string, timeoutMs = 90_000): Promise<Server> {
  const proc = spawnFramelab(['serve', '--port', '0', '--home', home]);
  const endpoint = await listeningOrExit(proc, timeoutMs).catch(async (err) => {
    await killHard(proc);
    throw err;
  });
  if (!endpoint) {
    const { code, signal } = await proc.exit;
    throw new Error(`framelab serve exited (code ${code}, signal ${signal}) before listening; stderr:\n${proc.stderr()}`);
  }
  return { home, proc, pid: proc.pid, ...endpoint };
}

/** kill -9, then waits for the exit. */
export async function killHard(target: { proc: FramelabProcess } | FramelabProcess): Promise<Exit> {
  const proc = 'proc' in target ? target.proc : target;
  if (!proc.exited()) {
    try {
      process.kill(proc.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  return proc.exit;
}

/** SIGTERM (what Ctrl-C does), then waits for a clean exit, bounded. */
export async function stopServe({ proc }: { proc: FramelabProcess }, timeoutMs = 30_000): Promise<Exit> {
  if (proc.exited()) return proc.exit;
  process.kill(proc.pid, 'SIGTERM');
  return bounded(proc.exit, timeoutMs, 'framelab serve to stop on SIGTERM');
}

// ---------------------------------------------------------------------------------------------
// The API, as any client speaks it: POST /api/<method> with the bearer token.

/** A call whose server did not answer (it was killed): the outcome is unknown. */
export const UNREACHABLE = 'SERVER_UNREACHABLE';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the wire format; each campaign checks what it reads
export type Reply = Envelope<any>;

export async function call(server: Pick<Server, 'url' | 'token'>, method: string, input: unknown = {}, timeoutMs = 60_000): Promise<Reply> {
  let response: Response;
  try {
    response = await fetch(`${server.url}${HTTP_PATHS.api}${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { ok: false, error: { code: UNREACHABLE, message: (err as Error).message } };
  }
  try {
    return (await response.json()) as Reply;
  } catch (err) {
    // The body was cut off (the server died while answering): as unknown as no answer at all.
    return { ok: false, error: { code: UNREACHABLE, message: `HTTP ${response.status}, body unreadable: ${(err as Error).message}` } };
  }
}

/** A call that must succeed: its value, or an error naming the method and the server's message. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Reply
export async function callOk(server: Pick<Server, 'url' | 'token'>, method: string, input: unknown = {}): Promise<any> {
  const reply = await call(server, method, input);
  if (!reply.ok) throw new Error(`${method} failed: ${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

// ---------------------------------------------------------------------------------------------
// The event socket: ws://127.0.0.1:PORT/events?token=TOKEN, the way the page opens it.

export interface EventSocket {
  readonly events: FramelabEvent[];
  readonly opened: Promise<void>;
  /** True once the socket closed (the server went away or we closed it). */
  closed(): boolean;
  onEvent(listener: (event: FramelabEvent) => void): void;
  close(): void;
}

export function openEventSocket(server: Pick<Server, 'url' | 'token'>): EventSocket {
  const url = `${server.url.replace(/^http/, 'ws')}${HTTP_PATHS.events}?${TOKEN_QUERY_PARAM}=${encodeURIComponent(server.token)}`;
  const ws = new WebSocket(url);
  const events: FramelabEvent[] = [];
  const listeners: ((event: FramelabEvent) => void)[] = [];
  let isClosed = false;
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`event socket refused: HTTP ${res.statusCode}`)));
  });
  opened.catch(() => undefined);
  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    const event = JSON.parse(String(data)) as FramelabEvent;
    events.push(event);
    for (const listener of listeners) listener(event);
  });
  ws.on('close', () => (isClosed = true));
  return {
    events,
    opened,
    closed: () => isClosed,
    onEvent: (listener) => void listeners.push(listener),
    close: () => ws.terminate(),
  };
}

// ---------------------------------------------------------------------------------------------
// Jobs.

export const FINISHED = ['succeeded', 'failed', 'cancelled', 'interrupted'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JobSummary on the wire
export async function waitForJobEnd(server: Server, jobId: string, timeoutMs = 600_000): Promise<any> {
  return waitUntil(
    async () => {
      const { job } = await callOk(server, 'jobs.get', { jobId });
      return FINISHED.includes(job.status) ? job : null;
    },
    `job ${jobId} to finish`,
    timeoutMs,
    100,
  );
}

// ---------------------------------------------------------------------------------------------
// Processes under /proc: what a killed server leaves running.

function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null; // a zombie is gone for our purposes
    return Number(fields[1]);
  } catch {
    return null;
  }
}

/** Every live process below `pid` (job processes, ffmpeg, ...). */
export function descendants(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const parent = parentOf(Number(name));
    if (parent !== null) byParent.set(parent, [...(byParent.get(parent) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const child of byParent.get(p) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

/** The pids among `pids` still running (zombies and reaped processes are gone). */
export function stillRunning(pids: number[]): number[] {
  return pids.filter((pid) => parentOf(pid) !== null);
}

/** A short description of a process, for a failure message. */
export function describeProcess(pid: number): string {
  try {
    return `${pid} (${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 160)})`;
  } catch {
    return String(pid);
  }
}

// ---------------------------------------------------------------------------------------------
// Time.

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` until truthy. Only for states nothing announces (a process gone, a job seen after a restart). */
export async function waitUntil<T>(
  condition: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
