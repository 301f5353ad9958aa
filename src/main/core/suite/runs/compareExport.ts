/**
 * `framelab suite compare RUN RUN… --out DIR`: the comparison the Suite screen's Compare shows,
 * as files a script or a paper reads (the lab's aggregate_train_suite_results.py wrote them to
 * `comparison/`): the runs, every model's metrics in each run, the config fields that differ,
 * and the whole comparison (with the split warning) as JSON. All files are checked before any
 * is written, so a refusal (one exists, no --overwrite) leaves the folder as it was.
 */
import path from 'node:path';
import type { SuiteCompare } from '../../../../shared/suiteViews';
import { writeCsvForPeople } from '../../annotations/csvForPeople';
import { fileOutput, folderOutput, writeOutputFile } from '../../workspace/outputPaths';
import { METRIC_NAMES } from '../models/metrics';

export const COMPARISON_DIR = 'comparison';

const cell = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(v));

/** File name (inside comparison/) → text. */
export function comparisonFiles(compare: SuiteCompare): Record<string, string> {
  const runs = writeCsvForPeople(
    ['run_id', 'name', 'tags', 'created_at', 'train_rows', 'val_rows', 'test_rows', 'folds', 'rank_metric', 'split_sha256'],
    compare.runs.map((r) => [
      r.runId,
      r.name ?? '',
      r.tags.join(';'),
      r.createdAt ?? '',
      String(r.rows.train),
      String(r.rows.val),
      String(r.rows.test),
      r.folds === null ? '' : String(r.folds),
      r.rankMetric,
      r.splitHash ?? '',
    ]),
  );
  const models = writeCsvForPeople(
    ['model', 'run_id', 'rank', ...METRIC_NAMES.map((m) => `val_${m}`), ...METRIC_NAMES.map((m) => `test_${m}`)],
    compare.models.flatMap((m) =>
      m.byRun.flatMap((entry, i) =>
        entry
          ? [
              [
                m.model,
                compare.runs[i]!.runId,
                String(entry.rank),
                ...METRIC_NAMES.map((k) => cell(entry.val[k])),
                ...METRIC_NAMES.map((k) => cell(entry.test?.[k])),
              ],
            ]
          : [],
      ),
    ),
  );
  const diffs = writeCsvForPeople(
    ['field', ...compare.runs.map((r) => r.runId)],
    compare.configDiffs.map((d) => [
      d.field,
      ...d.values.map((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v))),
    ]),
  );
  return {
    'runs.csv': runs,
    'models.csv': models,
    'config_diffs.csv': diffs,
    'comparison.json': `${JSON.stringify(compare, null, 2)}\n`,
  };
}

/** Writes `<outDir>/comparison/*`; returns the files written. */
export function writeComparison(compare: SuiteCompare, outDir: string, overwrite: boolean): string[] {
  const dir = path.join(folderOutput(outDir), COMPARISON_DIR);
  folderOutput(dir);
  const files = Object.entries(comparisonFiles(compare)).map(([name, text]) => ({
    file: path.join(dir, name),
    text,
    rules: { extensions: [path.extname(name).slice(1)], overwrite },
  }));
  for (const f of files) fileOutput(f.file, f.rules);
  return files.map((f) => writeOutputFile(f.file, f.text, f.rules));
}
