import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLI_DOCS_COMMAND, CLI_DOCS_FILE, renderCliDocs, subcommandsOf } from '../src/main/cli/docs';
import { COMMANDS, commandHelpText, helpText, main } from '../src/main/cli/main';
import { REPO_ROOT, runCleanup, runCli, tempDir } from './helpers';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
afterEach(runCleanup);

const committed = () => fs.readFileSync(path.join(REPO_ROOT, CLI_DOCS_FILE), 'utf8').replace(/\r\n/g, '\n');

/** The help blocks of a docs/cli.md text, by heading: `framelab --help` → …, `framelab suite` → …. */
function helpBlocks(doc: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of doc.matchAll(/^## `(framelab [^`]+)`\n\n[^\n]*\n\n(`{3,})text\n([\s\S]*?)\n\2$/gm)) blocks.set(m[1]!, m[3]!);
  return blocks;
}

/** What `main(argv)` writes to stdout, and its exit code, in-process. */
async function mainOutput(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const code = await main(argv);
  vi.mocked(process.stdout.write).mockRestore();
  return { code, stdout };
}

describe('docs/cli.md', () => {
  it('is what `npm run docs:cli` generates from the CLI help', () => {
    const expected = renderCliDocs();
    const actual = committed();
    if (actual === expected) return;
    // One message that says what to do (and where it differs), not a diff of the whole page.
    const want = expected.split('\n');
    const have = actual.split('\n');
    const line = want.findIndex((text, i) => have[i] !== text);
    const at = line < 0 ? have.length : line;
    expect.fail(
      `${CLI_DOCS_FILE} is out of date: run ${CLI_DOCS_COMMAND}\n(first difference at line ${at + 1}: expected ${JSON.stringify(want[at] ?? '<end of file>')}, found ${JSON.stringify(have[at] ?? '<end of file>')})`,
    );
  });

  it('documents every command the CLI dispatches, with the help `main` prints for it', async () => {
    const home = tempDir('cli-docs');
    const blocks = helpBlocks(committed());
    expect([...blocks.keys()]).toEqual(['framelab --help', ...COMMANDS.map((c) => `framelab ${c.name}`)]);
    expect(blocks.get('framelab --help')).toBe((await mainOutput(['--help', '--home', home])).stdout.replace(/\n$/, ''));
    for (const c of COMMANDS) {
      const printed = await mainOutput([c.name, '--help', '--home', home]);
      expect(printed.code, c.name).toBe(0);
      expect(blocks.get(`framelab ${c.name}`), `framelab ${c.name} --help`).toBe(printed.stdout.replace(/\n$/, ''));
      // The overview names it too.
      expect(blocks.get('framelab --help')).toContain(`  ${c.name} `);
    }
    // A subcommand's --help prints its command's help (the doc says so).
    for (const c of COMMANDS) {
      for (const sub of subcommandsOf(c))
        expect((await mainOutput([c.name, sub, '--help', '--home', home])).stdout, `${c.name} ${sub} --help`).toBe(
          `${commandHelpText(c)}\n`,
        );
    }
    expect(fs.readdirSync(home)).toEqual([]);
  });

  it("lists each command's subcommands in the contents", () => {
    const suite = COMMANDS.find((c) => c.name === 'suite')!;
    expect(subcommandsOf(suite)).toEqual(expect.arrayContaining(['run', 'leaderboard', 'predict', 'score', 'embed-text']));
    expect(subcommandsOf(COMMANDS.find((c) => c.name === 'serve')!)).toEqual([]);
    expect(committed()).toContain('- [`framelab preference`](#framelab-preference): `analyses`, `ratings`, `correlate`');
  });

  it('depends on no terminal width, environment, date or machine', () => {
    const before = renderCliDocs();
    const columns = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
    try {
      Object.defineProperty(process.stdout, 'columns', { value: 40, configurable: true });
      vi.stubEnv('COLUMNS', '40');
      vi.stubEnv('FRAMELAB_HOME', '/elsewhere');
      vi.stubEnv('TZ', 'Pacific/Kiritimati');
      vi.useFakeTimers({ now: new Date('2031-02-03T04:05:06Z') });
      expect(renderCliDocs()).toBe(before);
    } finally {
      if (columns) Object.defineProperty(process.stdout, 'columns', columns);
      else delete (process.stdout as { columns?: number }).columns;
    }
    for (const local of [REPO_ROOT, os.homedir(), os.tmpdir(), os.hostname()]) expect(before).not.toContain(local);
    expect(before).not.toMatch(/\r|[ \t]$/m);
  });

  it('shows what `node bin/framelab.js preference --help` prints', async () => {
    const home = tempDir('cli-docs');
    const res = await runCli(['preference', '--help', '--home', home]);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(`${helpBlocks(committed()).get('framelab preference')}\n`).toBe(res.stdout);
    expect(res.stdout).toBe(`${commandHelpText(COMMANDS.find((c) => c.name === 'preference')!)}\n`);
    expect(helpText()).toContain('preference');
  });
});
