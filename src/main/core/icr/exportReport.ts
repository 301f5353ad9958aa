import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { ICR_STATISTICS, statisticValue, type IcrReport } from '../../../shared/icr';
import { writeCsvForPeople } from '../annotations/csvForPeople';
import { readCodebook } from '../coding/codebook';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { coverage } from './coverage';
import { projectIcrReport } from './project';
import { renderReportHtml, type ReportContext } from './reportHtml';
import { fileOutput, writeOutputFile } from '../workspace/outputPaths';

export type ReportFormat = 'html' | 'pdf' | 'json' | 'csv';

/** Turns self-contained HTML into a PDF: Chromium (browser mode, CLI) or Electron's printToPDF (desktop). */
export type PdfPrinter = (html: string) => Promise<Buffer>;

/** The figures as CSV: one row per statistic with its value and interval; empty cells where undefined. */
export function figuresCsv(report: IcrReport): string {
  const cell = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
  // For people (a spreadsheet): statistic names and numbers only, so nothing is changed; through the same writer all the same.
  return writeCsvForPeople(
    ['statistic', 'value', 'ci_low', 'ci_high'],
    ICR_STATISTICS.map((s) => [s, cell(statisticValue(report, s)), cell(report.ci[s]?.[0]), cell(report.ci[s]?.[1])]),
  );
}

/** "annotations from gs … generation G synced at T", or the loud local fallback. */
function describeSource(source: IcrReport['annotationsSource']): string {
  if (!source) return 'annotations from a file';
  if (source.kind === 'bucket') return `annotations from the bucket (generation ${source.generation}, synced ${source.syncedAt})`;
  return source.syncedAt
    ? `LOCAL annotations, not synced since ${source.syncedAt} (generation ${source.generation})`
    : 'LOCAL annotations, never synced with the bucket';
}

export function projectReportContext(
  db: Db,
  home: HomePaths,
  input: { dimension: string; categories?: string[]; bootstrap?: number; seed?: number; byVideo?: boolean },
): ReportContext {
  const report = projectIcrReport(db, { bootstrap: 1000, seed: 1, byVideo: false, ...input });
  const dimension = readCodebook(db).dimensions.find((d) => d.name === input.dimension);
  return {
    dimension: { name: input.dimension, label: dimension?.label ?? input.dimension, level: dimension?.level ?? null },
    report,
    coverage: coverage(db, input.dimension),
    source: `project ${home.root} · ${describeSource(report.annotationsSource)}`,
    generatedAt: new Date().toISOString(),
  };
}

/**
 * Writes the report in one format, atomically, to a path the caller chose (outputPaths rules:
 * the format's extension, never replacing a file unless `overwrite`). PDF needs a printer;
 * without one it says how to get a PDF.
 */
export async function writeReport(
  context: ReportContext,
  format: ReportFormat,
  out: string,
  printer?: PdfPrinter,
  overwrite = false,
): Promise<{ file: string; format: ReportFormat }> {
  const rules = { extensions: [format], overwrite };
  fileOutput(out, rules); // refuse a bad path before rendering (a PDF takes a browser)
  let bytes: Buffer;
  if (format === 'json') bytes = Buffer.from(JSON.stringify(context.report, null, 2) + '\n');
  else if (format === 'csv') bytes = Buffer.from(figuresCsv(context.report));
  else if (format === 'html') bytes = Buffer.from(renderReportHtml(context));
  else {
    if (!printer) {
      throw new FramelabError(
        'CAPABILITY_MISSING',
        'Printing a PDF needs Chromium: install it (apt-get install -y chromium) or set CHROMIUM_PATH; or export HTML and print it from a browser.',
      );
    }
    bytes = await printer(renderReportHtml(context));
  }
  return { file: writeOutputFile(out, bytes, rules), format };
}

/** The format a report file gets from its extension (.html, .pdf, .json, .csv). */
export function formatOf(file: string): ReportFormat {
  const ext = path.extname(file).slice(1).toLowerCase();
  if (ext === 'html' || ext === 'pdf' || ext === 'json' || ext === 'csv') return ext;
  throw new FramelabError('INVALID_INPUT', `A report file ends in .html, .pdf, .json or .csv, not "${path.basename(file)}".`);
}
