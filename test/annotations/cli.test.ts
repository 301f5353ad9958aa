import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCleanup, runCli, tempDir, singleJsonLine } from '../helpers';
import { editedSample, SAMPLE, SAMPLE_REPORT, sampleRecords, writeFile } from './fixtures';

afterEach(runCleanup);

const CLI_TEST_MS = 30_000;

describe('framelab annotations', () => {
  it(
    'import lists changed codes; an older file keeps the newer ones unless --replace-newer',
    async () => {
      const dir = tempDir('annotations-cli');
      const home = path.join(dir, 'home');
      // Row 1 (vid_0007_t001.0 by coder_b, 3rd person) re-coded in 2030: newer than the sample.
      const newer = writeFile(
        dir,
        'newer.csv',
        editedSample((row, cells) => (row === 1 ? [...cells.slice(0, 4), 'no person', cells[5]!, '2030-01-01T00:00:00Z'] : cells)),
      );
      expect((await runCli(['annotations', 'import', newer, '--json', '--home', home])).code).toBe(0);
      const older = await runCli(['annotations', 'import', SAMPLE, '--home', home]);
      expect(older.code).toBe(0);
      expect(older.stdout).toContain(
        "changed codes: 0 replaced, 1 kept because the home's code is newer (import with --replace-newer to replace them too)",
      );
      expect(older.stdout).toContain(
        'row 1: vid_0007_t001.0 coder_b pov: no person → 3rd person kept no person (coded 2030-01-01T00:00:00.000Z',
      );
      const forced = await runCli(['annotations', 'import', SAMPLE, '--replace-newer', '--json', '--home', home]);
      expect(singleJsonLine(forced.stdout).changedCodes).toEqual({
        replaced: 1,
        kept: 0,
        list: [expect.objectContaining({ row: 1, dimension: 'pov', from: 'no person', to: '3rd person', outcome: 'replaced' })],
      });
    },
    CLI_TEST_MS,
  );

  it(
    'import --json prints exactly the counts object and exits 0; export and recode list follow',
    async () => {
      const dir = tempDir('annotations-cli');
      const home = path.join(dir, 'home');
      const res = await runCli(['annotations', 'import', SAMPLE, '--json', '--home', home]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const report = singleJsonLine(res.stdout);
      expect(report).toEqual(SAMPLE_REPORT);
      expect(Object.keys(report)).toEqual([
        'rows',
        'frames',
        'coders',
        'codes',
        'missing',
        'recodeQueue',
        'imagesMissing',
        'changedCodes',
        'errors',
      ]);
      expect(Object.keys(report.codes)).toEqual(['pov', 'distance']);
      expect(Object.keys(report.missing)).toEqual(['pov', 'distance']);

      // A relative --out is resolved against the shell's folder (the CLI runs in the repo root).
      fs.mkdirSync(path.join(dir, 'export'));
      const out = path.join(dir, 'export', 'annotations.csv');
      const exported = await runCli(['annotations', 'export', '--out', path.relative(REPO_ROOT, out), '--json', '--home', home]);
      expect(exported.code).toBe(0);
      expect(singleJsonLine(exported.stdout)).toEqual({ rows: 120, file: out });
      // A second export is refused without --overwrite (the file kept as it is), and replaces it with.
      fs.appendFileSync(out, 'mine\r\n');
      const refused = await runCli(['annotations', 'export', '--out', out, '--json', '--home', home]);
      expect(refused.code).not.toBe(0);
      expect(JSON.parse(refused.stderr).error).toMatchObject({
        code: 'CONFLICT',
        message: `${out} exists; pass overwrite (CLI: --overwrite) to replace it.`,
      });
      expect(fs.readFileSync(out, 'utf8')).toMatch(/mine\r\n$/);
      const replaced = await runCli(['annotations', 'export', '--out', out, '--overwrite', '--json', '--home', home]);
      expect(replaced.code, replaced.stderr).toBe(0);
      const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\r\n');
      expect(lines).toHaveLength(121);
      expect(lines.slice(1).sort()).toEqual(
        sampleRecords()
          .slice(1)
          .map((r) => r.join(','))
          .sort(),
      );

      const recode = await runCli(['recode', 'list', '--coder', 'coder_a', '--json', '--home', home]);
      expect(recode.code).toBe(0);
      const { entries } = singleJsonLine(recode.stdout);
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.every((e: { coderId: string }) => e.coderId === 'coder_a')).toBe(true);
    },
    CLI_TEST_MS,
  );

  it(
    'import with bad rows exits 1, prints every error (JSON on stdout, or one line per error) and imports nothing',
    async () => {
      const dir = tempDir('annotations-cli');
      const home = path.join(dir, 'home');
      const bad = writeFile(
        dir,
        'bad.csv',
        editedSample((row, cells) => {
          if (row === 2) cells[4] = 'first person';
          if (row === 5) cells[2] = 'soon';
          return cells;
        }),
      );
      const json = await runCli(['annotations', 'import', bad, '--json', '--home', home]);
      expect(json.code).toBe(1);
      const report = singleJsonLine(json.stdout);
      expect(report.errors).toEqual([
        { row: 2, column: 'pov', message: expect.stringContaining('"first person" is not a pov category') },
        { row: 5, column: 'timestamp_s', message: expect.stringContaining('"soon" is not a time') },
      ]);
      expect(Object.keys(report)).toEqual([
        'rows',
        'frames',
        'coders',
        'codes',
        'missing',
        'recodeQueue',
        'imagesMissing',
        'changedCodes',
        'errors',
      ]);

      const plain = await runCli(['annotations', 'import', bad, '--map', 'first person=1st person', '--home', home]);
      expect(plain.code).toBe(1);
      expect(plain.stdout).toContain('nothing was imported');
      expect(plain.stdout).toMatch(/^row 5, column timestamp_s: timestamp_s "soon" is not a time/m);
      expect(plain.stdout).not.toContain('row 2,');

      const empty = await runCli(['annotations', 'export', '--out', path.join(dir, 'out.csv'), '--json', '--home', home]);
      expect(singleJsonLine(empty.stdout)).toMatchObject({ rows: 0 }); // nothing was imported
    },
    CLI_TEST_MS,
  );
});
