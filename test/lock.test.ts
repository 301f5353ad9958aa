import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireHomeLock, liveOwner, readLock, type LockInfo } from '../src/main/core/home/lock';
import { processIdentity, startTimeFromStat } from '../src/main/core/home/processIdentity';
import { FramelabError } from '../src/shared/errors';
import { deadPid, onCleanup, REPO_ROOT, runCli, runCleanup, singleJsonLine, tempDir, withTimeout } from './helpers';

afterEach(runCleanup);

function lockFileIn(dir: string): string {
  return path.join(dir, 'owner.lock');
}

function readJson(file: string): LockInfo {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
}

function fileMode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe('acquireHomeLock', () => {
  it('creates the lock file with mode 0600 and JSON owner info', () => {
    const file = lockFileIn(tempDir('lock'));
    const before = Date.now();
    const lock = acquireHomeLock(file, 'serve');
    try {
      expect(fileMode(file)).toBe(0o600);
      const info = readJson(file);
      expect(info).toEqual(lock.info);
      expect(info).toMatchObject({ pid: process.pid, host: os.hostname(), mode: 'serve' });
      expect(Date.parse(info.startedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(readLock(file)).toEqual(info);
      expect(liveOwner(file)).toEqual(info);
    } finally {
      lock.release();
    }
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a second owner while the first is alive, naming it (HOME_LOCKED)', () => {
    const file = lockFileIn(tempDir('lock'));
    const first = acquireHomeLock(file, 'desktop');
    const content = fs.readFileSync(file);
    let caught: unknown;
    try {
      acquireHomeLock(file, 'cli');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FramelabError);
    const err = caught as FramelabError;
    expect(err.code).toBe('HOME_LOCKED');
    expect(err.message).toContain('the Framelab desktop app');
    expect(err.message).toContain(`pid ${process.pid}`);
    expect(err.message).toContain(os.hostname());
    expect(err.details).toEqual({ owner: { pid: process.pid, host: os.hostname(), mode: 'desktop', startedAt: first.info.startedAt } });
    // The refused attempt did not touch the owner's lock.
    expect(fs.readFileSync(file).equals(content)).toBe(true);
    first.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('takes over a lock whose owner process is dead', async () => {
    const file = lockFileIn(tempDir('lock'));
    const pid = await deadPid();
    const stale: LockInfo = { pid, host: os.hostname(), mode: 'serve', startedAt: '2020-01-01T00:00:00.000Z' };
    fs.writeFileSync(file, JSON.stringify(stale), { mode: 0o600 });
    expect(liveOwner(file)).toBeNull();

    const lock = acquireHomeLock(file, 'cli');
    expect(lock.info.pid).toBe(process.pid);
    expect(readJson(file)).toMatchObject({ pid: process.pid, mode: 'cli' });
    expect(fileMode(file)).toBe(0o600);
    // The stale file was moved aside and removed, not left next to the lock.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['owner.lock']);
    lock.release();
  });

  it.each([
    ['garbage bytes', 'not json at all {'],
    ['an empty file', ''],
    ['JSON of the wrong shape', JSON.stringify({ pid: 'twelve', mode: 'root' })],
  ])('takes over a lock file holding %s', (_label, content) => {
    const file = lockFileIn(tempDir('lock'));
    fs.writeFileSync(file, content);
    expect(liveOwner(file)).toBeNull();
    const lock = acquireHomeLock(file, 'cli');
    expect(readJson(file)).toEqual(lock.info);
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it("release() removes only its own lock: a successor's lock stays", () => {
    const file = lockFileIn(tempDir('lock'));
    const lock = acquireHomeLock(file, 'cli');
    const successor: LockInfo = { pid: process.pid, host: os.hostname(), mode: 'serve', startedAt: '2099-01-01T00:00:00.000Z' };
    fs.writeFileSync(file, JSON.stringify(successor));
    lock.release();
    expect(readJson(file)).toEqual(successor);

    // And a lock whose file vanished releases without error.
    const dir2 = tempDir('lock');
    const lock2 = acquireHomeLock(lockFileIn(dir2), 'cli');
    fs.rmSync(lockFileIn(dir2));
    expect(() => lock2.release()).not.toThrow();
  });

  it('release() is idempotent and frees the home for the next owner', () => {
    const file = lockFileIn(tempDir('lock'));
    const lock = acquireHomeLock(file, 'cli');
    lock.release();
    const next = acquireHomeLock(file, 'serve');
    lock.release(); // a second release of the old lock must not remove the new owner's file
    expect(readJson(file)).toEqual(next.info);
    next.release();
  });

  it('setEndpoint records the server endpoint in the lock file, still mode 0600', () => {
    const file = lockFileIn(tempDir('lock'));
    const lock = acquireHomeLock(file, 'serve');
    const endpoint = { url: 'http://127.0.0.1:4780', token: 'tok_secret-123' };
    lock.setEndpoint(endpoint);
    expect(readJson(file)).toEqual({ ...lock.info, endpoint });
    expect(liveOwner(file)?.endpoint).toEqual(endpoint);
    expect(fileMode(file)).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['owner.lock']); // no temp file left
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('liveOwner', () => {
  it('is null without a lock file, null for a dead owner, the info for a live one', async () => {
    const file = lockFileIn(tempDir('lock'));
    expect(liveOwner(file)).toBeNull();
    const pid = await deadPid();
    fs.writeFileSync(file, JSON.stringify({ pid, host: os.hostname(), mode: 'cli', startedAt: 'x' }));
    expect(readLock(file)).toMatchObject({ pid });
    expect(liveOwner(file)).toBeNull();

    const alive: LockInfo = { pid: process.pid, host: os.hostname(), mode: 'cli', startedAt: 'y' };
    fs.writeFileSync(file, JSON.stringify(alive));
    expect(liveOwner(file)).toEqual(alive);
  });

  it.skipIf(!fs.existsSync('/proc/sys/kernel/random/boot_id'))(
    'treats an owner recorded before the last reboot as dead, even if its pid is in use now',
    () => {
      const file = lockFileIn(tempDir('lock'));
      const bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      // Our own pid is certainly alive; only the boot id says the record is from another boot.
      const beforeReboot: LockInfo = { pid: process.pid, host: os.hostname(), mode: 'desktop', startedAt: 'x', bootId: `not-${bootId}` };
      fs.writeFileSync(file, JSON.stringify(beforeReboot));
      expect(liveOwner(file)).toBeNull();
      const lock = acquireHomeLock(file, 'cli');
      expect(readJson(file)).toEqual(lock.info);
      expect(lock.info.bootId).toBe(bootId);

      fs.writeFileSync(file, JSON.stringify({ ...beforeReboot, bootId }));
      expect(liveOwner(file)).toMatchObject({ pid: process.pid, bootId });
    },
  );

  it("assumes another machine's owner is alive (its pid cannot be probed)", async () => {
    const file = lockFileIn(tempDir('lock'));
    const info: LockInfo = { pid: await deadPid(), host: `not-${os.hostname()}`, mode: 'desktop', startedAt: 'x' };
    fs.writeFileSync(file, JSON.stringify(info));
    expect(liveOwner(file)).toEqual(info);
    expect(() => acquireHomeLock(file, 'cli')).toThrow(expect.objectContaining({ code: 'HOME_LOCKED' }));
  });
});

const linux = process.platform === 'linux';

/** A live process that is not Framelab (`sleep`), killed after the test. */
function unrelatedProcess(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  onCleanup(() => {
    child.kill('SIGKILL');
  });
  return child;
}

function currentBootId(): string | undefined {
  return linux ? fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : undefined;
}

describe('pid reuse: a live pid that is not the recorded owner', () => {
  it("records the owner's process identity (its start time on Linux) in the lock", () => {
    const file = lockFileIn(tempDir('lock'));
    const lock = acquireHomeLock(file, 'cli', { command: 'framelab check --no-files' });
    try {
      expect(readJson(file)).toMatchObject({ processIdentity: processIdentity(process.pid), command: 'framelab check --no-files' });
      if (linux) expect(lock.info.processIdentity).toMatch(/^linux:\d+$/);
    } finally {
      lock.release();
    }
  });

  it('reads the start time from /proc/PID/stat even when the command name holds spaces and parentheses', () => {
    const fields = ['S', ...Array.from({ length: 18 }, (_, i) => String(i + 4)), '987654', '23', '24'];
    expect(startTimeFromStat(`4242 (we (ird) name) ${fields.join(' ')}`)).toBe('linux:987654');
    expect(startTimeFromStat('garbage')).toBeUndefined();
    expect(processIdentity(-1)).toBeUndefined();
  });

  it.skipIf(!linux)('takes over a lock whose pid now belongs to an unrelated process with another start time', async () => {
    const file = lockFileIn(tempDir('lock'));
    const sleeper = unrelatedProcess();
    const pid = sleeper.pid!;
    const real = processIdentity(pid);
    expect(real, 'the sleeper is alive and readable').toMatch(/^linux:\d+$/);
    // The owner that wrote this lock had the same pid but started at another moment: it is gone.
    const ticks = Number(real!.slice('linux:'.length));
    const stale: LockInfo = {
      pid,
      host: os.hostname(),
      mode: 'cli',
      startedAt: '2020-01-01T00:00:00.000Z',
      bootId: currentBootId(),
      processIdentity: `linux:${ticks > 1 ? ticks - 1 : ticks + 1}`,
    };
    fs.writeFileSync(file, JSON.stringify(stale), { mode: 0o600 });
    expect(liveOwner(file)).toBeNull();
    const lock = acquireHomeLock(file, 'cli');
    expect(readJson(file)).toEqual(lock.info);
    lock.release();
    expect(sleeper.exitCode, 'the unrelated process was left alone').toBeNull();
  });

  it.skipIf(!linux)('does not take over from the recorded owner itself (same pid, same start time)', () => {
    const file = lockFileIn(tempDir('lock'));
    const sleeper = unrelatedProcess();
    const owner: LockInfo = {
      pid: sleeper.pid!,
      host: os.hostname(),
      mode: 'cli',
      startedAt: '2020-01-01T00:00:00.000Z',
      bootId: currentBootId(),
      processIdentity: processIdentity(sleeper.pid!),
    };
    fs.writeFileSync(file, JSON.stringify(owner), { mode: 0o600 });
    expect(liveOwner(file)).toEqual(owner);
    const content = fs.readFileSync(file);
    expect(() => acquireHomeLock(file, 'cli')).toThrow(expect.objectContaining({ code: 'HOME_LOCKED' }));
    expect(fs.readFileSync(file).equals(content)).toBe(true);
  });
});

describe('stale lock takeover under contention', () => {
  it('lets exactly one of several processes take over the same stale lock', async () => {
    // Several successors find the same dead owner's lock at the same moment (say the app and
    // a CLI command started together after a crash). Exactly one may win each round.
    const dir = tempDir('lockrace');
    const rounds = 15;
    const contenders = 4;
    const dead = await deadPid();
    for (let round = 0; round < rounds; round++) {
      fs.writeFileSync(
        path.join(dir, `${round}.lock`),
        JSON.stringify({ pid: dead, host: os.hostname(), mode: 'cli', startedAt: '2020-01-01T00:00:00.000Z' }),
      );
    }
    const start = Date.now() + 2500;
    const outputs = await Promise.all(
      Array.from({ length: contenders }, () => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'helpers', 'lockContender.ts'), dir, String(rounds), String(start), '25'],
          { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let out = '';
        child.stdout.setEncoding('utf8');
        const reported = new Promise<string>((resolve) =>
          child.stdout.on('data', (chunk: string) => {
            out += chunk;
            if (out.trim().split('\n').length >= rounds) resolve(out);
          }),
        );
        const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
        return { reported: withTimeout(reported, 20_000, 'a lock contender to report'), closed };
      }),
    ).then(async (children) => {
      // Every winner stays alive until all have reported: a late starter must find it alive.
      const results = await Promise.all(children.map((c) => c.reported));
      fs.writeFileSync(path.join(dir, 'done'), '');
      await Promise.all(children.map((c) => c.closed));
      return results;
    });
    const winners = new Map<number, number>();
    for (const output of outputs) {
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(rounds);
      for (const line of lines) {
        const [round, outcome] = line.split(' ');
        expect(['WON', 'HOME_LOCKED']).toContain(outcome);
        if (outcome === 'WON') winners.set(Number(round), (winners.get(Number(round)) ?? 0) + 1);
      }
    }
    const perRound = Array.from({ length: rounds }, (_, round) => winners.get(round) ?? 0);
    expect(perRound, 'winners of each round (each must be exactly 1)').toEqual(Array(rounds).fill(1));
  }, 30_000);
});

describe('a second CLI on a home another CLI owns', () => {
  it('is told which process owns it (pid, command, start) and what to do, not to use the app', async () => {
    const home = tempDir('owned');
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'helpers', 'homeOwner.ts'), home, 'framelab videos import /data/clips'],
      { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
    onCleanup(async () => {
      holder.stdin!.end();
      await withTimeout(exited, 10_000, 'the home owner to exit');
    });
    let out = '';
    holder.stdout!.setEncoding('utf8');
    await withTimeout(
      new Promise<void>((resolve) => holder.stdout!.on('data', (chunk: string) => (out += chunk).includes('OWNED') && resolve())),
      20_000,
      'the first CLI to own the home',
    );
    const owner = readJson(lockFileIn(home));

    const second = await runCli(['jobs', 'list', '--json', '--home', home]);
    expect(second.code).toBe(1);
    const { error } = singleJsonLine(second.stderr);
    expect(error.code).toBe('HOME_LOCKED');
    expect(error.message).toBe(
      `This home (${home}) is in use by \`framelab videos import /data/clips\` (pid ${holder.pid} on ${os.hostname()}, ` +
        `since ${owner.startedAt}). Wait for it to finish, or stop it (Ctrl+C in its terminal, or \`kill ${holder.pid}\`), then run this again.`,
    );
    // The refused command left the owner's lock alone.
    expect(readJson(lockFileIn(home))).toEqual(owner);
  }, 30_000);
});
