import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyAnnotationsImport } from '../../src/main/core/annotations/importWrites';
import { planAnnotationsImport } from '../../src/main/core/annotations/planImport';
import { codesOf, saveFrameCodes } from '../../src/main/core/coding/codes';
import { regularFile } from '../../src/main/core/workspace/inputPaths';
import { onCleanup, openTestCore, runCleanup, tempDir, withTimeout } from '../helpers';
import { client, editedSample, importFile, importThroughJob, SAMPLE, snapshot, writeFile } from './fixtures';

afterEach(runCleanup);

function setup() {
  const dir = tempDir('annotations-safety');
  const core = openTestCore(path.join(dir, 'home'));
  return { dir, core };
}

/**
 * A named pipe. A regression that opens it would block this test's thread for good, so a
 * writer opens it after a few seconds: such a regression then fails (late, with the wrong
 * result) instead of hanging the run.
 */
function mkfifo(dir: string, name: string): string {
  const fifo = path.join(dir, name);
  execFileSync('mkfifo', [fifo]);
  const writer = spawn('sh', ['-c', 'sleep 4; echo x > "$0"', fifo], { stdio: 'ignore' });
  onCleanup(() => void writer.kill('SIGKILL'));
  return fifo;
}

describe('paths the user gives are regular files, checked before anything opens them', () => {
  // Before the check, reading a FIFO blocked the owner for good: each call must return promptly.
  it('refuses a FIFO, /dev/zero and a folder with INVALID_INPUT naming the path; a missing file is NOT_FOUND', async () => {
    const { dir, core } = setup();
    const fifo = mkfifo(dir, 'annotations.csv');
    for (const [file, kind] of [
      [fifo, 'a FIFO'],
      ['/dev/zero', 'a device'],
      [dir, 'a folder'],
    ] as const) {
      const inProcess = withTimeout(importFile(core, { file }), 3000, `importing ${file}`);
      await expect(inProcess).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining(`${file} is not a regular file (it is ${kind}`),
      });
      // Through the API the owner refuses it before a job starts.
      const viaApi = withTimeout(importThroughJob(core, { file }), 3000, `importing ${file} through the API`);
      await expect(viaApi).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(file) });
    }
    await expect(importThroughJob(core, { file: path.join(dir, 'nope.csv') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(path.join(dir, 'nope.csv')),
    });
    expect((await client(core).call('jobs.list', {})).jobs).toEqual([]);
    // A frames "folder" that is a FIFO is refused the same way.
    await expect(withTimeout(importFile(core, { file: SAMPLE, framesDir: fifo }), 3000, 'a FIFO frames folder')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(`${fifo} is not a folder`),
    });
    expect(snapshot(core).frames).toEqual([]);
  });

  it('a symbolic link to a regular file is followed; one to a FIFO is refused', () => {
    const dir = tempDir('paths');
    const file = writeFile(dir, 'real.csv', 'x');
    fs.symlinkSync(file, path.join(dir, 'link.csv'));
    expect(regularFile(path.join(dir, 'link.csv'), 'file')).toBe(path.join(dir, 'link.csv'));
    fs.symlinkSync(mkfifo(dir, 'pipe'), path.join(dir, 'pipe.csv'));
    expect(() => regularFile(path.join(dir, 'pipe.csv'), 'annotations file')).toThrow(/pipe\.csv is not a regular file \(it is a FIFO/);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file is INVALID_INPUT naming the path (permission denied)', () => {
    const dir = tempDir('paths');
    const file = writeFile(dir, 'secret.csv', 'x');
    fs.chmodSync(file, 0o000);
    expect(() => regularFile(file, 'annotations file')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(`${file} cannot be read: permission denied`) }),
    );
  });
});

/** Row 1 of the sample: vid_0007_t001.0 by coder_b, 3rd person / Public, coded 2025-02-19T22:55:20Z. */
const ROW1 = { frameId: 'vid_0007_t001.0', coderId: 'coder_b' };
const withRow1 = (pov: string, codedAt: string) =>
  editedSample((row, cells) => (row === 1 ? [cells[0]!, cells[1]!, cells[2]!, cells[3]!, pov, cells[5]!, codedAt] : cells));

describe('an older file never replaces newer codes silently', () => {
  it('keeps codes coded after the file, lists them, and replaces them only with replaceNewer', async () => {
    const { dir, core } = setup();
    await importFile(core, { file: SAMPLE });
    // The coder re-codes row 1 today: newer than anything in the file.
    saveFrameCodes(core.db, { ...ROW1, codes: { pov: 'no person', distance: 'Social' } });
    const before = snapshot(core);

    const report = await importFile(core, { file: SAMPLE });
    expect(codesOf(core.db, ROW1.frameId, ROW1.coderId)).toEqual({ pov: 'no person', distance: 'Social' });
    expect(snapshot(core)).toEqual(before);
    expect(report.changedCodes).toEqual({
      replaced: 0,
      kept: 2,
      list: [
        {
          row: 1,
          ...ROW1,
          dimension: 'pov',
          from: 'no person',
          to: '3rd person',
          currentCodedAt: expect.any(String),
          fileCodedAt: '2025-02-19T22:55:20.000Z',
          outcome: 'kept',
        },
        {
          row: 1,
          ...ROW1,
          dimension: 'distance',
          from: 'Social',
          to: 'Public',
          currentCodedAt: expect.any(String),
          fileCodedAt: '2025-02-19T22:55:20.000Z',
          outcome: 'kept',
        },
      ],
    });
    expect(Date.parse(report.changedCodes.list[0]!.currentCodedAt)).toBeGreaterThan(Date.parse('2025-02-20'));

    const forced = await importFile(core, { file: SAMPLE, replaceNewer: true });
    expect(forced.changedCodes).toMatchObject({
      replaced: 2,
      kept: 0,
      list: [{ outcome: 'replaced', from: 'no person', to: '3rd person' }, { outcome: 'replaced' }],
    });
    expect(codesOf(core.db, ROW1.frameId, ROW1.coderId)).toEqual({ pov: '3rd person', distance: 'Public' });
    // The replaced codes carry the file's time, and the history says an import changed them.
    expect(
      core.db
        .prepare('SELECT coded_at FROM codes WHERE frame_id = ? AND coder_id = ? AND dimension = ?')
        .get(ROW1.frameId, ROW1.coderId, 'pov'),
    ).toEqual({
      coded_at: '2025-02-19T22:55:20.000Z',
    });

    // A file newer than the home's code replaces it without asking, and says so.
    const newer = await importFile(core, { file: writeFile(dir, 'newer.csv', withRow1('1st person', '2030-01-01T00:00:00Z')) });
    expect(newer.changedCodes).toEqual({
      replaced: 1,
      kept: 0,
      list: [expect.objectContaining({ row: 1, dimension: 'pov', from: '3rd person', to: '1st person', outcome: 'replaced' })],
    });
    expect(codesOf(core.db, ROW1.frameId, ROW1.coderId).pov).toBe('1st person');
  });

  it('a row without coded_at is as old as the file (its modification time)', async () => {
    const { dir, core } = setup();
    await importFile(core, { file: SAMPLE });
    saveFrameCodes(core.db, { ...ROW1, codes: { pov: 'no person', distance: 'Public' } });
    const file = writeFile(dir, 'undated.csv', withRow1('1st person', ''));
    fs.utimesSync(file, new Date('2025-03-01T00:00:00Z'), new Date('2025-03-01T00:00:00Z'));
    const report = await importFile(core, { file });
    expect(report.changedCodes.list).toEqual([
      expect.objectContaining({ dimension: 'pov', fileCodedAt: '2025-03-01T00:00:00.000Z', outcome: 'kept' }),
    ]);
    expect(codesOf(core.db, ROW1.frameId, ROW1.coderId).pov).toBe('no person');
  });

  it('the owner looks again at codes saved while the job read the file', async () => {
    const { core } = setup();
    await importFile(core, { file: SAMPLE });
    const { plan, ...report } = planAnnotationsImport(core.db, core.home, { file: SAMPLE, replaceNewer: false });
    expect(plan!.codes).toEqual([]); // the home already holds the file
    // Between the job's look and the owner's write, coder_b's frame is re-coded and a blank filled.
    saveFrameCodes(core.db, { ...ROW1, codes: { pov: 'no person', distance: 'Public' } });
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: 'vid_0001_t001.0', codes: { pov: '3rd person', distance: 'Intimate' } });
    const written = core.db.transaction(() => applyAnnotationsImport(core.db, core.home, { ...report, plan })).immediate();
    expect(codesOf(core.db, ROW1.frameId, ROW1.coderId).pov).toBe('no person');
    // The filled blank is not queued again.
    expect(written.recodeQueue).toBe(report.recodeQueue - 1);
    expect(
      core.db
        .prepare(
          "SELECT resolved_at IS NOT NULL AS resolved FROM recode_queue WHERE frame_id = 'vid_0001_t001.0' AND coder_id = 'coder_a' AND dimension = 'pov'",
        )
        .get(),
    ).toEqual({ resolved: 1 });
  });

  it('frames created with another identity while the job read the file: CONFLICT, nothing written', async () => {
    const { dir, core } = setup();
    const file = writeFile(
      dir,
      'one.csv',
      'frame_id,video_id,timestamp_s,coder,pov,distance\r\nv_t001.0,v,1.0,coder_a,1st person,Social\r\n',
    );
    const result = planAnnotationsImport(core.db, core.home, { file });
    core.db.prepare("INSERT INTO videos (video_id, imported_at) VALUES ('v', 'x')").run();
    core.db.prepare("INSERT INTO frames (frame_id, video_id, timestamp_s, created_at) VALUES ('other', 'v', 1, 'x')").run();
    const before = snapshot(core);
    expect(() => core.db.transaction(() => applyAnnotationsImport(core.db, core.home, result)).immediate()).toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        message: expect.stringContaining('row 1: Video "v" at 1 s became frame "other" meanwhile'),
      }),
    );
    expect(snapshot(core)).toEqual(before);
  });
});

describe('a large import does not block the owner', () => {
  it('the owner answers other calls while the job reads a large file, and reports progress by rows', async () => {
    const { dir, core } = setup();
    // 60,000 rows (about 5 MB): the job checks them for a few seconds on this machine.
    const lines = ['frame_id,video_id,timestamp_s,coder,pov,distance,coded_at'];
    for (let i = 0; i < 60_000; i++) {
      const video = `vid_${String(Math.floor(i / 100)).padStart(5, '0')}`;
      const t = ((i % 100) + 1).toFixed(1);
      lines.push(`${video}_t${t.padStart(5, '0')},${video},${t},coder_a,1st person,Social,2025-02-19T22:55:20Z`);
    }
    const file = writeFile(dir, 'large.csv', lines.join('\n') + '\n');
    const stages: string[] = [];
    let answered: number | null = null;
    const checking = new Promise<void>((resolve) =>
      core.events.subscribe((e) => {
        if (e.type !== 'job.updated' || e.job.kind !== 'annotations.import') return;
        stages.push(e.job.progress.stage);
        if (e.job.progress.stage.startsWith('Checking rows')) resolve();
      }),
    );
    const report = importThroughJob(core, { file });
    await withTimeout(checking, 30_000, 'a "Checking rows" progress event');
    // Mid-import: another call is answered at once (before, the import held the owner for its whole run).
    const started = Date.now();
    await client(core).call('app.info', {});
    answered = Date.now() - started;
    expect((await report).rows).toBe(60_000);
    expect(answered).toBeLessThan(1000);
    expect(stages).toContainEqual(expect.stringMatching(/^Checking rows: [\d,]+ of 60,000$/));
  }, 60_000);
});
