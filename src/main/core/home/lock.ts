import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { FramelabError } from '../../../shared/errors';
import { processIdentity } from './processIdentity';

/**
 * One process owns a home for writing. The owner writes `owner.lock` (mode 0600: it may hold
 * the browser-mode token); a successor that finds the owner dead takes the lock over.
 */
export const LockInfo = z.object({
  pid: z.number().int(),
  host: z.string(),
  mode: z.enum(['desktop', 'serve', 'cli']),
  startedAt: z.string(),
  /** Linux boot id: after a reboot every recorded pid is dead, whoever holds that number now. */
  bootId: z.string().optional(),
  /**
   * The owner's start time (or program name) as processIdentity() reads it: a live process
   * under the recorded pid with another identity is an unrelated one that reused the pid.
   */
  processIdentity: z.string().optional(),
  /** The command line a CLI owner runs, so whoever finds the home in use learns what holds it. */
  command: z.string().optional(),
  /** Where a running server answers, so CLI commands can go through it instead of failing. */
  endpoint: z.object({ url: z.string(), token: z.string() }).optional(),
});
export type LockInfo = z.infer<typeof LockInfo>;

export interface HomeLock {
  readonly info: LockInfo;
  /** Records the server endpoint once it listens. */
  setEndpoint(endpoint: LockInfo['endpoint']): void;
  release(): void;
}

function currentBootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(lockFile: string): LockInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(lockFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = LockInfo.safeParse(safeJson(text));
  // A half-written or foreign lock file belongs to nobody alive: treat it as stale.
  return parsed.success ? parsed.data : { pid: -1, host: os.hostname(), mode: 'cli', startedAt: '' };
}

/** The live owner of a home, or null when nobody (alive) holds it. */
export function liveOwner(lockFile: string): LockInfo | null {
  const info = readLock(lockFile);
  if (!info) return null;
  if (info.host !== os.hostname()) return info; // cannot probe another machine's pid: assume alive
  if (info.bootId && info.bootId !== currentBootId()) return null;
  return isRecordedProcessAlive(info) ? info : null;
}

/**
 * The recorded process still runs: its pid is alive and, where the record says who it was,
 * the process under that pid now is the same one (not a later process that reused the pid).
 * An identity that cannot be read now proves nothing either way: the pid decides.
 */
function isRecordedProcessAlive(info: LockInfo): boolean {
  if (info.pid <= 0 || !isProcessAlive(info.pid)) return false;
  if (!info.processIdentity) return true;
  const now = processIdentity(info.pid);
  return now === undefined || now === info.processIdentity;
}

export function describeOwner(info: LockInfo): string {
  const who =
    info.mode === 'desktop'
      ? 'the Framelab desktop app'
      : info.mode === 'serve'
        ? '`framelab serve`'
        : info.command
          ? `\`${info.command}\``
          : 'a framelab command';
  return `${who} (pid ${info.pid} on ${info.host}, since ${info.startedAt})`;
}

/** What a person can do about a home another process owns. */
function whatToDo(info: LockInfo): string {
  const stop = info.host === os.hostname() ? `Ctrl+C in its terminal, or \`kill ${info.pid}\`` : `on ${info.host}`;
  if (info.mode === 'desktop') return 'Close the app first, or do this in the app.';
  if (info.mode === 'serve') return `Stop it first (${stop}), or run the command while it listens so it goes through it.`;
  return `Wait for it to finish, or stop it (${stop}), then run this again.`;
}

/** HOME_LOCKED naming the owner (pid, mode, start, command) and what to do about it. */
export function homeInUseError(root: string, owner: LockInfo): FramelabError {
  return new FramelabError('HOME_LOCKED', `This home (${root}) is in use by ${describeOwner(owner)}. ${whatToDo(owner)}`, {
    owner: {
      pid: owner.pid,
      host: owner.host,
      mode: owner.mode,
      startedAt: owner.startedAt,
      ...(owner.command ? { command: owner.command } : {}),
    },
  });
}

const TAKEOVER_WAIT_MS = 3000;

export interface AcquireOptions {
  /** The command line a CLI owner runs (recorded for whoever finds the home in use). */
  command?: string;
}

export function acquireHomeLock(lockFile: string, mode: LockInfo['mode'], options: AcquireOptions = {}): HomeLock {
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    mode,
    startedAt: new Date().toISOString(),
    bootId: currentBootId(),
    processIdentity: processIdentity(process.pid),
    ...(options.command ? { command: options.command.slice(0, 300) } : {}),
  };
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  for (;;) {
    if (publish(lockFile, info)) return makeLock(lockFile, info);
    const owner = liveOwner(lockFile);
    if (owner) throw lockedBy(lockFile, owner);
    // The owner died without releasing. Only the holder of the takeover guard may remove its
    // lock, and it checks again while holding it: two successors can never both win.
    const guard = `${lockFile}.takeover`;
    if (publish(guard, info)) {
      try {
        const again = liveOwner(lockFile);
        if (again) throw lockedBy(lockFile, again);
        fs.rmSync(lockFile, { force: true });
        if (publish(lockFile, info)) return makeLock(lockFile, info);
      } finally {
        fs.rmSync(guard, { force: true });
      }
    } else {
      clearDeadGuard(guard);
    }
    if (Date.now() > deadline) {
      throw new FramelabError('HOME_LOCKED', `Could not take the lock ${lockFile}: another process keeps taking it.`);
    }
    sleepSync(10 + Math.random() * 20);
  }
}

function lockedBy(lockFile: string, owner: LockInfo): FramelabError {
  return homeInUseError(path.dirname(lockFile), owner);
}

/**
 * A successor that died holding the guard would block every later one: its guard goes. Only a
 * guard whose holder is known and dead is removed; it is renamed away first and checked again,
 * so a live holder's guard that appeared in between is put back, never lost.
 */
function clearDeadGuard(guard: string): void {
  const holder = readLock(guard);
  if (!holder || holder.pid <= 0 || isRecordedProcessAlive(holder)) return;
  const graveyard = `${guard}.dead-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(guard, graveyard);
  } catch {
    return; // gone already
  }
  const removed = readLock(graveyard);
  if (removed && removed.pid > 0 && isRecordedProcessAlive(removed)) {
    try {
      fs.linkSync(graveyard, guard);
    } catch {
      // Another guard exists now; the live holder finds its own gone and its takeover re-checks.
    }
  }
  fs.rmSync(graveyard, { force: true });
}

/**
 * Creates `file` holding `info`, or returns false if it exists. The content is written to a
 * temporary file first and hard-linked into place, so no reader ever sees it half-written.
 */
function publish(file: string, info: LockInfo): boolean {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function makeLock(lockFile: string, info: LockInfo): HomeLock {
  let released = false;
  return {
    info,
    setEndpoint(endpoint) {
      info.endpoint = endpoint;
      const tmp = `${lockFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
      fs.renameSync(tmp, lockFile);
    },
    release() {
      if (released) return;
      released = true;
      // Only remove the file if it is still ours (a successor may have taken over after a hang).
      const current = readLock(lockFile);
      if (current && current.pid === info.pid && current.startedAt === info.startedAt) fs.rmSync(lockFile, { force: true });
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
