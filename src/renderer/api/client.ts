import type { Client } from '../../shared/client';

/** The one client of this window, set once at start-up (see main.tsx). */
let current: Client | null = null;
let toFileUrl: (storedPath: string) => string = (p) => p;
let toVideoUrl: (videoId: string) => string = (id) => id;

export function setClient(client: Client | null, fileUrl?: (storedPath: string) => string, videoUrl?: (videoId: string) => string): void {
  current = client;
  if (fileUrl) toFileUrl = fileUrl;
  if (videoUrl) toVideoUrl = videoUrl;
}

export function client(): Client {
  if (!current) throw new Error('Framelab client used before it was connected.');
  return current;
}

/** The URL of a stored file (frame image, thumbnail) for <img>, whichever transport. */
export function fileUrl(storedPath: string): string {
  return toFileUrl(storedPath);
}

/** The URL of an imported video's file for <video>, by video id, whichever transport. */
export function videoUrl(videoId: string): string {
  return toVideoUrl(videoId);
}
