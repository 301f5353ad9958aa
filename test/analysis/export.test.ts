import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisCommand } from '../../src/main/cli/commands/analysis';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { restoreFormulaText } from '../../src/main/core/annotations/csvForPeople';
import { tableTex } from '../../src/main/core/analysis/exportFormats';
import { exportRun } from '../../src/main/core/analysis/exportRun';
import { analysisRunDirOf } from '../../src/main/core/analysis/runs';
import { journalTables } from '../../src/main/core/analysis/exportTables';
import type { OlsResult } from '../../src/main/core/analysis/ols';
import type { OlsModel } from '../../src/shared/analysis';
import { FramelabError } from '../../src/shared/errors';
import {
  FOCAL_TERMS,
  FORMULA_LEVEL,
  FORMULA_PREDICTOR,
  OUTCOMES,
  PAIRS,
  buildRunFixture,
  writeRunFolder,
  type RunFixture,
} from './runFixture';
import { checkXml } from './xmlCheck';

let fixture: RunFixture;
let tmp: string;
let home: string;
let runDir: string;
beforeAll(() => {
  fixture = buildRunFixture();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-export-'));
  home = path.join(tmp, 'home');
  runDir = writeRunFolder(home, fixture);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The test's own rules, independent of the exporter's: stars from p, three decimals, the typographic minus.
const starsOf = (p: number) => (p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '');
const printed = (x: number, minus = '\u2212') => {
  const t = x.toFixed(3);
  return Number(t) === 0 ? '0.000' : t.replace(/^-/, minus);
};
const csvRecords = (file: string) => parseCsv(fs.readFileSync(file, 'utf8')).records.filter((r) => !(r.length === 1 && r[0] === ''));
const out = (name: string) => path.join(tmp, name);
const names = (files: string[]) => files.map((f) => path.basename(f));

/** The fitted model behind each result model (same order), so numbers are checked against the fits. */
function fitOf(model: OlsModel): OlsResult {
  return fixture.fits[fixture.result.models.indexOf(model)]!;
}

describe('analysis export', () => {
  it('csv: long tables carry every fitted figure at full precision; wide tables print estimates with stars from p, SEs in parentheses, N and adjusted R²', () => {
    const { files } = exportRun(runDir, 'csv', out('csv'), false);
    expect(names(files)).toEqual([
      'ols_main.csv',
      'ols_main_wide.csv',
      'ols_interactions.csv',
      'ols_interactions_wide.csv',
      'ols_pairwise_interactions.csv',
      'ols_pairwise_interactions_wide.csv',
      'focal_interactions_full.csv',
      'focal_interactions_pivot.csv',
    ]);
    for (const f of files) expect(path.dirname(f)).toBe(out('csv'));

    // Long: one row per model × coefficient, the fit's numbers exactly.
    const long = csvRecords(path.join(out('csv'), 'ols_main.csv'));
    const header = long[0]!;
    const col = (name: string) => header.indexOf(name);
    const main = fixture.result.models.filter((m) => m.spec === 'main');
    expect(long.length - 1).toBe(main.reduce((n, m) => n + m.coefficients.length, 0));
    for (const m of main) {
      const fit = fitOf(m);
      fit.coefficients.forEach((c, j) => {
        const row = long.find((r) => r[col('outcome')] === m.outcome && restoreFormulaText(r[col('term')]!) === c.term)!;
        expect(row, c.term).toBeDefined();
        expect(Number(row[col('estimate')])).toBe(fit.params[j]);
        expect(Number(row[col('se')])).toBe(c.se);
        expect(Number(row[col('p')])).toBe(c.p);
        expect(Number(row[col('adj_r2')])).toBe(fit.adjR2);
        expect(Number(row[col('n')])).toBe(fit.n);
        expect(row[col('se_type')]).toBe('HC3');
      });
    }
    // A predictor whose name starts like a formula is neutralised; the category level inside a term is kept whole.
    expect(long.some((r) => r[col('term')] === `'${FORMULA_PREDICTOR}`)).toBe(true);
    expect(long.some((r) => r[col('term')] === FORMULA_PREDICTOR)).toBe(false);
    expect(long.some((r) => r[col('term')] === `C(category)[T.${FORMULA_LEVEL}]`)).toBe(true);
    expect(long.every((r, i) => i === 0 || !/^[=+\-@]/.test(r[col('term')]!))).toBe(true);

    // Wide: the printed layout, checked cell by cell against the fits.
    const wide = csvRecords(path.join(out('csv'), 'ols_main_wide.csv'));
    expect(wide[0]).toEqual(['', ...OUTCOMES]);
    for (const [k, outcome] of OUTCOMES.entries()) {
      const model = main.find((m) => m.outcome === outcome)!;
      const fit = fitOf(model);
      fit.coefficients.forEach((c) => {
        const label = c.term.startsWith('C(') ? c.term : c.term.split(':').join(' × ');
        const at = wide.findIndex((r) => restoreFormulaText(r[0]!) === label);
        expect(at, label).toBeGreaterThan(0);
        expect(wide[at]![k + 1]).toBe(`${printed(c.estimate)}${starsOf(c.p)}`);
        expect(wide[at + 1]![0]).toBe('');
        expect(wide[at + 1]![k + 1]).toBe(`(${printed(c.se)})`);
      });
      expect(wide.find((r) => r[0] === 'N')![k + 1]).toBe(String(fit.n));
      expect(wide.find((r) => r[0] === 'Adj. R²')![k + 1]).toBe(printed(fit.adjR2));
    }
    // The intercept closes the coefficient rows; the notes name the SE type and the stars.
    const termRows = wide.filter((r, i) => i > 0 && r[0] !== '' && !r[0]!.startsWith('Note') && r[0] !== 'N' && r[0] !== 'Adj. R²');
    expect(termRows.at(-1)![0]).toBe('Intercept');
    const notes = wide.filter((r) => r[0]!.startsWith('Note: ')).map((r) => r[0]);
    expect(notes.join(' ')).toMatch(/heteroskedasticity-robust \(HC3\)/);
    expect(notes.join(' ')).toContain('* p < .05, ** p < .01, *** p < .001');
    // Some stars of each kind would be luck; at least the planted term's model has starred and unstarred cells.
    const cells = wide
      .slice(1)
      .flatMap((r) => r.slice(1))
      .filter((c) => /^−?\d/.test(c));
    expect(cells.some((c) => c.endsWith('***'))).toBe(true);
    expect(cells.some((c) => /\d$/.test(c))).toBe(true);

    // The focal table: one panel per triple, titled; the screen: exploratory, one row per pair with its q.
    const focalWide = csvRecords(path.join(out('csv'), 'ols_interactions_wide.csv'));
    expect(focalWide[1]![0]).toBe('Panel A: color_entropy × avg_objects × text_area_ratio');
    const planted = focalWide.findIndex((r) => r[0] === 'color_entropy × avg_objects × text_area_ratio');
    const focalViews = fixture.result.models.find((m) => m.spec === 'focal' && m.outcome === 'views')!;
    const c = fitOf(focalViews).coefficients.find((x) => x.term === 'color_entropy:avg_objects:text_area_ratio')!;
    expect(focalWide[planted]![1]).toBe(`${printed(c.estimate)}${starsOf(c.p)}`);
    const screen = csvRecords(path.join(out('csv'), 'ols_pairwise_interactions_wide.csv'));
    expect(screen[1]![0]).toBe('EXPLORATORY');
    expect(screen.filter((r) => r[0]!.includes(' × '))).toHaveLength(PAIRS.length);
    const pairModel = fixture.result.models.find((m) => m.spec === 'pairwise' && m.outcome === 'likes')!;
    const pairRow = screen.findIndex((r) => r[0] === pairModel.focal!.join(' × '));
    expect(screen[pairRow + 2]![2]).toBe(`[${printed(pairModel.interaction!.q!)}]`);
    const pairLong = csvRecords(path.join(out('csv'), 'ols_pairwise_interactions.csv'));
    expect(pairLong.slice(1).every((r) => r[pairLong[0]!.indexOf('exploratory')] === 'true')).toBe(true);
  });

  it('focal_interactions_full.csv has every focal term × outcome; the pivot one row per term with a block per outcome', () => {
    const dir = out('focal');
    exportRun(runDir, 'html', dir, false);
    const full = csvRecords(path.join(dir, 'focal_interactions_full.csv'));
    expect(full[0]).toEqual(['outcome', 'focal', 'term', 'estimate', 'se', 'stat', 'p', 'ci_low', 'ci_high', 'n']);
    const focalModels = fixture.result.models.filter((m) => m.spec === 'focal');
    expect(full.length - 1).toBe(FOCAL_TERMS.length * focalModels.length);
    for (const m of focalModels) {
      const fit = fitOf(m);
      for (const term of FOCAL_TERMS) {
        const c = fit.coefficients.find((x) => x.term === term)!;
        const row = full.find((r) => r[0] === m.outcome && r[2] === term)!;
        expect(row[1]).toBe('color_entropy*avg_objects*text_area_ratio');
        expect(row.slice(3, 10).map(Number)).toEqual([c.estimate, c.se, c.stat, c.p, c.ciLow, c.ciHigh, fit.n]);
      }
    }
    // No other term slipped in — not the category level with a ':' in it, not a main effect.
    expect(new Set(full.slice(1).map((r) => r[2]))).toEqual(new Set(FOCAL_TERMS));

    const pivot = csvRecords(path.join(dir, 'focal_interactions_pivot.csv'));
    expect(pivot[0]).toEqual(['focal', 'term', ...OUTCOMES.flatMap((o) => [`${o}_estimate`, `${o}_se`, `${o}_p`])]);
    expect(pivot.slice(1).map((r) => r[1])).toEqual(FOCAL_TERMS);
    for (const r of pivot.slice(1)) {
      OUTCOMES.forEach((o, k) => {
        const c = fitOf(focalModels.find((m) => m.outcome === o)!).coefficients.find((x) => x.term === r[1])!;
        expect(r.slice(2 + 3 * k, 5 + 3 * k).map(Number)).toEqual([c.estimate, c.se, c.p]);
      });
    }
  });

  it('html: self-contained, escaped, one column per outcome, stars as superscripts, the screen marked exploratory', () => {
    const dir = out('html');
    const { files } = exportRun(runDir, 'html', dir, false);
    expect(names(files)).toEqual([
      'ols_main.html',
      'ols_interactions.html',
      'ols_pairwise_interactions.html',
      'focal_interactions_full.csv',
      'focal_interactions_pivot.csv',
    ]);
    const html = fs.readFileSync(path.join(dir, 'ols_main.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|src=|href=|@import|url\(/i);
    expect(
      checkXml(
        html
          .replace(/^<!doctype html>\n/, '')
          .replace('<meta charset="utf-8">', '<meta charset="utf-8"/>')
          .replace(/<meta name="viewport"[^>]*>/, ''),
      ).problems,
    ).toEqual([]);
    expect(html).toContain('C(category)[T.=HYPERLINK(&quot;http://x&quot;)]');
    const main = fixture.result.models.find((m) => m.spec === 'main' && m.outcome === 'likes')!;
    const c = fitOf(main).coefficients.find((x) => x.term === 'color_entropy')!;
    const s = starsOf(c.p);
    expect(html).toContain(`<td>${printed(c.estimate)}${s ? `<sup>${s}</sup>` : ''}</td>`);
    expect(html).toContain(`<td>(${printed(c.se)})</td>`);
    expect(html).toContain('<th scope="col">views</th><th scope="col">likes</th>');
    const screen = fs.readFileSync(path.join(dir, 'ols_pairwise_interactions.html'), 'utf8');
    expect(screen).toContain('<p class="exploratory">EXPLORATORY</p>');
    expect(screen).toContain('<caption>Exploratory: data-driven screen of pairwise interactions</caption>');

    // Names with <, & and quotes from the data stay text.
    const evil = writeModifiedRun('analysis-20260301T120000-evil', (m) => ({
      ...m,
      outcome: m.outcome === 'views' ? 'views<b>&"x"' : m.outcome,
      coefficients: m.coefficients.map((k) => (k.term === 'has_text' ? { ...k, term: '<script>alert(1)</script>&amp' } : k)),
    }));
    const evilDir = out('html-evil');
    exportRun(evil, 'html', evilDir, false);
    const evilHtml = fs.readFileSync(path.join(evilDir, 'ols_main.html'), 'utf8');
    expect(evilHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp');
    expect(evilHtml).toContain('views&lt;b&gt;&amp;&quot;x&quot;');
    expect(evilHtml).not.toContain('<script>');
    expect(evilHtml).not.toContain('<b>');
  });

  it('tex: booktabs rules, balanced braces, a cell per outcome on every row, TeX specials escaped, interactions with \\times', () => {
    const evil = writeModifiedRun('analysis-20260301T120000-tex', (m) => ({
      ...m,
      coefficients: m.coefficients.map((k) =>
        k.term === 'has_text' ? { ...k, term: 'share_%&#$^~{}\\x' } : k.term === 'duration_s' ? { ...k, term: '[seconds]' } : k,
      ),
    }));
    const dir = out('tex');
    const { files } = exportRun(evil, 'tex', dir, false);
    expect(names(files)).toEqual([
      'ols_main.tex',
      'ols_interactions.tex',
      'ols_pairwise_interactions.tex',
      'focal_interactions_full.csv',
      'focal_interactions_pivot.csv',
    ]);
    for (const name of ['ols_main.tex', 'ols_interactions.tex', 'ols_pairwise_interactions.tex'])
      checkTex(fs.readFileSync(path.join(dir, name), 'utf8'), name);
    const main = fs.readFileSync(path.join(dir, 'ols_main.tex'), 'utf8');
    expect(main).toContain('share\\_\\%\\&\\#\\$\\textasciicircum{}\\textasciitilde{}\\{\\}\\textbackslash{}x & ');
    const focal = fs.readFileSync(path.join(dir, 'ols_interactions.tex'), 'utf8');
    expect(focal).toContain('color\\_entropy $\\times$ avg\\_objects $\\times$ text\\_area\\_ratio & ');
    const focalViews = fixture.result.models.find((m) => m.spec === 'focal' && m.outcome === 'views')!;
    const c = fitOf(focalViews).coefficients.find((x) => x.term === 'color_entropy:avg_objects:text_area_ratio')!;
    const s = starsOf(c.p);
    expect(focal).toContain(`& $${printed(c.estimate, '-')}${s ? `^{${s}}` : ''}$ & `);
    expect(focal).toContain(`& $(${printed(c.se, '-')})$ & `);
    expect(focal).toMatch(/\\caption\{OLS regressions with theory-driven \(focal\) interactions\}/);
    expect(focal).toContain('\\textit{Notes:}');
    expect(main).toContain('{[}seconds{]} & ');
    const screen = fs.readFileSync(path.join(dir, 'ols_pairwise_interactions.tex'), 'utf8');
    expect(screen).toMatch(/\\caption\{Exploratory: /);

    // A table longer than a page (the lab's three triples) is a longtable with its header repeated and the notes last.
    const focalModels = fixture.result.models.filter((m) => m.spec === 'focal');
    const threePanels = ['gaze_at_camera_ratio', 'has_text'].reduce(
      (all, third) => [...all, ...focalModels.map((m) => ({ ...m, focal: ['color_entropy', 'avg_objects', third] }))],
      focalModels,
    );
    const long = tableTex(
      journalTables(threePanels).find((t) => t.name === 'ols_interactions')!,
      'analysis-x',
    );
    checkTex(long, 'longtable');
    expect(long).toContain('\\begin{longtable}{l*{2}{c}}');
    for (const mark of ['\\endfirsthead', '\\endhead', '\\endfoot', '\\endlastfoot']) expect(long.split(mark).length, mark).toBe(2);
    expect(long).toContain('\\textit{Panel C: color\\_entropy $\\times$ avg\\_objects $\\times$ has\\_text}');
    expect(long.indexOf('\\textit{Notes:}')).toBeLessThan(long.indexOf('\\endlastfoot'));
    expect(long).toContain('\\usepackage{longtable}');
  });

  it('refuses to replace files unless overwrite (nothing written on a refusal), never writes into the run, and names unknown or unfinished runs', () => {
    const dir = out('again');
    const first = exportRun(runDir, 'tex', dir, false);
    const before = first.files.map((f) => fs.readFileSync(f, 'utf8'));
    fs.writeFileSync(first.files[0]!, 'edited by hand');
    let refusal: unknown;
    try {
      exportRun(runDir, 'tex', dir, false);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(FramelabError);
    expect((refusal as FramelabError).code).toBe('CONFLICT');
    expect((refusal as FramelabError).message).toMatch(
      /already holds ols_main\.tex, ols_interactions\.tex, .*focal_interactions_pivot\.csv; pass overwrite/,
    );
    expect(fs.readFileSync(first.files[0]!, 'utf8')).toBe('edited by hand');
    const again = exportRun(runDir, 'tex', dir, true);
    expect(again.files).toEqual(first.files);
    expect(again.files.map((f) => fs.readFileSync(f, 'utf8'))).toEqual(before);

    // A link planted under one of the names: refused even with overwrite, and no other file is written.
    const linked = out('linked');
    fs.mkdirSync(linked);
    fs.symlinkSync(path.join(tmp, 'elsewhere.html'), path.join(linked, 'ols_interactions.html'));
    expect(() => exportRun(runDir, 'html', linked, true)).toThrow(/symbolic link/);
    expect(fs.readdirSync(linked)).toEqual(['ols_interactions.html']);
    expect(fs.existsSync(path.join(tmp, 'elsewhere.html'))).toBe(false);

    expect(() => exportRun(runDir, 'csv', path.join(runDir, 'tables'), false)).toThrow(/inside the run folder; runs are immutable/);
    expect(fs.existsSync(path.join(runDir, 'tables'))).toBe(false);
    expect(() => exportRun(runDir, 'csv', 'relative/dir', false)).toThrow(/must be an absolute path/);
    expect(() => analysisRunDirOf(home, 'analysis-20990101T000000-none')).toThrow(
      /no analysis run "analysis-20990101T000000-none" in .*runs\/analysis/,
    );
    expect(() => analysisRunDirOf(home, '../../etc')).toThrow(/is not an analysis run id/);
    const unfinished = path.join(home, 'runs', 'analysis', 'analysis-20260301T130000-running');
    fs.mkdirSync(unfinished);
    expect(() => exportRun(unfinished, 'csv', out('never'), false)).toThrow(/has no result\.json: the run has not finished/);
    expect(fs.existsSync(out('never'))).toBe(false);
  });

  it('framelab analysis export goes through the API (validated input) and prints the files', async () => {
    const dir = out('cli');
    const globals = { home, json: true };
    const result = await analysisCommand.run(['export', '--run', fixture.result.runId, '--format', 'csv', '--out', dir], globals);
    expect(result.value).toEqual({
      files: expect.arrayContaining([path.join(dir, 'ols_main.csv'), path.join(dir, 'focal_interactions_pivot.csv')]),
    });
    expect((result.value as { files: string[] }).files).toHaveLength(8);
    expect(result.text).toMatch(/^8 files written:\n {2}\//);
    await expect(
      analysisCommand.run(['export', '--run', fixture.result.runId, '--format', 'csv', '--out', dir], globals),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(analysisCommand.run(['export', '--run', fixture.result.runId, '--format', 'docx', '--out', dir], globals)).rejects.toThrow(
      /--format must be one of csv, html, tex/,
    );
    await expect(analysisCommand.run(['export', '--run', 'not-a-run', '--format', 'csv', '--out', dir], globals)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(analysisCommand.run(['export', '--format', 'csv'], globals)).rejects.toThrow(/needs --run, --format and --out/);
  });
});

/** Structural checks of a TeX table (no LaTeX here): braces, math shifts, booktabs rules, one cell per outcome on every row, escaping. */
function checkTex(tex: string, name: string): void {
  // Braces balance (escaped ones aside) and never close before they open.
  let depth = 0;
  for (const ch of tex.replace(/\\[{}]/g, '')) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    expect(depth, name).toBeGreaterThanOrEqual(0);
  }
  expect(depth, name).toBe(0);
  const body = tex.split('\n').filter((l) => !l.startsWith('%'));
  // Math shifts pair up on every line.
  for (const line of body) expect(line.replace(/\\\$/g, '').split('$').length % 2, line).toBe(1);
  for (const rule of ['\\toprule', '\\midrule', '\\bottomrule']) expect(tex, name).toContain(rule);
  expect(tex).not.toContain('\\hline');
  const env = tex.includes('\\begin{longtable}') ? 'longtable' : 'tabular';
  expect(tex.split(`\\begin{${env}}`).length).toBe(2);
  expect(tex.split(`\\end{${env}}`).length).toBe(2);
  // Every row has one cell per outcome after the label: |outcomes| unescaped & separators.
  const rows = body.filter((l) => l.endsWith('\\\\') && !l.startsWith('\\multicolumn') && !l.startsWith('\\caption'));
  expect(rows.length).toBeGreaterThan(4);
  for (const row of rows) expect(row.replace(/\\&/g, '').split('&').length - 1, row).toBe(OUTCOMES.length);
  const text = body.join('\n');
  expect(text).not.toMatch(/(?<!\\)_/); // every underscore escaped
  expect(text).not.toMatch(/\\\\\s*\[/); // no row start that \\ would take for its [length]
  expect(text).toContain('color\\_entropy');
}

/** A copy of the fixture's run under another id with every model passed through `change`. */
function writeModifiedRun(runId: string, change: (m: OlsModel) => OlsModel): string {
  return writeRunFolder(home, { ...fixture, result: { ...fixture.result, runId, models: fixture.result.models.map(change) } });
}
