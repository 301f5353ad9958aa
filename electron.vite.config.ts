import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './src/shared/contentSecurityPolicy';

/**
 * Writes the app's one CSP into index.html: the desktop window loads it from file://, where no
 * response header can carry a policy (browser mode sends the same policy as a header as well).
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'framelab-csp-meta',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * Three builds: the Electron main process (shell + core, plus the job worker entry that
 * utilityProcess starts), the sandboxed preload (CommonJS, as sandboxed preloads must be), and
 * the renderer, which browser mode (`framelab serve`) serves from out/renderer as well.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/shell/main.ts'),
          jobWorker: resolve(__dirname, 'src/main/core/jobs/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    // Relative asset URLs: the desktop app loads index.html from file://, browser mode from /.
    base: './',
    plugins: [react(), contentSecurityPolicyMeta()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
