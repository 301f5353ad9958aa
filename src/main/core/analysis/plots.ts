import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisRunResult, PdpGrid } from '../../../shared/analysis';
import { runFigures, type FigureKind, type SlopeRanges } from '../../../shared/plots/runFigures';
import { CHROMIUM_ARGS, findChromium } from '../chromium';

/**
 * A run's figures in its folder: plots/<name>.svg for every figure of runFigures (the same
 * set the Analysis screen draws), and plots/<name>.png beside each, rendered by the
 * machine's Chromium (one browser for the whole run, through playwright's client; never a
 * downloaded browser). PNGs are a convenience: without Chromium, or when it fails, the SVGs
 * are written alone and a note says why — the run never fails for a PNG.
 */

export interface WritePlotsExtras {
  /**
   * The predictor's range for each simple-slopes plot (by variable name, or per slope): the
   * slopes themselves carry no range. A slope group without one is left out with a note.
   */
  predictorRanges?: SlopeRanges;
  /** Render PNGs (default true). */
  png?: boolean;
  /** The Chromium to use (default: findChromium(), i.e. CHROMIUM_PATH or the system's); null: none. */
  chromium?: string | null;
  /** PNG pixels per SVG pixel (default 2, sharp enough for a slide). */
  scale?: number;
  /** Called after each figure's files are written (the job's progress). */
  onProgress?: (done: number, total: number) => void;
  /** Checked between figures: when aborted, writePlots throws the signal's reason. */
  signal?: AbortSignal;
}

export interface WrittenFigure {
  kind: FigureKind;
  outcome: string;
  name: string;
  title: string;
  /** Relative to the run folder, with `/`. */
  svg: string;
  png: string | null;
}

export interface WrittenPlots {
  /** Files written, relative to the run folder (`plots/coef__views__main.svg`), in figure order. */
  svg: string[];
  png: string[];
  /** What was not drawn or not rendered, and why (for the run's notes). */
  notes: string[];
  figures: WrittenFigure[];
}

export const PLOTS_DIR = 'plots';

type PngRenderer = { render(svg: string): Promise<Buffer>; close(): Promise<void> };

/** The SVG's own width and height (the builders always write integer px). */
function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(svg);
  if (!m) throw new Error('the SVG has no width and height');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** One headless Chromium page that screenshots SVG documents at their own size. */
async function chromiumRenderer(executablePath: string, scale: number): Promise<PngRenderer> {
  const { chromium } = await import('playwright');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
  try {
    const context = await browser.newContext({ deviceScaleFactor: scale, javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    // The DevTools capture itself: playwright's page.screenshot waits for stable frames and
    // fonts around it, three times slower per figure on a busy machine, for a static page.
    const cdp = await context.newCDPSession(page);
    return {
      async render(svg) {
        const { width, height } = svgSize(svg);
        await page.setViewportSize({ width, height });
        await page.setContent(
          `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;padding:0}svg{display:block}</style></head><body>${svg}</body></html>`,
          { waitUntil: 'load' },
        );
        const shot = await cdp.send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width, height, scale } });
        return Buffer.from(shot.data, 'base64');
      },
      close: () => browser.close(),
    };
  } catch (err) {
    await browser.close().catch(() => undefined);
    throw err;
  }
}

const reason = (err: unknown): string => (err instanceof Error ? err.message.split('\n')[0]! : String(err));

/**
 * Writes the figures of `result` into `<runDir>/plots/`. `pdpGrids` are the full grids (with
 * their values; result.pdp lists them without). Returns the files written, relative to
 * runDir, and notes for the run.
 */
export async function writePlots(
  runDir: string,
  result: AnalysisRunResult,
  pdpGrids: readonly PdpGrid[],
  extras: WritePlotsExtras = {},
): Promise<WrittenPlots> {
  const { figures, notes } = runFigures(result, pdpGrids, { ranges: extras.predictorRanges, theme: 'light' });
  const dir = path.join(runDir, PLOTS_DIR);
  fs.mkdirSync(dir, { recursive: true });

  let renderer: PngRenderer | null = null;
  if (extras.png !== false && figures.length) {
    const executable = extras.chromium === undefined ? findChromium() : extras.chromium;
    if (!executable) {
      notes.push('PNG figures not written: no Chromium found (install chromium or set CHROMIUM_PATH); the SVG figures are complete.');
    } else {
      try {
        renderer = await chromiumRenderer(executable, extras.scale ?? 2);
      } catch (err) {
        notes.push(`PNG figures not written: Chromium (${executable}) did not start (${reason(err)}); the SVG figures are complete.`);
      }
    }
  }

  const written: WrittenFigure[] = [];
  try {
    for (const [i, figure] of figures.entries()) {
      extras.signal?.throwIfAborted();
      const rel = (file: string) => `${PLOTS_DIR}/${file}`;
      fs.writeFileSync(path.join(dir, `${figure.name}.svg`), figure.svg);
      let png: string | null = null;
      if (renderer) {
        try {
          fs.writeFileSync(path.join(dir, `${figure.name}.png`), await renderer.render(figure.svg));
          png = rel(`${figure.name}.png`);
        } catch (err) {
          // A browser that failed once (crashed, hung) is not asked again for every figure.
          notes.push(`PNG figures from ${figure.name}.png on not written: ${reason(err)}; the SVG figures are complete.`);
          await renderer.close().catch(() => undefined);
          renderer = null;
        }
      }
      written.push({
        kind: figure.kind,
        outcome: figure.outcome,
        name: figure.name,
        title: figure.title,
        svg: rel(`${figure.name}.svg`),
        png,
      });
      extras.onProgress?.(i + 1, figures.length);
    }
  } finally {
    await renderer?.close().catch(() => undefined);
  }
  return {
    svg: written.map((f) => f.svg),
    png: written.flatMap((f) => (f.png ? [f.png] : [])),
    notes,
    figures: written,
  };
}
