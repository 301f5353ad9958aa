import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pageCookieName, TOKEN_QUERY_PARAM } from '../../../shared/http';

export const newToken = (): string => crypto.randomBytes(24).toString('base64url');

/**
 * The two secrets of one `serve` launch. The token is the API's bearer credential: it reaches the
 * page once in the printed address and then lives only in the tab's memory and its bearer header.
 * The page key is what the page's cookie carries: browsers send cookies for 127.0.0.1 to every
 * port, so the cookie only ever opens what a page load needs (the page, its assets, stored images,
 * the event socket), never the API.
 */
export interface ServerSecrets {
  token: string;
  pageKey: string;
}

export const newSecrets = (): ServerSecrets => ({ token: newToken(), pageKey: newToken() });

function sameSecret(given: string | undefined | null, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Cookie pairs by name; a pair whose value cannot be decoded is no cookie at all (never a throw). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A malformed escape (`a=%`): skip this pair, keep the others.
    }
  }
  return out;
}

export interface Credentials {
  /** The API token in `Authorization: Bearer`: everything. */
  bearer: boolean;
  /** The API token in `?token=` (the printed address, the event socket's URL): pages and the socket. */
  query: boolean;
  /** The page key in this port's cookie: pages and the socket, never the API. */
  pageCookie: boolean;
}

/** Which credentials the request carries. */
export function credentials(req: IncomingMessage, url: URL, secrets: ServerSecrets, port: number): Credentials {
  const auth = req.headers.authorization;
  return {
    bearer: !!auth && auth.startsWith('Bearer ') && sameSecret(auth.slice(7), secrets.token),
    query: sameSecret(url.searchParams.get(TOKEN_QUERY_PARAM), secrets.token),
    pageCookie: sameSecret(parseCookies(req.headers.cookie)[pageCookieName(port)], secrets.pageKey),
  };
}

/** Enough for a page load: the page, its assets and images, the event socket. */
export const mayLoadPage = (c: Credentials): boolean => c.bearer || c.query || c.pageCookie;

/** The page cookie: HttpOnly (no script reads it), Strict (no other site's page sends it). */
export function pageCookie(secrets: ServerSecrets, port: number): string {
  return `${pageCookieName(port)}=${secrets.pageKey}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Only our own origin: guards against DNS rebinding (a foreign name resolving to 127.0.0.1). */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** The request's path and query; null when its target cannot be parsed as a URL (`GET //[`). */
export function requestUrl(req: IncomingMessage, base: string): URL | null {
  try {
    return new URL(req.url ?? '/', base);
  } catch {
    return null;
  }
}
