import fs from 'node:fs';
import type { AppInfo, AppMode } from '../../shared/api';
import { ensureDefaultCodebook } from './coding/codebook';
import { openDatabase, schemaVersion, type Db } from './db/open';
import { appVersion } from './appRoot';
import { EventBus } from './events';
import { acquireHomeLock, type HomeLock } from './home/lock';
import { homePaths, type HomePaths } from './home/paths';
import type { PdfPrinter } from './icr/exportReport';
import { applyJobResult } from './jobs/apply';
import type { ProcessLauncher } from './jobs/launcher';
import { precheckJob } from './jobs/precheck';
import { JobRepository } from './jobs/repository';
import { JobSupervisor } from './jobs/supervisor';
import { SyncService, type SyncServiceOptions } from './sync/service';
import { settlePendingFilesAtClose, sweepLeftoversAtStartUp } from './workspace/leftovers';

/** Everything a handler needs: the owned home, its database, the job supervisor, the event bus. */
export interface Core {
  readonly home: HomePaths;
  readonly db: Db;
  readonly events: EventBus;
  readonly jobs: JobSupervisor;
  readonly jobRepo: JobRepository;
  readonly lock: HomeLock;
  readonly info: AppInfo;
  readonly pdfPrinter?: PdfPrinter;
  /** Sync rounds with the bucket (run in this owner process). */
  readonly sync: SyncService;
  close(): void;
}

export interface OpenCoreOptions {
  home: string;
  mode: AppMode;
  launcher: ProcessLauncher;
  maxConcurrentJobs?: number;
  /** Prints report PDFs: Chromium in browser mode and the CLI, Electron in the desktop app. */
  pdfPrinter?: PdfPrinter;
  /** Sync timing (tests shorten it). */
  sync?: SyncServiceOptions;
  /** The command line a CLI owner runs, recorded in the lock for whoever finds the home in use. */
  command?: string;
}

const LOCK_MODE = { desktop: 'desktop', browser: 'serve', cli: 'cli' } as const;

/**
 * Takes ownership of a home: the lock first (so two writers can never meet), then the
 * database and its migrations, then the supervisor, which marks jobs a dead owner left
 * running as interrupted.
 */
export function openCore(options: OpenCoreOptions): Core {
  const home = homePaths(options.home);
  // Private to its user (least privilege): the database holds every code, the lock the server token.
  fs.mkdirSync(home.root, { recursive: true, mode: 0o700 });
  const lock = acquireHomeLock(home.lockFile, LOCK_MODE[options.mode], { command: options.command });
  let db: Db | undefined;
  try {
    if (!fs.existsSync(home.dbFile)) makePrivate(home.root);
    db = openDatabase(home.dbFile);
    ensureDefaultCodebook(db);
  } catch (err) {
    db?.close();
    lock.release();
    throw err;
  }
  const events = new EventBus();
  const jobRepo = new JobRepository(db);
  const jobs = new JobSupervisor({
    repo: jobRepo,
    launcher: options.launcher,
    events,
    home: home.root,
    maxConcurrent: options.maxConcurrentJobs,
    applyResult: (kind, result, jobId) => applyJobResult(kind, result as never, { db, home, jobId }),
    checkParams: (kind, params) => precheckJob(kind, params as never, { db }),
  });
  jobs.reconcile();
  // No job of this owner runs yet: whatever interrupted work left under the files folder goes now.
  sweepLeftoversAtStartUp(db, home);
  const sync = new SyncService(db, events, options.sync);
  // One-shot CLI commands run the rounds they ask for; the app and `serve` keep the interval and after-save rounds.
  if (options.mode !== 'cli') sync.start();
  const info: AppInfo = {
    name: 'Framelab',
    version: appVersion(),
    mode: options.mode,
    home: home.root,
    schemaVersion: schemaVersion(db),
    startedAt: new Date().toISOString(),
  };
  let closed = false;
  return {
    home,
    db,
    events,
    jobs,
    jobRepo,
    lock,
    info,
    pdfPrinter: options.pdfPrinter,
    sync,
    close() {
      if (closed) return;
      closed = true;
      sync.stop();
      jobs.shutdown();
      settlePendingFilesAtClose(db, home);
      db.close();
      lock.release();
    },
  };
}

/**
 * A new home is private even when its folder existed: the desktop app's default home is
 * Electron's userData folder, which Electron creates (0755) before the core opens it.
 * An existing home's mode is its owner's choice and stays.
 */
function makePrivate(root: string): void {
  if (process.platform === 'win32') return; // ACLs, not modes: the user's profile folder is private already
  fs.chmodSync(root, 0o700);
}
