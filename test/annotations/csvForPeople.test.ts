import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { neutraliseFormula, restoreFormulaText, writeCsvForPeople } from '../../src/main/core/annotations/csvForPeople';
import { annotationRecords } from '../../src/main/core/annotations/exportAnnotations';
import { importAnnotations } from '../../src/main/core/annotations/importAnnotations';
import { changeCodebook } from '../../src/main/core/coding/codebook';
import { adjudicate } from '../../src/main/core/gold/adjudication';
import { listDisagreements } from '../../src/main/core/gold/disagreements';
import { exportSnapshot, takeSnapshot } from '../../src/main/core/gold/goldSet';
import { csvIcrReport } from '../../src/main/core/icr/csvReport';
import { figuresCsv } from '../../src/main/core/icr/exportReport';
import { ERRORS_CSV, PREDICTIONS_CSV, renderCsvs, VIDEO_CSV, type VideoRecord } from '../../src/main/core/infer/outputs';
import { MANIFEST_FILE } from '../../src/main/core/infer/outputState';
import { resultsIndex } from '../../src/main/core/infer/resultsIndex';
import { scoresCsv } from '../../src/main/core/suite/runs/scoreMany';
import { openTestCore, runCleanup, tempDir } from '../helpers';
import { SAMPLE, writeFile } from './fixtures';

afterEach(runCleanup);

/**
 * CSVs meant for people neutralise text a spreadsheet would run as a formula; numbers, id
 * columns and the lab's annotations.csv are written raw.
 */
const HYPERLINK = '=HYPERLINK("http://x")';

describe('formula neutralisation', () => {
  it("prefixes ' to text starting with = + - @ tab or CR, never to a number, and reads back exactly", () => {
    expect(neutraliseFormula(HYPERLINK)).toBe(`'${HYPERLINK}`);
    expect(neutraliseFormula('@SUM(1)')).toBe("'@SUM(1)");
    expect(neutraliseFormula('+cmd')).toBe("'+cmd");
    expect(neutraliseFormula('-x')).toBe("'-x");
    expect(neutraliseFormula('\tx')).toBe("'\tx");
    expect(neutraliseFormula('\rx')).toBe("'\rx");
    for (const n of ['-0.5', '+1', '-1e-7', '.5', '12', '-3.', '0']) expect(neutraliseFormula(n)).toBe(n);
    for (const plain of ['', 'note', "it's", 'a=b', ' =x']) expect(neutraliseFormula(plain)).toBe(plain);
    // A cell already starting with ' before a formula character gets one more, so reading back is exact.
    for (const text of [HYPERLINK, "'=x", "''-y", '-0.5', "'-0.5", 'plain', "'quoted", '@', '-', "'"]) {
      expect(restoreFormulaText(neutraliseFormula(text)), text).toBe(text);
    }
    expect(() => writeCsvForPeople(['a'], [], ['b'])).toThrow(/raw column "b"/);
  });

  it('the gold export neutralises the note and the code but keeps the ids; the lab annotations.csv stays raw', () => {
    const core = openTestCore(tempDir('gold-formula'));
    expect(importAnnotations(core.db, core.home, { file: SAMPLE }).errors).toEqual([]);
    // A category whose name a spreadsheet would run: raw in annotations.csv, neutralised for people.
    const third = core.db.prepare("SELECT id FROM categories WHERE value = '3rd person'").get() as { id: number };
    changeCodebook(core.db, { op: 'updateCategory', categoryId: third.id, value: '@SUM(1)' });
    const [d] = listDisagreements(core.db, 'pov');
    adjudicate(core.db, { frameId: d!.frameId, dimension: 'pov', code: d!.codes.coder_a!, note: HYPERLINK });
    const snapshot = takeSnapshot(core.db, 'pov');
    const out = path.join(tempDir('gold-out'), 'gold.csv');
    exportSnapshot(core.db, snapshot.id, out);
    const text = fs.readFileSync(out, 'utf8');
    const { records } = parseCsv(text);
    const row = records.find((r) => r[0] === d!.frameId)!;
    expect(row[6]).toBe(`'${HYPERLINK}`);
    expect(records.filter((r) => r[4] === "'@SUM(1)").length).toBeGreaterThan(0);
    expect(records.some((r) => r[4] === '@SUM(1)')).toBe(false);
    expect(row[0]).toBe(d!.frameId);
    expect(row[2]).toMatch(/^\d+\.\d$/);

    const lab = annotationRecords(core.db);
    const pov = lab[0]!.indexOf('pov');
    expect(lab.some((r) => r[pov] === '@SUM(1)')).toBe(true);
    expect(lab.flat().some((cell) => cell.startsWith("'"))).toBe(false);
  });

  it('ICR figures keep negative statistics as numbers', () => {
    const dir = tempDir('icr-formula');
    // Two coders who always disagree: kappa and alpha are negative.
    const rows = ['frame_id,coder,word'];
    for (let i = 0; i < 6; i++) rows.push(`f${i},a,${i % 2 ? 'x' : 'y'}`, `f${i},b,${i % 2 ? 'y' : 'x'}`);
    const file = writeFile(dir, 'codes.csv', rows.join('\n') + '\n');
    const report = csvIcrReport({ file, dimension: 'word', unitCol: 'frame_id', coderCol: 'coder', bootstrap: 0, seed: 1, home: dir });
    const { records } = parseCsv(figuresCsv(report));
    const kappa = records.find((r) => r[0] === 'cohenKappa')!;
    expect(Number(kappa[1])).toBeLessThan(0);
    expect(kappa[1]).toMatch(/^-\d/);
    expect(records.flat().some((cell) => cell.startsWith("'"))).toBe(false);
  });

  it("inference CSVs: a path, a reason and a class name are neutralised, ids and probabilities are not; the app's reader restores them", () => {
    const models = [{ dimension: 'pov', classes: ['-', 'person'] }];
    const ok: VideoRecord = { videoId: '-clip', path: '/v/-clip.mp4', tenths: [10], probabilities: { pov: [[0.75, 0.25]] }, error: null };
    const bad: VideoRecord = {
      videoId: 'clip_9',
      path: '@evil.mp4',
      tenths: [],
      probabilities: {},
      error: { stage: 'decode', reason: `${HYPERLINK} cannot be read` },
    };
    const csvs = renderCsvs(models, [ok, bad]);
    const errors = parseCsv(csvs[ERRORS_CSV]!).records;
    expect(errors[1]).toEqual(['clip_9', "'@evil.mp4", 'decode', `'${HYPERLINK} cannot be read`]);
    const frames = parseCsv(csvs[PREDICTIONS_CSV]!).records;
    expect(frames[1]).toEqual(['-clip', '-clip_t001.0', '1.0', "'-", '0.750000', '0.750000', '0.250000']);

    // A merged folder is read from its CSVs: the UI shows the original text.
    const outDir = tempDir('infer-formula');
    for (const name of [PREDICTIONS_CSV, VIDEO_CSV, ERRORS_CSV]) fs.writeFileSync(path.join(outDir, name), csvs[name]!);
    const manifest = {
      format: 1,
      models: [{ id: 'pov@v1', dimension: 'pov', sha256: '0'.repeat(64), classes: models[0]!.classes, preprocessing: {} }],
      sampling: { fps: 1 },
      shard: null,
    };
    fs.writeFileSync(path.join(outDir, MANIFEST_FILE), JSON.stringify(manifest));
    const index = resultsIndex(outDir);
    expect(index.source).toBe('csv');
    expect(index.errors).toEqual([{ videoId: 'clip_9', path: '@evil.mp4', stage: 'decode', reason: `${HYPERLINK} cannot be read` }]);
    expect(index.videos[0]!.models.pov!.pred).toBe('-');
    expect(index.videos[0]!.frames()[0]!.models.pov!.pred).toBe('-');
    expect(index.distribution[0]!.classes).toEqual([
      { name: '-', frames: 1, videos: 1 },
      { name: 'person', frames: 0, videos: 0 },
    ]);
  });

  it('suite scores: the error text is neutralised, the video id and the numbers are not', () => {
    const { records } = parseCsv(
      scoresCsv([
        { videoId: '-v1', yPred: -0.5, viewsPred: -0.4, error: null },
        { videoId: 'v2', yPred: null, viewsPred: null, error: '-inf in its embedding' },
      ]),
    );
    expect(records.slice(1)).toEqual([
      ['-v1', '-0.500000', '-0.4', ''],
      ['v2', '', '', "'-inf in its embedding"],
    ]);
  });
});
