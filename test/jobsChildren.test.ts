import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core/core';
import { onCleanup, openTestCore, processGone, runCleanup, tempDir, waitUntil } from './helpers';

afterEach(runCleanup);

/** Pids of processes named `name` whose parent is `parent` (from /proc). */
function childrenNamed(parent: number, name: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent && comm === name) out.push(Number(entry));
  }
  return out;
}

/**
 * A frames.sample job whose ffmpeg blocks: the video's file was replaced by a named pipe
 * nobody writes to, so ffmpeg waits in open() and the job cannot reach its next cancel check.
 * Resolves with the job and the job process's ffmpeg pids once ffmpeg runs.
 */
async function jobWithBlockedFfmpeg(core: Core, dir: string) {
  const fifo = path.join(dir, 'clip.mp4');
  execFileSync('mkfifo', [fifo]);
  core.db
    .prepare('INSERT INTO videos (video_id, path, duration_s, width, height, fps, codec, imported_at) VALUES (?, ?, 10, 64, 48, 10, ?, ?)')
    .run('clip', fifo, 'h264', new Date().toISOString());
  const job = core.jobs.start('frames.sample', { strategy: { kind: 'perVideo', count: 1 } });
  const jobPid = await waitUntil(
    () => (core.db.prepare('SELECT owner_pid AS pid FROM jobs WHERE id = ?').get(job.id) as { pid: number | null }).pid,
    'the job process',
  );
  const ffmpeg = await waitUntil(
    () => {
      const pids = childrenNamed(jobPid, 'ffmpeg');
      return pids.length ? pids : null;
    },
    'ffmpeg started by the job',
    { timeoutMs: 30_000 },
  );
  // Should one survive a regression, it must not outlive the test run.
  onCleanup(() => {
    for (const pid of ffmpeg) if (!processGone(pid)) process.kill(pid, 'SIGKILL');
  });
  return { job, jobPid, ffmpeg };
}

describe("a job's ffmpeg/ffprobe children end with it", () => {
  it('cancel: the job that cannot stop is killed after the grace period, and its blocked ffmpeg with it', async () => {
    const dir = tempDir('children');
    const core = openTestCore(path.join(dir, 'home'));
    const { job, jobPid, ffmpeg } = await jobWithBlockedFfmpeg(core, dir);
    core.jobs.cancel(job.id);
    const done = await core.jobs.waitFor(job.id);
    expect(done.status).toBe('cancelled');
    await waitUntil(() => processGone(jobPid), 'the job process to exit', { timeoutMs: 5000 });
    // Before: the job process was killed alone and ffmpeg ran on, orphaned, for good.
    await waitUntil(() => ffmpeg.every(processGone), 'the job’s ffmpeg to be gone', { timeoutMs: 3000 });
  }, 30_000);

  it('quitting the owner (or a job process that dies) takes the job’s ffmpeg along', async () => {
    const dir = tempDir('children');
    const core = openTestCore(path.join(dir, 'home'));
    const { ffmpeg } = await jobWithBlockedFfmpeg(core, dir);
    core.close();
    await waitUntil(() => ffmpeg.every(processGone), 'the job’s ffmpeg to be gone', { timeoutMs: 3000 });
  }, 30_000);
});
