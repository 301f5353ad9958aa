/**
 * The paths a job writes to that its caller chose, with the rules each must pass
 * (workspace/outputPaths). The owner checks them when the job is started, so a bad path or an
 * existing file is refused at once (the UI can ask "replace it?" and start again with
 * `overwrite`), not after an hour of work; the job checks them again when it writes, since
 * the folder may change meanwhile. Kept free of heavy imports: the owner loads it.
 */
import type { JobKind, JobParams } from '../../../shared/jobs';
import type { ModelsExportParams } from '../../../shared/models';
import type { SuiteEmbedTextParams, SuiteScoreParams } from '../../../shared/suite';
import { isGsUrl } from '../infer/gsUrl';
import { checkFolderOutput, fileOutput, type FileOutputRules } from '../workspace/outputPaths';

export interface PlannedFile {
  file: string;
  rules: FileOutputRules;
}

/** `x.safetensors` → `x.safetensors.json`, the sidecar beside exported weights. */
export const sidecarFileOf = (weights: string): string => `${weights}.json`;

/** `models.export`: the format's file, and for safetensors its sidecar. */
export function modelExportFiles(params: Pick<ModelsExportParams, 'format' | 'out' | 'overwrite'>): PlannedFile[] {
  const files: PlannedFile[] = [{ file: params.out, rules: { extensions: [params.format], overwrite: params.overwrite } }];
  if (params.format === 'safetensors')
    files.push({ file: sidecarFileOf(params.out), rules: { extensions: ['json'], overwrite: params.overwrite } });
  return files;
}

/** `.npy` → `.ids.txt`: where embed-text writes the ids of a matrix without them. */
export const idsFileFor = (npy: string): string => npy.replace(/\.npy$/i, '.ids.txt');

/** `suite.embedText`: the .npz, or the .npy and its ids file. */
export function embedTextFiles(params: Pick<SuiteEmbedTextParams, 'out' | 'overwrite'>): { matrix: PlannedFile; ids: PlannedFile | null } {
  const matrix = { file: params.out, rules: { extensions: ['npz', 'npy'], overwrite: params.overwrite } };
  const ids = params.out.toLowerCase().endsWith('.npy')
    ? { file: idsFileFor(params.out), rules: { extensions: ['txt'], overwrite: params.overwrite } }
    : null;
  return { matrix, ids };
}

/** `suite.score`: the predictions CSV. */
export const scoreFile = (params: Pick<SuiteScoreParams, 'out' | 'overwrite'>): PlannedFile => ({
  file: params.out,
  rules: { extensions: ['csv'], overwrite: params.overwrite },
});

/** Checks each planned file; returns their resolved paths in order. */
export function checkFiles(files: readonly (PlannedFile | null)[]): string[] {
  return files.flatMap((f) => (f ? [fileOutput(f.file, f.rules)] : []));
}

type OutputChecks = { [K in JobKind]?: (params: JobParams<K>) => void };

const outputChecks: OutputChecks = {
  'models.export': (params) => void checkFiles(modelExportFiles(params)),
  'suite.embedText': (params) => {
    const { matrix, ids } = embedTextFiles(params);
    checkFiles([matrix, ids]);
  },
  'suite.score': (params) => void checkFiles([scoreFile(params)]),
  // Folders: created when the job writes; an existing one is reused (a resume), never refused.
  // A gs:// output is staged in the home; the job checks the URL.
  'infer.run': (params) => void (isGsUrl(params.outDir) || checkFolderOutput(params.outDir)),
  'finetune.run': (params) => {
    if (params.outDir !== undefined) checkFolderOutput(params.outDir);
  },
};

/** Throws INVALID_INPUT or CONFLICT when a path the job would write to is refused; other kinds pass. */
export function checkJobOutputs<K extends JobKind>(kind: K, params: JobParams<K>): void {
  const check = outputChecks[kind] as ((params: JobParams<K>) => void) | undefined;
  check?.(params);
}
