import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Process boundaries are lint rules, not hopes: only the Electron shell and the preload may
 * import `electron`; the renderer may not import main-process code; shared code imports
 * neither side.
 */
const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only src/main/shell/ and src/preload/ may import electron; put logic in core.' }],
};
const noMainFromRenderer = {
  group: ['**/main/**', '**/native/**', 'better-sqlite3', 'node:*'],
  message: 'The renderer talks to core only through the typed client (src/shared/client.ts).',
};
const noClientFromScreens = {
  group: ['**/api/client'],
  importNames: ['client'],
  message: 'Screens and components call the API through store actions (src/renderer/store/*Actions.ts), never the client itself.',
};
const noViewsFromStore = {
  group: ['**/screens/**', '**/components/**'],
  message: 'The store is below the screens: screens and components read it and call its actions, never the other way round.',
};
const noSidesFromShared = {
  group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/native/**', 'node:*'],
  message: 'src/shared is the contract: it imports neither the main process, the renderer nor Node (the renderer compiles it too).',
};
const noOuterLayersFromCore = {
  group: ['**/shell/**', '**/cli/**', '**/renderer/**', '**/preload/**'],
  message: 'Core is the inner layer: the shell, the CLI and the renderer call it, never the other way round.',
};
const noShellFromCli = {
  group: ['**/shell/**', '**/renderer/**', '**/preload/**'],
  message: 'The CLI runs in plain Node: it reaches core directly or through serve, never the Electron shell.',
};
const noAppFromNative = {
  group: ['**/src/main/**', '**/main/core/**', '**/renderer/**'],
  message:
    'native/ is the addon and its wrapper: it imports only src/shared; the app converts its own formats (e.g. core/vision/weights/stateEntries.ts).',
};
const onlySharedFromPreload = {
  group: ['**/main/**', '**/renderer/**', '**/native/**', 'node:*'],
  message: 'The preload is the bridge: it imports electron and src/shared only.',
};

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'native/build/**', 'playwright-report/**', 'test-results/**', '.electron-native/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-restricted-imports': ['error', electronOnlyInShell],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/main/core/**'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyInShell, patterns: [noOuterLayersFromCore] }] },
  },
  {
    files: ['src/main/cli/**'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyInShell, patterns: [noShellFromCli] }] },
  },
  {
    files: ['native/**'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyInShell, patterns: [noAppFromNative] }] },
  },
  {
    files: ['src/main/shell/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [onlySharedFromPreload] }] },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyInShell, patterns: [noMainFromRenderer] }] },
  },
  {
    files: ['src/renderer/screens/**', 'src/renderer/components/**'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyInShell, patterns: [noMainFromRenderer, noClientFromScreens] }] },
  },
  {
    files: ['src/renderer/store/**'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyInShell, patterns: [noMainFromRenderer, noViewsFromStore] }] },
  },
  {
    files: ['src/shared/**'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyInShell, patterns: [noSidesFromShared] }] },
  },
);
