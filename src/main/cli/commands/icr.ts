import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { ICR_STATISTICS, statisticValue, type IcrReport, type IcrStatistic } from '../../../shared/icr';
import { parseCsv } from '../../core/annotations/csv';
import { csvIcrReport } from '../../core/icr/csvReport';
import { chromiumPrinter } from '../../core/icr/chromiumPrinter';
import { formatOf, writeReport } from '../../core/icr/exportReport';
import { DEFAULT_RESAMPLES } from '../../core/icr/report';
import { numberFlag, parseCommandArgs } from '../args';
import type { Command } from '../command';
import { withClient } from '../session';
import { warnLocalFallback } from '../sourceWarning';

const USAGE = `framelab icr --dimension COL [--input FILE.csv] [--categories "c1,c2,..."] [--unit-col frame_id] [--coder-col coder]
           [--bootstrap N] [--seed S] [--by-video COL] [--report FILE.html|.pdf|.json|.csv [--overwrite]] [--json]`;

const invalid = (message: string) => new FramelabError('INVALID_INPUT', `${message}\nUsage: ${USAGE}`);

const LABELS: Record<IcrStatistic, string> = {
  percentAgreement: 'percent agreement',
  cohenKappa: "Cohen's kappa",
  'weightedKappa.linear': 'weighted kappa, linear',
  'weightedKappa.quadratic': 'weighted kappa, quadratic',
  'krippendorffAlpha.nominal': "Krippendorff's alpha, nominal",
  'krippendorffAlpha.ordinal': "Krippendorff's alpha, ordinal",
  'krippendorffAlpha.interval': "Krippendorff's alpha, interval",
  'krippendorffAlpha.ratio': "Krippendorff's alpha, ratio",
  fleissKappa: "Fleiss' kappa",
  gwetAC1: "Gwet's AC1",
};

export function describeReport(report: IcrReport, dimension: string): string {
  const f = (x: number) => x.toFixed(3);
  const width = Math.max(...Object.values(LABELS).map((l) => l.length));
  const level = report.details.bootstrap ? `${Math.round(report.details.bootstrap.confidence * 100)}% CI` : '';
  const lines = [
    `${dimension}: ${report.units} units, ${report.unitsCompared} with two or more codes, ${report.coders} coders (${report.details.coders.join(', ')})`,
    `categories in order: ${report.details.categories.join(', ')} (${report.details.order})`,
    '',
    `${''.padEnd(width)}  value   ${level}`,
  ];
  for (const s of ICR_STATISTICS) {
    const v = statisticValue(report, s);
    if (v === null) continue;
    const ci = report.ci[s];
    lines.push(`${LABELS[s].padEnd(width)}  ${f(v).padStart(6)}  ${ci ? `[${f(ci[0])}, ${f(ci[1])}]` : ''}`.trimEnd());
  }
  if (report.confusion) {
    const { categories, matrix } = report.confusion;
    const cell = Math.max(...categories.map((c) => c.length), 4);
    lines.push('', `confusion (rows ${report.details.coders[0]}, columns ${report.details.coders[1]}):`);
    lines.push(`${''.padEnd(cell)}  ${categories.map((c) => c.padStart(cell)).join('  ')}`);
    matrix.forEach((row, i) => lines.push(`${categories[i]!.padEnd(cell)}  ${row.map((n) => String(n).padStart(cell)).join('  ')}`));
  }
  if (report.notes.length > 0) lines.push('', 'notes:', ...report.notes.map((n) => `- ${n}`));
  const source = report.annotationsSource;
  if (source) {
    lines.push(
      '',
      source.kind === 'bucket'
        ? `annotations: the bucket's (generation ${source.generation}, synced ${source.syncedAt})`
        : `annotations: LOCAL copy, ${source.syncedAt ? `not synced since ${source.syncedAt} (generation ${source.generation})` : 'never synced with the bucket'}`,
    );
  }
  return lines.join('\n');
}

/** "a,b,c" read as one CSV record, so a category holding a comma can be quoted. */
function categoryList(text: string): string[] {
  const { records, problems } = parseCsv(text);
  const list = (records[0] ?? []).map((c) => c.trim());
  if (problems.length > 0 || records.length > 1 || list.length === 0 || list.some((c) => c === '')) {
    throw invalid(
      `--categories takes the categories in order, separated by commas (e.g. "Intimate,Personal,Social,Public"), not ${JSON.stringify(text)}.`,
    );
  }
  return list;
}

/**
 * `framelab icr`: the reliability report of one dimension. With --input it reads a long CSV
 * and computes in this process (no home is owned, nothing is written); without it, it asks
 * the project (`icr.report`). Null figures are not failures: the exit code is 0.
 */
export const icrCommand: Command = {
  name: 'icr',
  usage: USAGE,
  summary: 'Inter-coder reliability of a dimension: agreement, kappas, alphas, AC1, bootstrap intervals',
  async run(args, globals) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        input: { type: 'string' },
        dimension: { type: 'string' },
        categories: { type: 'string' },
        'unit-col': { type: 'string' },
        'coder-col': { type: 'string' },
        bootstrap: { type: 'string' },
        seed: { type: 'string' },
        'by-video': { type: 'string' },
        report: { type: 'string' },
        overwrite: { type: 'boolean' },
      },
      USAGE,
    );
    if (positionals.length > 0) throw invalid(`Unexpected argument "${positionals[0]}".`);
    const dimension = values.dimension?.trim();
    if (!dimension) throw invalid('icr needs --dimension (the column or codebook dimension to report on).');
    const categories = values.categories === undefined ? undefined : categoryList(values.categories);
    const bootstrap = numberFlag(values.bootstrap, 'bootstrap', { integer: true, min: 0, max: 100_000, usage: USAGE }) ?? DEFAULT_RESAMPLES;
    const seed = numberFlag(values.seed, 'seed', { integer: true, min: 0, max: 0xffffffff, usage: USAGE }) ?? 1;
    const byVideo = values['by-video']?.trim();
    if (byVideo === '') throw invalid("--by-video takes the column naming each unit's video (e.g. video_id).");

    const reportFile = values.report === undefined ? undefined : path.resolve(values.report);
    const format = reportFile === undefined ? undefined : formatOf(reportFile);
    if (values.overwrite !== undefined && reportFile === undefined)
      throw invalid('--overwrite goes with --report (it lets the report replace an existing file).');
    const overwrite = values.overwrite ?? false;
    let report: IcrReport;
    if (values.input !== undefined) {
      report = csvIcrReport({
        file: path.resolve(values.input),
        dimension,
        categories,
        unitCol: values['unit-col']?.trim() || 'frame_id',
        coderCol: values['coder-col']?.trim() || 'coder',
        groupCol: byVideo,
        bootstrap,
        seed,
        home: globals.home,
      });
      if (reportFile && format) {
        const context = {
          dimension: { name: dimension, label: dimension, level: report.details.level },
          report,
          coverage: null,
          source: `file ${path.resolve(values.input)}`,
          generatedAt: new Date().toISOString(),
        };
        await writeReport(context, format, reportFile, chromiumPrinter(), overwrite);
      }
    } else {
      if (values['unit-col'] !== undefined || values['coder-col'] !== undefined) {
        throw invalid("--unit-col and --coder-col name columns of --input; the project's units are frames and its coders are known.");
      }
      if (byVideo !== undefined && byVideo !== 'video_id') {
        throw invalid(`The project groups frames by video_id only; use --by-video video_id, not "${byVideo}".`);
      }
      const input = { dimension, categories, bootstrap, seed, byVideo: byVideo !== undefined };
      report = await withClient(globals, async (client) => {
        // Bucket first: the report syncs (when a bucket is set), then the file is written from the same copy.
        const fresh = await client.call('icr.report', { ...input, fresh: true });
        warnLocalFallback(fresh.annotationsSource, `the ${dimension} reliability report`);
        if (reportFile && format) await client.call('icr.export', { ...input, format, out: reportFile, overwrite });
        return fresh;
      });
    }
    return { value: report, text: describeReport(report, dimension) };
  },
};
