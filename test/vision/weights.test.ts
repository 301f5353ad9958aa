import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PickleWriter } from '../../src/main/core/vision/weights/pickle';
import { encodePth, readPth, writePth } from '../../src/main/core/vision/weights/pth';
import {
  readModel,
  readSafetensors,
  writeModel,
  writeSafetensors,
  type SidecarInput,
} from '../../src/main/core/vision/weights/safetensors';
import { toLittleEndian, type StateDict, type Tensor } from '../../src/main/core/vision/weights/tensor';
import { checkStateDict, compareStateDict } from '../../src/main/core/vision/weights/validate';
import { writeZip, ZipReader } from '../../src/main/core/vision/weights/zip';
import { mulberry32 } from '../../src/main/core/random';
import { expectFramelabError, runCleanup, tempDir } from '../helpers';
import { PYTHON } from '../helpers/python';

afterEach(runCleanup);

function f32(shape: number[], seed: number): Tensor {
  const r = mulberry32(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = r() * 2 - 1;
  return { dtype: 'float32', shape, data };
}

function sampleDict(prefix = ''): StateDict {
  const r = mulberry32(7);
  const half = new Uint16Array(6);
  for (let i = 0; i < half.length; i++) half[i] = Math.floor(r() * 0x7bff);
  return new Map<string, Tensor>([
    [`${prefix}conv1.weight`, f32([8, 3, 3, 3], 1)],
    [`${prefix}bn1.running_mean`, f32([8], 2)],
    [`${prefix}bn1.num_batches_tracked`, { dtype: 'int64', shape: [], data: BigInt64Array.of(123456789012345n) }],
    [`${prefix}head.bias`, { dtype: 'float16', shape: [2, 3], data: half }],
    [`${prefix}ids`, { dtype: 'int64', shape: [4], data: BigInt64Array.of(-1n, 0n, 2n ** 40n, -(2n ** 62n)) }],
    [`${prefix}empty`, { dtype: 'float32', shape: [0, 3], data: new Float32Array(0) }],
  ]);
}

function expectSameDict(actual: StateDict, expected: StateDict) {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [key, t] of expected) {
    const a = actual.get(key)!;
    expect({ key, dtype: a.dtype, shape: a.shape }).toEqual({ key, dtype: t.dtype, shape: t.shape });
    expect(toLittleEndian(a).equals(toLittleEndian(t)), `bytes of ${key}`).toBe(true);
  }
}

const SIDECAR: SidecarInput = {
  architecture: 'resnet18',
  classes: ['close', 'medium', 'far'],
  preprocessing: { resize: 256, crop: 224, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  parentVersion: null,
  trainingConfig: { epochs: 3, lr: 0.001, seed: 1 },
  metrics: { accuracy: 0.91 },
};

/** A torch.save-like archive whose data.pkl is `pickle`. */
function pthWithPickle(dir: string, pickle: Buffer): string {
  const file = path.join(dir, 'crafted.pth');
  fs.writeFileSync(
    file,
    writeZip([
      { name: 'archive/data.pkl', data: pickle },
      { name: 'archive/version', data: Buffer.from('3\n') },
    ]),
  );
  return file;
}

describe('weights I/O in TypeScript', () => {
  it('round-trips .pth → .pth exactly, and writes the same bytes again', () => {
    const dir = tempDir('weights');
    const dict = sampleDict();
    const a = path.join(dir, 'a.pth');
    writePth(a, dict);
    const back = readPth(a);
    expectSameDict(back, dict);
    expect(encodePth(back).equals(fs.readFileSync(a))).toBe(true);
    // torch layout: data.pkl first, storages aligned to 64 bytes, version last.
    const zip = ZipReader.open(a);
    const names = [...zip.entries.keys()];
    expect(names[0]).toBe('archive/data.pkl');
    expect(names.at(-1)).toBe('archive/version');
    const buf = fs.readFileSync(a);
    for (const e of zip.entries.values()) {
      const start = e.localHeaderOffset + 30 + buf.readUInt16LE(e.localHeaderOffset + 26) + buf.readUInt16LE(e.localHeaderOffset + 28);
      expect(start % 64, e.name).toBe(0);
    }
  });

  it('round-trips safetensors → safetensors with metadata and an 8-byte aligned header', () => {
    const dir = tempDir('weights');
    const dict = sampleDict();
    const file = path.join(dir, 'm.safetensors');
    writeSafetensors(file, dict, { format: 'pt' });
    const buf = fs.readFileSync(file);
    expect(Number(buf.readBigUInt64LE(0)) % 8).toBe(0);
    const back = readSafetensors(file);
    expect(back.metadata).toEqual({ format: 'pt' });
    expectSameDict(back.tensors, dict);
  });

  it('carries tensors .pth → safetensors → .pth with equal bytes, stripping DataParallel prefixes', () => {
    const dir = tempDir('weights');
    writePth(path.join(dir, 'dp.pth'), sampleDict('module.'));
    const fromPth = readPth(path.join(dir, 'dp.pth'));
    expectSameDict(fromPth, sampleDict());
    writeSafetensors(path.join(dir, 'm.safetensors'), fromPth);
    writePth(path.join(dir, 'back.pth'), readSafetensors(path.join(dir, 'm.safetensors')).tensors);
    expectSameDict(readPth(path.join(dir, 'back.pth')), sampleDict());
    // A prefix on only some keys is kept.
    const mixed = sampleDict();
    mixed.set('module.extra', f32([2], 3));
    writePth(path.join(dir, 'mixed.pth'), mixed);
    expect([...readPth(path.join(dir, 'mixed.pth')).keys()]).toContain('module.extra');
  });

  it('writes a model with its sidecar and verifies the sha256 on read', () => {
    const dir = tempDir('weights');
    const base = path.join(dir, 'v1');
    const written = writeModel(base, sampleDict(), SIDECAR);
    const model = readModel(base);
    expect(model.sidecar).toEqual(written);
    expect(model.sidecar.classes).toEqual(['close', 'medium', 'far']);
    expectSameDict(model.tensors, sampleDict());
    // Flip one byte of the weights: the sidecar no longer matches.
    const file = `${base}.safetensors`;
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1]! ^= 1;
    fs.writeFileSync(file, bytes);
    const err = expectFramelabError(() => readModel(base), 'INVALID_INPUT');
    expect(err.message).toContain('"sha256"');
    expect(err.message).toContain('v1.safetensors.json');
  });

  it('rejects an unknown pickle opcode, naming it', () => {
    const dir = tempDir('weights');
    const file = pthWithPickle(dir, Buffer.concat([new PickleWriter().proto(2).bytes(), Buffer.from([0xff])]));
    const err = expectFramelabError(() => readPth(file), 'INVALID_INPUT');
    expect(err.message).toMatch(/unknown pickle opcode 0xff \(at byte 2\)/);
    expect(err.message).toContain('crafted.pth');
    // A real opcode outside the subset is named too.
    const inst = pthWithPickle(dir, Buffer.concat([new PickleWriter().proto(2).mark().bytes(), Buffer.from('ios\nsystem\n')]));
    expect(expectFramelabError(() => readPth(inst), 'INVALID_INPUT').message).toContain('unsupported pickle opcode INST (0x69)');
  });

  it('rejects globals outside the subset, naming them', () => {
    const dir = tempDir('weights');
    const pickle = new PickleWriter().proto(2).global('os', 'system').mark().str('echo hi').tuple().reduce().stop().bytes();
    const err = expectFramelabError(() => readPth(pthWithPickle(dir, pickle)), 'INVALID_INPUT');
    expect(err.message).toContain('unsupported global "os.system"');
  });

  it('names the key whose data entry is missing', () => {
    const dir = tempDir('weights');
    const full = path.join(dir, 'full.pth');
    writePth(full, sampleDict());
    const zip = ZipReader.open(full);
    // Storage "1" belongs to the second key, bn1.running_mean.
    const kept = [...zip.entries.keys()].filter((n) => n !== 'archive/data/1').map((name) => ({ name, data: zip.read(name) }));
    const broken = path.join(dir, 'broken.pth');
    fs.writeFileSync(broken, writeZip(kept));
    const err = expectFramelabError(() => readPth(broken), 'INVALID_INPUT');
    expect(err.message).toContain('"bn1.running_mean"');
    expect(err.message).toContain('archive/data/1');
  });

  it('rejects files that are not archives, and unsupported dtypes, naming the key', () => {
    const dir = tempDir('weights');
    const junk = path.join(dir, 'junk.pth');
    fs.writeFileSync(junk, 'not a zip');
    expect(expectFramelabError(() => readPth(junk), 'INVALID_INPUT').message).toContain('junk.pth');
    const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce().mark().str('x.weight');
    w.global('torch._utils', '_rebuild_tensor_v2').mark();
    w.mark().str('storage').global('torch', 'DoubleStorage').str('0').str('cpu').int(1).tuple().binpersid();
    w.int(0).ints([1]).ints([1]).bool(false).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce().setitems().stop();
    const err = expectFramelabError(() => readPth(pthWithPickle(dir, w.bytes())), 'INVALID_INPUT');
    expect(err.message).toContain('"x.weight"');
    expect(err.message).toContain('torch.DoubleStorage');
  });

  it('checkStateDict names missing, unexpected and mis-shaped keys with both shapes', () => {
    const dict = sampleDict();
    const expected = new Map<string, number[]>([
      ['conv1.weight', [8, 3, 7, 7]],
      ['bn1.running_mean', [8]],
      ['fc.weight', [3, 512]],
    ]);
    const p = compareStateDict(dict, expected);
    expect(p.missing).toEqual(['fc.weight']);
    expect(p.unexpected).toEqual(['bn1.num_batches_tracked', 'head.bias', 'ids', 'empty']);
    const err = expectFramelabError(() => checkStateDict(dict, expected, 'v1.safetensors'), 'INVALID_INPUT');
    expect(err.message).toContain('shape mismatch for "conv1.weight": expected [8, 3, 7, 7], got [8, 3, 3, 3]');
    expect(err.message).toContain('missing keys: "fc.weight"');
    expect(err.message).toContain('unexpected keys: "bn1.num_batches_tracked"');
    const ok = new Map([...dict].map(([k, t]) => [k, t.shape] as [string, number[]]));
    expect(() => checkStateDict(dict, ok)).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// Parity with real torch (Debian's python3-torch).

const torchAvailable = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;

const SAVE_PY = String.raw`
import collections, json, sys, torch
out = sys.argv[1]
g = torch.Generator().manual_seed(0)
sd = collections.OrderedDict()
sd['module.conv.weight'] = torch.randn(4, 3, 3, 3, generator=g)
sd['module.fc.weight'] = torch.randn(5, 6, generator=g).t()            # non-contiguous (transposed)
sd['module.fc.bias'] = torch.randn(6, generator=g).half()
sd['module.bn.num_batches_tracked'] = torch.tensor(123456789012, dtype=torch.int64)
sd['module.ids'] = torch.arange(-5, 7, dtype=torch.int64).reshape(3, 4)[:, 1:3]  # strided with an offset
big = torch.randn(10, 10, generator=g)
sd['module.slice'] = big[2:5, 3:8]                                        # view into a shared storage
sd['module.big'] = big
sd['module.empty'] = torch.zeros(0, 3)
sd['module.scalar'] = torch.tensor(3.5)
sd['module.halfT'] = torch.randn(3, 4, generator=g).half().t()
torch.save(sd, out + '/a.pth')

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(64)
        self.fc = torch.nn.Linear(512, 10)
torch.manual_seed(1)
net = Net()
net.bn1.running_mean.uniform_(); net.bn1.running_var.uniform_(); net.bn1.num_batches_tracked.fill_(42)
torch.save(torch.nn.DataParallel(net).state_dict(), out + '/tv.pth')   # has _metadata and module. prefixes

def dump(d):
    res = []
    for k, t in d.items():
        t = t.contiguous()
        if t.dtype == torch.float32: bits = t.view(torch.int32).flatten().tolist()
        elif t.dtype == torch.float16: bits = [b & 0xffff for b in t.view(torch.int16).flatten().tolist()]
        else: bits = [str(v) for v in t.flatten().tolist()]
        res.append({'key': k[len('module.'):], 'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape), 'bits': bits})
    return res
json.dump({'a': dump(sd), 'tv': dump(torch.nn.DataParallel(net).state_dict())}, open(out + '/dump.json', 'w'))
`;

const CHECK_PY = String.raw`
import sys, torch
ref_file, ts_file, strip = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
ref = torch.load(ref_file)
try:
    got = torch.load(ts_file, weights_only=True)
except TypeError:
    got = torch.load(ts_file)
assert type(got).__name__ == 'OrderedDict', type(got)
if strip: ref = {k[len('module.'):]: v for k, v in ref.items()}
assert list(got.keys()) == list(ref.keys()), (list(got.keys()), list(ref.keys()))
for k, v in ref.items():
    assert got[k].dtype == v.dtype, (k, got[k].dtype, v.dtype)
    assert got[k].shape == v.shape, (k, got[k].shape, v.shape)
    assert torch.equal(got[k], v), k
if len(sys.argv) > 4:
    net = torch.nn.Module()
    net.conv1 = torch.nn.Conv2d(3, 64, 7, 2, 3, bias=False)
    net.bn1 = torch.nn.BatchNorm2d(64)
    net.fc = torch.nn.Linear(512, 10)
    net.load_state_dict(got, strict=True)
    assert int(net.bn1.num_batches_tracked) == 42
print('OK')
`;

interface Dumped {
  key: string;
  dtype: string;
  shape: number[];
  bits: (number | string)[];
}

function bitsOf(t: Tensor): (number | string)[] {
  if (t.data instanceof Float32Array) return [...new Int32Array(t.data.buffer, t.data.byteOffset, t.data.length)];
  if (t.data instanceof Uint16Array) return [...t.data];
  return [...t.data].map(String);
}

function python(script: string, args: string[]) {
  const res = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 60_000 });
  expect(res.status, `python failed:\n${res.stderr}`).toBe(0);
  return res.stdout;
}

describe('parity with torch', () => {
  it.skipIf(!torchAvailable)(
    'a .pth saved by torch imports exactly and re-exports to a file torch loads equal (needs /usr/bin/python3 with torch: apt-get install -y python3-torch)',
    () => {
      const dir = tempDir('torch');
      python(SAVE_PY, [dir]);
      const dump = JSON.parse(fs.readFileSync(path.join(dir, 'dump.json'), 'utf8')) as Record<'a' | 'tv', Dumped[]>;
      for (const name of ['a', 'tv'] as const) {
        const dict = readPth(path.join(dir, `${name}.pth`));
        expect([...dict.keys()]).toEqual(dump[name].map((d) => d.key));
        for (const d of dump[name]) {
          const t = dict.get(d.key)!;
          expect({ key: d.key, dtype: t.dtype, shape: t.shape }).toEqual({ key: d.key, dtype: d.dtype, shape: d.shape });
          expect(bitsOf(t), d.key).toEqual(d.bits);
        }
        // Re-export, and through safetensors and back: torch loads both equal to its own file.
        writePth(path.join(dir, `${name}.ts.pth`), dict);
        writeSafetensors(path.join(dir, `${name}.safetensors`), dict);
        writePth(path.join(dir, `${name}.st.pth`), readSafetensors(path.join(dir, `${name}.safetensors`)).tensors);
        const extra = name === 'tv' ? ['load'] : [];
        expect(python(CHECK_PY, [path.join(dir, `${name}.pth`), path.join(dir, `${name}.ts.pth`), '1', ...extra])).toContain('OK');
        expect(python(CHECK_PY, [path.join(dir, `${name}.pth`), path.join(dir, `${name}.st.pth`), '1', ...extra])).toContain('OK');
      }
      expect(readPth(path.join(dir, 'tv.pth')).get('conv1.weight')!.shape).toEqual([64, 3, 7, 7]);
    },
  );
});
