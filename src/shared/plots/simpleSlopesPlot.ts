import type { SimpleSlope } from '../analysis';
import {
  AXIS,
  GRID,
  footnote,
  heading,
  label,
  line,
  linearScale,
  niceTicks,
  pLabel,
  pathData,
  responseLabel,
  svgDocument,
  termLabel,
  text,
  textWidth,
  tickLabel,
  tooltip,
  type PlotOptions,
} from './svg';

/**
 * Simple-slopes panels of one focal interaction term of one model.
 *
 * A SimpleSlope gives the slope of the predictor (the term's first variable) at one level of
 * each moderator, with its SE and CI — not the predictor's range. The caller gives that range
 * (`PredictorRange`, e.g. `rangeFromMeanSd(mean, sd)` over the model's rows, in the model's
 * scale: centred when the run centred). Each line is the predicted change of log(1 + outcome)
 * as the predictor moves away from `reference` (default the middle of the range, which is the
 * mean for mean ± 2 SD), everything else held where the slope holds it:
 * Δŷ(x) = slope · (x − reference), and its 95% band is [ciLow, ciHigh] · (x − reference)
 * (pointwise; the band pinches to 0 at the reference).
 *
 * - two-way `x:z`: one panel, three lines (z at −1 SD, mean, +1 SD);
 * - three-way `a:b:c`: three panels, one per level of c, each with three lines for b.
 */

export interface PredictorRange {
  min: number;
  max: number;
  /** Where the predicted change is 0 (default: (min + max) / 2). */
  reference?: number;
}

/** mean ± k·SD (k = 2 by default), the change measured from the mean. */
export const rangeFromMeanSd = (mean: number, sd: number, k = 2): PredictorRange => ({
  min: mean - k * sd,
  max: mean + k * sd,
  reference: mean,
});

const LEVELS = ['-1SD', 'mean', '+1SD'] as const;
type Level = (typeof LEVELS)[number];
const LEVEL_TEXT: Record<Level, string> = { '-1SD': '−1 SD', mean: 'mean', '+1SD': '+1 SD' };
const LEVEL_STYLE: Record<Level, { color: string; dash: string }> = {
  '-1SD': { color: '#0072B2', dash: ' stroke-dasharray="7 4"' },
  mean: { color: '#999999', dash: '' },
  '+1SD': { color: '#D55E00', dash: ' stroke-dasharray="2 3"' },
};

export interface SimpleSlopesOptions extends PlotOptions {
  /** Height of each panel's plotting area (default 240). */
  panelHeight?: number;
}

interface Grouping {
  outcome: string;
  term: string;
  predictor: string;
  focal: string[];
  /** Lines by this moderator. */
  lineBy: string;
  /** Panels by this one (three-way only). */
  panelBy: string | null;
}

function grouping(slopes: readonly SimpleSlope[]): Grouping {
  const first = slopes[0];
  if (!first) throw new Error('simpleSlopesPlot: no slopes to draw');
  const other = slopes.find(
    (s) =>
      s.outcome !== first.outcome ||
      s.term !== first.term ||
      s.predictor !== first.predictor ||
      s.focal.join(':') !== first.focal.join(':'),
  );
  if (other)
    throw new Error(
      `simpleSlopesPlot: one term of one model per plot (got ${first.outcome} ${first.term} and ${other.outcome} ${other.term})`,
    );
  const moderators = first.term.split(':').filter((v) => v !== first.predictor);
  if (moderators.length < 1 || moderators.length > 2)
    throw new Error(`simpleSlopesPlot: ${first.term} is not a two- or three-way term of ${first.predictor}`);
  const expected = 3 ** moderators.length;
  if (slopes.length !== expected)
    throw new Error(`simpleSlopesPlot: ${first.term} needs ${expected} slopes (one per moderator level), got ${slopes.length}`);
  return {
    outcome: first.outcome,
    term: first.term,
    predictor: first.predictor,
    focal: first.focal,
    lineBy: moderators[0]!,
    panelBy: moderators[1] ?? null,
  };
}

/** The panel titles with the moderator's value: `text_area_ratio = +1 SD (0.27)`. */
const levelWithValue = (variable: string, level: Level, value: number | undefined) =>
  `${variable} = ${LEVEL_TEXT[level]}${value !== undefined && Number.isFinite(value) ? ` (${label(value, 3)})` : ''}`;

/** The 95% band of slope·d over the range: a "bow tie" pinched at the reference. */
function band(s: SimpleSlope, xs: number[], reference: number): { upper: [number, number][]; lower: [number, number][] } {
  const upper: [number, number][] = [];
  const lower: [number, number][] = [];
  for (const x of xs) {
    const d = x - reference;
    const a = s.ciLow * d;
    const b = s.ciHigh * d;
    upper.push([x, Math.max(a, b)]);
    lower.push([x, Math.min(a, b)]);
  }
  return { upper, lower };
}

export function simpleSlopesPlot(slopes: readonly SimpleSlope[], range: PredictorRange, options: SimpleSlopesOptions = {}): string {
  const g = grouping(slopes);
  if (!Number.isFinite(range.min) || !Number.isFinite(range.max) || !(range.max > range.min)) {
    throw new Error(`simpleSlopesPlot: the range of ${g.predictor} must be finite with max > min (got ${range.min} … ${range.max})`);
  }
  const reference = range.reference ?? (range.min + range.max) / 2;
  if (!Number.isFinite(reference)) throw new Error(`simpleSlopesPlot: the reference of ${g.predictor} is not finite`);
  const find = (lineLevel: Level, panelLevel: Level | null) =>
    slopes.find((s) => s.levels[g.lineBy] === lineLevel && (g.panelBy === null || s.levels[g.panelBy] === panelLevel)) ?? null;
  const panelLevels: (Level | null)[] = g.panelBy ? [...LEVELS] : [null];
  const xs = [range.min, ...(reference > range.min && reference < range.max ? [reference] : []), range.max];
  const drawable = slopes.filter((s) => [s.slope, s.ciLow, s.ciHigh].every(Number.isFinite));

  // One y scale for every panel, so panels compare at a glance.
  const ys = drawable.flatMap((s) => {
    const b = band(s, xs, reference);
    return [...b.upper, ...b.lower].map(([, y]) => y);
  });
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(0, ...ys), 5);
  const xTicks = niceTicks(range.min, range.max, 4);

  const panels = panelLevels.length;
  const panelHeight = options.panelHeight ?? 240;
  const title = options.title ?? `Simple slopes of ${g.predictor} — ${g.outcome}`;
  const subtitle = `term ${termLabel(g.term)} · focal ${g.focal.join(' × ')} · predicted change in ${responseLabel(g.outcome)} · 95% bands`;
  const width = Math.max(options.width ?? (panels === 1 ? 600 : 980), 360);
  const head = heading(title, subtitle, 16, width);
  const body = [...head.markup];

  // Legend: the line moderator's three levels, with their values.
  let y = head.bottom;
  let lx = 16;
  body.push(text(lx, y + 7, `${g.lineBy}:`, { baseline: 'middle', weight: 'bold' }));
  lx += textWidth(`${g.lineBy}:`, 12) + 12;
  for (const level of LEVELS) {
    const value = slopes.find((s) => s.levels[g.lineBy] === level)?.at[g.lineBy];
    const name = `${LEVEL_TEXT[level]}${value !== undefined && Number.isFinite(value) ? ` (${label(value, 3)})` : ''}`;
    const st = LEVEL_STYLE[level];
    body.push(
      '<g class="legend-item">',
      line(lx, y + 7, lx + 24, y + 7, `stroke="${st.color}" stroke-width="2.5"${st.dash}`),
      text(lx + 30, y + 7, name, { baseline: 'middle' }),
      '</g>',
    );
    lx += textWidth(name, 12) + 54;
  }
  y += 28;

  const gap = 28;
  const yAxisWidth = 58;
  const panelWidth = (width - 16 - yAxisWidth - gap * (panels - 1) - 16) / panels;
  const plotTop = y + 22;
  const plotBottom = plotTop + panelHeight;
  const yScale = linearScale([yTicks.min, yTicks.max], [plotBottom, plotTop]);

  panelLevels.forEach((panelLevel, p) => {
    const left = 16 + yAxisWidth + p * (panelWidth + gap);
    const right = left + panelWidth;
    const xScale = linearScale([range.min, range.max], [left, right]);
    const panelValue = panelLevel && g.panelBy ? slopes.find((s) => s.levels[g.panelBy!] === panelLevel)?.at[g.panelBy] : undefined;
    const panelTitle = panelLevel && g.panelBy ? levelWithValue(g.panelBy, panelLevel, panelValue) : `by ${g.lineBy}`;
    body.push(`<g class="panel">`);
    body.push(text((left + right) / 2, y, panelTitle, { anchor: 'middle', baseline: 'hanging', weight: 'bold', className: 'panel-title' }));
    for (const t of yTicks.ticks) {
      body.push(line(left, yScale(t), right, yScale(t), GRID));
      if (p === 0)
        body.push(text(left - 6, yScale(t), tickLabel(t, yTicks.step), { size: 11, anchor: 'end', baseline: 'middle', className: 'tick' }));
    }
    for (const t of xTicks.ticks) {
      if (t < range.min - 1e-12 * Math.abs(range.max - range.min) || t > range.max + 1e-12 * Math.abs(range.max - range.min)) continue;
      body.push(line(xScale(t), plotBottom, xScale(t), plotBottom + 4, AXIS));
      body.push(
        text(xScale(t), plotBottom + 7, tickLabel(t, xTicks.step), { size: 11, anchor: 'middle', baseline: 'hanging', className: 'tick' }),
      );
    }
    body.push(line(left, plotBottom, right, plotBottom, AXIS), line(left, plotTop, left, plotBottom, AXIS));
    body.push(
      line(left, yScale(0), right, yScale(0), 'class="zero-line" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="4 3"'),
    );
    body.push(text((left + right) / 2, plotBottom + 26, g.predictor, { anchor: 'middle', baseline: 'hanging', className: 'axis-label' }));

    const table: string[] = [];
    LEVELS.forEach((level, k) => {
      const s = find(level, panelLevel);
      const st = LEVEL_STYLE[level];
      const lineY = plotBottom + 48 + k * 15;
      if (!s) {
        table.push(text(left, lineY, `${LEVEL_TEXT[level]}: no slope`, { size: 11, baseline: 'hanging', opacity: 0.7 }));
        return;
      }
      const finite = [s.slope, s.ciLow, s.ciHigh].every(Number.isFinite);
      // Short (three panels share the width); the tooltip names the moderator too.
      const summary = finite
        ? `${LEVEL_TEXT[level]}: ${label(s.slope)} [${label(s.ciLow)}, ${label(s.ciHigh)}], ${pLabel(s.p)}`
        : `${LEVEL_TEXT[level]}: slope not finite`;
      table.push(line(left, lineY + 6, left + 16, lineY + 6, `stroke="${st.color}" stroke-width="2.5"${st.dash}`));
      table.push(text(left + 22, lineY, summary, { size: 11, baseline: 'hanging', className: 'slope-summary' }));
      if (!finite) return;
      const b = band(s, xs, reference);
      const polygon = [...b.upper, ...[...b.lower].reverse()].map(([px, py]) => [xScale(px), yScale(py)] as [number, number]);
      body.push(
        `<g class="slope">`,
        tooltip(
          `slope of ${g.predictor} at ${g.lineBy} ${summary}${panelLevel && g.panelBy ? `, ${g.panelBy} ${LEVEL_TEXT[panelLevel]}` : ''}`,
        ),
      );
      body.push(`<path class="slope-band" d="${pathData(polygon, true)}" fill="${st.color}" fill-opacity="0.14" stroke="none"/>`);
      const pts = xs.map((px) => [xScale(px), yScale(s.slope * (px - reference))] as [number, number]);
      body.push(`<path class="slope-line" d="${pathData(pts)}" fill="none" stroke="${st.color}" stroke-width="2.5"${st.dash}/>`, '</g>');
    });
    body.push(...table, '</g>');
  });
  body.push(
    text(16 + 12, (plotTop + plotBottom) / 2, `Δ ${responseLabel(g.outcome)}`, { anchor: 'middle', rotate: -90, className: 'axis-label' }),
  );
  const footY = plotBottom + 48 + 3 * 15 + 10;
  const foot = `Change relative to ${g.predictor} = ${label(reference, 3)}; other variables at their means. Range ${label(range.min, 3)} … ${label(range.max, 3)}.`;
  const note = footnote(foot, 16, footY, width);
  body.push(...note.markup);
  return svgDocument({
    width,
    height: note.bottom + 12,
    title,
    desc: `${subtitle}. ${panels} panel${panels > 1 ? 's' : ''}, lines for ${g.lineBy} at −1 SD, mean and +1 SD${g.panelBy ? `, panels for ${g.panelBy} at −1 SD, mean and +1 SD` : ''}. ${foot}`,
    theme: options.theme ?? 'light',
    className: 'framelab-plot simple-slopes',
    body,
  });
}

/** The slopes grouped the way the plots are drawn: one group per (outcome, focal model, term), in first-seen order. */
export function groupSlopes(slopes: readonly SimpleSlope[]): SimpleSlope[][] {
  const groups = new Map<string, SimpleSlope[]>();
  for (const s of slopes) {
    const key = JSON.stringify([s.outcome, s.focal, s.term, s.predictor]);
    const list = groups.get(key) ?? [];
    list.push(s);
    groups.set(key, list);
  }
  return [...groups.values()];
}
