/**
 * Entry of a job process (child_process.fork, or Electron's utilityProcess). It receives one
 * `run` message, runs the job kind with a read-only database, streams progress, logs and
 * checkpoints to the owner, reports the result, and exits.
 */
import { FramelabError, toErrorInfo } from '../../../shared/errors';
import { jobKinds } from '../../../shared/jobs';
import { openDatabase } from '../db/open';
import { homePaths } from '../home/paths';
import { killJobChildren, killOwnProcessGroup } from './childProcesses';
import { cancelledError, type JobContext } from './context';
import { jobImplementations } from './kinds';
import type { FromWorker, ToWorker } from './protocol';

interface Port {
  post(message: FromWorker): Promise<void>;
  onMessage(listener: (message: ToWorker) => void): void;
}

/** Electron's utilityProcess gives `process.parentPort`; a forked Node child has `process.send`. */
function connect(): Port {
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      post: async (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as ToWorker)),
    };
  }
  if (!process.send) throw new Error('The job worker must be started by the Framelab job supervisor.');
  // If the owner dies, nobody can receive our results: stop rather than work for nobody, and
  // take the ffmpeg/ffprobe this job started along (nobody else would stop them).
  process.on('disconnect', () => {
    killJobChildren();
    killOwnProcessGroup();
    process.exit(70);
  });
  return {
    post: (message) => new Promise((resolve) => process.send!(message, undefined, {}, () => resolve())),
    onMessage: (listener) => process.on('message', (m) => listener(m as ToWorker)),
  };
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** Progress is sent at most this often (the last one always goes out). */
const PROGRESS_INTERVAL_MS = 150;
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * Sends at most once per interval; an update that arrives within the interval goes out when
 * the interval ends (a trailing send), so the last checkpoint before a long quiet stretch — or
 * a kill — is not lost. flush() sends what is pending now.
 */
function throttled(intervalMs: number, send: () => void): { touch(): void; flush(): void } {
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    last = Date.now();
    send();
  };
  return {
    touch() {
      const wait = intervalMs - (Date.now() - last);
      if (wait <= 0) fire();
      else if (!timer) timer = setTimeout(fire, wait);
    },
    flush() {
      if (timer) fire();
    },
  };
}

async function run(port: Port, message: Extract<ToWorker, { type: 'run' }>, state: { cancelled: boolean }) {
  const { job } = message;
  const home = homePaths(message.home);
  let progress: FromWorker = { type: 'progress', fraction: 0, stage: '', etaS: null };
  let checkpoint: unknown = null;
  const progressOut = throttled(PROGRESS_INTERVAL_MS, () => void port.post(progress));
  const checkpointOut = throttled(CHECKPOINT_INTERVAL_MS, () => void port.post({ type: 'checkpoint', state: checkpoint }));

  const ctx: JobContext<unknown> = {
    jobId: job.id,
    checkpoint: job.checkpoint ?? null,
    progress(fraction, stage, etaS) {
      progress = { type: 'progress', fraction: Math.min(1, Math.max(0, fraction)), stage, etaS: etaS ?? null };
      progressOut.touch();
    },
    log: (level, text) => void port.post({ type: 'log', level, message: text }),
    saveCheckpoint(value) {
      checkpoint = structuredClone(value);
      checkpointOut.touch();
    },
    get cancelled() {
      return state.cancelled;
    },
    throwIfCancelled() {
      if (state.cancelled) throw cancelledError();
    },
  };

  const db = openDatabase(home.dbFile, { readonly: true });
  try {
    const params = jobKinds[job.kind].params.parse(job.params);
    // params were parsed by this kind's own schema just above: the pairing is sound.
    const result = await jobImplementations[job.kind](ctx as JobContext<never>, { db, home, params: params as never });
    progressOut.flush();
    checkpointOut.flush();
    await port.post({ type: 'done', result });
  } catch (err) {
    progressOut.flush();
    checkpointOut.flush();
    if (err instanceof FramelabError && err.code === 'CANCELLED') await port.post({ type: 'cancelled' });
    else await port.post({ type: 'failed', error: toErrorInfo(err) });
  } finally {
    db.close();
  }
}

// However the job ends, what it started ends with it. SIGTERM is how the desktop's
// utilityProcess stops a job (the fork launcher kills the whole process group instead).
process.on('exit', killJobChildren);
process.on('SIGTERM', () => {
  killJobChildren();
  process.exit(143);
});

const port = connect();
const state = { cancelled: false };
port.onMessage((message) => {
  if (message.type === 'cancel') state.cancelled = true;
  else if (message.type === 'run') {
    void run(port, message, state).finally(() => setImmediate(() => process.exit(0)));
  }
});
void port.post({ type: 'ready' });
