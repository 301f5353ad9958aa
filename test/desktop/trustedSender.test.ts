import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appPageUrl, isTrustedSender } from '../../src/main/core/desktop/trustedSender';

/**
 * The IPC bridge serves the API only to the app's own page. These are the URLs a frame could
 * have: the page itself, and lookalikes that a prefix comparison (the old check) let through.
 */
const rendererDir = path.resolve('/opt/Framelab/out/renderer');
const page = appPageUrl(rendererDir);

describe('desktop IPC sender check', () => {
  it('names the app page as a file URL of index.html in the renderer folder', () => {
    expect(page).toBe(pathToFileURL(path.join(rendererDir, 'index.html')).href);
  });

  it("trusts the app's page, with or without a query or fragment", () => {
    expect(isTrustedSender(page, page)).toBe(true);
    expect(isTrustedSender(`${page}#/coding`, page)).toBe(true);
    expect(isTrustedSender(`${page}?token=x`, page)).toBe(true);
  });

  it('refuses file URLs that only start like the app page or climb out of it', () => {
    const folder = pathToFileURL(rendererDir).href; // what the old startsWith compared with
    for (const url of [
      `${folder}-evil/index.html`,
      `${folder}evil/index.html`,
      `${folder}/../evil/index.html`,
      `${folder}/../../../../tmp/evil.html`,
      `${folder}/index.html/../evil.html`,
      `${folder}/assets/evil.html`,
      `${folder}/index.htmlx`,
      `${folder}%2Findex.html`,
      `${folder}%2findex.html`,
      'file:///x/../evil',
      'file:///tmp/index.html',
      page.replace('file:///', 'file://evil-host/'),
    ]) {
      expect(isTrustedSender(url, page), url).toBe(false);
    }
  });

  it('refuses other schemes and non-URLs for a file:// app page', () => {
    for (const url of [
      page.replace('file:', 'http:'),
      page.replace('file:', 'framelab-file:'),
      'about:blank',
      'data:text/html,<script>1</script>',
      'devtools://devtools/bundled/inspector.html',
      '',
      'not a url',
      null,
      undefined,
    ]) {
      expect(isTrustedSender(url, page), String(url)).toBe(false);
    }
  });

  it('for a dev-server page, trusts exactly its scheme, host and port', () => {
    const dev = 'http://localhost:51730/';
    expect(isTrustedSender('http://localhost:51730/', dev)).toBe(true);
    expect(isTrustedSender('http://localhost:51730/index.html#/coding', dev)).toBe(true);
    for (const url of [
      'http://localhost:51730.evil/',
      'http://localhost:51730.evil.example/index.html',
      'http://localhost:517300/',
      'http://localhost:5173/',
      'http://localhost:51731/',
      'http://localhost.evil:51730/',
      'http://evil.example/?http://localhost:51730/',
      'http://localhost:51730@evil.example/',
      'https://localhost:51730/',
      'ws://localhost:51730/',
      'http://127.0.0.1:51730/',
      'file:///localhost:51730/index.html',
    ]) {
      expect(isTrustedSender(url, dev), url).toBe(false);
    }
  });

  it('trusts nothing when the app page itself is not a URL', () => {
    expect(isTrustedSender(page, 'not a url')).toBe(false);
  });
});
