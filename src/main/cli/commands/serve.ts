import { listeningLine } from '../../../shared/http';
import { buildAppIfNeeded } from '../../core/appBuild';
import { appRoot, rendererDir } from '../../core/appRoot';
import { handlers } from '../../core/api/handlers';
import { openCore } from '../../core/core';
import { chromiumPrinter } from '../../core/icr/chromiumPrinter';
import { nodeForkLauncher } from '../../core/jobs/launcher';
import { startServer } from '../../core/server/server';
import { numberFlag, parseCommandArgs } from '../args';
import type { Command } from '../command';

const USAGE = 'framelab serve [--port N] [--home DIR]';

/** Browser mode: owns the home, serves the app on 127.0.0.1 until SIGINT/SIGTERM. */
export const serveCommand: Command = {
  name: 'serve',
  usage: USAGE,
  summary: 'Run Framelab in the browser: serves the app and its API on 127.0.0.1 with a per-launch token',
  async run(args, globals) {
    const { values } = parseCommandArgs(args, { port: { type: 'string' } }, USAGE);
    const port = numberFlag(values.port, 'port', { integer: true, min: 0 }) ?? 4780;
    // Right after `npm ci` nothing is built yet: build the pages first (a failed build still
    // serves the API, and the pages answer 503 saying how to build them).
    buildAppIfNeeded(appRoot());
    const core = openCore({ home: globals.home, mode: 'browser', launcher: nodeForkLauncher(), pdfPrinter: chromiumPrinter() });
    let server;
    try {
      server = await startServer({ core, handlers, port, rendererDir: rendererDir() });
    } catch (err) {
      core.close();
      throw err;
    }
    core.lock.setEndpoint({ url: server.url, token: server.token });
    process.stdout.write(listeningLine(server.url, server.token) + '\n');

    await new Promise<void>((resolve) => {
      let stopping = false;
      // `on`, not `once`: Ctrl-C reaches every process of the group, and a parent (npm start)
      // may forward it again; a second signal must not kill us halfway through closing.
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`Framelab: ${signal} received, stopping…\n`);
        void server.close().then(() => {
          core.close();
          resolve();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    process.stderr.write('Framelab stopped.\n');
    return { value: null, text: '' };
  },
};
