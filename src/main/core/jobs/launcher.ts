import { fork } from 'node:child_process';
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

export function nodeForkLauncher(entry: string = defaultEntry()): ProcessLauncher {
  const execArgv = entry.endsWith('.ts')
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : [];
  return {
    launch() {
      const child = fork(entry, [], {
        execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
        env: { ...process.env, FRAMELAB_JOB_PROCESS: '1' },
      });
      return {
        pid: child.pid,
        send: (message) => {
          if (child.connected) child.send(message);
        },
        kill: () => child.kill('SIGKILL'),
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
