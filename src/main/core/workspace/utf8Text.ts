import { FramelabError } from '../../../shared/errors';

/**
 * Text files the user gives us (annotations, ICR input, id lists, configs) are read as strict
 * UTF-8. A lenient decoder turns every invalid byte into U+FFFD, so Latin-1 "café" and "cafè"
 * both become "caf\uFFFD": two different codes silently read as the same one. Instead the
 * file is refused, naming the line and byte where the first invalid sequence starts so the
 * user can find it (the bytes are described, never quoted).
 */

/** Offset of the first byte that does not start a valid UTF-8 sequence (WHATWG rules), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Continuation bytes after the lead, and the allowed range of the first one (which rules
    // out overlong forms, surrogates and code points past U+10FFFF).
    let more: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) more = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      more = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      more = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= more; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += more + 1;
  }
  return -1;
}

/**
 * The bytes as text (a leading BOM dropped), or INVALID_INPUT naming `file`, the line and byte
 * offset of the first invalid sequence, and `fix` (what to do, e.g. save it as "CSV UTF-8").
 */
export function decodeUtf8(bytes: Uint8Array, file: string, fix: string): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  let line = 1;
  for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
  const byte = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  // 0x80–0xFF alone is what Latin-1/Windows-1252 editors write for accented letters.
  throw new FramelabError(
    'INVALID_INPUT',
    `${file} is not UTF-8 text: line ${line} (byte offset ${bad}) has the byte 0x${byte}, which does not start a valid UTF-8 sequence (a Latin-1 or Windows-1252 accented letter?); ${fix}.`,
    { file, line, byteOffset: bad },
  );
}
