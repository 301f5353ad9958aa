/**
 * `framelab infer --model-threads N`: read by the one numeric-flag parser, refused before any
 * work when it is not a positive whole number (the home stays untouched).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanup, runCli, tempDir } from '../helpers';

afterEach(runCleanup);

describe('infer --model-threads', () => {
  it.each(['0', '1.5', 'x'])('refuses %s, naming the flag, before opening the home', async (value) => {
    const home = path.join(tempDir('threads'), 'home');
    const out = tempDir('out');
    const res = await runCli(['--home', home, 'infer', '--videos', out, '--models', 'pov@v7', '--out', out, '--model-threads', value]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`--model-threads must be a positive whole number, not "${value}".`);
    expect(fs.existsSync(home)).toBe(false);
  });
});
