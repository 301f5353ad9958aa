/**
 * A separate process that owns a home the way a long CLI command does, for the "home in use"
 * tests. Usage: node --import tsx test/helpers/homeOwner.ts HOME COMMAND_LINE
 * It opens the core in CLI mode recording COMMAND_LINE in the lock, prints `OWNED`, and keeps
 * the home until its stdin closes (the test ends it), then closes the core and exits.
 */
import { openCore } from '../../src/main/core/core';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';

const [home, commandLine] = process.argv.slice(2);
const core = openCore({ home: home!, mode: 'cli', command: commandLine, launcher: nodeForkLauncher() });
process.stdout.write('OWNED\n');
process.stdin.resume();
process.stdin.on('end', () => {
  core.close();
  process.exit(0);
});
