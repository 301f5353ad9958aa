/**
 * The in-memory form of model weights: a dense, contiguous, row-major tensor and an ordered
 * state dict (a Map keeps insertion order, as torch's OrderedDict does).
 */
import { FramelabError } from '../../../../shared/errors';

export type DType = 'float32' | 'float16' | 'int64';

export interface Tensor {
  dtype: DType;
  shape: number[];
  /** float16 values are kept as their raw IEEE half bits. */
  data: Float32Array | Uint16Array | BigInt64Array;
}

export type StateDict = Map<string, Tensor>;

export const DTYPE_BYTES: Record<DType, number> = { float32: 4, float16: 2, int64: 8 };

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A typed array of `count` elements of `dtype`. */
export function allocate(dtype: DType, count: number): Tensor['data'] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(count);
    case 'float16':
      return new Uint16Array(count);
    case 'int64':
      return new BigInt64Array(count);
  }
}

/**
 * Copies `count` little-endian elements of `dtype` from `bytes` at `byteOffset` into a fresh
 * (aligned) typed array. Works on any host byte order.
 */
export function fromLittleEndian(bytes: Uint8Array, byteOffset: number, dtype: DType, count: number): Tensor['data'] {
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * DTYPE_BYTES[dtype]);
  switch (dtype) {
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    case 'float16': {
      const out = new Uint16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true);
      return out;
    }
    case 'int64': {
      const out = new BigInt64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getBigInt64(i * 8, true);
      return out;
    }
  }
}

/** The tensor's elements as little-endian bytes (what .pth storages and safetensors hold). */
export function toLittleEndian(tensor: Tensor): Buffer {
  const size = DTYPE_BYTES[tensor.dtype];
  const n = tensor.data.length;
  const out = Buffer.alloc(n * size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (tensor.data instanceof Float32Array) for (let i = 0; i < n; i++) view.setFloat32(i * 4, tensor.data[i]!, true);
  else if (tensor.data instanceof Uint16Array) for (let i = 0; i < n; i++) view.setUint16(i * 2, tensor.data[i]!, true);
  else for (let i = 0; i < n; i++) view.setBigInt64(i * 8, tensor.data[i]!, true);
  return out;
}

/** Throws unless the tensor's data agrees with its dtype and shape. */
export function assertTensor(key: string, tensor: Tensor, where: string): void {
  const expected = tensor.dtype === 'float32' ? Float32Array : tensor.dtype === 'float16' ? Uint16Array : BigInt64Array;
  if (!(tensor.data instanceof expected)) {
    throw new FramelabError('INVALID_INPUT', `${where}: tensor "${key}" says ${tensor.dtype} but holds a ${tensor.data.constructor.name}.`);
  }
  if (!tensor.shape.every((d) => Number.isInteger(d) && d >= 0) || numel(tensor.shape) !== tensor.data.length) {
    throw new FramelabError(
      'INVALID_INPUT',
      `${where}: tensor "${key}" has shape [${tensor.shape.join(', ')}] but ${tensor.data.length} elements.`,
    );
  }
}

/** Decodes IEEE half bits to a number (for display and comparisons). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Removes a `module.` prefix (DataParallel) from every key, when every key has it. */
export function stripModulePrefix(dict: StateDict): StateDict {
  if (dict.size === 0 || ![...dict.keys()].every((k) => k.startsWith('module.'))) return dict;
  const out: StateDict = new Map();
  for (const [k, v] of dict) out.set(k.slice('module.'.length), v);
  return out;
}

/** A float32 copy of a float16 tensor; other tensors are returned as they are. */
export function widenHalf(tensor: Tensor): Tensor {
  if (tensor.dtype !== 'float16') return tensor;
  const bits = tensor.data as Uint16Array;
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfToNumber(bits[i]!);
  return { dtype: 'float32', shape: [...tensor.shape], data: out };
}
