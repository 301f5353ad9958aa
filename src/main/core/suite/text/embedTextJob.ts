/**
 * The `suite.embedText` job: one table's text column → text vectors per video, written as
 * an .npz (ids, text, text_present) or an .npy matrix with <name>.ids.txt beside it, so the
 * lab can precompute embeddings (and reuse them as a suite's "embeddings"). Vectors come from
 * the same cache and code path as a suite run's "text", so both agree exactly.
 */
import { FramelabError } from '../../../../shared/errors';
import type { SuiteEmbedTextParams, SuiteEmbedTextResult } from '../../../../shared/suite';
import { checkFiles, embedTextFiles } from '../../jobs/outputChecks';
import { describeHeader } from '../../workspace/describeContent';
import { writeOutputFile, writeOutputFileWith } from '../../workspace/outputPaths';
import { loadTable } from '../data/dataset';
import { writeNpy, writeNpz } from '../data/npyWrite';
import type { RunReporter } from '../runs/run';
import { textColumn } from '../data/table';
import { embedTexts } from './textEmbeddings';

/** One text per id: a video listed on several rows (captures) must carry the same text on each. */
function textPerVideo(ids: string[], texts: (string | null)[], file: string, column: string): { ids: string[]; texts: (string | null)[] } {
  const at = new Map<string, number>();
  const outIds: string[] = [];
  const outTexts: (string | null)[] = [];
  ids.forEach((id, row) => {
    const seen = at.get(id);
    if (seen === undefined) {
      at.set(id, outIds.length);
      outIds.push(id);
      outTexts.push(texts[row]!);
    } else if ((outTexts[seen] ?? null) !== (texts[row] ?? null)) {
      throw new FramelabError(
        'INVALID_INPUT',
        `${file}: video "${id}" has two different ${column} values (${JSON.stringify(outTexts[seen])} and ${JSON.stringify(texts[row])} at row ${row + 1}); filter or dedupe the table first.`,
      );
    }
  });
  return { ids: outIds, texts: outTexts };
}

export async function runEmbedText(reporter: RunReporter, homeRoot: string, params: SuiteEmbedTextParams): Promise<SuiteEmbedTextResult> {
  // The output paths (and the ids file beside a .npy) are checked first, and again as each is written.
  const { matrix: matrixOut, ids: idsOut } = embedTextFiles(params);
  checkFiles([matrixOut, idsOut]);
  reporter.progress(0.01, 'reading the table');
  const table = await loadTable({ file: params.input });
  const col = table.columns.get(params.column);
  if (!col)
    throw new FramelabError(
      'INVALID_INPUT',
      `${params.input} has no column "${params.column}"; ${describeHeader([...table.columns.keys()])}.`,
    );
  if (col.kind !== 'text')
    throw new FramelabError('INVALID_INPUT', `column "${params.column}" of ${params.input} is numeric; it must hold text.`);
  const rows = textPerVideo(textColumn(table, params.idColumn, 'the video id'), col.values, params.input, params.column);
  reporter.throwIfCancelled();

  const res = await embedTexts(rows.texts, {
    modelDir: params.model,
    homeRoot,
    batchSize: params.batchSize,
    onProgress: (done, total) => reporter.progress(0.05 + (0.9 * done) / Math.max(total, 1), `embedding ${done}/${total} texts`),
    throwIfCancelled: () => reporter.throwIfCancelled(),
  });

  const matrix = { kind: 'f4' as const, shape: [rows.ids.length, res.dim], data: res.vectors };
  let idsFile: string | null = null;
  // Written under a temporary name and put in place: an output file is complete or absent.
  if (idsOut) {
    idsFile = writeOutputFile(idsOut.file, rows.ids.join('\n') + '\n', idsOut.rules);
    writeOutputFileWith(matrixOut.file, matrixOut.rules, (tmp) => writeNpy(tmp, matrix));
  } else {
    writeOutputFileWith(matrixOut.file, matrixOut.rules, (tmp) =>
      writeNpz(tmp, {
        ids: { kind: 'str', data: rows.ids },
        text: matrix,
        text_present: { kind: 'u1', shape: [rows.ids.length], data: res.present },
      }),
    );
  }
  reporter.progress(1, 'done');
  return {
    out: params.out,
    idsFile,
    rows: rows.ids.length,
    dim: res.dim,
    present: res.stats.present,
    computed: res.stats.computed,
    cached: res.stats.cached,
    model: { dir: res.model.dir, identity: res.model.identity },
  };
}
