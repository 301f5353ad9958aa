import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FromWorker, ToWorker } from './protocol';

/**
 * Starts job processes. Core depends on this interface only: the desktop shell supplies an
 * Electron utilityProcess launcher, everything else uses `child_process.fork`.
 */
export interface ChildHandle {
  readonly pid: number | undefined;
  send(message: ToWorker): void;
  kill(): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onExit(listener: (exit: { code: number | null; signal: string | null }) => void): void;
  /** Lines the process wrote to stderr (a crash's stack trace ends up in the job log). */
  onStderr(listener: (line: string) => void): void;
}

export interface ProcessLauncher {
  launch(): ChildHandle;
}

const runningFromSource = import.meta.url.endsWith('.ts');

/** The job process entry: the TypeScript source (run through tsx) or a built file given by the caller. */
function defaultEntry(): string {
  if (!runningFromSource) {
    throw new Error('A bundled build must pass the job worker entry to nodeForkLauncher().');
  }
  return fileURLToPath(new URL('./worker.ts', import.meta.url));
}

/**
 * On POSIX each job process leads its own process group, so whatever it started (ffmpeg,
 * ffprobe) belongs to that group: killing the group kills them too, where killing the job
 * process alone left them running (an ffmpeg blocked on its input ran on for good).
 */
const ownGroup = process.platform !== 'win32';

/** SIGKILL to the job's whole process group (POSIX), else to the process. Never throws. */
function killJobTree(child: ChildProcess): void {
  if (ownGroup && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch {
      // The group is gone already (ESRCH): nothing of it is left to stop.
    }
  }
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export function nodeForkLauncher(entry: string = defaultEntry()): ProcessLauncher {
  const execArgv = entry.endsWith('.ts') ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  return {
    launch() {
      const child = fork(entry, [], {
        execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
        env: { ...process.env, FRAMELAB_JOB_PROCESS: '1' },
        // Its own process group (see killJobTree); Ctrl-C in a terminal reaches the owner, which cancels its jobs.
        detached: ownGroup,
      });
      // Whatever way the job ends (done, cancelled, killed, crashed), what it started ends with it.
      child.once('exit', () => killJobTree(child));
      return {
        pid: child.pid,
        send: (message) => {
          if (child.connected) child.send(message);
        },
        kill: () => killJobTree(child),
        onMessage: (listener) => child.on('message', (m) => listener(m as FromWorker)),
        onExit: (listener) => child.on('exit', (code, signal) => listener({ code, signal })),
        onStderr: (listener) => forEachLine(child.stderr, listener),
      };
    },
  };
}

export function forEachLine(stream: NodeJS.ReadableStream | null, listener: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) listener(line);
  });
  stream.on('end', () => {
    if (buffered.trim()) listener(buffered);
  });
}
