import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers';

describe("README's quick start (run as written by .ci/run)", () => {
  it('lists the commands a newcomer types, in order, without their comments', () => {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/readme-quickstart.mjs'), '--list'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      'npm ci',
      'npx framelab --version',
      'npx framelab doctor --json',
      'npx framelab serve',
      'npm start',
    ]);
  });
});
