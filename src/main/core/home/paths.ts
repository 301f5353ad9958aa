import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Framelab';

/**
 * The default home is the platform's app-data folder, the same one Electron's
 * `app.getPath('userData')` gives for this product name, so the desktop app and the CLI
 * open the same workspace.
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), PRODUCT_NAME);
}

/** `--home` wins, then FRAMELAB_HOME, then the platform default. */
export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag || env.FRAMELAB_HOME || defaultHome(env);
  return path.resolve(chosen);
}

export interface HomePaths {
  root: string;
  dbFile: string;
  lockFile: string;
  /** Files whose hashes the database records (frames, weights, exports, ...). */
  filesDir: string;
  /**
   * Exports the app makes for a person to take away (browser downloads, staged one folder per
   * export); the browser-mode server serves files from here and from runsDir only.
   */
  exportsDir: string;
  /** Outputs of jobs run with their default folder (runs/finetune/<job>, ...). */
  runsDir: string;
  /** The owner's journal of files it puts into filesDir before registering them (workspace/pendingFiles.ts). */
  pendingFiles: string;
}

export function homePaths(root: string): HomePaths {
  return {
    root,
    dbFile: path.join(root, 'framelab.db'),
    lockFile: path.join(root, 'owner.lock'),
    filesDir: path.join(root, 'files'),
    exportsDir: path.join(root, 'exports'),
    runsDir: path.join(root, 'runs'),
    pendingFiles: path.join(root, 'pending-files.jsonl'),
  };
}
