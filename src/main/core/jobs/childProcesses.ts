import type { ChildProcess } from 'node:child_process';

/**
 * The processes a job process started (ffmpeg for frames and decoding), so they end with it.
 * Under the fork launcher a job leads its own process group and the owner kills the group;
 * the desktop's utilityProcess cannot start one, so there the job kills what it tracked when
 * it is told to stop (SIGTERM) or loses its owner. Outside a job process nothing is tracked.
 */
const live = new Set<ChildProcess>();

export function trackChild<T extends ChildProcess>(child: T): T {
  if (process.env.FRAMELAB_JOB_PROCESS !== '1') return child;
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILL to every tracked child still running. */
export function killJobChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

/**
 * The job process's last act when its owner is gone: SIGKILL to its own process group, which
 * takes every child (tracked or not) and itself. Only when it leads a group (the fork
 * launcher, POSIX); otherwise there is no group of that id and nothing happens.
 */
export function killOwnProcessGroup(): void {
  if (process.platform === 'win32') return;
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // Not a group leader (Electron's utilityProcess): the tracked children were killed already.
  }
}
