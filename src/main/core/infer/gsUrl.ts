/**
 * `gs://BUCKET/PREFIX` URLs, kept apart from the bucket client so that light modules (the
 * owner's output checks, the CLI) can tell a bucket target from a folder without loading it.
 */

export interface GsTarget {
  bucket: string;
  prefix: string;
}

export function parseGsUrl(url: string): GsTarget | null {
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(url);
  return match ? { bucket: match[1]!, prefix: match[2]! } : null;
}

export const isGsUrl = (value: string): boolean => parseGsUrl(value) !== null;

/** The same place whatever the trailing slashes: `gs://b/p/` and `gs://b/p` are one target. */
export function sameGsTarget(a: string, b: string): boolean {
  const x = parseGsUrl(a);
  const y = parseGsUrl(b);
  return !!x && !!y && x.bucket === y.bucket && x.prefix.replace(/\/+$/, '') === y.prefix.replace(/\/+$/, '');
}

/** Object name under the prefix: `PREFIX/name`, with one slash between. */
export function objectName(prefix: string, name: string): string {
  return prefix ? `${prefix.replace(/\/+$/, '')}/${name}` : name;
}
