/**
 * The real CLI on a real home: `framelab preference analyses import` (a job, exit 1 when a
 * file was refused, one JSON object with --json) and `preference ratings import|export`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeAnalysesImport } from '../../src/main/cli/commands/preferenceData';
import { REPO_ROOT, runCleanup, runCli, singleJsonLine, tempDir } from '../helpers';
import { jsonl, RATINGS_HEADER, record, write } from './dataFixtures';

afterEach(runCleanup);

describe('framelab preference (data)', () => {
  it('analyses import of a folder: the good file imported, the bad one refused with file:line:column, exit 1', async () => {
    const dir = tempDir('pref-cli');
    const home = path.join(dir, 'home');
    const folder = path.join(dir, 'analyses');
    write(folder, 'good.jsonl', jsonl(record('vid_1', 'v3', { feature_count: 170 }), record('vid_2', 'v3', { feature_count: 100 })));
    write(folder, 'bad.json', '{\n  "video_id": "vid_3",\n  "analysis_version": "v3"\n  "analysis": {}\n}\n');
    const json = await runCli(['preference', 'analyses', 'import', folder, '--json', '--home', home], { timeoutMs: 60_000 });
    expect(json.code, json.stderr).toBe(1);
    const report = singleJsonLine(json.stdout);
    expect(report).toMatchObject({
      filesImported: 1,
      filesRefused: 1,
      records: 2,
      videos: 2,
      versions: { v3: 2 },
      added: 2,
      unchanged: 0,
      featureCounts: { min: 100, median: 135, max: 170, missing: 0 },
    });
    expect(report).not.toHaveProperty('plan');
    expect(report.files[0]).toMatchObject({
      file: path.join(folder, 'bad.json'),
      outcome: 'refused',
      problems: [{ line: 4, column: 3, field: null, message: expect.stringContaining('expected , or }') }],
    });
    // In plain words (the same report): each file's outcome, the bad one's problems as file:line:column.
    expect(describeAnalysesImport(report).split('\n')).toEqual([
      '1 of 2 files refused (nothing imported from it); 1 imported.',
      `  ${path.join(folder, 'bad.json')}: REFUSED, nothing imported from it (1 problem)`,
      `    ${path.join(folder, 'bad.json')}:4:3: not valid JSON: expected , or }; found " (a comma missing?)`,
      `  ${path.join(folder, 'good.jsonl')}: imported, 2 records (2 added, 0 unchanged)`,
      '2 records, 2 videos; versions: v3 2',
      'analyses: 2 added, 0 unchanged (identical to the current one)',
      'feature_count: min 100, median 135, max 170',
    ]);
  }, 120_000);

  it('ratings import (bad rows listed, exit 1; good file) and export with a relative --out', async () => {
    const dir = tempDir('pref-cli');
    const home = path.join(dir, 'home');
    const bad = write(
      dir,
      'bad.csv',
      `${RATINGS_HEADER}\nvid_1,owner,owner,12,,,,,2025-03-01T10:00:00Z\nvid_2,owner,someone,5,,,,,2025-03-01T10:00:00Z\n`,
    );
    const refused = await runCli(['preference', 'ratings', 'import', bad, '--home', home]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe(
      [
        `${bad}: 2 problems; nothing was imported.`,
        'row 1, column overall: overall 12 is above 10; scores are 0 to 10 in steps of 0.5.',
        'row 2, column rater_type: rater_type "someone" is not owner or other.',
        '',
      ].join('\n'),
    );

    const good = write(dir, 'good.csv', `${RATINGS_HEADER}\r\nvid_1,owner,owner,9.5,9,8,,"tight, funny",2025-03-01T10:00:00Z\r\n`);
    const imported = await runCli(['preference', 'ratings', 'import', good, '--json', '--home', home]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(singleJsonLine(imported.stdout)).toEqual({ file: good, rows: 1, added: 1, unchanged: 0, videos: 1, raters: 1, errors: [] });

    fs.mkdirSync(path.join(dir, 'out'));
    const out = path.join(dir, 'out', 'ratings.csv');
    const exported = await runCli(['preference', 'ratings', 'export', '--out', path.relative(REPO_ROOT, out), '--json', '--home', home]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(singleJsonLine(exported.stdout)).toEqual({ rows: 1, file: out, current: false });
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(good, 'utf8'));
  }, 120_000);
});
