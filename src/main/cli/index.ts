import { main } from './main';

// Let stdout drain before exiting: a piped `--json` result must never be cut short.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Job processes and sockets are closed by then; leave nothing running.
  setImmediate(() => process.exit(code));
});
