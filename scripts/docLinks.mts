/**
 * Checks the relative links of the documentation: every `[text](target)` and `![alt](target)` in
 * README.md, CHANGELOG.md and docs/**\/*.md must name a file or folder that exists, and a
 * `#anchor` into a markdown file must name one of its headings (GitHub's slugs). Links inside
 * code blocks and code spans are not links; http(s) and mailto addresses are not checked.
 * Usage: node --import tsx scripts/docLinks.mts   (exit 1 and one line per broken link)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BrokenLink {
  file: string;
  line: number;
  target: string;
  problem: string;
}

/** The markdown files whose links are checked, relative to the repository root, sorted. */
export function docFiles(root: string): string[] {
  const files = ['README.md', 'CHANGELOG.md'].filter((f) => fs.existsSync(path.join(root, f)));
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) files.push(rel);
    }
  };
  if (fs.existsSync(path.join(root, 'docs'))) walk('docs');
  return files.sort();
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The lines of a markdown text outside fenced code blocks, with their 1-based numbers. */
function proseLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | null = null;
  text.split('\n').forEach((raw, i) => {
    const opener = /^\s*(`{3,}|~{3,})/.exec(raw);
    if (opener) {
      if (fence === null) fence = opener[1]![0]!;
      else if (opener[1]![0] === fence) fence = null;
      return;
    }
    if (fence === null) out.push({ line: i + 1, text: raw });
  });
  return out;
}

/** The anchors a markdown text's headings get (a repeated heading gets -1, -2, …). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text: line } of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The link targets of one line of prose, code spans left out. */
export function linkTargets(line: string): string[] {
  const prose = line.replace(/(`+)[\s\S]*?\1/g, '');
  const targets: string[] = [];
  for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1]!);
  return targets;
}

/** Every broken relative link of the repository's documentation. */
export function brokenLinks(root: string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    let set = anchorCache.get(file);
    if (!set) anchorCache.set(file, (set = anchorsOf(fs.readFileSync(path.join(root, file), 'utf8'))));
    return set;
  };
  for (const file of docFiles(root)) {
    for (const { line, text } of proseLines(fs.readFileSync(path.join(root, file), 'utf8'))) {
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
        const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
        const resolved = rawPath === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(rawPath)));
        if (resolved.startsWith('../')) {
          broken.push({ file, line, target, problem: 'points outside the repository' });
          continue;
        }
        const exists = fs.existsSync(path.join(root, resolved));
        if (!exists) {
          broken.push({ file, line, target, problem: `${resolved} does not exist` });
          continue;
        }
        if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) {
          broken.push({ file, line, target, problem: `${resolved} has no heading #${anchor}` });
        }
      }
    }
  }
  return broken;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const broken = brokenLinks(root);
  for (const b of broken) console.log(`${b.file}:${b.line}: ${b.target}: ${b.problem}`);
  console.log(broken.length === 0 ? `All links resolve (${docFiles(root).length} files).` : `${broken.length} broken link(s).`);
  process.exitCode = broken.length === 0 ? 0 : 1;
}
