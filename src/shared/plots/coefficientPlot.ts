import type { Coefficient, OlsModel } from '../analysis';
import {
  AXIS,
  GRID,
  categoricalColor,
  footnote,
  heading,
  label,
  line,
  linearScale,
  niceTicks,
  num,
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
 * Coefficient plots: each term's estimate with its 95% confidence interval on a shared
 * horizontal axis, terms down the y axis, a zero line. Filled points have p < .05. A model of
 * the exploratory pairwise screen is labelled "exploratory" in the title and the legend.
 */

export interface CoefficientPlotOptions extends PlotOptions {
  /** Terms to draw, in this order (default: every term of the models, in the order first seen). */
  terms?: readonly string[];
  /** Draw the intercept too (default false: its scale would flatten every other interval). */
  includeIntercept?: boolean;
}

/** A model's name in a legend: `main`, `focal a × b × c`, `pairwise a × b (exploratory)`. */
export function modelLabel(model: Pick<OlsModel, 'spec' | 'focal' | 'exploratory'>): string {
  const focal = model.focal?.length ? ` ${model.focal.join(' × ')}` : '';
  return `${model.spec}${focal}${model.exploratory ? ' (exploratory)' : ''}`;
}

interface Row {
  term: string;
  label: string;
  /** One point per series (null: the series has no such term). */
  points: (Pick<Coefficient, 'estimate' | 'ciLow' | 'ciHigh' | 'p'> | null)[];
  note?: string;
}

interface Series {
  label: string;
  color: string;
}

const sameOutcome = (models: readonly OlsModel[], what: string): string => {
  if (models.length === 0) throw new Error(`${what}: no model to draw`);
  const outcome = models[0]!.outcome;
  const other = models.find((m) => m.outcome !== outcome);
  if (other) throw new Error(`${what}: one outcome per plot (got ${outcome} and ${other.outcome})`);
  return outcome;
};

/** The SE types of the models, for the subtitle ("HC3", or "HC3, nonrobust"). */
const seTypes = (models: readonly OlsModel[]): string => [...new Set(models.map((m) => m.se))].join(', ');

/**
 * One outcome's models (typically `[main]`, or one focal model), dodged within each term's
 * row. Throws when the models are of several outcomes or none.
 */
export function coefficientPlot(models: readonly OlsModel[], options: CoefficientPlotOptions = {}): string {
  const outcome = sameOutcome(models, 'coefficientPlot');
  const exploratory = models.some((m) => m.exploratory);
  const seen: string[] = [];
  for (const m of models) for (const c of m.coefficients) if (!seen.includes(c.term)) seen.push(c.term);
  const terms = (options.terms ?? seen).filter((t) => options.includeIntercept || options.terms || t !== 'Intercept');
  const rows: Row[] = terms.map((term) => ({
    term,
    label: termLabel(term),
    points: models.map((m) => m.coefficients.find((c) => c.term === term) ?? null),
  }));
  const series = models.map((m, i) => ({ label: modelLabel(m), color: categoricalColor(i) }));
  const kind = models.length === 1 ? modelLabel(models[0]!) : `${models.length} models`;
  const title = options.title ?? `Coefficients — ${outcome}${exploratory ? ' (exploratory)' : ''}`;
  return drawRows({
    title,
    subtitle: `${responseLabel(outcome)} · ${kind} · estimate and 95% CI, SE ${seTypes(models)}`,
    xLabel: `Coefficient on ${responseLabel(outcome)}`,
    rows,
    series,
    legend: models.length > 1 || exploratory,
    footnote: 'Filled points: p < .05.',
    options,
    className: `framelab-plot coefficient-plot${exploratory ? ' exploratory' : ''}`,
  });
}

/**
 * The pairwise screen of one outcome: each pair's interaction term (from its own model) with
 * its 95% CI and its Benjamini–Hochberg q across the screen; filled points have q < .05.
 * Always titled exploratory. Models without an interaction term are left out.
 */
export function pairwiseScreenPlot(models: readonly OlsModel[], options: PlotOptions = {}): string {
  const outcome = sameOutcome(models, 'pairwiseScreenPlot');
  const rows: Row[] = models.flatMap((m) => {
    const term = m.interaction?.term;
    const c = term ? m.coefficients.find((k) => k.term === term) : undefined;
    if (!term || !c) return [];
    const q = m.interaction!.q;
    // The fill follows q (the screen's own correction), not the raw p.
    return [{ term, label: termLabel(term), points: [{ ...c, p: q ?? c.p }], note: q === null ? pLabel(c.p) : `q = ${label(q, 3)}` }];
  });
  return drawRows({
    title: options.title ?? `Pairwise interaction screen — ${outcome} (exploratory)`,
    subtitle: `${responseLabel(outcome)} · each pair's interaction in its own model · 95% CI, SE ${seTypes(models)}`,
    xLabel: `Interaction coefficient on ${responseLabel(outcome)}`,
    rows,
    series: [{ label: 'pairwise (exploratory)', color: categoricalColor(0) }],
    legend: true,
    footnote: 'Exploratory, data-driven screen. Filled points: Benjamini–Hochberg q < .05.',
    options,
    className: 'framelab-plot coefficient-plot pairwise-screen exploratory',
  });
}

function drawRows(o: {
  title: string;
  subtitle: string;
  xLabel: string;
  rows: Row[];
  series: Series[];
  legend: boolean;
  footnote: string;
  options: PlotOptions;
  className: string;
}): string {
  const { rows, series } = o;
  const labelWidth = Math.max(60, ...rows.map((r) => textWidth(r.label, 12)));
  const noteWidth = rows.some((r) => r.note) ? Math.max(...rows.map((r) => textWidth(r.note ?? '', 11))) + 12 : 0;
  // Long labels (a pair of long names) widen the figure rather than being cut at its left edge;
  // the plotting area keeps at least 280 px.
  const width = Math.max(o.options.width ?? 640, 420, 16 + labelWidth + 10 + 280 + noteWidth + 20);
  const head = heading(o.title, o.subtitle, 16, width);
  const left = 16 + labelWidth + 10;
  const right = width - 20 - noteWidth;
  const body = [...head.markup];
  let y = head.bottom;

  if (o.legend) {
    let x = 16;
    for (const s of series) {
      const w = textWidth(s.label, 12) + 30;
      if (x + w > width - 16 && x > 16) {
        x = 16;
        y += 18;
      }
      body.push(
        `<g class="legend-item">`,
        line(x, y + 7, x + 16, y + 7, `stroke="${s.color}" stroke-width="2"`),
        `<circle cx="${num(x + 8)}" cy="${num(y + 7)}" r="3.5" fill="${s.color}"/>`,
      );
      body.push(text(x + 22, y + 7, s.label, { baseline: 'middle' }), '</g>');
      x += w + 12;
    }
    y += 24;
  }

  const perSeries = 12;
  const rowHeight = Math.max(24, series.length * perSeries + 10);
  const top = y;
  const bottom = top + Math.max(1, rows.length) * rowHeight;
  const finite = rows.flatMap((r) => r.points.flatMap((p) => (p ? [p.estimate, p.ciLow, p.ciHigh] : []))).filter(Number.isFinite);
  const ticks = niceTicks(Math.min(0, ...finite), Math.max(0, ...finite), 6);
  const x = linearScale([ticks.min, ticks.max], [left, right]);

  for (const t of ticks.ticks) {
    body.push(line(x(t), top, x(t), bottom, GRID));
    body.push(text(x(t), bottom + 6, tickLabel(t, ticks.step), { size: 11, anchor: 'middle', baseline: 'hanging', className: 'tick' }));
  }
  body.push(line(left, bottom, right, bottom, AXIS));
  body.push(
    line(x(0), top, x(0), bottom, 'class="zero-line" stroke="currentColor" stroke-opacity="0.7" stroke-width="1.2" stroke-dasharray="4 3"'),
  );
  body.push(text((left + right) / 2, bottom + 24, o.xLabel, { anchor: 'middle', baseline: 'hanging', className: 'axis-label' }));

  if (rows.length === 0)
    body.push(text((left + right) / 2, (top + bottom) / 2, 'no terms to show', { anchor: 'middle', baseline: 'middle', opacity: 0.7 }));
  rows.forEach((row, i) => {
    const rowTop = top + i * rowHeight;
    if (i % 2 === 1)
      body.push(
        `<rect x="${num(16)}" y="${num(rowTop)}" width="${num(right - 16)}" height="${num(rowHeight)}" fill="currentColor" fill-opacity="0.04"/>`,
      );
    body.push(text(left - 10, rowTop + rowHeight / 2, row.label, { anchor: 'end', baseline: 'middle', className: 'term' }));
    if (row.note)
      body.push(text(right + 12, rowTop + rowHeight / 2, row.note, { size: 11, baseline: 'middle', opacity: 0.8, className: 'row-note' }));
    const span = (series.length - 1) * perSeries;
    row.points.forEach((p, k) => {
      if (!p || !Number.isFinite(p.estimate)) return;
      const cy = rowTop + rowHeight / 2 - span / 2 + k * perSeries;
      const s = series[k]!;
      const ciFinite = Number.isFinite(p.ciLow) && Number.isFinite(p.ciHigh);
      const ci = ciFinite ? `[${label(p.ciLow)}, ${label(p.ciHigh)}]` : '[CI not finite]';
      body.push(`<g class="coef">`, tooltip(`${s.label}: ${row.label} = ${label(p.estimate)} ${ci}, ${pLabel(p.p)}`));
      if (ciFinite)
        body.push(
          `<path class="ci" d="${pathData([
            [x(p.ciLow), cy],
            [x(p.ciHigh), cy],
          ])}" stroke="${s.color}" stroke-width="2"/>`,
        );
      const fill = p.p < 0.05 ? s.color : 'none';
      body.push(
        `<circle class="estimate" cx="${num(x(p.estimate))}" cy="${num(cy)}" r="4" fill="${fill}" stroke="${s.color}" stroke-width="1.5"/>`,
        '</g>',
      );
    });
  });
  const note = footnote(o.footnote, 16, bottom + 44, width);
  body.push(...note.markup);

  const points = rows.reduce((n, r) => n + r.points.filter((p) => p && Number.isFinite(p.estimate)).length, 0);
  return svgDocument({
    width,
    height: note.bottom + 12,
    title: o.title,
    desc: `${o.subtitle}. ${rows.length} terms, ${points} estimates with 95% confidence intervals against a zero line. ${o.footnote}`,
    theme: o.options.theme ?? 'light',
    className: o.className,
    body,
  });
}
