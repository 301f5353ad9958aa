import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importAnnotations } from '../../src/main/core/annotations/importAnnotations';
import { figuresCsv, projectReportContext, writeReport } from '../../src/main/core/icr/exportReport';
import { renderReportHtml } from '../../src/main/core/icr/reportHtml';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { openTestCore, runCleanup, runCli, tempDir } from '../helpers';

afterEach(runCleanup);

const SAMPLE = path.resolve(__dirname, '../annotations/fixtures/annotations_sample.csv');

describe('report exports', () => {
  it('renders a self-contained HTML report with the figures, intervals, coverage and notes', () => {
    const core = openTestCore(tempDir('report'));
    importAnnotations(core.db, core.home, { file: SAMPLE });
    const context = projectReportContext(core.db, core.home, { dimension: 'distance', bootstrap: 200, seed: 3 });
    const html = renderReportHtml(context);
    expect(html).toContain('Inter-coder reliability: Distance');
    expect(html).toContain('0.9521'); // ordinal alpha, 4 decimals in "All figures"
    expect(html).toContain(
      '41 of 53 overlap frames coded by every coder; 12 missing a distance code from coder_b (12 in the re-code queue)',
    );
    expect(html).toMatch(/95% CI \[0\.\d{3}, 0\.\d{3}\]/);
    expect(html).toContain('200 bootstrap resamples of units (seed 3)');
    expect(html).not.toMatch(/<script|<link|src="|href="/);
    // The figures CSV holds every statistic, empty where it is undefined.
    const { records } = parseCsv(figuresCsv(context.report));
    expect(records[0]).toEqual(['statistic', 'value', 'ci_low', 'ci_high']);
    expect(records.find((r) => r[0] === 'krippendorffAlpha.ordinal')![1]).toMatch(/^0\.9521/);
    expect(records.find((r) => r[0] === 'krippendorffAlpha.interval')!.slice(1)).toEqual(['', '', '']);
  });

  it('says how to get a PDF when no printer is available, and writes nothing', async () => {
    const core = openTestCore(tempDir('report'));
    importAnnotations(core.db, core.home, { file: SAMPLE });
    const out = path.join(tempDir('out'), 'r.pdf');
    const context = projectReportContext(core.db, core.home, { dimension: 'pov', bootstrap: 0 });
    await expect(writeReport(context, 'pdf', out)).rejects.toMatchObject({ code: 'CAPABILITY_MISSING' });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('framelab icr --report writes the file its extension names; a wrong extension is a usage error', async () => {
    const dir = tempDir('icr-report');
    const html = path.join(dir, 'distance.html');
    const res = await runCli([
      'icr',
      '--input',
      SAMPLE,
      '--dimension',
      'distance',
      '--bootstrap',
      '100',
      '--report',
      html,
      '--json',
      '--home',
      dir,
    ]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).krippendorffAlpha.ordinal).toBeCloseTo(0.9521037, 6);
    expect(fs.readFileSync(html, 'utf8')).toContain('0.9521');
    const bad = await runCli([
      'icr',
      '--input',
      SAMPLE,
      '--dimension',
      'distance',
      '--report',
      path.join(dir, 'x.txt'),
      '--json',
      '--home',
      dir,
    ]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr).error.message).toContain('.html, .pdf, .json or .csv');
  });
});
