import crypto from 'node:crypto';

/**
 * JSON helpers of the analyses import. V8's JSON.parse errors quote a snippet of the text and
 * often give no position ("Unexpected end of JSON input"), so when a parse fails the text is
 * scanned again here to find the offset of the first error and say in words what was expected
 * there; the caller turns the offset into line:column. Only failed texts are scanned.
 */

export interface JsonSyntaxError {
  /** Offset (UTF-16 units) of the first character that cannot be JSON there; text.length at a premature end. */
  offset: number;
  message: string;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** What stands at i, in words: punctuation is named, other text only described (a message never quotes the file). */
function found(text: string, i: number): string {
  if (i >= text.length) return 'the text ends';
  const c = text[i]!;
  if ('{}[],:"\''.includes(c)) return `found ${c}`;
  if (/\p{L}/u.test(c)) return 'found a letter';
  if (/\d/.test(c)) return 'found a digit';
  return 'found another character';
}

/** The first syntax error of `text` as JSON (one value, whitespace around it allowed), or null when it is JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  let i = 0;
  const stack: ('{' | '[')[] = [];
  type Expect = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'next';
  let expect: Expect = 'value';
  const fail = (offset: number, message: string): JsonSyntaxError => ({ offset, message });

  const readString = (): JsonSyntaxError | null => {
    const start = i;
    i++;
    while (i < n) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return null;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail(i, 'a \\u escape needs four hex digits');
          i += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e))
          return fail(i, `a backslash in a string starts an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX); ${found(text, i + 1)}`);
        i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) return fail(i, 'a line break or control character inside a string (write a line break as \\n)');
      i++;
    }
    return fail(start, 'a string is never closed (a " is missing)');
  };

  for (;;) {
    while (i < n && WS.has(text[i]!)) i++;
    if (i >= n) {
      if (stack.length === 0 && expect === 'next') return null;
      if (stack.length === 0 && expect === 'value') return fail(n, 'there is no JSON value (the text is empty)');
      const open = stack
        .map((s) => (s === '{' ? '}' : ']'))
        .reverse()
        .join('');
      return fail(n, `the text ends before the JSON does (${open ? `missing ${open}` : 'a value is missing'})`);
    }
    const c = text[i]!;
    switch (expect) {
      case 'value':
      case 'firstValue': {
        if (expect === 'firstValue' && c === ']') {
          stack.pop();
          i++;
          expect = 'next';
          break;
        }
        if (c === '{') {
          stack.push('{');
          i++;
          expect = 'firstKey';
        } else if (c === '[') {
          stack.push('[');
          i++;
          expect = 'firstValue';
        } else if (c === '"') {
          const err = readString();
          if (err) return err;
          expect = 'next';
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (!m) return fail(i, 'a malformed number');
          i += m[0].length;
          expect = 'next';
        } else {
          const literal = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
          if (literal) {
            i += literal.length;
            expect = 'next';
          } else if (c === ']' || c === '}') {
            return fail(i, `expected a value; ${found(text, i)} (a comma before it, with nothing after?)`);
          } else {
            return fail(
              i,
              `expected a value (a string in double quotes, a number, an object, an array, true, false or null); ${found(text, i)}`,
            );
          }
        }
        break;
      }
      case 'key':
      case 'firstKey': {
        if (expect === 'firstKey' && c === '}') {
          stack.pop();
          i++;
          expect = 'next';
        } else if (c === '"') {
          const err = readString();
          if (err) return err;
          expect = 'colon';
        } else if (c === '}') {
          return fail(i, 'a comma before } (JSON allows no trailing comma)');
        } else {
          return fail(i, `expected a property name in double quotes; ${found(text, i)}`);
        }
        break;
      }
      case 'colon':
        if (c !== ':') return fail(i, `expected : after the property name; ${found(text, i)}`);
        i++;
        expect = 'value';
        break;
      case 'next': {
        const top = stack[stack.length - 1];
        if (top === undefined)
          return fail(i, `more text after the JSON value; ${found(text, i)} (one JSON value per file, or per line in .jsonl)`);
        const close = top === '{' ? '}' : ']';
        if (c === ',') {
          i++;
          expect = top === '{' ? 'key' : 'value';
        } else if (c === close) {
          stack.pop();
          i++;
          expect = 'next';
        } else {
          return fail(i, `expected , or ${close}; ${found(text, i)} (a comma missing?)`);
        }
        break;
      }
    }
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Lines of the top-level keys of a JSON object text (which must be valid JSON): where a field
 * of a one-video .json file is, to name it in a message.
 */
export function topLevelKeyLines(text: string): Map<string, number> {
  const keys = new Map<string, number>();
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      const start = i;
      const startLine = line;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (depth !== 1) continue;
      let j = i + 1;
      while (j < text.length && WS.has(text[j]!)) j++;
      if (text[j] === ':') {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (!keys.has(key)) keys.set(key, startLine);
      }
    }
  }
  return keys;
}

/** The value as JSON with every object's keys sorted: the same analysis, however its file orders or spaces it. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const contentHash = (value: unknown): string => crypto.createHash('sha256').update(canonicalJson(value)).digest('hex');

/** A JSON value named for a message, without quoting it: "a string", "the number 3", "an array". */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
