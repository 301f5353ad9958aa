import type { PdpGrid } from '../analysis';
import { contourSegments } from './contours';
import {
  AXIS,
  footnote,
  heading,
  label,
  line,
  linearScale,
  niceTicks,
  num,
  rect,
  responseLabel,
  svgDocument,
  text,
  tickLabel,
  tooltip,
  type PlotOptions,
} from './svg';

/**
 * A 2-D partial dependence grid as a contour heatmap: one cell per grid point (cells meet
 * half-way between grid values), coloured by viridis (perceptually uniform, colour-blind safe,
 * readable on light and dark), contour lines at a few round levels (marching squares) with
 * those levels marked on the colour scale, axes in the grid's units with a short mark at every
 * grid value and round values labelled. A sliced
 * three-way view names its slice in the title (`… at c = Q25 (0.140)`).
 */

export interface PdpHeatmapOptions extends PlotOptions {
  /** About how many contour intervals (default 6; 0 draws no contour lines). */
  levels?: number;
  /** Side of the square plotting area in px (default 340). */
  size?: number;
  /** The model whose partial dependence this is, for the subtitle (default `gradient boosting`). */
  model?: string;
}

export type PdpHeatmapInput = Pick<PdpGrid, 'outcome' | 'x' | 'y' | 'slice' | 'values'>;

// viridis at 0, 1/8, …, 1 (matplotlib's table).
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

/** viridis(t) for t in [0, 1], linear between the stops. */
export function viridis(t: number): string {
  const c = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(c));
  const f = c - k;
  const rgb = (hex: string) => [1, 3, 5].map((o) => parseInt(hex.slice(o, o + 2), 16));
  const a = rgb(VIRIDIS[k]!);
  const b = rgb(VIRIDIS[k + 1]!);
  return `#${a
    .map((v, i) =>
      Math.round(v + f * (b[i]! - v))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Cell edges: half-way between neighbouring grid values, half a step beyond the ends. */
function edges(values: readonly number[]): number[] {
  const n = values.length;
  if (n === 1) return [values[0]! - 0.5, values[0]! + 0.5];
  const out = [values[0]! - (values[1]! - values[0]!) / 2];
  for (let i = 0; i + 1 < n; i++) out.push((values[i]! + values[i + 1]!) / 2);
  out.push(values[n - 1]! + (values[n - 1]! - values[n - 2]!) / 2);
  return out;
}

function check(grid: PdpHeatmapInput): void {
  const { x, y, values } = grid;
  if (x.values.length === 0 || y.values.length === 0) throw new Error('pdpHeatmap: an empty grid');
  if (values.length !== x.values.length || values.some((row) => row.length !== y.values.length)) {
    throw new Error(`pdpHeatmap: values must be ${x.values.length} × ${y.values.length} (values[i][j] at x[i], y[j])`);
  }
  for (const axis of [x, y]) {
    if (!axis.values.every(Number.isFinite)) throw new Error(`pdpHeatmap: the grid of ${axis.name} has a non-finite value`);
    for (let i = 1; i < axis.values.length; i++) {
      if (!(axis.values[i]! > axis.values[i - 1]!)) throw new Error(`pdpHeatmap: the grid of ${axis.name} must increase strictly`);
    }
  }
}

/** The slice in words: `text_area_ratio = Q25 (0.140)`. */
export const sliceLabel = (slice: NonNullable<PdpGrid['slice']>): string => `${slice.name} = ${slice.quantile} (${label(slice.value, 3)})`;

export function pdpHeatmap(grid: PdpHeatmapInput, options: PdpHeatmapOptions = {}): string {
  check(grid);
  const { x, y, values } = grid;
  const size = options.size ?? 340;
  const finite = values.flat().filter(Number.isFinite);
  const missing = x.values.length * y.values.length - finite.length;
  const vmin = finite.length ? Math.min(...finite) : 0;
  const vmax = finite.length ? Math.max(...finite) : 1;
  const colour = (v: number) => viridis(vmax > vmin ? (v - vmin) / (vmax - vmin) : 0.5);

  const title =
    options.title ?? `Partial dependence — ${grid.outcome}: ${x.name} × ${y.name}${grid.slice ? ` at ${sliceLabel(grid.slice)}` : ''}`;
  const subtitle = `${options.model ?? 'gradient boosting'}, predicted ${responseLabel(grid.outcome)} averaged over the data${grid.slice ? `; ${grid.slice.name} fixed at its ${grid.slice.quantile}` : ''}`;
  const left = 16 + 64;
  const width = Math.max(options.width ?? 0, left + size + 24 + 16 + 64);
  const head = heading(title, subtitle, 16, width);
  const top = head.bottom + 8;
  const right = left + size;
  const bottom = top + size;
  const xe = edges(x.values);
  const ye = edges(y.values);
  const sx = linearScale([xe[0]!, xe[xe.length - 1]!], [left, right]);
  const sy = linearScale([ye[0]!, ye[ye.length - 1]!], [bottom, top]);
  const body = [...head.markup];

  body.push('<g class="cells" shape-rendering="crispEdges">');
  for (let i = 0; i < x.values.length; i++) {
    for (let j = 0; j < y.values.length; j++) {
      const v = values[i]![j]!;
      if (!Number.isFinite(v)) continue;
      // A hair wider than the cell so no seam shows between neighbours at fractional pixels.
      body.push(
        rect(sx(xe[i]!), sy(ye[j + 1]!), sx(xe[i + 1]!) - sx(xe[i]!) + 0.3, sy(ye[j]!) - sy(ye[j + 1]!) + 0.3, `fill="${colour(v)}"`),
      );
    }
  }
  body.push('</g>');

  const levelTicks =
    finite.length && vmax > vmin && (options.levels ?? 6) > 0
      ? niceTicks(vmin, vmax, options.levels ?? 6).ticks.filter((t) => t > vmin && t < vmax)
      : [];
  const px = (sx1: number, sy1: number) => `${num(sx(sx1))} ${num(sy(sy1))}`;
  for (const level of levelTicks) {
    const segments = contourSegments(x.values, y.values, values, level);
    if (!segments.length) continue;
    const d = segments.map(([x1, y1, x2, y2]) => `M${px(x1, y1)} L${px(x2, y2)}`).join(' ');
    // A light halo under a dark line: readable on viridis' dark and light ends alike.
    body.push(`<g class="contour">`, tooltip(`contour at ${label(level, 3)}`));
    body.push(`<path d="${d}" fill="none" stroke="#ffffff" stroke-opacity="0.55" stroke-width="2.6" stroke-linecap="round"/>`);
    body.push(`<path class="contour-line" d="${d}" fill="none" stroke="#1a1a1a" stroke-width="1" stroke-linecap="round"/>`, '</g>');
  }
  body.push(`<rect x="${num(left)}" y="${num(top)}" width="${num(size)}" height="${num(size)}" fill="none" ${AXIS}/>`);

  // Axes: ticks at round values inside the grid's range, labelled with the grid's scale.
  const xt = niceTicks(x.values[0]!, x.values[x.values.length - 1]!, 5);
  const yt = niceTicks(y.values[0]!, y.values[y.values.length - 1]!, 5);
  const inside = (t: number, e: number[]) => t >= e[0]! && t <= e[e.length - 1]!;
  // A short mark at every grid value (where the model was evaluated), round values labelled.
  body.push('<g class="grid-ticks">');
  for (const v of x.values) body.push(line(sx(v), bottom, sx(v), bottom + 2.5, 'stroke="currentColor" stroke-opacity="0.45"'));
  for (const v of y.values) body.push(line(left - 2.5, sy(v), left, sy(v), 'stroke="currentColor" stroke-opacity="0.45"'));
  body.push('</g>');
  for (const t of xt.ticks.filter((t) => inside(t, xe))) {
    body.push(
      line(sx(t), bottom, sx(t), bottom + 4, AXIS),
      text(sx(t), bottom + 7, tickLabel(t, xt.step), { size: 11, anchor: 'middle', baseline: 'hanging', className: 'tick' }),
    );
  }
  for (const t of yt.ticks.filter((t) => inside(t, ye))) {
    body.push(
      line(left - 4, sy(t), left, sy(t), AXIS),
      text(left - 7, sy(t), tickLabel(t, yt.step), { size: 11, anchor: 'end', baseline: 'middle', className: 'tick' }),
    );
  }
  body.push(text((left + right) / 2, bottom + 26, x.name, { anchor: 'middle', baseline: 'hanging', className: 'axis-label' }));
  body.push(text(16 + 10, (top + bottom) / 2, y.name, { anchor: 'middle', rotate: -90, className: 'axis-label' }));

  // Colour scale with its ticks and the contour levels.
  const barLeft = right + 24;
  const barWidth = 16;
  const by = linearScale([vmin, vmax], [bottom, top]);
  const steps = 48;
  body.push('<g class="color-scale" shape-rendering="crispEdges">');
  for (let k = 0; k < steps; k++) {
    const y0 = bottom - ((k + 1) * size) / steps;
    body.push(rect(barLeft, y0, barWidth, size / steps + 0.3, `fill="${viridis((k + 0.5) / steps)}"`));
  }
  body.push('</g>', `<rect x="${num(barLeft)}" y="${num(top)}" width="${barWidth}" height="${num(size)}" fill="none" ${AXIS}/>`);
  if (finite.length) {
    const bt = niceTicks(vmin, vmax, 5);
    for (const t of bt.ticks.filter((t) => t >= vmin && t <= vmax)) {
      body.push(line(barLeft + barWidth, by(t), barLeft + barWidth + 4, by(t), AXIS));
      body.push(text(barLeft + barWidth + 7, by(t), tickLabel(t, bt.step), { size: 11, baseline: 'middle', className: 'tick' }));
    }
    for (const level of levelTicks)
      body.push(
        line(barLeft - 3, by(level), barLeft + barWidth + 3, by(level), 'class="contour-level" stroke="#1a1a1a" stroke-width="1.2"'),
      );
  } else {
    body.push(text((left + right) / 2, (top + bottom) / 2, 'no finite values', { anchor: 'middle', baseline: 'middle' }));
  }
  body.push(text(barLeft + barWidth / 2, top - 8, responseLabel(grid.outcome), { size: 11, anchor: 'middle', className: 'axis-label' }));

  const foot = `Range ${label(vmin, 3)} … ${label(vmax, 3)}; contour lines at ${levelTicks.map((l) => label(l, 3)).join(', ') || 'no level'}.${missing ? ` ${missing} grid cells without a value are left blank.` : ''}`;
  const note = footnote(foot, 16, bottom + 46, width);
  body.push(...note.markup);
  return svgDocument({
    width,
    height: note.bottom + 12,
    title,
    desc: `${subtitle}. ${x.values.length} × ${y.values.length} grid of ${x.name} by ${y.name}. ${foot}`,
    theme: options.theme ?? 'light',
    className: `framelab-plot pdp-heatmap${grid.slice ? ' sliced' : ''}`,
    body,
  });
}
