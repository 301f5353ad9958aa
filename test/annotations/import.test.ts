import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { framesAwaitingExtraction } from '../../src/main/core/annotations/images';
import { codesOf, saveFrameCodes } from '../../src/main/core/coding/codes';
import { codingQueue } from '../../src/main/core/coding/queue';
import type { JobContext } from '../../src/main/core/jobs/context';
import { runIntegrityCheck, type IntegrityCheckpoint } from '../../src/main/core/workspace/integrity';
import type { FramelabEvent } from '../../src/shared/events';
import { openTestCore, runCleanup, sha256, tempDir } from '../helpers';
import {
  client,
  codeTuples,
  editedSample,
  importFile,
  importThroughJob,
  SAMPLE,
  SAMPLE_REPORT,
  sampleRecords,
  sampleText,
  snapshot,
  writeFile,
} from './fixtures';

afterEach(runCleanup);

function setup() {
  const dir = tempDir('annotations');
  const core = openTestCore(path.join(dir, 'home'));
  return { dir, core };
}

/** Imports a variant of the sample and returns its report. */
async function importText(core: ReturnType<typeof setup>['core'], dir: string, text: string, extra: { map?: string[] } = {}) {
  return importFile(core, { file: writeFile(dir, `variant-${Math.random().toString(36).slice(2)}.csv`, text), ...extra });
}

const historyCount = (core: ReturnType<typeof setup>['core']) =>
  (core.db.prepare('SELECT count(*) AS n FROM code_history').get() as { n: number }).n;

describe('annotations import: the sample', () => {
  it('imports the sample with 3 missing pov and 12 missing distance codes in the re-code queue (as a job with progress)', async () => {
    const { core } = setup();
    const events: FramelabEvent[] = [];
    core.events.subscribe((e) => void events.push(e));
    const report = await importThroughJob(core, { file: SAMPLE });
    expect(report).toEqual(SAMPLE_REPORT);
    // The file was read in a job process: its progress came as events, its report is the job's
    // result (the plan the owner wrote is not kept).
    const updates = events.flatMap((e) => (e.type === 'job.updated' && e.job.kind === 'annotations.import' ? [e.job] : []));
    expect(updates.some((j) => j.status === 'running' && j.progress.stage !== '')).toBe(true);
    const done = updates.at(-1)!;
    expect(done).toMatchObject({ status: 'succeeded', result: SAMPLE_REPORT });
    expect(done.result).not.toHaveProperty('plan');
    expect((await client(core).call('jobs.get', { jobId: done.id })).job.result).toEqual(SAMPLE_REPORT);

    const queue = core.db
      .prepare('SELECT dimension, count(*) AS n FROM recode_queue WHERE resolved_at IS NULL GROUP BY dimension ORDER BY dimension')
      .all();
    expect(queue).toEqual([
      { dimension: 'distance', n: 12 },
      { dimension: 'pov', n: 3 },
    ]);
    const tables = snapshot(core);
    expect(tables.codes).toHaveLength(117 + 108);
    expect(tables.frames).toHaveLength(67);
    expect(tables.videos).toHaveLength(18);
    expect(tables.coders).toEqual([
      { coder_id: 'coder_a', role: 'coder' },
      { coder_id: 'coder_b', role: 'coder' },
    ]);
    // Every frame goes to each coder with a row for it; the 53 double-coded frames are the overlap set.
    expect(tables.assignments).toHaveLength(120);
    expect(tables.assignments.filter((a) => (a as { overlap: number }).overlap === 1)).toHaveLength(106);
    // Codes carry the file's coded_at; the history says they came from an import.
    expect(core.db.prepare("SELECT coded_at FROM codes WHERE frame_id = 'vid_0007_t001.0' AND coder_id = 'coder_b' LIMIT 1").get()).toEqual(
      {
        coded_at: '2025-02-19T22:55:20.000Z',
      },
    );
    expect(core.db.prepare('SELECT DISTINCT source FROM code_history').all()).toEqual([{ source: 'import' }]);
    expect(events).toContainEqual({ type: 'data.changed', topics: expect.arrayContaining(['codes', 'frames', 'coders']) });
  });

  it('round trip: export gives back the same (frame_id, coder, pov, distance), blanks as empty cells', async () => {
    const { core, dir } = setup();
    await importFile(core, { file: SAMPLE });
    fs.mkdirSync(path.join(dir, 'exports')); // an export goes into a folder that exists
    const out = path.join(dir, 'exports', 'annotations.csv');
    expect(await client(core).call('annotations.export', { out })).toEqual({ rows: 120, file: out });
    const exported = parseCsv(fs.readFileSync(out, 'utf8'));
    expect(exported.problems).toEqual([]);
    const input = sampleRecords();
    expect(exported.records[0]).toEqual(['frame_id', 'video_id', 'timestamp_s', 'coder', 'pov', 'distance', 'coded_at']);
    expect(codeTuples(exported.records)).toEqual(codeTuples(input));
    // Even the other columns come back as the lab wrote them (1.0, 10.0, ...Z), sorted by frame then coder.
    expect(
      exported.records
        .slice(1)
        .map((r) => r.join(','))
        .sort(),
    ).toEqual(
      input
        .slice(1)
        .map((r) => r.join(','))
        .sort(),
    );
    const keys = exported.records.slice(1).map((r) => `${r[0]} ${r[3]}`);
    expect(keys).toEqual([...keys].sort());
    expect(fs.readdirSync(path.dirname(out))).toEqual(['annotations.csv']); // no temp file left

    // Importing the export into a fresh home gives the same state.
    const other = openTestCore(path.join(dir, 'home2'));
    expect(await importFile(other, { file: out })).toEqual(SAMPLE_REPORT);
    expect(snapshot(other).codes).toEqual(snapshot(core).codes);
  });

  it('a second import of the same file changes nothing: no history, same queue, same report', async () => {
    const { core } = setup();
    const first = await importFile(core, { file: SAMPLE });
    const before = snapshot(core);
    const second = await importFile(core, { file: SAMPLE });
    expect(second).toEqual(first);
    expect(snapshot(core)).toEqual(before);
  });

  it('a BOM, CRLF or LF, every field quoted and an extra column with commas import identically', async () => {
    const { dir } = setup();
    const [head, ...rows] = sampleRecords();
    const quote = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
    const withNote = [quote([...head!, 'note']), ...rows.map((r, i) => quote([...r, i % 3 ? `n${i}, checked "twice"` : 'two\r\nlines']))];
    const variants = {
      quotedCrlfBom: '\uFEFF' + withNote.join('\r\n') + '\r\n',
      lfNoFinalNewline: sampleText().replace(/\r\n/g, '\n').trimEnd(),
    };
    const reference = openTestCore(path.join(dir, 'reference'));
    await importFile(reference, { file: SAMPLE });
    // Creation times, batch ids and the file name in a queue entry's reason differ; nothing else may.
    const comparable = (s: ReturnType<typeof snapshot>) => ({
      ...s,
      frames: s.frames.map((f) => ({ ...(f as object), created_at: 0 })),
      history: s.history.length,
      recode: s.recode.map((r) => ({ ...(r as object), reason: 0, created_at: 0 })),
    });
    for (const [name, text] of Object.entries(variants)) {
      const home = openTestCore(path.join(dir, name));
      expect(await importText(home, dir, text), name).toEqual(SAMPLE_REPORT);
      expect(comparable(snapshot(home)), name).toEqual(comparable(snapshot(reference)));
      // And into the home that already has the sample: nothing changes.
      expect(await importText(reference, dir, text)).toEqual(SAMPLE_REPORT);
    }
    expect(historyCount(reference)).toBe(117 + 108);
  });
});

describe('annotations import: bad input is reported row by row and imports nothing', () => {
  it('an unknown category is an error with row and column; with --map old=new it imports', async () => {
    const { core, dir } = setup();
    const text = editedSample((row, cells) => {
      if (row === 2) cells[4] = 'first person';
      if (row === 7) cells[5] = 'Far';
      return cells;
    });
    const before = snapshot(core);
    const report = await importText(core, dir, text);
    expect(report.errors).toEqual([
      { row: 2, column: 'pov', message: expect.stringContaining('"first person" is not a pov category') },
      { row: 7, column: 'distance', message: expect.stringContaining('"Far" is not a distance category') },
    ]);
    expect(report.errors[0]!.message).toContain('--map');
    expect(report).toMatchObject({ rows: 120, recodeQueue: 0, imagesMissing: 0 });
    expect(snapshot(core)).toEqual(before);

    const mapped = await importText(core, dir, text, { map: ['first person=1st person', 'Far=Public'] });
    expect(mapped).toEqual(SAMPLE_REPORT);
    // Row 2 is vid_0014_t010.0 by coder_a (1st person in the sample); row 7 is vid_0003_t010.0 by coder_a.
    expect(codesOf(core.db, 'vid_0014_t010.0', 'coder_a').pov).toBe('1st person');
    expect(codesOf(core.db, 'vid_0003_t010.0', 'coder_a').distance).toBe('Public');
  });

  it('a mapping must name a real category, else the import is refused as a usage error', async () => {
    const { core } = setup();
    await expect(importFile(core, { file: SAMPLE, map: ['x=Nowhere'] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('"Nowhere" is not a category'),
    });
    await expect(importFile(core, { file: SAMPLE, map: ['no-equals'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(importFile(core, { file: '/no/such/annotations.csv' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(importFile(core, { file: 'relative.csv' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(snapshot(core).codes).toEqual([]);
  });

  it('names every bad row: duplicates, bad timestamps, frame id mismatches, blank coders and frame ids, case slips, bad dates', async () => {
    const { core, dir } = setup();
    const text = editedSample((row, cells) => {
      if (row === 3) cells[2] = 'four'; // bad timestamp
      if (row === 4) cells[2] = '-1';
      if (row === 5) cells[2] = '2.0'; // frame id says 1.0
      if (row === 6) cells[3] = ''; // blank coder
      if (row === 8) cells[4] = '3rd Person'; // case only
      if (row === 9) cells[5] = ' Personal'; // a space only
      if (row === 10) cells[6] = '19/02/2025';
      if (row === 12) cells[1] = 'vid_9999';
      if (row === 13) cells[0] = '';
      return cells;
    });
    // Row 121: row 1 again (same frame and coder).
    const duplicate = text + sampleRecords()[1]!.join(',') + '\r\n';
    const before = snapshot(core);
    const report = await importText(core, dir, duplicate);
    expect(report.errors.map(({ row, column }) => ({ row, column }))).toEqual([
      { row: 3, column: 'timestamp_s' },
      { row: 4, column: 'timestamp_s' },
      { row: 5, column: 'frame_id' },
      { row: 6, column: 'coder' },
      { row: 8, column: 'pov' },
      { row: 9, column: 'distance' },
      { row: 10, column: 'coded_at' },
      { row: 12, column: 'frame_id' },
      { row: 13, column: 'frame_id' },
      { row: 121, column: 'frame_id' },
    ]);
    const message = (row: number) => report.errors.find((e) => e.row === row)!.message;
    expect(message(3)).toContain('"four" is not a time in seconds');
    expect(message(5)).toContain('should be "vid_0015_t002.0"');
    expect(message(6)).toContain('coder is blank');
    expect(message(8)).toContain('did you mean "3rd person"');
    expect(message(9)).toContain('did you mean "Personal"');
    expect(message(10)).toContain('not an ISO 8601 date');
    expect(message(12)).toContain('should be "vid_9999_t010.0"');
    expect(message(13)).toContain('frame_id is blank');
    expect(message(121)).toContain('already in row 1');
    expect(snapshot(core)).toEqual(before);
  });

  it('a missing required column is named on row 0', async () => {
    const { core, dir } = setup();
    const noDistance = editedSample(
      (_row, cells) => cells.filter((_, i) => i !== 5),
      (head) => head.filter((h) => h !== 'distance'),
    );
    const report = await importText(core, dir, noDistance);
    expect(report.errors).toEqual([{ row: 0, column: 'distance', message: expect.stringContaining('no distance column') }]);
    const noCoder = editedSample(
      (_row, cells) => cells.filter((_, i) => i !== 3),
      (head) => head.filter((h) => h !== 'coder'),
    );
    expect((await importText(core, dir, noCoder)).errors[0]).toMatchObject({ row: 0, column: 'coder' });
    expect((await importText(core, dir, '')).errors).toEqual([{ row: 0, column: '', message: expect.stringContaining('empty') }]);
    expect(snapshot(core).frames).toEqual([]);
  });

  it('video_id, timestamp_s and coded_at are optional: ids and times come from frame_id', async () => {
    const { core, dir } = setup();
    const minimal = editedSample(
      (_row, cells) => [cells[0]!, cells[3]!, cells[4]!, cells[5]!],
      () => ['frame_id', 'coder', 'pov', 'distance'],
    );
    const report = await importText(core, dir, minimal);
    expect(report).toEqual(SAMPLE_REPORT);
    expect(core.db.prepare("SELECT video_id, timestamp_s FROM frames WHERE frame_id = 'vid_0014_t010.0'").get()).toEqual({
      video_id: 'vid_0014',
      timestamp_s: 10,
    });
    const odd = await importText(core, dir, 'frame_id,coder,pov,distance\r\nframe-7,coder_a,1st person,Social\r\n');
    expect(odd.errors).toEqual([{ row: 1, column: 'frame_id', message: expect.stringContaining('fill in video_id and timestamp_s') }]);
  });

  it('an import with errors after a good one leaves the good data untouched', async () => {
    const { core, dir } = setup();
    await importFile(core, { file: SAMPLE });
    const before = snapshot(core);
    const text = editedSample((row, cells) => {
      if (row === 1) cells[4] = '2nd person'; // a real change, which must not land either
      if (row === 60) cells[5] = 'Very far';
      return cells;
    });
    const report = await importText(core, dir, text);
    expect(report.errors).toEqual([{ row: 60, column: 'distance', message: expect.any(String) }]);
    expect(snapshot(core)).toEqual(before);
  });
});

describe('annotations import: blanks and the re-code queue', () => {
  it('a blank cell never deletes or blanks an existing code, and queues nothing for it', async () => {
    const { core, dir } = setup();
    await importFile(core, { file: SAMPLE });
    const before = snapshot(core);
    // Row 1 is vid_0007_t001.0 by coder_b: 3rd person, Public. Blank both.
    const blanked = editedSample((row, cells) => (row === 1 ? [cells[0]!, cells[1]!, cells[2]!, cells[3]!, '', '', cells[6]!] : cells));
    const report = await importText(core, dir, blanked);
    expect(report).toEqual({ ...SAMPLE_REPORT, codes: { pov: 116, distance: 107 }, missing: { pov: 4, distance: 13 } });
    expect(codesOf(core.db, 'vid_0007_t001.0', 'coder_b')).toEqual({ pov: '3rd person', distance: 'Public' });
    expect(snapshot(core)).toEqual(before);
  });

  it('re-code entries go to their coder, show in that coder’s queue and leave it when the coder saves the frame', async () => {
    const { core } = setup();
    await importFile(core, { file: SAMPLE });
    const { entries } = await client(core).call('recode.list', {});
    expect(entries).toHaveLength(15);
    expect(entries).toContainEqual({
      frameId: 'vid_0001_t001.0',
      coderId: 'coder_a',
      dimension: 'pov',
      reason: 'blank cell in annotations_sample.csv row 11',
      createdAt: expect.any(String),
    });
    const perCoder = Object.fromEntries(
      await Promise.all(
        ['coder_a', 'coder_b'].map(async (c) => [c, (await client(core).call('recode.list', { coderId: c })).entries] as const),
      ),
    );
    expect(perCoder.coder_a!.length + perCoder.coder_b!.length).toBe(15);
    for (const [coderId, list] of Object.entries(perCoder)) {
      expect(list.every((e) => e.coderId === coderId)).toBe(true);
      const queue = codingQueue(core.db, coderId, 'recode');
      const expected = new Map<string, string[]>();
      for (const e of list) expected.set(e.frameId, [...(expected.get(e.frameId) ?? []), e.dimension]);
      expect(new Map(queue.frames.map((f) => [f.frameId, [...f.recode].sort()]))).toEqual(
        new Map([...expected].map(([f, dims]) => [f, dims.sort()])),
      );
    }
    await expect(client(core).call('recode.list', { coderId: 'nobody' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // coder_a re-codes vid_0001_t001.0 (pov was blank, distance Intimate).
    expect(codingQueue(core.db, 'coder_a', 'recode').frames.map((f) => f.frameId)).toContain('vid_0001_t001.0');
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: 'vid_0001_t001.0', codes: { pov: '3rd person', distance: 'Intimate' } });
    expect(codingQueue(core.db, 'coder_a', 'recode').frames.map((f) => f.frameId)).not.toContain('vid_0001_t001.0');
    expect((await client(core).call('recode.list', {})).entries).toHaveLength(14);

    // The lab's file still has the blank: importing it again neither blanks the new code nor re-queues it.
    const again = await importFile(core, { file: SAMPLE });
    expect(again.recodeQueue).toBe(14);
    expect(codesOf(core.db, 'vid_0001_t001.0', 'coder_a')).toEqual({ pov: '3rd person', distance: 'Intimate' });
    expect((await client(core).call('recode.list', {})).entries).toHaveLength(14);
  });
});

/** A JobContext that records nothing and is never cancelled. */
const quietContext: JobContext<IntegrityCheckpoint> = {
  jobId: 'job_test',
  checkpoint: null,
  progress: () => undefined,
  log: () => undefined,
  saveCheckpoint: () => undefined,
  cancelled: false,
  throwIfCancelled: () => undefined,
};

describe('annotations import: images', () => {
  it('links frames to <frame_id>.jpg|png in --frames DIR, and a later import links the rest', async () => {
    const { core, dir } = setup();
    const frames = path.join(dir, 'frames');
    fs.mkdirSync(frames);
    const bytes = (id: string) => Buffer.from(`image of ${id}`);
    writeFile(frames, 'vid_0007_t001.0.jpg', bytes('vid_0007_t001.0'));
    writeFile(frames, 'vid_0014_t010.0.png', bytes('vid_0014_t010.0'));
    writeFile(frames, 'vid_0001_t004.0.JPG', bytes('vid_0001_t004.0'));
    writeFile(frames, 'not_in_file_t001.0.jpg', bytes('x'));
    writeFile(frames, 'notes.txt', 'ignored');

    const first = await importFile(core, { file: SAMPLE, framesDir: frames });
    expect(first).toEqual({ ...SAMPLE_REPORT, imagesMissing: 64 });
    const image = (id: string) =>
      (core.db.prepare('SELECT image_path FROM frames WHERE frame_id = ?').get(id) as { image_path: string | null }).image_path;
    expect(image('vid_0007_t001.0')).toBe('frames/vid_0007/vid_0007_t001.0.jpg');
    expect(image('vid_0014_t010.0')).toBe('frames/vid_0014/vid_0014_t010.0.png');
    expect(image('vid_0001_t004.0')).toBe('frames/vid_0001/vid_0001_t004.0.jpg');
    expect(image('vid_0009_t001.0')).toBeNull();
    expect(snapshot(core).storedFiles).toEqual(
      ['vid_0001_t004.0', 'vid_0007_t001.0', 'vid_0014_t010.0'].map((id) => ({
        path: `frames/${id.slice(0, 8)}/${id}.${id === 'vid_0014_t010.0' ? 'png' : 'jpg'}`,
        sha256: sha256(bytes(id)),
      })),
    );
    expect(fs.readFileSync(path.join(core.home.filesDir, 'frames/vid_0007/vid_0007_t001.0.jpg'))).toEqual(bytes('vid_0007_t001.0'));
    expect(core.db.prepare("SELECT count(*) AS n FROM frames WHERE frame_id LIKE 'not_in_file%'").get()).toEqual({ n: 0 });

    // The rest arrive later: every frame without an image gets one; linked ones keep theirs.
    for (const [frameId] of new Map(
      sampleRecords()
        .slice(1)
        .map((r) => [r[0]!, true]),
    )) {
      writeFile(frames, `${frameId}.jpg`, bytes(`${frameId} v2`));
    }
    const second = await importFile(core, { file: SAMPLE, framesDir: frames });
    expect(second).toEqual({ ...SAMPLE_REPORT, imagesMissing: 0 });
    expect(image('vid_0014_t010.0')).toBe('frames/vid_0014/vid_0014_t010.0.png');
    expect(snapshot(core).storedFiles).toHaveLength(67);
    expect(historyCount(core)).toBe(117 + 108); // images change no code

    const integrity = await runIntegrityCheck(quietContext, core.db, core.home, { hashFiles: true });
    expect(integrity).toMatchObject({ ok: true, files: { total: 67, ok: 67, missing: [], mismatched: [] } });
    expect(integrity.foreignKeys.ok).toBe(true);
  });

  it('refuses a frames folder that does not exist; lists frames an imported video could supply', async () => {
    const { core, dir } = setup();
    await expect(importFile(core, { file: SAMPLE, framesDir: path.join(dir, 'nope') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(snapshot(core).frames).toEqual([]);
    await importFile(core, { file: SAMPLE });
    expect(framesAwaitingExtraction(core.db)).toEqual([]);
    core.db.prepare("UPDATE videos SET path = '/videos/vid_0007.mp4' WHERE video_id = 'vid_0007'").run();
    const awaiting = framesAwaitingExtraction(core.db);
    expect(awaiting.length).toBeGreaterThan(0);
    expect(awaiting.every((f) => f.videoId === 'vid_0007' && f.videoPath === '/videos/vid_0007.mp4')).toBe(true);
  });
});

describe('annotations export', () => {
  it('writes only the header for a home without codes, and refuses a relative path or a folder', async () => {
    const { core, dir } = setup();
    const out = path.join(dir, 'empty.csv');
    expect(await client(core).call('annotations.export', { out })).toEqual({ rows: 0, file: out });
    expect(fs.readFileSync(out, 'utf8')).toBe('frame_id,video_id,timestamp_s,coder,pov,distance,coded_at\r\n');
    await expect(client(core).call('annotations.export', { out: 'relative.csv' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(client(core).call('annotations.export', { out: dir })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('writes a frame × coder with a code saved in the app, its latest coded_at, blanks as empty cells', async () => {
    const { core, dir } = setup();
    await importText(core, dir, 'frame_id,coder,pov,distance\r\nv_t001.0,coder_a,1st person,\r\nv_t002.0,coder_a,,\r\n');
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: 'v_t002.0', codes: { pov: 'no person', distance: 'Public' } });
    const out = path.join(dir, 'out.csv');
    expect((await client(core).call('annotations.export', { out })).rows).toBe(2);
    const [, first, second] = parseCsv(fs.readFileSync(out, 'utf8')).records;
    expect(first!.slice(0, 6)).toEqual(['v_t001.0', 'v', '1.0', 'coder_a', '1st person', '']);
    expect(second!.slice(0, 6)).toEqual(['v_t002.0', 'v', '2.0', 'coder_a', 'no person', 'Public']);
    expect(Date.parse(second![6]!)).toBeGreaterThan(Date.now() - 60_000);
  });
});
