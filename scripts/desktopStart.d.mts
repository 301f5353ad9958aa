/** Types of scripts/desktopStart.mjs (plain JavaScript: `npm start` runs before anything is compiled). */
export type StartAction = 'download' | 'prepare-sqlite' | 'window' | 'browser';

export function electronBinary(root: string, env?: NodeJS.ProcessEnv): string | null;
export function skipsElectronDownload(env?: NodeJS.ProcessEnv): boolean;
export function chooseStart(state: {
  binary: string | null;
  env?: NodeJS.ProcessEnv;
  downloadError?: string | null;
  sqliteError?: string | null;
}): { action: StartAction; reason?: string };
