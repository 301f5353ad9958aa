/**
 * Writes NumPy `.npy` arrays (format 1.0, C order, little-endian) and `.npz` archives (a
 * stored zip of them), for the arrays the suite hands back to the lab's Python: float32
 * matrices, uint8 flags and unicode id arrays.
 */
import fs from 'node:fs';
import { writeZip } from '../../vision/weights/zip';

export type NpyData =
  | { kind: 'f4'; shape: number[]; data: Float32Array }
  | { kind: 'u1'; shape: number[]; data: Uint8Array }
  | { kind: 'str'; data: readonly string[] };

export function npyBytes(array: NpyData): Buffer {
  let descr: string;
  let shape: number[];
  let body: Buffer;
  if (array.kind === 'str') {
    // Fixed-width UTF-32 (numpy's '<U'), as np.array(list_of_str) stores it.
    const width = Math.max(1, ...array.data.map((s) => [...s].length));
    body = Buffer.alloc(array.data.length * width * 4);
    array.data.forEach((s, i) => [...s].forEach((ch, k) => body.writeUInt32LE(ch.codePointAt(0)!, (i * width + k) * 4)));
    descr = `<U${width}`;
    shape = [array.data.length];
  } else if (array.kind === 'f4') {
    body = Buffer.alloc(array.data.length * 4);
    array.data.forEach((v, i) => body.writeFloatLE(v, i * 4));
    descr = '<f4';
    shape = array.shape;
  } else {
    body = Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength);
    descr = '|u1';
    shape = array.shape;
  }
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  // The header (magic + version + length + text + newline) is padded to a multiple of 64 bytes.
  const text = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const head = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  head.writeUInt16LE(text.length, 8);
  return Buffer.concat([head, Buffer.from(text, 'latin1'), body]);
}

export function writeNpy(file: string, array: NpyData): void {
  fs.writeFileSync(file, npyBytes(array));
}

export function writeNpz(file: string, arrays: Record<string, NpyData>): void {
  fs.writeFileSync(file, writeZip(Object.entries(arrays).map(([name, a]) => ({ name: `${name}.npy`, data: npyBytes(a) }))));
}
