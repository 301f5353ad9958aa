import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import { FramelabError } from '../../../shared/errors';

/**
 * One process owns a home for writing. The owner writes `owner.lock` (mode 0600: it may hold
 * the browser-mode token); a successor that finds the owner dead takes the lock over.
 */
export const LockInfo = z.object({
  pid: z.number().int(),
  host: z.string(),
  mode: z.enum(['desktop', 'serve', 'cli']),
  startedAt: z.string(),
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
  return info.pid > 0 && isProcessAlive(info.pid) ? info : null;
}

export function describeOwner(info: LockInfo): string {
  const who =
    info.mode === 'desktop' ? 'the Framelab desktop app' : info.mode === 'serve' ? '`framelab serve`' : 'a framelab command';
  return `${who} (pid ${info.pid} on ${info.host}, since ${info.startedAt})`;
}

export function acquireHomeLock(lockFile: string, mode: LockInfo['mode']): HomeLock {
  const info: LockInfo = { pid: process.pid, host: os.hostname(), mode, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(lockFile, info)) return makeLock(lockFile, info);
    const owner = liveOwner(lockFile);
    if (owner) {
      throw new FramelabError(
        'HOME_LOCKED',
        `This home is in use by ${describeOwner(owner)}. Close it first, or run the command while it runs so it goes through it.`,
        { owner: { pid: owner.pid, host: owner.host, mode: owner.mode } },
      );
    }
    // The owner died without releasing. Renaming is atomic, so exactly one successor wins the
    // stale file; the others see it gone and race on the create above.
    const graveyard = `${lockFile}.stale-${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.renameSync(lockFile, graveyard);
      fs.rmSync(graveyard, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new FramelabError('HOME_LOCKED', `Could not take the lock ${lockFile}: another process keeps taking it.`);
}

function tryCreate(lockFile: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockFile, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.writeSync(fd, JSON.stringify(info));
  } finally {
    fs.closeSync(fd);
  }
  return true;
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
