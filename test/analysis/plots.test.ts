import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePlots } from '../../src/main/core/analysis/plots';
import { CHROMIUM_ARGS, findChromium } from '../../src/main/core/chromium';
import type { ComparisonRow, OlsModel, SimpleSlope } from '../../src/shared/analysis';
import {
  coefficientPlot,
  comparisonChart,
  contourSegments,
  groupSlopes,
  pairwiseScreenPlot,
  pdpHeatmap,
  runFigures,
  simpleSlopesPlot,
} from '../../src/shared/plots';
import { FOCAL_TERMS, OUTCOMES, PAIRS, buildRunFixture, writeRunFolder, type RunFixture } from './runFixture';
import { checkXml } from './xmlCheck';

let fixture: RunFixture;
let tmp: string;
beforeAll(() => {
  fixture = buildRunFixture();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-plots-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const count = (svg: string, needle: string) => svg.split(needle).length - 1;

/** The points of `M x y L x y …` path data. */
const points = (d: string): [number, number][] =>
  [...d.matchAll(/[ML]\s*(-?[\d.]+)\s+(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
const pathsOf = (svg: string, className: string) =>
  [...svg.matchAll(new RegExp(`<path class="${className}" d="([^"]*)"`, 'g'))].map((m) => m[1]!);

function wellFormed(svg: string) {
  const check = checkXml(svg);
  expect(check.problems, svg.slice(0, 200)).toEqual([]);
  expect(check.elements[0]!.name).toBe('svg');
  expect(check.elements[1]!.name).toBe('title');
  expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
  return check;
}

describe('plot builders (pure SVG)', () => {
  it('draws every figure of a run as well-formed, titled SVG without NaN, the same bytes every time', () => {
    const { figures, notes } = runFigures(fixture.result, fixture.grids, { ranges: fixture.ranges });
    expect(notes).toEqual([]);
    // 2 outcomes × (main + focal + pairwise screen) + 2 × 4 slope groups + 5 PDPs + 2 comparisons.
    expect(figures.map((f) => f.kind).sort()).toEqual([
      ...Array(4).fill('coefficients'),
      ...Array(2).fill('comparison'),
      ...Array(2).fill('pairwise'),
      ...Array(5).fill('pdp'),
      ...Array(8).fill('slopes'),
    ]);
    expect(new Set(figures.map((f) => f.name)).size).toBe(figures.length);
    for (const f of figures) {
      expect(f.name).toMatch(/^[A-Za-z0-9._-]+(__[A-Za-z0-9._-]+)*$/);
      const check = wellFormed(f.svg);
      expect(f.title.length).toBeGreaterThan(5);
      expect(check.elements[0]!.attrs['role']).toBe('img');
      expect(check.elements.some((e) => e.name === 'desc')).toBe(true);
      expect(f.svg).toContain('font-family="system-ui');
    }
    expect(runFigures(fixture.result, fixture.grids, { ranges: fixture.ranges }).figures.map((f) => f.svg)).toEqual(
      figures.map((f) => f.svg),
    );
  });

  it('coefficient plot: one estimate and CI per term (no intercept), a zero line, filled points where p < .05, exploratory models labelled', () => {
    const main = fixture.result.models.find((m) => m.spec === 'main' && m.outcome === 'views')!;
    const svg = coefficientPlot([main]);
    const terms = main.coefficients.filter((c) => c.term !== 'Intercept');
    expect(count(svg, '<g class="coef">')).toBe(terms.length);
    expect(count(svg, '<path class="ci"')).toBe(terms.length);
    expect(count(svg, 'class="zero-line"')).toBe(1);
    expect(svg).not.toContain('>Intercept<');
    const filled = [...svg.matchAll(/<circle class="estimate"[^>]*fill="([^"]+)"/g)].map((m) => m[1] !== 'none');
    expect(filled).toEqual(terms.map((c) => c.p < 0.05));
    // The category level is data: escaped, never raw markup.
    expect(svg).toContain('C(category)[T.=HYPERLINK(&quot;http://x&quot;)]');
    expect(svg).not.toContain('exploratory');

    // A CI's ends sit where the axis puts ciLow and ciHigh: same pixel-per-unit for every term.
    const cis = pathsOf(svg, 'ci').map(points);
    const perUnit = terms.map((c, k) => (cis[k]![1]![0] - cis[k]![0]![0]) / (c.ciHigh - c.ciLow));
    for (const u of perUnit) expect(u).toBeCloseTo(perUnit[0]!, 0);

    const pairwise = fixture.result.models.filter((m) => m.spec === 'pairwise' && m.outcome === 'views');
    const one = coefficientPlot([pairwise[0]!]);
    expect(one).toMatch(/<title>[^<]*exploratory[^<]*<\/title>/);
    expect(one).toContain('pairwise gaze_at_camera_ratio × @num_faces (exploratory)');
    const screen = pairwiseScreenPlot(pairwise);
    wellFormed(screen);
    expect(screen).toMatch(/<title>Pairwise interaction screen — views \(exploratory\)<\/title>/);
    expect(count(screen, '<g class="coef">')).toBe(PAIRS.length);
    for (const m of pairwise) expect(screen).toContain(`q = ${m.interaction!.q!.toFixed(3)}`);
    expect(() => coefficientPlot([main, fixture.result.models.find((m) => m.outcome === 'likes')!])).toThrow(/one outcome per plot/);
  });

  it('coefficient plot: a term with an infinite CI is drawn without one, and nothing non-finite reaches the SVG', () => {
    const main = fixture.result.models[0]!;
    const broken: OlsModel = {
      ...main,
      coefficients: main.coefficients.map((c, k) =>
        k === 1 ? { ...c, se: Infinity, ciLow: -Infinity, ciHigh: Infinity, p: NaN } : k === 2 ? { ...c, estimate: NaN } : c,
      ),
    };
    const svg = coefficientPlot([broken]);
    wellFormed(svg);
    const drawn = main.coefficients.filter((c, k) => c.term !== 'Intercept' && k !== 2).length;
    expect(count(svg, '<g class="coef">')).toBe(drawn);
    expect(count(svg, '<path class="ci"')).toBe(drawn - 1);
    expect(svg).toContain('[CI not finite]');
  });

  it('simple slopes: two-way = one panel of three lines with bands; three-way = three panels (one per level of c) of three; lines and bands follow slope and CI', () => {
    const groups = groupSlopes(fixture.result.simpleSlopes.filter((s) => s.outcome === 'views'));
    expect(groups.map((g) => g[0]!.term)).toEqual(FOCAL_TERMS);
    for (const group of groups) {
      const s0 = group[0]!;
      const svg = simpleSlopesPlot(group, fixture.ranges[s0.predictor]!);
      wellFormed(svg);
      const threeWay = s0.term.split(':').length === 3;
      expect(count(svg, '<g class="panel">')).toBe(threeWay ? 3 : 1);
      expect(count(svg, '<path class="slope-line"')).toBe(group.length);
      expect(count(svg, '<path class="slope-band"')).toBe(group.length);
      const [, b, c] = s0.term.split(':');
      expect(svg).toContain(`${b}:</text>`); // the legend names the line moderator
      if (threeWay) for (const level of ['−1 SD', 'mean', '+1 SD']) expect(svg).toContain(`>${c} = ${level} (`);

      // Line k (document order = panels by c, then −1 SD, mean, +1 SD of b) is slope·(x − mean):
      // through the zero line at the mean, with pixel slopes proportional to the slopes, and its
      // band's right end at ciHigh/slope of the line's rise there.
      const order = (s: SimpleSlope) =>
        ['-1SD', 'mean', '+1SD'].indexOf(s.levels[c ?? b!]!) * 3 + ['-1SD', 'mean', '+1SD'].indexOf(s.levels[b!]!);
      const slopes = threeWay ? [...group].sort((u, v) => order(u) - order(v)) : group;
      const lines = pathsOf(svg, 'slope-line').map(points);
      const bands = pathsOf(svg, 'slope-band').map(points);
      const zeros = lines.map((l) => l[1]![1]);
      for (const z of zeros) expect(z).toBeCloseTo(zeros[0]!, 1);
      const rise = lines.map((l) => zeros[0]! - l[2]![1]);
      // Pixels per unit of slope at the right end (one y scale for every panel), from the steepest line.
      const steepest = slopes.reduce((best, s, i) => (Math.abs(s.slope) > Math.abs(slopes[best]!.slope) ? i : best), 0);
      const perSlope = rise[steepest]! / slopes[steepest]!.slope;
      expect(perSlope).toBeGreaterThan(0);
      slopes.forEach((s, i) => {
        expect(Math.abs(rise[i]! - perSlope * s.slope)).toBeLessThan(0.05);
        // The band's upper edge at the right end (x > mean): ciHigh·(x − mean).
        expect(Math.abs(zeros[0]! - bands[i]![2]![1] - perSlope * s.ciHigh)).toBeLessThan(0.05);
        expect(Math.abs(zeros[0]! - bands[i]![3]![1] - perSlope * s.ciLow)).toBeLessThan(0.05);
      });
    }
    expect(() => simpleSlopesPlot(groups[0]!.slice(0, 2), fixture.ranges['color_entropy']!)).toThrow(/needs 3 slopes/);
    expect(() => simpleSlopesPlot([...groups[0]!, ...groups[1]!], fixture.ranges['color_entropy']!)).toThrow(
      /one term of one model per plot/,
    );
    expect(() => simpleSlopesPlot(groups[0]!, { min: 1, max: NaN })).toThrow(/range of color_entropy/);
  });

  it('PDP heatmap: a cell per grid point, contour lines on the level sets, a colour scale, the slice named in the title, blank cells for missing values', () => {
    const sliced = fixture.grids.find((g) => g.slice?.quantile === 'Q25')!;
    const svg = pdpHeatmap(sliced);
    wellFormed(svg);
    const cells = svg.slice(svg.indexOf('<g class="cells"'), svg.indexOf('</g>', svg.indexOf('<g class="cells"')));
    expect(count(cells, '<rect')).toBe(sliced.x.values.length * sliced.y.values.length);
    expect(count(svg, 'class="contour-line"')).toBeGreaterThanOrEqual(2);
    expect(count(svg, 'class="contour-level"')).toBe(count(svg, 'class="contour-line"'));
    expect(svg).toContain('<g class="color-scale"');
    const marks = svg.slice(svg.indexOf('<g class="grid-ticks">'), svg.indexOf('</g>', svg.indexOf('<g class="grid-ticks">')));
    expect(count(marks, '<line')).toBe(sliced.x.values.length + sliced.y.values.length);
    expect(svg).toMatch(/<title>Partial dependence — views: color_entropy × avg_objects at text_area_ratio = Q25 \(\d\.\d{3}\)<\/title>/);
    expect(pdpHeatmap(fixture.grids[0]!)).not.toContain(' at text_area_ratio');

    // A plane v = x + 2y: every contour segment's ends lie on x + 2y = level.
    const xs = [0, 1, 2, 3, 4, 5];
    const ys = [0, 0.5, 1, 1.5];
    const plane = xs.map((x) => ys.map((y) => x + 2 * y));
    for (const level of [1.3, 4, 6.75]) {
      const segments = contourSegments(xs, ys, plane, level);
      expect(segments.length).toBeGreaterThan(2);
      for (const [x1, y1, x2, y2] of segments) {
        expect(x1 + 2 * y1).toBeCloseTo(level, 12);
        expect(x2 + 2 * y2).toBeCloseTo(level, 12);
      }
    }
    const planeSvg = pdpHeatmap(
      { outcome: 'views', x: { name: 'a', values: xs }, y: { name: 'b', values: ys }, slice: null, values: plane },
      { levels: 4 },
    );
    const levels = [...planeSvg.matchAll(/<title>contour at ([\d.]+)<\/title>/g)].map((m) => Number(m[1]));
    expect(levels).toEqual([2, 4, 6]); // strictly inside the range 0 … 8

    // Missing values: blank cells, no contour through them, never NaN in the file.
    const holes = sliced.values.map((row, i) => row.map((v, j) => (i === 3 && j < 4 ? NaN : v)));
    const holed = pdpHeatmap({ ...sliced, values: holes });
    wellFormed(holed);
    const holedCells = holed.slice(holed.indexOf('<g class="cells"'), holed.indexOf('</g>', holed.indexOf('<g class="cells"')));
    expect(count(holedCells, '<rect')).toBe(sliced.x.values.length * sliced.y.values.length - 4);
    expect(holed).toContain('4 grid cells without a value are left blank');
    expect(() => pdpHeatmap({ ...sliced, values: sliced.values.slice(1) })).toThrow(/values must be/);
  });

  it('marching squares: the two saddle cases are split by the mean of the corners', () => {
    // values[i][j] at (x_i, y_j): corners (0,0) and (1,1) high, (1,0) and (0,1) low.
    const saddle = [
      [1, 0],
      [0, 1],
    ];
    const round = (s: readonly number[]) => s.map((v) => Math.round(v * 1e9) / 1e9);
    // Centre 0.5 ≥ 0.5: the highs join across the centre, cutting off the low corners.
    expect(contourSegments([0, 1], [0, 1], saddle, 0.5).map(round)).toEqual([
      [0.5, 0, 1, 0.5],
      [0.5, 1, 0, 0.5],
    ]);
    // Centre 0.5 < 0.6: the high corners are cut off.
    expect(contourSegments([0, 1], [0, 1], saddle, 0.6).map(round)).toEqual([
      [0, 0.4, 0.4, 0],
      [1, 0.6, 0.6, 1],
    ]);
    const other = [
      [0, 1],
      [1, 0],
    ];
    expect(contourSegments([0, 1], [0, 1], other, 0.5).map(round)).toEqual([
      [0, 0.5, 0.5, 0],
      [1, 0.5, 0.5, 1],
    ]);
  });

  it('comparison chart: in-sample and cross-validated bars in separate groups, whatever the input order', () => {
    const all: ComparisonRow[] = [
      ...fixture.result.comparison.filter((r) => r.outcome === 'views'),
      { outcome: 'views', model: 'gbm', metric: 'cv_r2', kind: 'cross_validated', value: 0.31 },
      { outcome: 'views', model: 'lasso', metric: 'train_r2', kind: 'in_sample', value: 0.12 },
      { outcome: 'views', model: 'lasso', metric: 'cv_r2', kind: 'cross_validated', value: -0.02 },
      { outcome: 'views', model: 'negbin', metric: 'pseudo_r2', kind: 'in_sample', value: 0.05 },
    ];
    const rows = all.reverse();
    const svg = comparisonChart(rows);
    wellFormed(svg);
    const start = svg.indexOf('<g class="group in_sample">');
    const mid = svg.indexOf('<g class="group cross_validated">');
    expect(start).toBeGreaterThan(0);
    expect(mid).toBeGreaterThan(start);
    const inSample = svg.slice(start, mid);
    const crossValidated = svg.slice(mid);
    expect(count(inSample, '<g class="bar">')).toBe(rows.filter((r) => r.kind === 'in_sample').length);
    expect(count(crossValidated, '<g class="bar">')).toBe(rows.filter((r) => r.kind === 'cross_validated').length);
    expect(inSample).not.toContain('CV R²');
    expect(crossValidated).not.toMatch(/adj\. R²|train R²|pseudo-R²/);
    // Values printed with three decimals (typographic minus), bars in model order.
    expect(crossValidated).toContain('>−0.020<');
    const models = [...inSample.matchAll(/class="model"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(models).toEqual(['OLS main', 'OLS + focal', 'LASSO', 'NB']);
    expect(() => comparisonChart(fixture.result.comparison)).toThrow(/one outcome per chart/);
  });

  it('escapes text from the data in every builder, and the inherit theme has no background of its own', () => {
    const model = { ...fixture.result.models[0]!, outcome: 'a<b&"c"' };
    model.coefficients = model.coefficients.map((c, k) => (k === 1 ? { ...c, term: '<script>x</script>&' } : c));
    const svg = coefficientPlot([model], { theme: 'inherit' });
    wellFormed(svg);
    expect(svg).toContain('&lt;script&gt;x&lt;/script&gt;&amp;');
    expect(svg).toContain('a&lt;b&amp;&quot;c&quot;');
    expect(svg).not.toContain('class="background"');
    expect(svg).not.toMatch(/<svg[^>]*style=/);
    expect(coefficientPlot([model], { theme: 'dark' })).toContain('fill="#0d1117"');
  });
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('writePlots (run folder)', () => {
  it.skipIf(!findChromium())(
    'writes every figure as SVG and as PNG (real Chromium, 2× the SVG size); a browser parses every SVG',
    async () => {
      const runDir = writeRunFolder(path.join(tmp, 'home'), fixture);
      const progress: number[] = [];
      const written = await writePlots(runDir, fixture.result, fixture.grids, {
        predictorRanges: fixture.ranges,
        onProgress: (done) => progress.push(done),
      });
      expect(written.notes).toEqual([]);
      expect(written.svg).toHaveLength(21);
      expect(written.png).toHaveLength(21);
      expect(progress).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(written.svg).toContain('plots/coef__views__main.svg');
      expect(written.svg).toContain('plots/pdp__views__color_entropy__avg_objects__text_area_ratio_Q75.svg');
      for (const o of OUTCOMES) expect(written.svg).toContain(`plots/comparison__${o}.svg`);
      for (const [i, rel] of written.png.entries()) {
        const svg = fs.readFileSync(path.join(runDir, written.svg[i]!), 'utf8');
        const [, w, h] = /<svg[^>]*width="(\d+)" height="(\d+)"/.exec(svg)!;
        expect(rel).toBe(written.svg[i]!.replace(/\.svg$/, '.png'));
        expect(pngSize(path.join(runDir, rel))).toEqual({ width: 2 * Number(w), height: 2 * Number(h) });
        // Not a blank image: a figure with text, lines and colour compresses to more than a few kB.
        expect(fs.statSync(path.join(runDir, rel)).size).toBeGreaterThan(8_000);
      }

      const { chromium } = await import('playwright');
      const browser = await chromium.launch({ executablePath: findChromium()!, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        const svgs = written.svg.map((rel) => fs.readFileSync(path.join(runDir, rel), 'utf8'));
        const parsed = await page.evaluate(
          (sources) =>
            sources.map((s) => {
              const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
              return {
                errors: doc.getElementsByTagName('parsererror').length,
                root: doc.documentElement.nodeName,
                title: doc.querySelector('svg > title')?.textContent ?? '',
              };
            }),
          svgs,
        );
        for (const p of parsed) {
          expect(p.errors).toBe(0);
          expect(p.root).toBe('svg');
          expect(p.title).not.toBe('');
        }
      } finally {
        await browser.close();
      }
    },
    90_000,
  );

  it('without Chromium writes the SVGs alone and says so; a slope group without a range is noted, not drawn', async () => {
    const runDir = path.join(tmp, 'no-chromium');
    fs.mkdirSync(runDir);
    const written = await writePlots(runDir, fixture.result, fixture.grids, { chromium: null });
    expect(written.png).toEqual([]);
    expect(written.svg).toHaveLength(21 - 8);
    expect(written.notes[0]).toMatch(
      /^The simple slopes of color_entropy for views \(color_entropy:avg_objects, focal .*\) not drawn: no range given for color_entropy\.$/,
    );
    expect(written.notes.filter((n) => /not drawn: no range/.test(n))).toHaveLength(8);
    expect(written.notes.at(-1)).toMatch(/PNG figures not written: no Chromium found/);
    expect(fs.readdirSync(path.join(runDir, 'plots')).filter((f) => f.endsWith('.png'))).toEqual([]);

    const broken = await writePlots(path.join(tmp, 'bad-chromium'), fixture.result, [], {
      chromium: path.join(tmp, 'no-such-chromium'),
      predictorRanges: fixture.ranges,
    });
    expect(broken.png).toEqual([]);
    expect(broken.svg).toHaveLength(16);
    expect(broken.notes).toEqual([expect.stringMatching(/^PNG figures not written: Chromium \(.*no-such-chromium\) did not start/)]);
  });
});
