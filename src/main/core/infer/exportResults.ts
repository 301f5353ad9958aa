/**
 * Copies a finished run's three CSVs and their models sidecar (model ids and sha256s) to a folder the lead chose (created when its parent
 * exists; outputPaths rules). Each file is copied under a temporary name and put in place, so
 * the destination holds the old file or the whole new one; a file already there is replaced
 * only when asked (never a link or anything but a regular file), and the answer says which
 * were replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { InferExportResult } from '../../../shared/inferResults';
import { checkFolderOutput, fileOutput, folderOutput, writeOutputFileWith } from '../workspace/outputPaths';
import { ERRORS_CSV, MODELS_SIDECAR, PREDICTIONS_CSV, VIDEO_CSV } from './outputs';
import { modelsSidecar, readManifest } from './outputState';
import { resultsIndex } from './resultsIndex';

export const EXPORT_FILES = [PREDICTIONS_CSV, VIDEO_CSV, ERRORS_CSV, MODELS_SIDECAR] as const;

const rulesFor = (name: string, overwrite: boolean) => ({ extensions: [name.endsWith('.json') ? 'json' : 'csv'], overwrite });

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
  checkFolderOutput(dest);
  const existing = EXPORT_FILES.filter((f) => fs.existsSync(path.join(dest, f)));
  if (existing.length && !overwrite) {
    throw new FramelabError(
      'CONFLICT',
      `${dest} already holds ${existing.join(', ')}; pass overwrite (CLI: --overwrite) to replace them, or choose another folder.`,
      { existing, path: dest, exists: true },
    );
  }
  // Every file is checked (a link or a folder named like one refuses) before any is written.
  if (fs.existsSync(dest)) for (const name of EXPORT_FILES) fileOutput(path.join(dest, name), rulesFor(name, overwrite));
  folderOutput(dest);
  // A run finished before the sidecar existed: written from its manifest (the same content).
  const manifest = fs.existsSync(path.join(outDir, MODELS_SIDECAR)) ? null : readManifest(outDir);
  const hasSidecar = manifest !== null || fs.existsSync(path.join(outDir, MODELS_SIDECAR));
  const files = EXPORT_FILES.filter((name) => name !== MODELS_SIDECAR || hasSidecar).map((name) => {
    const source = path.join(outDir, name);
    const copy = (tmp: string) =>
      name === MODELS_SIDECAR && manifest ? fs.writeFileSync(tmp, modelsSidecar(manifest)[MODELS_SIDECAR]!) : fs.copyFileSync(source, tmp);
    const file = writeOutputFileWith(path.join(dest, name), rulesFor(name, overwrite), copy);
    return { name, file, bytes: fs.statSync(file).size };
  });
  return { files, replaced: [...existing] };
}
