import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The packaging configuration as electron-builder itself loads and validates it (its own loader
 * and JSON schema, so a misspelt or misplaced option fails here). Building a package needs the
 * network (Electron's zip, the packaging tools) and is not run in the tests.
 */
const root = path.resolve(__dirname, '../..');
const require = createRequire(path.join(root, 'package.json'));
// electron-builder's own configuration loader and validator (app-builder-lib is its core).
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};

interface Config {
  /** electron-builder's loader turns the plain list into one file set. */
  files: { filter: string[] }[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  deb: { recommends: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  publish: null;
}
let config: Config;
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

beforeAll(async () => {
  config = (await getConfig(root, 'electron-builder.config.cjs', null)) as unknown as Config;
});

describe('packaging configuration (electron-builder)', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(
      validateConfiguration(config as unknown as Record<string, unknown>, { isEnabled: false, add() {} }),
    ).resolves.toBeUndefined();
  });

  it('the schema check catches a misspelt option (so the check above means something)', async () => {
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } };
    await expect(validateConfiguration(misspelt as unknown as Record<string, unknown>, { isEnabled: false, add() {} })).rejects.toThrow(
      /electronFuses/,
    );
  });

  it('flips the fuses: no run-as-node, no NODE_OPTIONS or --inspect, encrypted cookies, only a verified app.asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // The window's page is a file:// URL whose module scripts need Electron's file:// privileges.
    expect(config.electronFuses.grantFileProtocolExtraPrivileges).not.toBe(false);
  });

  it('builds AppImage and deb, dmg, and NSIS, and never publishes', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.publish).toBeNull();
  });

  it('packs the app in asar with every native part outside it', () => {
    expect(config.asar).toBe(true);
    for (const pattern of [
      '**/*.node',
      '.electron-native/**',
      'native/build/Release/**',
      'node_modules/better-sqlite3/**',
      'node_modules/onnxruntime-node/**',
    ]) {
      expect(config.asarUnpack).toContain(pattern);
    }
  });

  it("ships the built app, the training addon with its loader's mark, and better-sqlite3 built for Electron", () => {
    for (const file of [
      'package.json',
      'out/**/*',
      'resources/**/*',
      'native/build/Release/framelab_native.node',
      'native/build/Release/framelab_image.node',
      'native/CMakeLists.txt',
      '.electron-native/*.node',
    ]) {
      expect(config.files[0]!.filter).toContain(file);
    }
    // The Electron build of better-sqlite3 comes from scripts/electron-sqlite.mjs; rebuilding
    // node_modules in place would break the CLI's and the tests' Node build.
    expect(config.npmRebuild).toBe(false);
    expect(config.deb.recommends).toEqual(expect.arrayContaining(['ffmpeg', 'libtorch1.13']));
  });

  it('`npm run dist` builds the app and better-sqlite3 for Electron before packaging with this file', () => {
    const steps = (manifest.scripts.dist as string).split('&&').map((step) => step.trim());
    expect(steps).toEqual([
      'electron-vite build',
      'node scripts/electron-sqlite.mjs',
      'electron-builder --config electron-builder.config.cjs',
    ]);
    expect(manifest.devDependencies['electron-builder']).toBeDefined();
  });

  it('the package entry point is the built main process that the files list ships', () => {
    expect(manifest.main).toBe('./out/main/index.js');
  });
});
