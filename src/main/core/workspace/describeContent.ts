/**
 * Errors about a file the caller named describe what is wrong with it and never quote it
 * (issue 16, item 3): the API answers whoever holds its token, so "your CSV's header is
 * root:x:0:0:…" or V8's `Unexpected token 'r', "root:x:0:0"… is not valid JSON` would read
 * any file out through an error message. What a real CSV's header names (its columns) may be
 * named; anything that does not look like one is described.
 */

/** A CSV column name as people write them: starts with a letter, digit or _, no punctuation that separates other formats (:, =, /, quotes). */
const COLUMN_NAME = /^[\p{L}\p{N}_][\p{L}\p{N}\p{M}_ .()%+&-]{0,63}$/u;

/** True when the bytes (or text) hold a NUL or mostly control characters: not text at all. */
export function looksBinary(content: Uint8Array | string): boolean {
  const sample = typeof content === 'string' ? content.slice(0, 8192) : Buffer.from(content.subarray(0, 8192)).toString('latin1');
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

/**
 * The header's column names ("a, b, c") when it reads as a CSV header: two or more fields,
 * each blank or a plausible column name. Null otherwise: a one-field first line is any text
 * file's first line (`# ~/.bashrc …`, `machine host login me password …`), not a header.
 */
export function csvColumnNames(header: readonly string[]): string | null {
  const names = header.map((h) => h.trim());
  if (names.filter((n) => n !== '').length < 2) return null;
  if (!names.every((n) => n === '' || COLUMN_NAME.test(n))) return null;
  return names.join(', ');
}

/**
 * What the first line of a file that should be a CSV holds, in words: its columns when it
 * is a CSV header, otherwise that it looks binary or is not a CSV header. For messages such
 * as `FILE has no "frame_id" column (${describeHeader(...)})`.
 */
export function describeHeader(header: readonly string[], content?: Uint8Array | string): string {
  if (content !== undefined && looksBinary(content)) return 'the file looks binary, not like a CSV';
  const names = csvColumnNames(header);
  if (names !== null) return `its columns: ${names}`;
  return `its first line is not a CSV header (${header.length} field${header.length === 1 ? '' : 's'})`;
}

/**
 * Why JSON.parse failed, without the snippet V8 puts in its message: "not valid JSON", with
 * the line and column when V8 gives a position, or "it looks binary".
 */
export function describeJsonError(err: unknown, text?: string): string {
  if (text !== undefined && looksBinary(text)) return 'it looks binary, not like JSON';
  const message = err instanceof Error ? err.message : '';
  if (/Unexpected end of JSON input/i.test(message)) return 'it is not valid JSON (it ends too early)';
  const at = /at position (\d+)/.exec(message);
  if (at && text !== undefined) {
    const position = Number(at[1]);
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    return `it is not valid JSON (line ${line}, column ${column})`;
  }
  return 'it is not valid JSON';
}
