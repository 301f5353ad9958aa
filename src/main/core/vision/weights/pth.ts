/**
 * PyTorch `.pth` state dicts: the zip format torch.save has written since 1.6
 * (`<archive>/data.pkl` + `<archive>/data/<key>` raw little-endian storages).
 */
import { FramelabError } from '../../../../shared/errors';
import { PickleWriter, PyGlobal, unpickle } from './pickle';
import {
  allocate,
  assertTensor,
  DTYPE_BYTES,
  fromLittleEndian,
  numel,
  stripModulePrefix,
  toLittleEndian,
  type DType,
  type StateDict,
  type Tensor,
} from './tensor';
import { writeZip, ZipReader } from './zip';
import { writeFileAtomic } from '../../workspace/atomic';

const STORAGE_DTYPES: Record<string, DType> = { FloatStorage: 'float32', HalfStorage: 'float16', LongStorage: 'int64' };
const DTYPE_STORAGES: Record<DType, string> = { float32: 'FloatStorage', float16: 'HalfStorage', int64: 'LongStorage' };
/** torch.float32 etc., as they appear when torch 2.x pickles an UntypedStorage's dtype. */
const TORCH_DTYPES: Record<string, DType> = {
  float32: 'float32',
  float: 'float32',
  float16: 'float16',
  half: 'float16',
  int64: 'int64',
  long: 'int64',
};

interface Storage {
  dtype: DType | null;
  storageType: string;
  key: string;
  numel: number;
  /** Raw little-endian bytes, or null when the archive lacks the entry. */
  bytes: Buffer | null;
}

/**
 * A tensor the pickle described but that cannot be loaded. Kept as a value so the error can
 * name the state-dict key it belongs to.
 */
class BadTensor {
  constructor(readonly why: string) {}
}

class OrderedDictValue extends Map<unknown, unknown> {}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function rebuildTensor(storage: unknown, offset: unknown, size: unknown, stride: unknown): Tensor | BadTensor {
  if (storage instanceof BadTensor) return storage;
  const s = storage as Storage;
  if (!s || typeof s !== 'object' || !('storageType' in s)) return new BadTensor('its storage is not a torch storage');
  if (!s.dtype) return new BadTensor(`its storage type ${s.storageType} is not supported (float32, float16 and int64 are)`);
  if (!s.bytes) return new BadTensor(`its data entry "${s.key}" is missing from the archive`);
  if (
    !isInt(offset) ||
    !Array.isArray(size) ||
    !Array.isArray(stride) ||
    !size.every(isInt) ||
    !stride.every(isInt) ||
    size.length !== stride.length
  ) {
    return new BadTensor('its size, stride or storage offset is malformed');
  }
  const shape = [...(size as number[])];
  const strides = [...(stride as number[])];
  const count = numel(shape);
  const elem = DTYPE_BYTES[s.dtype];
  const available = Math.floor(s.bytes.length / elem);
  if (count === 0) return { dtype: s.dtype, shape, data: allocate(s.dtype, 0) };
  // The furthest element the view touches must lie inside the storage.
  let last = offset;
  for (let d = 0; d < shape.length; d++) last += (shape[d]! - 1) * strides[d]!;
  if (offset < 0 || last >= available || strides.some((x) => x < 0)) {
    return new BadTensor(
      `its view (offset ${offset}, size [${shape.join(', ')}], stride [${strides.join(', ')}]) exceeds its storage of ${available} elements`,
    );
  }
  const src = fromLittleEndian(s.bytes, 0, s.dtype, available);
  // Contiguous row-major strides: copy a slice; otherwise gather element by element.
  let contiguous = true;
  for (let d = shape.length - 1, expect = 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== expect) contiguous = false;
    expect *= shape[d]!;
  }
  if (contiguous) return { dtype: s.dtype, shape, data: src.slice(offset, offset + count) as Tensor['data'] };
  const out = allocate(s.dtype, count);
  const index = new Array<number>(shape.length).fill(0);
  let srcPos = offset;
  for (let i = 0; i < count; i++) {
    (out as Float32Array)[i] = (src as Float32Array)[srcPos]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]!++;
      srcPos += strides[d]!;
      if (index[d]! < shape[d]!) break;
      srcPos -= shape[d]! * strides[d]!;
      index[d] = 0;
    }
  }
  return { dtype: s.dtype, shape, data: out };
}

/**
 * Unpickles a torch.save archive into its root object: dicts become Maps, lists arrays,
 * tensors Tensor (or BadTensor when unloadable). Only the globals a tensor needs are allowed.
 */
export function readTorchObject(file: string): { root: unknown; where: string } {
  const zip = ZipReader.open(file);
  const pkl = [...zip.entries.keys()].find((n) => n === 'data.pkl' || /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) throw new FramelabError('INVALID_INPUT', `${file} is not a torch.save archive: it has no data.pkl.`);
  const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length);
  const byteorder = zip.entries.has(`${prefix}byteorder`) ? zip.read(`${prefix}byteorder`).toString('utf8').trim() : 'little';
  if (byteorder !== 'little')
    throw new FramelabError('INVALID_INPUT', `${file} was saved big-endian ("${byteorder}"), which is not supported.`);
  const where = `${file} (${pkl})`;
  const storages = new Map<string, Storage>();

  const root = unpickle(
    zip.read(pkl),
    {
      allowGlobal: (g) =>
        (g.module === 'collections' && g.name === 'OrderedDict') ||
        (g.module === 'torch._utils' && (g.name === '_rebuild_tensor_v2' || g.name === '_rebuild_parameter')) ||
        (g.module === 'torch' && (g.name.endsWith('Storage') || g.name in TORCH_DTYPES)) ||
        (g.module === 'torch.storage' && g.name === 'UntypedStorage'),
      call: (f, args) => {
        if (f.module === 'collections') return new OrderedDictValue();
        if (f.name === '_rebuild_tensor_v2') return rebuildTensor(args[0], args[1], args[2], args[3]);
        if (f.name === '_rebuild_parameter') return args[0];
        throw new FramelabError('INVALID_INPUT', `${where}: cannot call global "${f.qualified}".`);
      },
      persistentLoad: (pid) => {
        if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) {
          throw new FramelabError(
            'INVALID_INPUT',
            `${where}: unsupported persistent id ${JSON.stringify(Array.isArray(pid) ? pid[0] : String(pid))}.`,
          );
        }
        const [, type, key, , count] = pid as [string, unknown, unknown, unknown, unknown];
        if (!(type instanceof PyGlobal) || typeof key !== 'string' || !isInt(count)) {
          throw new FramelabError('INVALID_INPUT', `${where}: malformed storage reference ${String(key)}.`);
        }
        const cached = storages.get(key);
        if (cached) return cached;
        const entry = `${prefix}data/${key}`;
        // torch 2.x pickles UntypedStorage references with the dtype (torch.float32...) as the type.
        const dtype = STORAGE_DTYPES[type.name] ?? (type.module === 'torch' ? TORCH_DTYPES[type.name] : undefined) ?? null;
        const bytes = zip.entries.has(entry) ? zip.read(entry) : null;
        const storage: Storage = { dtype, storageType: type.qualified, key: entry, numel: count, bytes };
        if (bytes && dtype && bytes.length < count * DTYPE_BYTES[dtype]) storage.bytes = null;
        storages.set(key, storage);
        return storage;
      },
      // OrderedDict.__reduce__ puts `_metadata` (version numbers per module) in BUILD state: ignored.
      build: (obj) => obj,
    },
    where,
  );
  return { root, where };
}

/** The problem with a value that should be a loaded tensor, or null when it is one. */
export function tensorProblem(value: unknown): string | null {
  if (value instanceof BadTensor) return value.why;
  if (!value || typeof value !== 'object' || !('dtype' in value) || !('shape' in value)) return 'it is not a tensor';
  return null;
}

/** Reads a torch.save'd state dict. `module.` prefixes (DataParallel) are stripped unless told not to. */
export function readPth(file: string, options: { stripModulePrefix?: boolean } = {}): StateDict {
  const { root } = readTorchObject(file);
  if (!(root instanceof Map)) throw new FramelabError('INVALID_INPUT', `${file} does not hold a state dict (a dict of tensors).`);
  const dict: StateDict = new Map();
  for (const [key, value] of root) {
    if (typeof key !== 'string') throw new FramelabError('INVALID_INPUT', `${file}: state dict key ${String(key)} is not a string.`);
    if (value instanceof BadTensor) throw new FramelabError('INVALID_INPUT', `${file}: tensor "${key}" cannot be loaded: ${value.why}.`);
    if (!value || typeof value !== 'object' || !('dtype' in value) || !('shape' in value)) {
      throw new FramelabError('INVALID_INPUT', `${file}: "${key}" is not a tensor (a full checkpoint rather than a state dict?).`);
    }
    dict.set(key, value as Tensor);
  }
  return options.stripModulePrefix === false ? dict : stripModulePrefix(dict);
}

/** The bytes of a `.pth` holding `dict` as torch.save would write an OrderedDict of tensors. */
export function encodePth(dict: StateDict, archive = 'archive'): Buffer {
  const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce();
  const files: { name: string; data: Uint8Array }[] = [];
  let i = 0;
  if (dict.size) w.mark();
  for (const [key, tensor] of dict) {
    assertTensor(key, tensor, 'writePth');
    const storageKey = String(i++);
    const strides = new Array<number>(tensor.shape.length);
    for (let d = tensor.shape.length - 1, s = 1; d >= 0; d--) {
      strides[d] = s;
      s *= tensor.shape[d]!;
    }
    w.str(key);
    w.global('torch._utils', '_rebuild_tensor_v2').mark();
    w.mark()
      .str('storage')
      .global('torch', DTYPE_STORAGES[tensor.dtype])
      .str(storageKey)
      .str('cpu')
      .int(tensor.data.length)
      .tuple()
      .binpersid();
    w.int(0).ints(tensor.shape).ints(strides).bool(false).global('collections', 'OrderedDict').emptyTuple().reduce();
    w.tuple().reduce();
    files.push({ name: `${archive}/data/${storageKey}`, data: toLittleEndian(tensor) });
  }
  if (dict.size) w.setitems();
  w.stop();
  return writeZip([
    { name: `${archive}/data.pkl`, data: w.bytes() },
    { name: `${archive}/byteorder`, data: Buffer.from('little') },
    ...files,
    { name: `${archive}/version`, data: Buffer.from('3\n') },
  ]);
}

/** Writes `dict` as a `.pth` that torch.load reads (an OrderedDict of CPU tensors). */
export function writePth(file: string, dict: StateDict): void {
  writeFileAtomic(file, encodePth(dict));
}
