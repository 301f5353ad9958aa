import fs from 'node:fs';
import path from 'node:path';
import { AnalysisRunResult, type EXPORT_FORMATS } from '../../../shared/analysis';
import { FramelabError } from '../../../shared/errors';
import { checkFolderOutput, fileOutput, folderOutput, writeOutputFile } from '../workspace/outputPaths';
import { focalFullCsv, focalPivotCsv, longCsv, tableHtml, tableTex, wideCsv } from './exportFormats';
import { journalTables } from './exportTables';

/**
 * `framelab analysis export --run ID --format csv|html|tex --out DIR`: a finished run's
 * regression tables as journals print them, into a folder the lead chose (outputPaths rules:
 * created when its parent exists; a file already there is replaced only with overwrite, and
 * every file is checked before any is written, so a refusal leaves the folder as it was).
 *
 * Files, per format (a table only when the run has its models):
 * - csv: `ols_main.csv`, `ols_interactions.csv`, `ols_pairwise_interactions.csv` (long: one
 *   row per model × term, full precision) and `<table>_wide.csv` (the printed layout);
 * - html: `<table>.html` (self-contained); tex: `<table>.tex` (booktabs);
 * - always, when the run has focal models: `focal_interactions_full.csv` and
 *   `focal_interactions_pivot.csv`.
 */

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RunForExport {
  result: AnalysisRunResult;
  /** The run mean-centred its focal predictors (from config.json). */
  centered: boolean;
}

/** result.json (and the centering flag of config.json) of a finished run. */
export function readRunForExport(runDir: string): RunForExport {
  const resultFile = path.join(runDir, 'result.json');
  let text: string;
  try {
    text = fs.readFileSync(resultFile, 'utf8');
  } catch {
    throw new FramelabError('CONFLICT', `${runDir} has no result.json: the run has not finished (or failed). Export a finished run.`, {
      runDir,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FramelabError(
      'INVALID_INPUT',
      `${resultFile} is not valid JSON (${(err as Error).message}); the run folder was changed or damaged.`,
    );
  }
  const parsed = AnalysisRunResult.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FramelabError(
      'INVALID_INPUT',
      `${resultFile} is not a run result (${issue.path.join('.') || 'top level'}: ${issue.message}); the run folder was changed or damaged.`,
    );
  }
  let centered = false;
  try {
    const config = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8')) as {
      center?: unknown;
      config?: { center?: unknown };
    };
    centered = config.center === true || config.config?.center === true;
  } catch {
    // A run without its config: the tables simply do not mention centering.
  }
  return { result: parsed.data, centered };
}

/** The files of an export, name → content, in the order they are written. */
export function exportFiles(run: RunForExport, format: ExportFormat): Map<string, string> {
  const { result } = run;
  const files = new Map<string, string>();
  for (const table of journalTables(result.models, { centered: run.centered })) {
    if (format === 'csv') {
      files.set(`${table.name}.csv`, longCsv(table.models));
      files.set(`${table.name}_wide.csv`, wideCsv(table));
    } else if (format === 'html') files.set(`${table.name}.html`, tableHtml(table, result.runId));
    else files.set(`${table.name}.tex`, tableTex(table, result.runId));
  }
  if (result.models.some((m) => m.spec === 'focal')) {
    files.set('focal_interactions_full.csv', focalFullCsv(result.models));
    files.set('focal_interactions_pivot.csv', focalPivotCsv(result.models));
  }
  return files;
}

export interface ExportResult {
  /** Absolute paths, in the order written. */
  files: string[];
}

export function exportRun(runDir: string, format: ExportFormat, outInput: string, overwrite: boolean): ExportResult {
  const run = readRunForExport(runDir);
  if (run.result.models.length === 0) throw new FramelabError('CONFLICT', `The run in ${runDir} has no regression models to export.`);
  const out = checkFolderOutput(outInput);
  const real = (p: string) => (fs.existsSync(p) ? fs.realpathSync(p) : path.resolve(p));
  const runReal = real(runDir);
  if (real(out) === runReal || real(out).startsWith(runReal + path.sep)) {
    throw new FramelabError('INVALID_INPUT', `${out} is inside the run folder; runs are immutable: export to another folder.`, {
      path: out,
    });
  }
  const files = exportFiles(run, format);
  const names = [...files.keys()];
  const existing = names.filter((n) => fs.existsSync(path.join(out, n)));
  if (existing.length && !overwrite) {
    throw new FramelabError(
      'CONFLICT',
      `${out} already holds ${existing.join(', ')}; pass overwrite (CLI: --overwrite) to replace them, or choose another folder.`,
      {
        existing,
        path: out,
        exists: true,
      },
    );
  }
  const rulesOf = (name: string) => ({ extensions: [path.extname(name).slice(1)], overwrite });
  // Every file checked (a link or a folder named like one refuses) before any is written.
  if (fs.existsSync(out)) for (const name of names) fileOutput(path.join(out, name), rulesOf(name));
  folderOutput(out);
  return { files: names.map((name) => writeOutputFile(path.join(out, name), files.get(name)!, rulesOf(name))) };
}
