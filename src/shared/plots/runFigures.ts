import type { AnalysisRunResult, PdpGrid, SimpleSlope } from '../analysis';
import { coefficientPlot, pairwiseScreenPlot } from './coefficientPlot';
import { comparisonChart } from './comparisonChart';
import { pdpHeatmap } from './pdpHeatmap';
import { groupSlopes, simpleSlopesPlot, type PredictorRange } from './simpleSlopesPlot';
import type { PlotTheme } from './svg';

/**
 * Every figure of a run, in a stable order with a stable file-safe name, so the run folder
 * (plots/<name>.svg|png) and the Analysis screen show the same set:
 * - `coef__<outcome>__main`, `coef__<outcome>__focal__<a>-<b>-<c>` (one per focal model),
 *   `coef__<outcome>__pairwise` (the exploratory screen);
 * - `slopes__<outcome>__<a>-<b>-<c>__<term with : as ->` (one per slope group);
 * - `pdp__<outcome>__<x>__<y>[__<slice>_<Q>]` (one per grid);
 * - `comparison__<outcome>`.
 * A figure that cannot be drawn (no predictor range, a malformed grid) is left out with a
 * note saying why; nothing here throws for data.
 */

export type FigureKind = 'coefficients' | 'pairwise' | 'slopes' | 'pdp' | 'comparison';

export interface Figure {
  kind: FigureKind;
  outcome: string;
  /** File-safe and unique within the run: `[A-Za-z0-9._-]` and `__` separators. */
  name: string;
  title: string;
  svg: string;
}

/**
 * The predictor range of a slope group's plot: by variable name (one range for every model),
 * or per slope (e.g. over that model's own rows). In the model's scale (centred if the run
 * centred).
 */
export type SlopeRanges = Readonly<Record<string, PredictorRange>> | ((slope: SimpleSlope) => PredictorRange | undefined);

export interface RunFiguresOptions {
  ranges?: SlopeRanges;
  theme?: PlotTheme;
}

/** A name part: runs of anything but letters, digits, `.`, `-` become `_`, at most 60 characters. */
export const namePart = (text: string): string =>
  text
    .replace(/[^A-Za-z0-9.-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 60) || 'x';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** The figure's title, read back from its <title> (unescaped). */
const titleOf = (svg: string): string =>
  (/<title>([^<]*)<\/title>/.exec(svg)?.[1] ?? '').replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

export function runFigures(
  result: Pick<AnalysisRunResult, 'models' | 'simpleSlopes' | 'comparison'>,
  grids: readonly Omit<PdpGrid, 'file'>[],
  options: RunFiguresOptions = {},
): { figures: Figure[]; notes: string[] } {
  const theme = options.theme ?? 'light';
  const figures: Figure[] = [];
  const notes: string[] = [];
  const used = new Set<string>();
  const add = (kind: FigureKind, outcome: string, parts: string[], draw: () => string, what: string) => {
    let svg: string;
    try {
      svg = draw();
    } catch (err) {
      notes.push(`${what} not drawn: ${(err as Error).message}`);
      return;
    }
    const base = parts.map(namePart).join('__');
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}-${k}`;
    used.add(name.toLowerCase());
    figures.push({ kind, outcome, name, title: titleOf(svg), svg });
  };

  const outcomes = [...new Set([...result.models.map((m) => m.outcome), ...result.comparison.map((r) => r.outcome)])];
  for (const outcome of outcomes) {
    const models = result.models.filter((m) => m.outcome === outcome);
    for (const m of models.filter((m) => m.spec === 'main'))
      add(
        'coefficients',
        outcome,
        ['coef', outcome, 'main'],
        () => coefficientPlot([m], { theme }),
        `The coefficient plot of ${outcome} (main)`,
      );
    for (const m of models.filter((m) => m.spec === 'focal')) {
      const focal = (m.focal ?? []).join('-');
      add(
        'coefficients',
        outcome,
        ['coef', outcome, 'focal', focal],
        () => coefficientPlot([m], { theme }),
        `The coefficient plot of ${outcome} (focal ${focal})`,
      );
    }
    const pairwise = models.filter((m) => m.spec === 'pairwise');
    if (pairwise.length)
      add(
        'pairwise',
        outcome,
        ['coef', outcome, 'pairwise'],
        () => pairwiseScreenPlot(pairwise, { theme }),
        `The pairwise screen of ${outcome}`,
      );
  }

  for (const group of groupSlopes(result.simpleSlopes)) {
    const s = group[0]!;
    const what = `The simple slopes of ${s.predictor} for ${s.outcome} (${s.term}, focal ${s.focal.join(' × ')})`;
    const range = typeof options.ranges === 'function' ? options.ranges(s) : options.ranges?.[s.predictor];
    if (!range) {
      notes.push(`${what} not drawn: no range given for ${s.predictor}.`);
      continue;
    }
    add(
      'slopes',
      s.outcome,
      ['slopes', s.outcome, s.focal.join('-'), s.term.split(':').join('-')],
      () => simpleSlopesPlot(group, range, { theme }),
      what,
    );
  }

  for (const grid of grids) {
    const parts = ['pdp', grid.outcome, grid.x.name, grid.y.name, ...(grid.slice ? [`${grid.slice.name}_${grid.slice.quantile}`] : [])];
    add(
      'pdp',
      grid.outcome,
      parts,
      () => pdpHeatmap(grid, { theme }),
      `The partial dependence plot of ${grid.outcome} (${grid.x.name} × ${grid.y.name}${grid.slice ? `, ${grid.slice.name} ${grid.slice.quantile}` : ''})`,
    );
  }

  for (const outcome of outcomes) {
    const rows = result.comparison.filter((r) => r.outcome === outcome);
    if (rows.length)
      add('comparison', outcome, ['comparison', outcome], () => comparisonChart(rows, { theme }), `The model comparison of ${outcome}`);
  }
  return { figures, notes };
}
