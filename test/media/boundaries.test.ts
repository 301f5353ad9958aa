import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Relative modules a file imports at run time (type-only imports are erased). */
function runtimeImports(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const match of source.matchAll(/^\s*(import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)) out.push(match[2]!);
  for (const match of source.matchAll(/^\s*import\s+'(\.[^']+)'/gm)) out.push(match[1]!);
  return out.map((spec) => path.resolve(path.dirname(file), spec.endsWith('.ts') ? spec : `${spec}.ts`));
}

function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file) || !fs.existsSync(file)) continue;
    seen.add(file);
    todo.push(...runtimeImports(file));
  }
  return seen;
}

const core = path.resolve(__dirname, '../../src/main/core');

describe('only the owner writes', () => {
  it('the job process never loads the apply step or the media writes', () => {
    const files = reachable(path.join(core, 'jobs/worker.ts'));
    expect(files.has(path.join(core, 'media/importVideos.ts'))).toBe(true); // the walk sees the job side
    expect(files.has(path.join(core, 'jobs/apply.ts'))).toBe(false);
    expect(files.has(path.join(core, 'media/writes.ts'))).toBe(false);
  });

  it('the owner does', () => {
    const files = reachable(path.join(core, 'core.ts'));
    expect(files.has(path.join(core, 'jobs/apply.ts'))).toBe(true);
    expect(files.has(path.join(core, 'media/writes.ts'))).toBe(true);
  });
});
