import type { SavePathRequest } from '../../shared/bridge';
import { client } from './client';
import { callConfirmingOverwrite } from './confirmOverwrite';

/**
 * Where an export goes (issue 20, item 8). Every export screen hands its API call to
 * `deliverExport`, which picks the destination the way the person expects it here:
 *
 * - a folder typed on the screen: written there on the server, as the CLI and scripts do
 *   (a file already there is replaced only after "Replace it?");
 * - browser mode: written into a fresh folder of the home's exports area, then downloaded by
 *   the browser (GET /downloads, the API token, attachment);
 * - desktop: the system's save dialog chooses the file (or folder), which then is written.
 */
export type ExportDelivery =
  | { kind: 'download'; download(file: string): Promise<void> }
  | { kind: 'dialog'; choose(request: SavePathRequest): Promise<string | null> };

let current: ExportDelivery | null = null;

export function setExportDelivery(delivery: ExportDelivery | null): void {
  current = delivery;
}

export function exportDelivery(): ExportDelivery | null {
  return current;
}

export interface ExportJob {
  /** A one-file export: its name (`reliability_distance.html`). Absent: the export writes a folder of files. */
  fileName?: string;
  /** Writes the export at `target` (the file, or the folder) and answers the files written. */
  produce(target: string, overwrite: boolean): Promise<string[]>;
}

export interface ExportOutcome {
  /** server: into the typed folder; downloaded: by the browser; saved: where the save dialog said. */
  where: 'server' | 'downloaded' | 'saved';
  files: string[];
}

const joinPath = (folder: string, name: string) => `${folder.replace(/[\\/]+$/, '')}/${name}`;
export const baseName = (file: string): string => file.split(/[\\/]/).at(-1) ?? file;

/** Runs the export to its destination; null when the person cancelled or kept the existing files. */
export async function deliverExport(job: ExportJob, serverFolder = ''): Promise<ExportOutcome | null> {
  const folder = serverFolder.trim();
  if (folder) {
    const files = await callConfirmingOverwrite((overwrite) =>
      job.produce(job.fileName ? joinPath(folder, job.fileName) : folder, overwrite),
    );
    return files && { where: 'server', files };
  }
  if (!current) throw new Error('This window cannot download or save files; type a folder on the server instead.');
  if (current.kind === 'dialog') {
    const extension = job.fileName?.split('.').at(-1)?.toLowerCase() ?? '';
    const chosen = await current.choose(job.fileName ? { kind: 'file', defaultName: job.fileName, extension } : { kind: 'folder' });
    if (!chosen) return null;
    // The save dialog has already asked before replacing a file; a folder's files are asked about here.
    const files = job.fileName
      ? await job.produce(chosen, true)
      : await callConfirmingOverwrite((overwrite) => job.produce(chosen, overwrite));
    return files && { where: 'saved', files };
  }
  const { dir } = await client().call('exports.stage', {});
  const files = await job.produce(job.fileName ? joinPath(dir, job.fileName) : dir, false);
  for (const file of files) await current.download(file);
  return { where: 'downloaded', files };
}

/** One sentence for the notice or the form's line: what happened to which files. */
export function describeOutcome(outcome: ExportOutcome): string {
  const names = outcome.files.map(baseName).join(', ');
  if (outcome.where === 'downloaded') return `Downloaded ${names}`;
  if (outcome.where === 'saved') return `Saved ${outcome.files.join(', ')}`;
  return `Written to ${outcome.files.join(', ')}`;
}
