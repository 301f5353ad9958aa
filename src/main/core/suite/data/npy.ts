import { FramelabError } from '../../../../shared/errors';
import { ZipReader } from '../../vision/weights/zip';
import { readRegularFile } from '../../workspace/inputPaths';

/**
 * NumPy `.npy` arrays (format 1.0–3.0) and `.npz` archives (a zip of `.npy` entries, stored or
 * deflated). Enough for embedding shards: little-endian float32/float64/int, and fixed-width
 * unicode (`<U…`) for id arrays; C order only.
 */
export type NpyArray = { shape: number[]; kind: 'number'; data: Float64Array } | { shape: number[]; kind: 'string'; data: string[] };

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

export function parseNpy(buf: Buffer, where: string): NpyArray {
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC))
    throw new FramelabError('INVALID_INPUT', `${where} is not a .npy array (no \\x93NUMPY magic).`);
  const major = buf[6]!;
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.subarray(start, start + headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new FramelabError('INVALID_INPUT', `${where}: unreadable .npy header ${JSON.stringify(header.trim())}.`);
  if (fortran === 'True')
    throw new FramelabError('INVALID_INPUT', `${where} is in Fortran order; save it with np.ascontiguousarray first.`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const body = buf.subarray(start + headerLen);
  const unicode = /^[<|]U(\d+)$/.exec(descr);
  if (unicode) {
    const width = Number(unicode[1]);
    const data: string[] = [];
    for (let i = 0; i < count; i++) {
      const cell = body.subarray(i * width * 4, (i + 1) * width * 4);
      let s = '';
      for (let k = 0; k < width; k++) {
        const cp = cell.readUInt32LE(k * 4);
        if (cp === 0) break;
        s += String.fromCodePoint(cp);
      }
      data.push(s);
    }
    return { shape, kind: 'string', data };
  }
  const readers: Record<string, [number, (b: Buffer, o: number) => number]> = {
    '<f4': [4, (b, o) => b.readFloatLE(o)],
    '<f8': [8, (b, o) => b.readDoubleLE(o)],
    '<f2': [2, (b, o) => halfToFloat(b.readUInt16LE(o))],
    '<i4': [4, (b, o) => b.readInt32LE(o)],
    '<i8': [8, (b, o) => Number(b.readBigInt64LE(o))],
    '|u1': [1, (b, o) => b.readUInt8(o)],
    '|b1': [1, (b, o) => b.readUInt8(o)],
  };
  const reader = readers[descr];
  if (!reader)
    throw new FramelabError('INVALID_INPUT', `${where} has dtype ${descr}; supported: ${Object.keys(readers).join(', ')}, <U (text).`);
  const [size, read] = reader;
  if (body.length < count * size)
    throw new FramelabError(
      'INVALID_INPUT',
      `${where} is truncated: shape [${shape.join(', ')}] needs ${count * size} bytes, it has ${body.length}.`,
    );
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = read(body, i * size);
  return { shape, kind: 'number', data };
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

export function readNpy(file: string): NpyArray {
  return parseNpy(readRegularFile(file, 'embeddings file'), file);
}

/** Every array of an `.npz`, by name without the `.npy` suffix. */
export function readNpz(file: string): Map<string, NpyArray> {
  const zip = ZipReader.open(file);
  const out = new Map<string, NpyArray>();
  for (const name of zip.entries.keys()) {
    if (name.endsWith('.npy')) out.set(name.slice(0, -4), parseNpy(zip.read(name), `${file} (${name})`));
  }
  return out;
}
