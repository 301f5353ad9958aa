import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The process boundaries are enforced by the real lint config, on code placed where it would live. */
const root = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(relativeFile: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, relativeFile) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint keeps process boundaries', () => {
  it('refuses electron in core, cli and renderer', async () => {
    for (const file of ['src/main/core/x.ts', 'src/main/cli/x.ts', 'src/renderer/x.ts', 'src/shared/x.ts']) {
      const messages = await restrictedImports(file, "import { app } from 'electron';\nexport const a = app;\n");
      expect(messages, file).toHaveLength(1);
      expect(messages[0]).toMatch(/Only src\/main\/shell\/ and src\/preload\/ may import electron/);
    }
  });

  it('allows electron in the shell and the preload', async () => {
    for (const file of ['src/main/shell/x.ts', 'src/preload/x.ts']) {
      expect(await restrictedImports(file, "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    }
  });

  it('keeps the renderer away from main-process code and Node', async () => {
    const fromCore = await restrictedImports('src/renderer/screens/x.ts', "import { openCore } from '../../main/core/core';\nexport const o = openCore;\n");
    expect(fromCore).toHaveLength(1);
    const fromNode = await restrictedImports('src/renderer/x.ts', "import fs from 'node:fs';\nexport const f = fs;\n");
    expect(fromNode).toHaveLength(1);
    const fromShared = await restrictedImports('src/renderer/x.ts', "import { api } from '../shared/api';\nexport const a = api;\n");
    expect(fromShared).toEqual([]);
  });

  it('keeps shared free of either side', async () => {
    const messages = await restrictedImports('src/shared/x.ts', "import { handlers } from '../main/core/api/handlers';\nexport const h = handlers;\n");
    expect(messages).toHaveLength(1);
  });

  it('finds no boundary violation in the tree as it is', async () => {
    const results = await eslint.lintFiles(['src']);
    const violations = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`),
    );
    expect(violations).toEqual([]);
  });
});
