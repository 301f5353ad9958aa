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

// ESLint with the project's typed config lints whole files (the last test: the tree): half a minute
// alone, more when the test files run side by side, so these get three minutes each.
describe('lint keeps process boundaries', { timeout: 180_000 }, () => {
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
    const fromCore = await restrictedImports(
      'src/renderer/screens/x.ts',
      "import { openCore } from '../../main/core/core';\nexport const o = openCore;\n",
    );
    expect(fromCore).toHaveLength(1);
    const fromNode = await restrictedImports('src/renderer/x.ts', "import fs from 'node:fs';\nexport const f = fs;\n");
    expect(fromNode).toHaveLength(1);
    const fromShared = await restrictedImports('src/renderer/x.ts', "import { api } from '../shared/api';\nexport const a = api;\n");
    expect(fromShared).toEqual([]);
  });

  it('keeps the API client out of screens and components: they call store actions', async () => {
    for (const file of ['src/renderer/screens/x/X.tsx', 'src/renderer/components/X.tsx']) {
      const messages = await restrictedImports(file, "import { client } from '../../api/client';\nexport const c = client;\n");
      expect(messages, file).toHaveLength(1);
      expect(messages[0]).toMatch(/through store actions/);
      expect(await restrictedImports(file, "import { fileUrl } from '../../api/client';\nexport const u = fileUrl;\n"), file).toEqual([]);
    }
    expect(
      await restrictedImports('src/renderer/store/x.ts', "import { client } from '../api/client';\nexport const c = client;\n"),
    ).toEqual([]);
  });

  it('keeps the store below the screens: it imports no screen or component', async () => {
    for (const from of ['../screens/analysis/Analysis', '../components/Table']) {
      const messages = await restrictedImports('src/renderer/store/x.ts', `import * as v from '${from}';\nexport const m = v;\n`);
      expect(messages, from).toHaveLength(1);
      expect(messages[0]).toMatch(/store is below the screens/);
    }
    expect(await restrictedImports('src/renderer/store/x.ts', "import { api } from '../../shared/api';\nexport const a = api;\n")).toEqual(
      [],
    );
  });

  it('keeps shared free of either side', async () => {
    const messages = await restrictedImports(
      'src/shared/x.ts',
      "import { handlers } from '../main/core/api/handlers';\nexport const h = handlers;\n",
    );
    expect(messages).toHaveLength(1);
  });

  it('keeps shared free of Node and the addon (the renderer compiles it too)', async () => {
    expect(await restrictedImports('src/shared/x.ts', "import fs from 'node:fs';\nexport const f = fs;\n")).toHaveLength(1);
    expect(
      await restrictedImports('src/shared/x.ts', "import { featureSize } from '../../native/index';\nexport const f = featureSize;\n"),
    ).toHaveLength(1);
    expect(await restrictedImports('src/shared/x.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
  });

  it('keeps core from the shell, the CLI and the renderer', async () => {
    for (const source of ['../shell/index', '../../cli/main', '../../../renderer/App', '../../../preload/index']) {
      const messages = await restrictedImports('src/main/core/jobs/x.ts', `import * as m from '${source}';\nexport const a = m;\n`);
      expect(messages, source).toHaveLength(1);
      expect(messages[0]).toMatch(/Core is the inner layer/);
    }
    expect(
      await restrictedImports(
        'src/main/core/jobs/x.ts',
        "import { openCore } from '../core';\nimport fs from 'node:fs';\nexport const a = [openCore, fs];\n",
      ),
    ).toEqual([]);
  });

  it('keeps the CLI from the shell', async () => {
    const messages = await restrictedImports(
      'src/main/cli/commands/x.ts',
      "import { createWindow } from '../../shell/window';\nexport const w = createWindow;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/The CLI runs in plain Node/);
    expect(
      await restrictedImports('src/main/cli/commands/x.ts', "import { openCore } from '../../core/core';\nexport const o = openCore;\n"),
    ).toEqual([]);
  });

  it('keeps native/ from the app', async () => {
    const messages = await restrictedImports(
      'native/x.ts',
      "import { widenHalf } from '../src/main/core/vision/weights/tensor';\nexport const w = widenHalf;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/native\/ is the addon/);
    expect(
      await restrictedImports('native/x.ts', "import { FramelabError } from '../src/shared/errors';\nexport const e = FramelabError;\n"),
    ).toEqual([]);
  });

  it('lets the preload import electron and shared only', async () => {
    expect(
      await restrictedImports(
        'src/preload/x.ts',
        "import { contextBridge } from 'electron';\nimport { IPC_CHANNELS } from '../shared/bridge';\nexport const a = [contextBridge, IPC_CHANNELS];\n",
      ),
    ).toEqual([]);
    for (const source of ['../main/core/core', 'node:fs', '../renderer/App']) {
      expect(await restrictedImports('src/preload/x.ts', `import * as m from '${source}';\nexport const a = m;\n`), source).toHaveLength(1);
    }
  });

  it('finds no boundary violation in the tree as it is', async () => {
    const results = await eslint.lintFiles(['src', 'native']);
    const violations = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`),
    );
    expect(violations).toEqual([]);
  });
});
