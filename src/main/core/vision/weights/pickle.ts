/**
 * A restricted unpickler for what torch.save writes (protocols 2–5), and a small protocol-2
 * writer. Nothing is ever imported or executed: globals become `PyGlobal` markers that the
 * caller's hooks interpret, and anything outside the subset is a FramelabError naming the
 * opcode (or the global) and its byte position.
 */
import { FramelabError } from '../../../../shared/errors';

const OPCODE_NAMES: Record<number, string> = {
  0x49: 'INT',
  0x4a: 'BININT',
  0x4b: 'BININT1',
  0x4d: 'BININT2',
  0x4c: 'LONG',
  0x8a: 'LONG1',
  0x8b: 'LONG4',
  0x53: 'STRING',
  0x54: 'BINSTRING',
  0x55: 'SHORT_BINSTRING',
  0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES',
  0x8e: 'BINBYTES8',
  0x96: 'BYTEARRAY8',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
  0x4e: 'NONE',
  0x88: 'NEWTRUE',
  0x89: 'NEWFALSE',
  0x56: 'UNICODE',
  0x8c: 'SHORT_BINUNICODE',
  0x58: 'BINUNICODE',
  0x8d: 'BINUNICODE8',
  0x46: 'FLOAT',
  0x47: 'BINFLOAT',
  0x5d: 'EMPTY_LIST',
  0x61: 'APPEND',
  0x65: 'APPENDS',
  0x6c: 'LIST',
  0x29: 'EMPTY_TUPLE',
  0x74: 'TUPLE',
  0x85: 'TUPLE1',
  0x86: 'TUPLE2',
  0x87: 'TUPLE3',
  0x7d: 'EMPTY_DICT',
  0x64: 'DICT',
  0x73: 'SETITEM',
  0x75: 'SETITEMS',
  0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS',
  0x91: 'FROZENSET',
  0x30: 'POP',
  0x32: 'DUP',
  0x28: 'MARK',
  0x31: 'POP_MARK',
  0x67: 'GET',
  0x68: 'BINGET',
  0x6a: 'LONG_BINGET',
  0x70: 'PUT',
  0x71: 'BINPUT',
  0x72: 'LONG_BINPUT',
  0x94: 'MEMOIZE',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x63: 'GLOBAL',
  0x93: 'STACK_GLOBAL',
  0x52: 'REDUCE',
  0x62: 'BUILD',
  0x69: 'INST',
  0x6f: 'OBJ',
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x80: 'PROTO',
  0x2e: 'STOP',
  0x95: 'FRAME',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
};

/** A reference to a Python global (`module.name`), never resolved to code. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A Python tuple (lists are plain arrays). */
export class PyTuple extends Array<unknown> {
  static of_(items: unknown[]): PyTuple {
    const t = new PyTuple();
    t.push(...items);
    return t;
  }
}

export interface UnpickleHooks {
  /** Globals the caller accepts; anything else is rejected when it is named. */
  allowGlobal(g: PyGlobal): boolean;
  /** REDUCE / NEWOBJ: `callable(*args)`. */
  call(callable: PyGlobal, args: unknown[]): unknown;
  /** BINPERSID / PERSID. */
  persistentLoad(pid: unknown): unknown;
  /** BUILD: sets `state` on `obj`; returns the object to keep on the stack. */
  build?(obj: unknown, state: unknown): unknown;
}

export function unpickle(bytes: Uint8Array, hooks: UnpickleHooks, where: string): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const fail = (what: string, at = pos): never => {
    throw new FramelabError('INVALID_INPUT', `${where}: ${what} (at byte ${at}).`);
  };
  const need = (n: number) => {
    if (pos + n > buf.length) fail('the pickle ends early');
  };
  const u8 = () => (need(1), buf[pos++]!);
  const u16 = () => (need(2), (pos += 2), buf.readUInt16LE(pos - 2));
  const u32 = () => (need(4), (pos += 4), buf.readUInt32LE(pos - 4));
  const u64 = () => {
    need(8);
    const v = buf.readBigUInt64LE(pos);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('a length is too large');
    return Number(v);
  };
  const take = (n: number) => (need(n), (pos += n), buf.subarray(pos - n, pos));
  const line = () => {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) fail('a text argument has no newline');
    const s = buf.toString('utf8', pos, end);
    pos = end + 1;
    return s;
  };
  const pop = () => {
    if (stack.length === 0) fail('the pickle pops an empty stack');
    return stack.pop();
  };
  const top = () => {
    if (stack.length === 0) fail('the pickle reads an empty stack');
    return stack[stack.length - 1];
  };
  const popMark = () => {
    const items = stack;
    const prev = marks.pop();
    if (!prev) fail('the pickle closes a MARK it never opened');
    stack = prev!;
    return items;
  };
  const decodeLong = (b: Buffer): number | bigint => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const global = (module: string, name: string, at: number) => {
    const g = new PyGlobal(module, name);
    if (!hooks.allowGlobal(g)) fail(`unsupported global "${g.qualified}"`, at);
    return g;
  };
  const callable = (f: unknown, at: number): PyGlobal => {
    if (!(f instanceof PyGlobal)) fail('the pickle calls something that is not a global', at);
    return f as PyGlobal;
  };
  const setItems = (dict: unknown, items: unknown[], at: number) => {
    if (!(dict instanceof Map)) fail('SETITEM(S) on something that is not a dict', at);
    for (let i = 0; i + 1 < items.length; i += 2) (dict as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };
  const append = (list: unknown, items: unknown[], at: number) => {
    if (!Array.isArray(list) || list instanceof PyTuple) fail('APPEND(S) on something that is not a list', at);
    (list as unknown[]).push(...items);
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('pickle protocol newer than 5', at);
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        marks.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        need(4);
        stack.push(buf.readInt32LE(pos));
        pos += 4;
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(decodeLong(take(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(decodeLong(take(u32())));
        break;
      case 0x47: // BINFLOAT
        need(8);
        stack.push(buf.readDoubleBE(pos));
        pos += 8;
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(take(u8()).toString('utf8'));
        break;
      case 0x58: // BINUNICODE
        stack.push(take(u32()).toString('utf8'));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(take(u64()).toString('utf8'));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(Buffer.from(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(Buffer.from(take(u32())));
        break;
      case 0x8e: // BINBYTES8
        stack.push(Buffer.from(take(u64())));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PyTuple());
        break;
      case 0x74: {
        // TUPLE (popMark swaps `stack`: take the items before pushing)
        const t = PyTuple.of_(popMark());
        stack.push(t);
        break;
      }
      case 0x85: // TUPLE1
        stack.push(PyTuple.of_([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(PyTuple.of_([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(PyTuple.of_([pop(), b, c]));
        break;
      }
      case 0x6c: {
        // LIST
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new Map();
        setItems(d, items, at);
        stack.push(d);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        append(top(), [v], at);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        append(top(), items, at);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v], at);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items, at);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const idx = op === 0x68 ? u8() : u32();
        if (!memo.has(idx)) fail(`memo entry ${idx} is missing`, at);
        stack.push(memo.get(idx));
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line();
        const name = line();
        stack.push(global(module, name, at));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL without two strings', at);
        stack.push(global(module as string, name as string, at));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const f = callable(pop(), at);
        if (!Array.isArray(args)) fail(`REDUCE of ${f.qualified} without an argument tuple`, at);
        stack.push(hooks.call(f, args as unknown[]));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args)
        const args = pop();
        const cls = callable(pop(), at);
        stack.push(hooks.call(cls, args as unknown[]));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const obj = pop();
        stack.push(hooks.build ? hooks.build(obj, state) : obj);
        break;
      }
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop()));
        break;
      default: {
        const name = OPCODE_NAMES[op];
        fail(
          name
            ? `unsupported pickle opcode ${name} (0x${op.toString(16).padStart(2, '0')})`
            : `unknown pickle opcode 0x${op.toString(16).padStart(2, '0')}`,
          at,
        );
      }
    }
  }
}

/** Builds a protocol-2 pickle by appending opcodes. */
export class PickleWriter {
  private chunks: Buffer[] = [];

  private op(...bytes: number[]): this {
    this.chunks.push(Buffer.from(bytes));
    return this;
  }

  proto(v = 2) {
    return this.op(0x80, v);
  }
  stop() {
    return this.op(0x2e);
  }
  mark() {
    return this.op(0x28);
  }
  tuple() {
    return this.op(0x74);
  }
  emptyTuple() {
    return this.op(0x29);
  }
  reduce() {
    return this.op(0x52);
  }
  setitems() {
    return this.op(0x75);
  }
  binpersid() {
    return this.op(0x51);
  }
  bool(v: boolean) {
    return this.op(v ? 0x88 : 0x89);
  }
  none() {
    return this.op(0x4e);
  }
  global(module: string, name: string) {
    this.chunks.push(Buffer.from([0x63]), Buffer.from(`${module}\n${name}\n`, 'utf8'));
    return this;
  }
  str(s: string) {
    const b = Buffer.from(s, 'utf8');
    const head = Buffer.alloc(5);
    head[0] = 0x58; // BINUNICODE
    head.writeUInt32LE(b.length, 1);
    this.chunks.push(head, b);
    return this;
  }
  int(v: number) {
    if (!Number.isSafeInteger(v)) throw new Error(`PickleWriter.int: ${v} is not a safe integer`);
    if (v >= 0 && v < 0x100) return this.op(0x4b, v);
    if (v >= 0 && v < 0x10000) return this.op(0x4d, v & 0xff, v >> 8);
    if (v >= -0x80000000 && v < 0x80000000) {
      const b = Buffer.alloc(5);
      b[0] = 0x4a;
      b.writeInt32LE(v, 1);
      this.chunks.push(b);
      return this;
    }
    // LONG1: minimal two's complement, little-endian.
    const bytes: number[] = [];
    let x = BigInt(v);
    for (;;) {
      const byte = Number(x & 0xffn);
      bytes.push(byte);
      x >>= 8n;
      if ((x === 0n && !(byte & 0x80)) || (x === -1n && byte & 0x80)) break;
    }
    return this.op(0x8a, bytes.length, ...bytes);
  }
  ints(values: readonly number[]) {
    this.mark();
    for (const v of values) this.int(v);
    return this.tuple();
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
