import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { icrCommand } from '../../src/main/cli/commands/icr';
import { openCore } from '../../src/main/core/core';
import { csvIcrReport } from '../../src/main/core/icr/csvReport';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';
import type { FramelabError } from '../../src/shared/errors';
import { ICR_STATISTICS } from '../../src/shared/icr';
import { client, editedSample, importFile, writeFile } from '../annotations/fixtures';
import { openTestCore, runCleanup, runCli, tempDir } from '../helpers';
import { DISTANCE, KRIPPENDORFF_2011, SAMPLE } from './fixtures';

afterEach(runCleanup);

const CLI_TEST_MS = 30_000;
const TOP_KEYS = [
  'units',
  'unitsCompared',
  'coders',
  'percentAgreement',
  'cohenKappa',
  'weightedKappa',
  'krippendorffAlpha',
  'fleissKappa',
  'gwetAC1',
  'ci',
  'confusion',
  'notes',
  'details',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI output, checked field by field
function singleJsonLine(text: string): any {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

async function failure(args: string[], exitCode: number) {
  const res = await runCli([...args, '--json']);
  expect(res.stdout).toBe('');
  expect(res.code).toBe(exitCode);
  return singleJsonLine(res.stderr).error as { code: string; message: string };
}

describe('framelab icr --input (pure: no home is opened or locked)', () => {
  it(
    'prints exactly the report object for the lab snapshot, over the codebook order, with 1,000 resamples by default',
    async () => {
      const home = path.join(tempDir('icr-cli'), 'never-created');
      const res = await runCli(['icr', '--input', SAMPLE, '--dimension', 'distance', '--json', '--home', home]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const r = singleJsonLine(res.stdout);
      expect(Object.keys(r)).toEqual(TOP_KEYS);
      expect(Object.keys(r.weightedKappa)).toEqual(['linear', 'quadratic']);
      expect(Object.keys(r.krippendorffAlpha)).toEqual(['nominal', 'ordinal', 'interval', 'ratio']);
      expect(Object.keys(r.ci)).toEqual([...ICR_STATISTICS]);
      expect([r.units, r.unitsCompared, r.coders]).toEqual([67, 41, 2]);
      expect(r.cohenKappa).toBeCloseTo(0.7965261, 6);
      expect(r.krippendorffAlpha.ordinal).toBeCloseTo(0.9521037, 6);
      expect(r.weightedKappa.quadratic).toBeCloseTo(0.9310924, 6);
      expect(r.confusion.categories).toEqual(DISTANCE);
      expect(r.details).toMatchObject({
        order: 'codebook',
        level: 'ordinal',
        bootstrap: { resamples: 1000, seed: 1, resampling: 'units' },
      });
      expect(r.ci.cohenKappa[0]).toBeLessThan(r.cohenKappa);
      expect(fs.existsSync(home)).toBe(false);
    },
    CLI_TEST_MS,
  );

  it(
    'takes --categories and other column names, and prints plain words without --json',
    async () => {
      const dir = tempDir('icr-cli');
      const file = writeFile(
        dir,
        'renamed.csv',
        fs.readFileSync(KRIPPENDORFF_2011, 'utf8').replace('frame_id,coder,value', 'unit,rater,score'),
      );
      const res = await runCli([
        'icr',
        '--input',
        file,
        '--dimension',
        'score',
        '--unit-col',
        'unit',
        '--coder-col',
        'rater',
        '--categories',
        '1,2,3,4,5',
        '--bootstrap',
        '200',
        '--home',
        dir,
      ]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/^score: 12 units, 11 with two or more codes, 4 coders \(A, B, C, D\)$/m);
      expect(res.stdout).toMatch(/^Krippendorff's alpha, interval +0\.849 {2}\[[0-9.]+, [0-9.]+\]$/m);
      expect(res.stdout).toContain('cohenKappa, weightedKappa.linear, weightedKappa.quadratic: null — applies to exactly two coders');
    },
    CLI_TEST_MS,
  );

  it('csvIcrReport: other columns, --by-video groups, seeds, and lexicographic order without --categories', () => {
    const dir = tempDir('icr-csv');
    const file = writeFile(
      dir,
      'renamed.csv',
      fs.readFileSync(KRIPPENDORFF_2011, 'utf8').replace('frame_id,coder,value', 'unit,rater,score'),
    );
    const options = {
      file,
      dimension: 'score',
      unitCol: 'unit',
      coderCol: 'rater',
      categories: ['1', '2', '3', '4', '5'],
      bootstrap: 200,
      seed: 9,
      home: dir,
    };
    const a = csvIcrReport(options);
    expect(a).toEqual(csvIcrReport(options));
    expect(a.ci).not.toEqual(csvIcrReport({ ...options, seed: 10 }).ci);
    expect(a.details).toMatchObject({ order: 'declared', level: null, bootstrap: { resamples: 200, seed: 9 } });
    const plain = csvIcrReport({ ...options, categories: undefined, bootstrap: 0 });
    expect(plain.details.order).toBe('lexicographic');
    expect(plain.krippendorffAlpha.ordinal).toBeNull();
    expect(plain.notes[0]).toMatch(/^No category order was declared/);
    const byVideo = csvIcrReport({
      file: SAMPLE,
      dimension: 'pov',
      unitCol: 'frame_id',
      coderCol: 'coder',
      groupCol: 'video_id',
      bootstrap: 100,
      seed: 1,
      home: dir,
    });
    expect(byVideo.details.bootstrap).toMatchObject({ resampling: 'groups', draws: 18 });
    expect(fs.readdirSync(dir)).toEqual(['renamed.csv']);
  });

  it(
    "reads the home's codebook read-only while another process owns the home",
    async () => {
      const home = tempDir('icr-cli');
      const core = openTestCore(home);
      await client(core).call('codebook.change', { change: { op: 'addCategory', dimension: 'distance', value: 'Remote', shortcut: 'g' } });
      const res = await runCli(['icr', '--input', SAMPLE, '--dimension', 'distance', '--bootstrap', '0', '--json', '--home', home]);
      expect(res.code).toBe(0);
      const r = singleJsonLine(res.stdout);
      expect(r.details.categories).toEqual([...DISTANCE, 'Remote']);
      expect(r.confusion.matrix).toHaveLength(5);
      // Without --input the same home is the owner's: the command refuses.
      expect((await failure(['icr', '--dimension', 'distance', '--home', home], 1)).code).toBe('HOME_LOCKED');
    },
    CLI_TEST_MS,
  );

  it(
    'names the missing column, the empty file, the dimension without codes and the value outside --categories',
    async () => {
      const dir = tempDir('icr-cli');
      const globals = { home: dir, json: true };
      const run = async (args: string[]) => {
        try {
          await icrCommand.run(args, globals);
        } catch (err) {
          return err as FramelabError;
        }
        throw new Error(`icr ${args.join(' ')} did not fail`);
      };
      const col = await run(['--input', SAMPLE, '--dimension', 'gaze']);
      expect(col).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('annotations_sample.csv has no "gaze" column') });
      expect((await run(['--input', writeFile(dir, 'empty.csv', ''), '--dimension', 'pov'])).message).toContain('empty.csv is empty');
      const blank = writeFile(
        dir,
        'blank.csv',
        editedSample((_, cells) => [...cells.slice(0, 4), '', ...cells.slice(5)]),
      );
      expect((await run(['--input', blank, '--dimension', 'pov'])).message).toBe(
        'blank.csv has no codes in its pov column: every cell is empty.',
      );
      expect((await run(['--input', SAMPLE])).message).toContain('icr needs --dimension');
      expect((await run(['--input', path.join(dir, 'nope.csv'), '--dimension', 'pov'])).code).toBe('NOT_FOUND');
      expect((await run(['--dimension', 'pov', '--by-video', 'vid'])).message).toContain('--by-video video_id');
      expect((await run(['--dimension', 'pov', '--bootstrap', 'many'])).message).toContain('--bootstrap must be a whole number');
      // Through the real CLI: the envelope on stderr, exit 2, the row and column named.
      const outside = await failure(
        ['icr', '--input', SAMPLE, '--dimension', 'pov', '--categories', '1st person,2nd person,3rd person', '--home', dir],
        2,
      );
      expect(outside.code).toBe('INVALID_INPUT');
      expect(outside.message).toMatch(
        /row \d+, column pov: "no person" is not one of the categories \(1st person, 2nd person, 3rd person\)/,
      );
    },
    CLI_TEST_MS,
  );
});

describe('icr.report and framelab icr on the project', () => {
  it('reports the imported codes like the CSV does; videos group the bootstrap; unknown or uncoded dimensions are refused', async () => {
    const home = tempDir('icr-api');
    const core = openTestCore(home);
    expect((await importFile(core, { file: SAMPLE })).errors).toEqual([]);
    const api = client(core);
    const pov = await api.call('icr.report', { dimension: 'pov', bootstrap: 100, byVideo: true });
    expect(pov.percentAgreement).toBeCloseTo(0.94, 6);
    expect(pov.cohenKappa).toBeCloseTo(0.9164811, 6);
    expect(pov.gwetAC1).toBeCloseTo(0.9206462, 6);
    expect(pov.details).toMatchObject({
      order: 'codebook',
      level: 'nominal',
      coders: ['coder_a', 'coder_b'],
      bootstrap: { resampling: 'groups', draws: 18 },
    });
    const distance = await api.call('icr.report', { dimension: 'distance', bootstrap: 0 });
    expect(distance.krippendorffAlpha.ordinal).toBeCloseTo(0.9521037, 6);
    expect(distance.weightedKappa.linear).toBeCloseTo(0.8713389, 6);

    await expect(api.call('icr.report', { dimension: 'gaze' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await api.call('codebook.change', { change: { op: 'addDimension', name: 'gaze', label: 'Gaze', level: 'nominal' } });
    await expect(api.call('icr.report', { dimension: 'gaze' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no codes of gaze'),
    });
    await expect(api.call('icr.report', { dimension: 'pov', categories: ['1st person'] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/\npov: frame "[^"]+", coder_[ab]: "[^"]+" is not one of the categories \(1st person\)/),
    });
  });

  it(
    'framelab icr without --input asks the project and prints the same figures as --input on the same file',
    async () => {
      const home = tempDir('icr-cli');
      const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
      try {
        expect((await importFile(core, { file: SAMPLE })).errors).toEqual([]);
      } finally {
        core.close();
      }
      const project = await runCli(['icr', '--dimension', 'distance', '--bootstrap', '50', '--seed', '3', '--json', '--home', home]);
      expect(project.stderr).toBe('');
      expect(project.code).toBe(0);
      const p = singleJsonLine(project.stdout);
      const f = csvIcrReport({ file: SAMPLE, dimension: 'distance', unitCol: 'frame_id', coderCol: 'coder', bootstrap: 50, seed: 3, home });
      expect(Object.keys(p)).toEqual([...TOP_KEYS, 'annotationsSource']);
      expect(p.annotationsSource).toEqual({ kind: 'local', generation: null, syncedAt: null });
      for (const key of [
        'units',
        'unitsCompared',
        'coders',
        'percentAgreement',
        'cohenKappa',
        'weightedKappa',
        'krippendorffAlpha',
        'fleissKappa',
        'gwetAC1',
        'confusion',
      ]) {
        expect(p[key], key).toEqual(f[key as keyof typeof f]);
      }
    },
    CLI_TEST_MS,
  );
});
