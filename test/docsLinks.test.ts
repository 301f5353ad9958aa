import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anchorsOf, brokenLinks, linkTargets, slug } from '../scripts/docLinks.mjs';
import { REPO_ROOT } from './helpers';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-doclinks-'));
  temps.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('documentation links', () => {
  it('every relative link of README.md, CHANGELOG.md and docs/ resolves', () => {
    const broken = brokenLinks(REPO_ROOT).map((b) => `${b.file}:${b.line}: ${b.target}: ${b.problem}`);
    expect(broken).toEqual([]);
  });

  it('finds a missing file, a missing heading and a link out of the repository', () => {
    const root = tree({
      'README.md': '# Title\n\n[guide](docs/guide/a.md) [gone](docs/nope.md) [anchor](docs/guide/a.md#no-such)\n',
      'docs/guide/a.md':
        '# A page\n\n## Where is X\n\n![img](../shot.png) [up](../../README.md#title) [out](../../../x.md)\n[ok](#where-is-x)\n',
      'docs/shot.png': '',
    });
    expect(brokenLinks(root).map((b) => `${b.file}:${b.line}: ${b.problem}`)).toEqual([
      'README.md:3: docs/nope.md does not exist',
      'README.md:3: docs/guide/a.md has no heading #no-such',
      'docs/guide/a.md:5: points outside the repository',
    ]);
  });

  it('reports only the missing file, not code or addresses', () => {
    const root = tree({
      'README.md': '```sh\n[x](missing.md)\n```\n`[y](missing.md)` [web](https://example.com/a.md) [cli](docs/cli.md)\n',
    });
    expect(brokenLinks(root).map((b) => b.target)).toEqual(['docs/cli.md']);
  });

  it("makes GitHub's anchors", () => {
    expect(slug('2. Frame classifiers and fine-tuning (v7 → v8)')).toBe('2-frame-classifiers-and-fine-tuning-v7--v8');
    expect(slug("Videos, frames and the lab's `annotations.csv`")).toBe('videos-frames-and-the-labs-annotationscsv');
    expect([...anchorsOf('# A\n## Notes\n## Notes\n```\n# not a heading\n```\n')]).toEqual(['a', 'notes', 'notes-1']);
    expect(linkTargets('see [a](b.md "title") and ![c](d.png)')).toEqual(['b.md', 'd.png']);
  });
});
