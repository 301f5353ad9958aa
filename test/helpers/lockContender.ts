/**
 * A separate process contending for home locks, for the takeover race test in lock.test.ts.
 * Usage: node --import tsx test/helpers/lockContender.ts DIR ROUNDS START_MS ROUND_MS
 * For round r it waits until START_MS + r * ROUND_MS, then tries to acquire DIR/r.lock (a
 * stale lock the test prepared) and prints `r WON` or `r <error code>`. It never releases:
 * a winner keeps its lock (and its pid alive) until the test writes DIR/done, after every
 * contender has reported, so a contender that started late never finds a winner gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { acquireHomeLock } from '../../src/main/core/home/lock';
import { FramelabError } from '../../src/shared/errors';

const [dir, roundsText, startText, roundText] = process.argv.slice(2);
const rounds = Number(roundsText);
const start = Number(startText);
const roundMs = Number(roundText);

const results: string[] = [];
for (let round = 0; round < rounds; round++) {
  const at = start + round * roundMs;
  // Spin, not sleep: every contender must reach the lock within the same few microseconds.
  while (Date.now() < at) {
    // busy wait
  }
  try {
    acquireHomeLock(path.join(dir!, `${round}.lock`), 'cli');
    results.push(`${round} WON`);
  } catch (err) {
    results.push(`${round} ${err instanceof FramelabError ? err.code : (err as Error).message}`);
  }
}
process.stdout.write(results.join('\n') + '\n');
const done = path.join(dir!, 'done');
const wait = setInterval(() => {
  if (fs.existsSync(done)) {
    clearInterval(wait);
    process.exit(0);
  }
}, 25);
