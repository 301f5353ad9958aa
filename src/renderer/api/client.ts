import type { Client } from '../../shared/client';

/** The one client of this window, set once at start-up (see main.tsx). */
let current: Client | null = null;

export function setClient(client: Client | null): void {
  current = client;
}

export function client(): Client {
  if (!current) throw new Error('Framelab client used before it was connected.');
  return current;
}
