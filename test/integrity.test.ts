import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/main/core/db/open';
import { homePaths, type HomePaths } from '../src/main/core/home/paths';
import { cancelledError, type JobContext, type LogLevel } from '../src/main/core/jobs/context';
import { absoluteStoredPath, storeFile, type StoredFile } from '../src/main/core/workspace/files';
import { runIntegrityCheck, type IntegrityCheckpoint } from '../src/main/core/workspace/integrity';
import { FramelabError } from '../src/shared/errors';
import { IntegrityReport } from '../src/shared/jobs';
import { runCleanup, sha256, storeRandomFiles, tempDir } from './helpers';

afterEach(runCleanup);

const SIZE = 4096;

/** A JobContext as a job process gives one, recording everything the check reports. */
function makeContext(checkpoint: IntegrityCheckpoint | null) {
  const seen = {
    progress: [] as { fraction: number; stage: string }[],
    logs: [] as { level: LogLevel; message: string }[],
    checkpoints: [] as IntegrityCheckpoint[],
    cancelled: false,
    /** Cancel once this many checkpoints were saved. */
    cancelAfterCheckpoints: Infinity,
  };
  const ctx: JobContext<IntegrityCheckpoint> = {
    jobId: 'job_test',
    checkpoint,
    progress: (fraction, stage) => void seen.progress.push({ fraction, stage }),
    log: (level, message) => void seen.logs.push({ level, message }),
    saveCheckpoint(state) {
      seen.checkpoints.push(structuredClone(state));
      if (seen.checkpoints.length >= seen.cancelAfterCheckpoints) seen.cancelled = true;
    },
    get cancelled() {
      return seen.cancelled;
    },
    throwIfCancelled() {
      if (seen.cancelled) throw cancelledError();
    },
  };
  return { ctx, seen };
}

function setup(count: number): { db: Db; home: HomePaths; files: StoredFile[] } {
  const home = homePaths(tempDir('integrity'));
  const db = openDatabase(home.dbFile);
  const files = storeRandomFiles(db, home, count, SIZE);
  return { db, home, files };
}

describe('runIntegrityCheck (in process)', () => {
  it('checks the database and every stored file on a first run', async () => {
    const { db, home, files } = setup(6);
    try {
      const { ctx, seen } = makeContext(null);
      const report = await runIntegrityCheck(ctx, db, home, { hashFiles: true });
      expect(IntegrityReport.parse(report)).toEqual(report);
      expect(report).toMatchObject({
        ok: true,
        database: { ok: true, messages: ['ok'] },
        foreignKeys: { ok: true, violations: [] },
        files: { total: 6, checked: 6, ok: 6, bytes: 6 * SIZE, missing: [], mismatched: [] },
      });
      expect(seen.checkpoints.map((c) => c.verified.length)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(seen.progress.at(-1)).toEqual({ fraction: 1, stage: 'Done' });
      expect(seen.logs.some((l) => l.message.startsWith('Resuming'))).toBe(false);
      expect(files).toHaveLength(6);
    } finally {
      db.close();
    }
  });

  it('with hashFiles false checks only the database', async () => {
    const { db, home, files } = setup(3);
    try {
      fs.rmSync(absoluteStoredPath(home, files[0]!.path));
      const { ctx } = makeContext(null);
      const report = await runIntegrityCheck(ctx, db, home, { hashFiles: false });
      expect(report.ok).toBe(true);
      expect(report.files).toEqual({ total: 0, checked: 0, ok: 0, bytes: 0, missing: [], mismatched: [] });
    } finally {
      db.close();
    }
  });

  it('lists the files no table registers (count, bytes, paths) without deleting them; temporary ones apart', async () => {
    const { db, home, files } = setup(3);
    try {
      const put = (relative: string, bytes: string) => {
        const file = absoluteStoredPath(home, relative);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, bytes);
        return file;
      };
      const stray = [put('frames/v/v_t009.0.jpg', 'copy left by a crash'), put('exports/by-hand.csv', 'a,b')];
      put('frames/v/.v_t001.0.job_abc_12345678.tmp.jpg', 'a job at work');
      const { ctx, seen } = makeContext(null);
      const report = await runIntegrityCheck(ctx, db, home, { hashFiles: true });
      expect(IntegrityReport.parse(report)).toEqual(report);
      expect(report.unregistered).toEqual({
        count: 2,
        bytes: 'copy left by a crash'.length + 'a,b'.length,
        paths: ['exports/by-hand.csv', 'frames/v/v_t009.0.jpg'],
        temporary: 1,
      });
      // Nothing the database knows is wrong: the report passes, and says what it found.
      expect(report.ok).toBe(true);
      expect(report.files.ok).toBe(files.length);
      expect(seen.logs.map((l) => l.message)).toContainEqual(expect.stringContaining('2 file(s) under'));
      for (const file of stray) expect(fs.existsSync(file)).toBe(true);

      const databaseOnly = await runIntegrityCheck(makeContext(null).ctx, db, home, { hashFiles: false });
      expect(databaseOnly.unregistered).toBeNull();
    } finally {
      db.close();
    }
  });

  it('resumes from a checkpoint: hashes only the remaining files and merges the partial counts', async () => {
    const { db, home, files } = setup(10);
    try {
      const k = 4;
      // What the interrupted attempt had found: files 0..3 checked, file 1 had changed.
      const earlierMismatch = { path: files[1]!.path, expected: files[1]!.sha256, actual: 'f'.repeat(64) };
      const checkpoint: IntegrityCheckpoint = {
        verified: files.slice(0, k).map((f) => f.path),
        files: { total: 10, checked: k, ok: k - 1, bytes: k * SIZE, missing: [], mismatched: [earlierMismatch] },
      };
      // File 0 disappears after it was checked: the resumed run must not look at it again.
      fs.rmSync(absoluteStoredPath(home, files[0]!.path));
      // File 7 (not yet checked) is changed on disk: the resumed run must find it.
      const changed = Buffer.alloc(SIZE, 7);
      fs.writeFileSync(absoluteStoredPath(home, files[7]!.path), changed);

      const { ctx, seen } = makeContext(checkpoint);
      const report = await runIntegrityCheck(ctx, db, home, { hashFiles: true });

      expect(seen.logs).toContainEqual({ level: 'info', message: `Resuming after ${k} of 10 files` });
      expect(report.files.missing).toEqual([]);
      expect(report.files.mismatched).toEqual([
        earlierMismatch,
        { path: files[7]!.path, expected: files[7]!.sha256, actual: sha256(changed) },
      ]);
      expect(report.files).toMatchObject({ total: 10, checked: 10, ok: k - 1 + 5, bytes: 10 * SIZE });
      expect(report.ok).toBe(false);
      // Only files k..9 were processed: one checkpoint each, none for the files before k.
      expect(seen.checkpoints.map((c) => c.verified.length)).toEqual([5, 6, 7, 8, 9, 10]);
      expect(seen.checkpoints.map((c) => c.files.checked)).toEqual([5, 6, 7, 8, 9, 10]);
      // Progress picks up where the first attempt stopped rather than starting over.
      const hashing = seen.progress.filter((p) => p.stage.startsWith('Hashing files'));
      expect(hashing.length).toBeGreaterThan(0);
      for (const p of hashing) expect(p.fraction).toBeGreaterThan(0.05 + 0.95 * (k / 10) - 1e-9);
      expect(hashing.some((p) => /\((0|1|2|3)\/10\)/.test(p.stage))).toBe(false);
    } finally {
      db.close();
    }
  });

  it('stops at the next file once cancelled, throwing CANCELLED, with a checkpoint to resume from', async () => {
    const { db, home } = setup(10);
    try {
      const { ctx, seen } = makeContext(null);
      seen.cancelAfterCheckpoints = 3;
      const err = await runIntegrityCheck(ctx, db, home, { hashFiles: true }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FramelabError);
      expect((err as FramelabError).code).toBe('CANCELLED');
      expect(seen.checkpoints.map((c) => c.verified.length)).toEqual([1, 2, 3]);
      expect(seen.progress.some((p) => p.fraction === 1)).toBe(false);
      expect(seen.logs.some((l) => l.message === 'Workspace is intact')).toBe(false);

      // Resuming from that checkpoint completes the count exactly once per file.
      const resumed = makeContext(seen.checkpoints.at(-1)!);
      const report = await runIntegrityCheck(resumed.ctx, db, home, { hashFiles: true });
      expect(report.ok).toBe(true);
      expect(report.files).toMatchObject({ total: 10, checked: 10, ok: 10, bytes: 10 * SIZE });
    } finally {
      db.close();
    }
  });

  it('notices a cancel while hashing one large file, before the file is done', async () => {
    // Weights and videos are large: a job must not be deaf to cancel for the length of one file.
    const home = homePaths(tempDir('integrity'));
    const db = openDatabase(home.dbFile);
    try {
      storeRandomFiles(db, home, 1, 16 * 2 ** 20);
      const { ctx, seen } = makeContext(null);
      const progress = ctx.progress.bind(ctx);
      ctx.progress = (fraction, stage) => {
        progress(fraction, stage);
        if (stage.startsWith('Hashing files')) seen.cancelled = true;
      };
      await expect(runIntegrityCheck(ctx, db, home, { hashFiles: true })).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(seen.checkpoints).toEqual([]);
      expect(seen.progress.filter((p) => p.stage.startsWith('Hashing files'))).toHaveLength(1);
      expect(seen.progress.at(-1)!.fraction).toBeLessThan(1);
    } finally {
      db.close();
    }
  });

  it('still verifies every stored file when files were added between the interrupted attempt and the resume', async () => {
    // The app keeps storing files while a job is interrupted (frames, exports); a file whose
    // path sorts before those already verified must still be verified on resume, and no file
    // may count twice.
    const { db, home, files } = setup(10);
    try {
      const { ctx, seen } = makeContext(null);
      seen.cancelAfterCheckpoints = 5;
      await expect(runIntegrityCheck(ctx, db, home, { hashFiles: true })).rejects.toMatchObject({ code: 'CANCELLED' });
      const checkpoint = seen.checkpoints.at(-1)!;
      expect(checkpoint.verified).toHaveLength(5);

      // A new file is stored (sorting first) and is then damaged on disk.
      const added = storeFile(db, home, 'aaa/added.bin', 'test', Buffer.alloc(SIZE, 1));
      const damaged = Buffer.alloc(SIZE, 2);
      fs.writeFileSync(absoluteStoredPath(home, added.path), damaged);

      const resumed = makeContext(checkpoint);
      const report = await runIntegrityCheck(resumed.ctx, db, home, { hashFiles: true });

      expect(report.files.total).toBe(files.length + 1);
      expect(report.files.mismatched).toEqual([{ path: added.path, expected: added.sha256, actual: sha256(damaged) }]);
      expect(report.ok).toBe(false);
      expect(report.files.checked).toBe(files.length + 1);
      expect(report.files.ok).toBe(files.length);
      // Each file not yet verified is hashed exactly once on resume: one checkpoint per file.
      expect(resumed.seen.checkpoints).toHaveLength(files.length + 1 - 5);
    } finally {
      db.close();
    }
  });
});
