import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import electronViteConfig from '../../electron.vite.config';
import { securityHeaders } from '../../src/main/core/server/headers';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../../src/shared/contentSecurityPolicy';

/**
 * One policy: the renderer build writes it into index.html (the desktop window loads that from
 * file://, where no header reaches it), and browser mode sends it as a header. The built page is
 * checked, not the template, so a second policy left in the template fails here.
 */
let builtHtml = '';
let outDir = '';

/** A policy string as directive name → sorted sources (the first of a repeated directive counts, as in browsers). */
function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources.sort());
  }
  return directives;
}

/** The content of every CSP meta tag, with the HTML escapes a build writes (&#39; for ') undone. */
function metaPolicies(html: string): string[] {
  const metas = html.match(/<meta\b[^>]*>/gi) ?? [];
  return metas
    .filter((tag) => /http-equiv\s*=\s*["']?content-security-policy/i.test(tag))
    .map((tag) => /content\s*=\s*"([^"]*)"/i.exec(tag)?.[1] ?? /content\s*=\s*'([^']*)'/i.exec(tag)?.[1] ?? '')
    .map((content) =>
      content
        .replace(/&#39;|&#x27;|&apos;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    );
}

beforeAll(async () => {
  // The renderer section of the real build configuration, written to a temp folder.
  const renderer = (electronViteConfig as { renderer: InlineConfig }).renderer;
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-csp-'));
  await build({
    ...renderer,
    configFile: false,
    logLevel: 'silent',
    build: { ...renderer.build, outDir, emptyOutDir: true, minify: false, reportCompressedSize: false },
  });
  builtHtml = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
}, 60_000);

afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

describe('content security policy', () => {
  it('the built index.html carries exactly one policy, the shared one, before anything loads', () => {
    expect(metaPolicies(builtHtml)).toEqual([CONTENT_SECURITY_POLICY_META]);
    const policyAt = builtHtml.search(/http-equiv="Content-Security-Policy"/);
    expect(policyAt).toBeGreaterThan(0);
    expect(policyAt).toBeLessThan(builtHtml.search(/<script|<link/i));
  });

  it("the page's policy is no looser than the header: the same sources for every directive a meta can carry", () => {
    const header = parsePolicy(CONTENT_SECURITY_POLICY);
    const [meta] = metaPolicies(builtHtml);
    const page = parsePolicy(meta!);
    for (const [name, sources] of page) expect(header.get(name), name).toEqual(sources);
    const headerOnly = [...header.keys()].filter((name) => !page.has(name));
    expect(headerOnly).toEqual(['frame-ancestors']);
  });

  it('browser mode sends the same policy as its header', () => {
    expect(securityHeaders(51730)['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('the policy allows no inline or evaluated script and connects only to its own origin', () => {
    const policy = parsePolicy(CONTENT_SECURITY_POLICY);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });
});
