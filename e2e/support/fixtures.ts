import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base } from '@playwright/test';
import Database from 'better-sqlite3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LINE = /^Framelab listening on (http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)$/;

export interface ServerHandle {
  home: string;
  baseUrl: string;
  token: string;
  /** The address `framelab serve` printed, token included. */
  url: string;
  process: ChildProcess;
  /** The pid of the job process running a job (read from the home's database). */
  jobPid(jobId: string): number | null;
}

export interface Seed {
  smallFiles?: number;
  sparseFiles?: number;
  sparseBytes?: number;
  /** Frames of one video with images, two coders (coder_a, coder_b), all frames in the overlap. */
  codingFrames?: number;
  /** The coding frames' size, e.g. `1080x1920` for portrait short-form video (default 320x180). */
  codingSize?: string;
  /** The codebook's categories get example frames (the first coding frames). */
  codebookExamples?: boolean;
  /** coder_a's first N frames wait in their re-code queue (pov), as after an import with blank cells. */
  recodeFrames?: number;
}

export function seedHome(home: string, seed: Seed): void {
  if (!seed.smallFiles && !seed.sparseFiles && !seed.codingFrames) return;
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'e2e/support/seedHome.ts'), home, JSON.stringify(seed)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`seeding failed: ${run.stderr}`);
}

/** `env` adds to (or, with undefined values, removes from) this process's environment. */
export async function startServe(home: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<ServerHandle> {
  const child = spawn(process.execPath, [path.join(root, 'bin/framelab.js'), 'serve', '--port', '0', '--home', home], {
    cwd: root,
    // `npm test` builds out/ before the e2e run: the servers must not each rebuild it.
    env: { FRAMELAB_SKIP_BUILD: '1', ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const match = LINE.exec(line);
  if (!match) throw new Error(`unexpected first line: ${line}`);
  return {
    home,
    baseUrl: match[1]!,
    token: match[2]!,
    url: `${match[1]}/?token=${match[2]}`,
    process: child,
    jobPid(jobId) {
      const db = new Database(path.join(home, 'framelab.db'), { readonly: true });
      try {
        const row = db.prepare('SELECT owner_pid FROM jobs WHERE id = ?').get(jobId) as { owner_pid: number | null } | undefined;
        return row?.owner_pid ?? null;
      } finally {
        db.close();
      }
    },
  };
}

export async function stopServe(server: ServerHandle): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');
  await exited;
}

/** Each test gets its own temp home and its own server; nothing is shared. */
export const test = base.extend<{ seed: Seed; server: ServerHandle }>({
  seed: [{}, { option: true }],
  server: async ({ seed }, use) => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-'));
    seedHome(home, seed);
    const server = await startServe(home);
    await use(server);
    await stopServe(server);
    fs.rmSync(home, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
