#!/usr/bin/env node
/**
 * Runs README.md's quick-start lines exactly as written, one after the other, so a documented
 * command that breaks fails CI (the tests call bin/framelab.js directly and would not notice).
 *
 * The lines are the shell block between `<!-- quick-start -->` and `<!-- /quick-start -->`.
 * Commands that keep running (`npx framelab serve`, `npm start`) are stopped once they print the
 * address to open; every other line must exit 0. Usage: node scripts/readme-quickstart.mjs [--list]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LISTENING = /Framelab listening on http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/;
const LONG_RUNNING = [/^npx framelab serve\b/, /^npm start\b/];
const START_TIMEOUT_MS = 5 * 60_000;

/** The quick-start block's commands: comments and blank lines dropped, `\` continuations joined. */
export function quickStartCommands(readme) {
  const block = /<!-- quick-start -->\s*```(?:sh|bash)\n([\s\S]*?)```\s*<!-- \/quick-start -->/.exec(readme);
  if (!block) throw new Error('README.md has no <!-- quick-start --> ```sh … ``` <!-- /quick-start --> block');
  return block[1]
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** Resolves once no process of the group `pgid` is left (SIGKILLs stragglers after 20 s). */
async function groupGone(pgid) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let waited = 0; alive(); waited += 100) {
    if (waited === 20_000) process.kill(-pgid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function run(command, env) {
  const longRunning = LONG_RUNNING.some((re) => re.test(command));
  console.error(`\n$ ${command}${longRunning ? '   (until it prints its address)' : ''}`);
  return new Promise((resolve, reject) => {
    // Its own process group, so that stopping `npm start` also stops the server it started.
    const child = spawn('bash', ['-c', command], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let seen = '';
    const timer = setTimeout(
      () => fail(new Error(`\`${command}\` printed no address within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    const fail = (err) => {
      clearTimeout(timer);
      stop();
      reject(err);
    };
    const signalGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const stop = () => {
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), 15_000).unref();
    };
    const watch = (stream, out) =>
      stream.on('data', (chunk) => {
        out.write(chunk);
        seen += chunk;
        if (longRunning && LISTENING.test(seen)) {
          clearTimeout(timer);
          stop();
        }
      });
    watch(child.stdout, process.stdout);
    watch(child.stderr, process.stderr);
    child.on('exit', async (code, signal) => {
      clearTimeout(timer);
      // bash ends before the server it started has released the home's lock: the next command
      // (npm start after serve) must not find it held, so wait until the whole group is gone.
      await groupGone(child.pid);
      if (longRunning && LISTENING.test(seen)) return resolve();
      if (!longRunning && code === 0) return resolve();
      reject(new Error(`\`${command}\` ${longRunning ? 'stopped before printing its address' : 'failed'} (exit ${code ?? signal})`));
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const commands = quickStartCommands(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
  if (process.argv.includes('--list')) {
    for (const command of commands) console.log(command);
  } else {
    // A home of its own, so that the run neither needs nor touches the machine's Framelab home (a
    // developer's open app would hold its lock); the commands themselves run exactly as written.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-quickstart-'));
    const env = { ...process.env, FRAMELAB_HOME: home };
    for (const command of commands) {
      try {
        await run(command, env);
      } catch (err) {
        console.error(`\nREADME quick-start: ${err.message}`);
        process.exit(1);
      }
    }
    fs.rmSync(home, { recursive: true, force: true });
    console.error(`\nREADME quick-start: all ${commands.length} commands worked as written.`);
  }
}
