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
const noSidesFromShared = {
  group: ['**/main/**', '**/renderer/**', '**/preload/**'],
  message: 'src/shared is the contract: it imports neither the main process nor the renderer.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'native/build/**', 'playwright-report/**', 'test-results/**', '.electron-native/**'] },
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
    files: ['src/main/shell/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyInShell, patterns: [noMainFromRenderer] }] },
  },
  {
    files: ['src/shared/**'],
    rules: { 'no-restricted-imports': ['error', { ...electronOnlyInShell, patterns: [noSidesFromShared] }] },
  },
);
