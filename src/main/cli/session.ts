import WebSocket from 'ws';
import { createClient, type Client } from '../../shared/client';
import { createHttpTransport } from '../../shared/httpTransport';
import { handlers } from '../core/api/handlers';
import { createLocalTransport } from '../core/api/localTransport';
import { openCore } from '../core/core';
import { chromiumPrinter } from '../core/icr/chromiumPrinter';
import { homeInUseError, liveOwner } from '../core/home/lock';
import { homePaths } from '../core/home/paths';
import { nodeForkLauncher } from '../core/jobs/launcher';
import type { GlobalOptions } from './command';

/**
 * Gives a command a client for its home. When `framelab serve` owns the home, the command
 * goes through it (one writer, always); when the desktop app owns it, the command refuses
 * clearly; otherwise the command owns the home itself for its duration.
 */
export async function withClient<T>(globals: GlobalOptions, fn: (client: Client, mode: 'local' | 'remote') => Promise<T>): Promise<T> {
  const home = homePaths(globals.home);
  const owner = liveOwner(home.lockFile);
  if (owner?.endpoint) {
    const transport = createHttpTransport({
      baseUrl: owner.endpoint.url,
      token: owner.endpoint.token,
      WebSocket: WebSocket as never,
    });
    const client = createClient(transport);
    const stop = client.onEvent(() => undefined); // keeps the event socket open while the command runs
    try {
      return await fn(client, 'remote');
    } finally {
      stop();
    }
  }
  if (owner) throw homeInUseError(home.root, owner);
  const core = openCore({
    home: home.root,
    mode: 'cli',
    command: globals.commandLine,
    launcher: nodeForkLauncher(),
    pdfPrinter: chromiumPrinter(),
  });
  try {
    return await fn(createClient(createLocalTransport(core, handlers)), 'local');
  } finally {
    core.close();
  }
}
