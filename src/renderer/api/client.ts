import type { Client } from '../../shared/client';

/** The one client of this window, set once at start-up (see main.tsx). */
let current: Client | null = null;
let toFileUrl: (storedPath: string) => string = (p) => p;

export function setClient(client: Client | null, fileUrl?: (storedPath: string) => string): void {
  current = client;
  if (fileUrl) toFileUrl = fileUrl;
}

export function client(): Client {
  if (!current) throw new Error('Framelab client used before it was connected.');
  return current;
}

/** The URL of a stored file (frame image, thumbnail) for <img>, whichever transport. */
export function fileUrl(storedPath: string): string {
  return toFileUrl(storedPath);
}
