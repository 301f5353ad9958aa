/**
 * The Firebase storage emulator, started from a script (the firebase CLI needs Java and a
 * download): one process per test file, its own TMPDIR, a free port. Prints "READY <port>".
 * Usage: node test/sync/support/storageEmulator.mjs
 * (plain Node, so Playwright's worker and vitest start it the same way)
 */
import net from 'node:net';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const port = await new Promise((resolve, reject) => {
  const server = net.createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});
// The emulator logs through firebase-tools' logger; keep stdout for our one line.
const { StorageEmulator } = require('firebase-tools/lib/emulator/storage');
const { EmulatorRegistry } = require('firebase-tools/lib/emulator/registry');
const emulator = new StorageEmulator({ projectId: 'demo-test', host: '127.0.0.1', port, rules: [], auto_download: false });
// Security rules need a Java runtime; the admin API the client uses does not check them.
emulator._rulesRuntime.start = async () => undefined;
emulator._rulesRuntime.stop = async () => undefined;
await EmulatorRegistry.start(emulator);
process.stdout.write(`READY ${port}\n`);
const stop = () => {
  emulator.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
