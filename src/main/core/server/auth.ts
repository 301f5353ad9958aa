import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cookieNameForPort, TOKEN_QUERY_PARAM } from '../../../shared/http';

export const newToken = (): string => crypto.randomBytes(24).toString('base64url');

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export interface Credentials {
  bearer: boolean;
  query: boolean;
  cookie: boolean;
}

/** Which ways the request carries the token. API calls need the header; page and socket may use query or cookie. */
export function credentials(req: IncomingMessage, url: URL, token: string, port: number): Credentials {
  const auth = req.headers.authorization;
  return {
    bearer: !!auth && auth.startsWith('Bearer ') && sameToken(auth.slice(7), token),
    query: sameToken(url.searchParams.get(TOKEN_QUERY_PARAM), token),
    cookie: sameToken(parseCookies(req.headers.cookie)[cookieNameForPort(port)], token),
  };
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
