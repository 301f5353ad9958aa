import type { ComparisonRow } from '../analysis';
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
  rect,
  responseLabel,
  svgDocument,
  text,
  textWidth,
  tickLabel,
  tooltip,
  type PlotOptions,
} from './svg';

/**
 * The model comparison of one outcome as grouped bars: the in-sample figures (adjusted R²,
 * train R², pseudo-R²) in one group, the cross-validated ones (out-of-fold R²) in another,
 * side by side on one axis but never in one group: an in-sample R² flatters a model, a CV R²
 * does not, so a reader must not read one against the other as equals.
 */

export const COMPARISON_MODEL_LABELS: Record<ComparisonRow['model'], string> = {
  ols_main: 'OLS main',
  ols_focal: 'OLS + focal',
  gbm: 'GBM',
  lasso: 'LASSO',
  negbin: 'NB',
};

export const COMPARISON_METRIC_LABELS: Record<ComparisonRow['metric'], string> = {
  adj_r2: 'adj. R²',
  train_r2: 'train R²',
  cv_r2: 'CV R²',
  pseudo_r2: 'pseudo-R²',
};

const MODEL_ORDER = Object.keys(COMPARISON_MODEL_LABELS) as ComparisonRow['model'][];
const GROUPS = [
  { kind: 'in_sample', title: 'In-sample' },
  { kind: 'cross_validated', title: 'Cross-validated (out-of-fold)' },
] as const;

export function comparisonChart(rows: readonly ComparisonRow[], options: PlotOptions = {}): string {
  const first = rows[0];
  if (!first) throw new Error('comparisonChart: no comparison rows');
  const other = rows.find((r) => r.outcome !== first.outcome);
  if (other) throw new Error(`comparisonChart: one outcome per chart (got ${first.outcome} and ${other.outcome})`);
  const outcome = first.outcome;
  const drawn = rows.filter((r) => Number.isFinite(r.value));
  const groups = GROUPS.map((g) => ({
    ...g,
    bars: drawn.filter((r) => r.kind === g.kind).sort((a, b) => MODEL_ORDER.indexOf(a.model) - MODEL_ORDER.indexOf(b.model)),
  }));

  const title = options.title ?? `Model comparison — ${outcome}`;
  const subtitle = `${responseLabel(outcome)} · in-sample and cross-validated figures in separate groups`;
  const slot = 78;
  const gap = 40;
  const left = 16 + 52;
  const groupWidths = groups.map((g) => Math.max(1, g.bars.length) * slot);
  const foot = `In-sample figures flatter a model; compare models within a group.`;
  const width = Math.max(options.width ?? 0, left + 8 + groupWidths[0]! + gap + groupWidths[1]! + 24, 32 + textWidth(foot, 11), 420);
  const head = heading(title, subtitle, 16, width);
  const top = head.bottom + 34;
  const plotHeight = 220;
  const bottom = top + plotHeight;
  const ticks = niceTicks(Math.min(0, ...drawn.map((r) => r.value)), Math.max(0, ...drawn.map((r) => r.value)), 5);
  const y = linearScale([ticks.min, ticks.max], [bottom, top]);
  const right = width - 24;
  const body = [...head.markup];

  for (const t of ticks.ticks) {
    body.push(line(left, y(t), right, y(t), GRID));
    body.push(text(left - 6, y(t), tickLabel(t, ticks.step), { size: 11, anchor: 'end', baseline: 'middle', className: 'tick' }));
  }
  body.push(
    line(left, top, left, bottom, AXIS),
    line(left, y(0), right, y(0), 'class="zero-line" stroke="currentColor" stroke-opacity="0.7"'),
  );
  body.push(text(16 + 10, (top + bottom) / 2, 'R²', { anchor: 'middle', rotate: -90, className: 'axis-label' }));

  let x0 = left + 8;
  groups.forEach((g, gi) => {
    const w = groupWidths[gi]!;
    body.push(`<g class="group ${g.kind}">`);
    body.push(text(x0 + w / 2, top - 26, g.title, { anchor: 'middle', baseline: 'hanging', weight: 'bold', className: 'group-title' }));
    if (g.bars.length === 0)
      body.push(text(x0 + w / 2, (top + bottom) / 2, 'none', { anchor: 'middle', baseline: 'middle', opacity: 0.6 }));
    g.bars.forEach((r, k) => {
      const cx = x0 + slot * k + slot / 2;
      const barWidth = Math.min(44, slot - 18);
      const y1 = y(Math.max(0, r.value));
      const y2 = y(Math.min(0, r.value));
      const color = categoricalColor(MODEL_ORDER.indexOf(r.model));
      const name = `${COMPARISON_MODEL_LABELS[r.model]}, ${COMPARISON_METRIC_LABELS[r.metric]} = ${label(r.value, 4)}`;
      body.push(`<g class="bar">`, tooltip(name), rect(cx - barWidth / 2, y1, barWidth, y2 - y1, `fill="${color}"`));
      const valueY = r.value >= 0 ? y1 - 4 : y2 + 4;
      body.push(
        text(cx, valueY, label(r.value, 3), {
          size: 11,
          anchor: 'middle',
          ...(r.value >= 0 ? {} : { baseline: 'hanging' as const }),
          className: 'value',
        }),
        '</g>',
      );
      body.push(
        text(cx, bottom + 8, COMPARISON_MODEL_LABELS[r.model], { size: 11, anchor: 'middle', baseline: 'hanging', className: 'model' }),
      );
      body.push(
        text(cx, bottom + 22, COMPARISON_METRIC_LABELS[r.metric], {
          size: 11,
          anchor: 'middle',
          baseline: 'hanging',
          opacity: 0.75,
          className: 'metric',
        }),
      );
    });
    body.push('</g>');
    x0 += w;
    if (gi === 0) {
      body.push(
        line(
          x0 + gap / 2,
          top - 28,
          x0 + gap / 2,
          bottom + 34,
          'class="divider" stroke="currentColor" stroke-opacity="0.35" stroke-dasharray="3 3"',
        ),
      );
      x0 += gap;
    }
  });
  const skipped = rows.length - drawn.length;
  const note = footnote(
    `${foot}${skipped ? ` ${skipped} figure${skipped > 1 ? 's' : ''} without a finite value left out.` : ''}`,
    16,
    bottom + 44,
    width,
  );
  body.push(...note.markup);
  const desc = groups
    .map(
      (g) =>
        `${g.title}: ${g.bars.map((r) => `${COMPARISON_MODEL_LABELS[r.model]} ${COMPARISON_METRIC_LABELS[r.metric]} ${label(r.value, 3)}`).join('; ') || 'none'}`,
    )
    .join('. ');
  return svgDocument({
    width,
    height: note.bottom + 12,
    title,
    desc: `${subtitle}. ${desc}.`,
    theme: options.theme ?? 'light',
    className: 'framelab-plot comparison-chart',
    body,
  });
}
