import { utilityProcess } from 'electron';
import { forEachLine, type ProcessLauncher } from '../core/jobs/launcher';
import type { FromWorker } from '../core/jobs/protocol';

/** Job processes in the desktop app: Electron's utilityProcess, a Node process it supervises. */
export function utilityProcessLauncher(entry: string): ProcessLauncher {
  return {
    launch() {
      const child = utilityProcess.fork(entry, [], {
        serviceName: 'Framelab job',
        stdio: 'pipe',
        env: { ...process.env, FRAMELAB_JOB_PROCESS: '1' },
      });
      return {
        get pid() {
          return child.pid;
        },
        send: (message) => child.postMessage(message),
        kill: () => void child.kill(),
        onMessage: (listener) => child.on('message', (message: unknown) => listener(message as FromWorker)),
        onExit: (listener) => child.on('exit', (code: number) => listener({ code, signal: null })),
        onStderr: (listener) => forEachLine(child.stderr, listener),
      };
    },
  };
}
