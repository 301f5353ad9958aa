/**
 * Copies a finished run's three CSVs to a folder the lead chose. Each file is copied under a
 * temporary name and renamed, so the destination holds the old file or the whole new one; a
 * file already there is replaced only when asked, and the answer says which were replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { InferExportResult } from '../../../shared/inferResults';
import { ERRORS_CSV, PREDICTIONS_CSV, VIDEO_CSV } from './outputs';
import { resultsIndex } from './resultsIndex';

export const EXPORT_FILES = [PREDICTIONS_CSV, VIDEO_CSV, ERRORS_CSV] as const;

export function exportResults(outDirInput: string, destInput: string, overwrite: boolean): InferExportResult {
  const outDir = path.resolve(outDirInput);
  const dest = path.resolve(destInput);
  const index = resultsIndex(outDir);
  if (!index.complete) {
    throw new FramelabError(
      'CONFLICT',
      `The run in ${outDir} has not finished: its CSVs do not hold every saved video yet. Resume the run (or wait for it to end), then export.`,
    );
  }
  if (dest === outDir) throw new FramelabError('INVALID_INPUT', 'Export to another folder than the output folder itself.');
  if (fs.existsSync(dest) && !fs.statSync(dest).isDirectory()) throw new FramelabError('INVALID_INPUT', `${dest} is a file, not a folder.`);
  const existing = EXPORT_FILES.filter((f) => fs.existsSync(path.join(dest, f)));
  if (existing.length && !overwrite) {
    throw new FramelabError(
      'CONFLICT',
      `${dest} already holds ${existing.join(', ')}: choose another folder, or tick "Replace existing files" to overwrite them.`,
      { existing },
    );
  }
  fs.mkdirSync(dest, { recursive: true });
  const files = EXPORT_FILES.map((name) => {
    const file = path.join(dest, name);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.copyFileSync(path.join(outDir, name), tmp);
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new FramelabError('INTERNAL', `Could not write ${file}: ${(err as Error).message}`);
    }
    return { name, file, bytes: fs.statSync(file).size };
  });
  return { files, replaced: [...existing] };
}
