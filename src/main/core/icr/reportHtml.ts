import type { Coverage } from '../../../shared/gold';
import type { IcrReport, IcrStatistic } from '../../../shared/icr';
import { agreementReading, alphaReading, denominatorSentence, fmt, kappaReading } from '../../../shared/icrReadings';

/**
 * The reliability report as one self-contained HTML file: no script, no external asset, so it
 * opens anywhere, archives well, and prints to PDF as it looks.
 */
export interface ReportContext {
  dimension: { name: string; label: string; level: 'nominal' | 'ordinal' | null };
  report: IcrReport;
  coverage: Coverage | null;
  /** Where the codes came from: the project (home path) or a CSV file. */
  source: string;
  generatedAt: string;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function figure(label: string, value: number | null, statistic: IcrStatistic, report: IcrReport, reading: string): string {
  const ci = report.ci[statistic];
  return `<div class="figure"><h3>${escape(label)}</h3><p class="value">${fmt(value)}</p>
    <p class="muted">${ci ? `95% CI [${fmt(ci[0])}, ${fmt(ci[1])}]` : 'no interval'}</p><p>${escape(reading)}</p></div>`;
}

function heatmap(report: IcrReport): string {
  if (!report.confusion) return '<p class="muted">A confusion matrix needs exactly two coders.</p>';
  const { categories, matrix } = report.confusion;
  const max = Math.max(1, ...matrix.flat());
  const [rows, cols] = report.details.coders;
  const head = categories.map((c) => `<th>${escape(c)}</th>`).join('');
  const body = matrix
    .map(
      (row, i) =>
        `<tr><th>${escape(categories[i]!)}</th>${row
          .map((n) => `<td style="background: rgba(47, 111, 236, ${((n / max) * 0.85).toFixed(3)})">${n}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<table class="heatmap"><thead><tr><th class="muted">${escape(rows ?? '')} ↓ / ${escape(cols ?? '')} →</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function coverageSentence(context: ReportContext): string {
  return `<p>${escape(denominatorSentence(context.report, context.coverage))}</p>`;
}

export function renderReportHtml(context: ReportContext): string {
  const { report, dimension } = context;
  const ordinal = dimension.level === 'ordinal';
  const alpha = ordinal ? report.krippendorffAlpha.ordinal : report.krippendorffAlpha.nominal;
  const kappa = ordinal ? report.weightedKappa.quadratic : report.cohenKappa;
  const bootstrap = report.details.bootstrap;
  const rows = (pairs: [string, string][]) => pairs.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${v}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reliability — ${escape(dimension.label)}</title>
<style>
  body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1c2330; margin: 32px; max-width: 980px; }
  h1 { margin: 0 0 4px; } h2 { margin: 28px 0 8px; font-size: 17px; } h3 { margin: 0; font-size: 13px; color: #5f6b7a; }
  .muted { color: #5f6b7a; } .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
  .figure { border: 1px solid #dde2e8; border-radius: 8px; padding: 12px; } .figure p { margin: 2px 0; }
  .value { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
  table { border-collapse: collapse; } th, td { padding: 5px 10px; text-align: left; border-bottom: 1px solid #dde2e8; font-variant-numeric: tabular-nums; }
  .heatmap td { text-align: center; border: 1px solid #dde2e8; min-width: 44px; }
  @media print { body { margin: 12mm; } .figure { break-inside: avoid; } }
</style></head><body>
<h1>Inter-coder reliability: ${escape(dimension.label)}</h1>
<p class="muted">${escape(dimension.name)} · ${escape(dimension.level ?? 'level unknown')} · ${report.unitsCompared} of ${report.units} units compared · ${report.coders} coders ·
source ${escape(context.source)} · ${escape(context.generatedAt)}${bootstrap ? ` · intervals from ${bootstrap.resamples} bootstrap resamples of ${bootstrap.resampling === 'groups' ? 'whole videos' : 'units'} (seed ${bootstrap.seed})` : ''}</p>
${coverageSentence(context)}
<div class="figures">
${figure(`Krippendorff's α (${ordinal ? 'ordinal' : 'nominal'})`, alpha, ordinal ? 'krippendorffAlpha.ordinal' : 'krippendorffAlpha.nominal', report, alphaReading(alpha))}
${figure(ordinal ? 'Weighted κ (quadratic)' : "Cohen's κ", kappa, ordinal ? 'weightedKappa.quadratic' : 'cohenKappa', report, kappaReading(kappa))}
${figure('Percent agreement', report.percentAgreement, 'percentAgreement', report, agreementReading(report.percentAgreement, report.coders))}
${figure("Gwet's AC1", report.gwetAC1, 'gwetAC1', report, kappaReading(report.gwetAC1))}
</div>
<h2>All figures</h2>
<table>${rows([
    [
      'α nominal / ordinal / interval / ratio',
      [
        report.krippendorffAlpha.nominal,
        report.krippendorffAlpha.ordinal,
        report.krippendorffAlpha.interval,
        report.krippendorffAlpha.ratio,
      ]
        .map((v) => fmt(v, 4))
        .join(' / '),
    ],
    ["Cohen's κ", fmt(report.cohenKappa, 4)],
    ['weighted κ linear / quadratic', `${fmt(report.weightedKappa.linear, 4)} / ${fmt(report.weightedKappa.quadratic, 4)}`],
    ["Fleiss' κ", fmt(report.fleissKappa, 4)],
    ["Gwet's AC1", fmt(report.gwetAC1, 4)],
    ['percent agreement', fmt(report.percentAgreement, 4)],
  ])}</table>
<h2>Confusion</h2>
${heatmap(report)}
<h2>Per category</h2>
<table>${rows(report.details.perCategory.map((c) => [c.category, `${fmt(c.agreement)} <span class="muted">(${c.values} values)</span>`]))}</table>
<h2>Coder pairs</h2>
<table><tr><th>pair</th><th>units</th><th>agreement</th><th>κ</th></tr>${report.details.pairs
    .map(
      (p) =>
        `<tr><td>${escape(p.coders.join(' × '))}</td><td>${p.unitsCompared}</td><td>${fmt(p.percentAgreement)}</td><td>${fmt(ordinal ? p.weightedKappa.quadratic : p.cohenKappa)}</td></tr>`,
    )
    .join('')}</table>
${
  context.coverage && context.coverage.byDate.length
    ? `<h2>Agreement by coding date</h2><table><tr><th>date</th><th>compared</th><th>agreed</th><th>share</th></tr>${context.coverage.byDate
        .map((d) => `<tr><td>${escape(d.date)}</td><td>${d.compared}</td><td>${d.agreed}</td><td>${fmt(d.agreed / d.compared)}</td></tr>`)
        .join('')}</table>`
    : ''
}
${report.notes.length ? `<h2>Notes</h2><ul>${report.notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
