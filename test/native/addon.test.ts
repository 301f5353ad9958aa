/**
 * Parity of the LibTorch training addon with torchvision (python3-torch 1.13 through Debian's
 * /usr/bin/python3): the same seeded weights (torch.save → readPth → loadState) and the same inputs
 * give the same logits, layer-3 features, losses, optimiser steps and BatchNorm statistics.
 * Plus the addon's contract: state round trip, errors naming the key, cancel flag, one call at a time.
 *
 * Builds nothing: CI runs `npm run build:native` first. Skipped only when the addon is not built.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPth, writePth } from '../../src/main/core/vision/weights/pth';
import type { StateDict } from '../../src/main/core/vision/weights/tensor';
import {
  featureSize,
  isCancelled,
  loadTrainingAddon,
  type OptimizerOptions,
  type ResNet50Model,
  type StateEntry,
  type TrainingAddon,
} from '../../native/index';
import { nativeAddonPath } from '../../native/loader';
import { REPO_ROOT } from '../helpers';
import { mulberry32 } from '../../src/main/core/random';
import { PYTHON } from '../helpers/python';
import { stateDictToEntries, entriesToStateDict } from '../../src/main/core/vision/weights/stateEntries';

const ORACLES = path.join(REPO_ROOT, 'test', 'native', 'oracles');
const ADDON = nativeAddonPath(REPO_ROOT);
const BUILT = fs.existsSync(ADDON);
const NUM_CLASSES = 4;
const THREADS = 2;

const run = promisify(execFile);

/** Runs an oracle script; returns the JSON line it prints. */
async function oracle<T>(script: string, args: (string | number)[]): Promise<T> {
  const { stdout } = await run(PYTHON, [path.join(ORACLES, script), ...args.map(String)], {
    timeout: 180_000,
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** Standard normal samples from core's seeded PRNG, so failures reproduce. */
function normals(count: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  return out;
}

function writeF32(file: string, data: Float32Array): void {
  fs.writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

function readF32(file: string): Float32Array {
  const bytes = fs.readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Largest violation of |a − b| ≤ atol + rtol·|b| (≤ 0 means within tolerance), with where. */
function worst(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number) {
  expect(actual.length).toBe(expected.length);
  let excess = -Infinity;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const e = Number(expected[i]);
    const over = Math.abs(Number(actual[i]) - e) - (atol + rtol * Math.abs(e));
    if (!(over <= excess)) {
      excess = over;
      at = i;
    }
  }
  return { excess, at, actual: actual[at], expected: expected[at] };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number, what: string) {
  const w = worst(actual, expected, atol, rtol);
  expect(w.excess <= 0, `${what}: [${w.at}] ${w.actual} vs ${w.expected}`).toBe(true);
}

function byName(entries: StateEntry[]): Map<string, StateEntry> {
  return new Map(entries.map((e) => [e.name, e]));
}

/** Float data as is (no copy: layer4 alone has 15 M values); int64 buffers as numbers. */
function numbers(data: Float32Array | BigInt64Array | Uint16Array): ArrayLike<number> {
  return data instanceof BigInt64Array ? Array.from(data, Number) : data;
}

/** Exact equality of two tensors' values, fast on large ones; names the first difference. */
function expectSame(actual: Float32Array | BigInt64Array, expected: Float32Array | BigInt64Array | Uint16Array, what: string) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i] && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      expect.fail(`${what}: [${i}] ${actual[i]} vs ${expected[i]}`);
    }
  }
}

const SUITE = BUILT
  ? 'training addon: parity with torchvision and the addon contract'
  : `training addon (skipped: ${ADDON} is not built; run \`npm run build:native\`)`;

describe.skipIf(!BUILT)(SUITE, () => {
  let addon: TrainingAddon;
  let dir: string;
  let weights: StateDict;
  let entries: StateEntry[];
  let model: ResNet50Model;

  const newModel = (): ResNet50Model => {
    const m = new addon.ResNet50({ numClasses: NUM_CLASSES, threads: THREADS, seed: 7, device: 'cpu' });
    m.loadState(entries);
    return m;
  };

  beforeAll(async () => {
    addon = loadTrainingAddon(REPO_ROOT);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-test-native-'));
    await oracle('resnet50_weights.py', [path.join(dir, 'weights.pth'), 1234, NUM_CLASSES]);
    weights = readPth(path.join(dir, 'weights.pth'));
    entries = stateDictToEntries(weights);
    model = newModel();
  }, 240_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports its LibTorch and device', () => {
    const info = addon.info();
    expect(info.torchVersion).toMatch(/^\d+\.\d+/);
    expect(typeof info.cudaAvailable).toBe('boolean');
    expect(info.threads).toBeGreaterThan(0);
    expect(model.device).toBe('cpu');
    expect(model.threads).toBe(THREADS);
    expect(model.numClasses).toBe(NUM_CLASSES);
    expect(() => {
      (model as unknown as { device: string }).device = 'cuda';
    }).toThrow();
  });

  it('holds torchvision resnet50 state-dict names, order and buffers', () => {
    const state = model.state();
    expect(state.map((e) => e.name)).toEqual([...weights.keys()]);
    const names = new Set(state.map((e) => e.name));
    for (const name of [
      'conv1.weight',
      'bn1.running_var',
      'layer1.0.downsample.0.weight',
      'layer1.0.downsample.1.num_batches_tracked',
      'layer4.2.bn3.running_mean',
      'fc.weight',
      'fc.bias',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
  });

  it('gives torchvision logits and layer-3 features at 224×224 (batch 2)', async () => {
    const n = 2;
    const images = normals(n * 3 * 224 * 224, 11);
    writeF32(path.join(dir, 'images.f32'), images);
    await oracle('resnet50_forward.py', [path.join(dir, 'weights.pth'), path.join(dir, 'images.f32'), n, 224, 224, dir]);
    const logits = await model.forward(images, n);
    expect(logits.length).toBe(n * NUM_CLASSES);
    expectClose(logits, readF32(path.join(dir, 'logits.f32')), 1e-5, 1e-4, 'logits');

    const features = await model.features(images, n);
    expect(featureSize({ height: 224, width: 224 })).toEqual({ height: 14, width: 14 });
    expect(features.length).toBe(n * 1024 * 14 * 14);
    expectClose(features, readF32(path.join(dir, 'features.f32')), 1e-5, 1e-4, 'layer-3 features');

    // The cached-features path is the same network.
    const fromFeatures = await model.forwardFromFeatures(features, n);
    expectClose(fromFeatures, logits, 1e-6, 1e-6, 'forwardFromFeatures vs forward');
  }, 120_000);

  it('takes non-square input with an explicit size', async () => {
    const n = 1;
    const size = { height: 64, width: 96 };
    const images = normals(n * 3 * size.height * size.width, 12);
    const features = await model.features(images, n, size);
    const fs3 = featureSize(size);
    expect(fs3).toEqual({ height: 4, width: 6 });
    expect(features.length).toBe(n * 1024 * fs3.height * fs3.width);
    expectClose(await model.forwardFromFeatures(features, n, fs3), await model.forward(images, n, size), 1e-6, 1e-6, 'non-square');
  });

  describe('optimiser steps on layer4 + fc equal torch.optim', () => {
    const n = 2;
    const h = 4;
    const w = 4;
    const steps = 2;
    const configs: OptimizerOptions[] = [
      { kind: 'adam', lr: 0.01 },
      { kind: 'adamw', lr: 0.01 }, // weight decay: torch's default 0.01 (shifts parameters by 1e-4 relative, so it is checked)
      { kind: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 1e-4 }, // two steps, so momentum counts
    ];
    const features = normals(n * 1024 * h * w, 21).map((v) => Math.abs(v)); // post-ReLU layer-3 output
    const labels = new Int32Array([1, 3]);
    const classWeights = new Float32Array([0.5, 2, 1, 1.5]);
    let expected: { losses: number[] }[];

    beforeAll(async () => {
      writeF32(path.join(dir, 'features.f32'), features);
      fs.writeFileSync(path.join(dir, 'labels.i32'), Buffer.from(labels.buffer));
      writeF32(path.join(dir, 'class_weights.f32'), classWeights);
      fs.writeFileSync(path.join(dir, 'configs.json'), JSON.stringify(configs));
      expected = await oracle('resnet50_step.py', [
        path.join(dir, 'weights.pth'),
        path.join(dir, 'features.f32'),
        path.join(dir, 'labels.i32'),
        path.join(dir, 'class_weights.f32'),
        n,
        h,
        w,
        steps,
        path.join(dir, 'configs.json'),
        dir,
      ]);
    }, 240_000);

    it.each(configs.map((c, i) => [c.kind, i] as const))(
      '%s',
      async (_kind, i) => {
        const m = newModel();
        m.setOptimizer(configs[i]!);
        const losses: number[] = [];
        for (let s = 0; s < steps; s++) losses.push((await m.trainStep({ features, n, labels, classWeights })).loss);
        expectClose(losses, expected[i]!.losses, 1e-5, 1e-5, 'losses');

        const after = byName(m.state());
        const torchAfter = readPth(path.join(dir, `step_${i}.pth`));
        expect(torchAfter.size).toBeGreaterThan(0);
        for (const [name, tensor] of torchAfter) {
          // Every layer4 / fc parameter, and layer4's BatchNorm running statistics (training mode).
          expectClose(numbers(after.get(name)!.data), numbers(tensor.data), 1e-5, 1e-5, name);
        }
        expect(numbers(after.get('layer4.0.bn1.num_batches_tracked')!.data)[0]).toBe(
          numbers(weights.get('layer4.0.bn1.num_batches_tracked')!.data as BigInt64Array)[0]! + steps,
        );
        // The frozen rest did not move, BatchNorm statistics included.
        for (const [name, tensor] of weights) {
          if (name.startsWith('layer4.') || name.startsWith('fc.')) continue;
          expectSame(after.get(name)!.data, tensor.data, name);
        }
        // Layer4 is back in eval mode: evalLoss is deterministic and leaves the state alone.
        const l1 = await m.evalLoss({ features, n, labels, classWeights });
        const l2 = await m.evalLoss({ features, n, labels, classWeights });
        expect(l1.loss).toBe(l2.loss);
        expectSame(byName(m.state()).get('layer4.0.bn1.running_mean')!.data, after.get('layer4.0.bn1.running_mean')!.data, 'running_mean');
      },
      60_000,
    );
  });

  it('round-trips state() through loadState and the TS weights writer', () => {
    const state = model.state();
    const original = byName(entries);
    for (const e of state) {
      expect(e.dtype).toBe(original.get(e.name)!.dtype);
      expect(e.shape).toEqual(original.get(e.name)!.shape);
      expectSame(e.data, original.get(e.name)!.data, e.name);
    }
    // state() returns copies: changing them changes nothing in the model.
    (state[0]!.data as Float32Array).fill(0);
    expectSame(model.state()[0]!.data, original.get(state[0]!.name)!.data, 'copy');

    const file = path.join(dir, 'roundtrip.pth');
    writePth(file, entriesToStateDict(model.state()));
    const other = new addon.ResNet50({ numClasses: NUM_CLASSES, threads: THREADS, seed: 99, device: 'cpu' });
    other.loadState(stateDictToEntries(readPth(file)));
    const again = other.state();
    expect(again.map((e) => e.name)).toEqual(state.map((e) => e.name));
    for (const e of again) expectSame(e.data, original.get(e.name)!.data, e.name);
  });

  it('rejects bad state naming the key, and loads nothing then', () => {
    const fresh = new addon.ResNet50({ numClasses: NUM_CLASSES, threads: THREADS, seed: 5, device: 'cpu' });
    const before = fresh.state()[0]!.data;
    const wrongShape = entries.map((e) => (e.name === 'layer4.1.conv2.weight' ? { ...e, shape: [512, 512, 9] } : e));
    expect(() => fresh.loadState(wrongShape)).toThrow(/shape mismatch for "layer4\.1\.conv2\.weight".*\[512, 512, 3, 3\].*\[512, 512, 9\]/);
    expect(() => fresh.loadState(entries.filter((e) => e.name !== 'layer2.3.bn2.running_var'))).toThrow(
      /missing key\(s\) "layer2\.3\.bn2\.running_var"/,
    );
    expect(() => fresh.loadState([...entries, { name: 'head.weight', shape: [1], dtype: 'float32', data: new Float32Array(1) }])).toThrow(
      /unknown key\(s\) "head\.weight"/,
    );
    const wrongDtype = entries.map((e) =>
      e.name === 'bn1.num_batches_tracked' ? { ...e, dtype: 'float32' as const, data: new Float32Array(1) } : e,
    );
    expect(() => fresh.loadState(wrongDtype)).toThrow(/dtype mismatch for "bn1\.num_batches_tracked"/);
    expectSame(fresh.state()[0]!.data, before, 'untouched after a failed load');
    if (!addon.info().cudaAvailable) {
      expect(() => new addon.ResNet50({ numClasses: NUM_CLASSES, device: 'cuda' })).toThrow(
        /device 'cuda' was requested but CUDA is not available/,
      );
    }
  });

  it('turns bad arguments into readable rejections', async () => {
    await expect(model.forward(new Float32Array(10), 2)).rejects.toThrow(/images has 10 values/);
    const m = newModel();
    const features = new Float32Array(2 * 1024 * 16);
    await expect(m.trainStep({ features, n: 2, labels: new Int32Array([0, 1]) })).rejects.toThrow(/call setOptimizer first/);
    m.setOptimizer({ kind: 'sgd', lr: 0.1 });
    await expect(m.trainStep({ features, n: 2, labels: new Int32Array([0, 9]) })).rejects.toThrow(/labels\[1\] = 9 is not a class index/);
    expect(() => m.setOptimizer({ kind: 'sgd' })).toThrow(/SGD needs a learning rate/);
    expect(() => m.setOptimizer({ kind: 'rmsprop' as 'sgd', lr: 1 })).toThrow(/kind must be 'adam', 'adamw' or 'sgd'/);
    // A LibTorch error (c10::Error) arrives as a plain message, without the C++ backtrace, and the
    // failed step leaves the model as it was.
    const before = m.state();
    const err = await m.trainStep({ features: new Float32Array(1024), n: 1, labels: new Int32Array([0]) }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/Expected more than 1 value per channel when training/);
    expect(err?.message).not.toMatch(/frame #\d|Exception raised from|\.cpp/);
    const after = byName(m.state());
    for (const e of before) expectSame(after.get(e.name)!.data, e.data, e.name);
  });

  it('rejects heavy calls with "cancelled" while the cancel flag is set', async () => {
    const m = newModel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    m.setCancelFlag(flag);
    const images = normals(2 * 3 * 224 * 224, 31);
    // Raised while the call is queued or running: it stops at the next checkpoint.
    const running = m.forward(images, 2);
    Atomics.store(flag, 0, 1);
    const err = await running.then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^cancelled/);
    expect(isCancelled(err)).toBe(true);
    // Still set: the next call rejects too, whatever it is.
    await expect(m.features(images, 2)).rejects.toThrow(/^cancelled/);
    m.setOptimizer({ kind: 'adam' });
    const before = byName(m.state()).get('fc.weight')!.data;
    await expect(m.trainStep({ features: new Float32Array(2 * 1024 * 16), n: 2, labels: new Int32Array([0, 1]) })).rejects.toThrow(
      /^cancelled/,
    );
    expectSame(byName(m.state()).get('fc.weight')!.data, before, 'fc.weight');
    // Cleared: work resumes.
    Atomics.store(flag, 0, 0);
    expect((await m.forward(images.subarray(0, 3 * 64 * 64), 1)).length).toBe(NUM_CLASSES);
  }, 60_000);

  it('runs one operation at a time per model and keeps the event loop free', async () => {
    const m = newModel();
    const images = normals(2 * 3 * 224 * 224, 41);
    const first = m.forward(images, 2);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const second = m.features(images, 2).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(() => m.state()).toThrow(/busy, ResNet50\.forward is still running/);
    const err = await second;
    expect(err?.message).toMatch(/ResNet50\.features: busy, ResNet50\.forward is still running/);
    expect(err?.code).toBe('BUSY');
    expect((await first).length).toBe(2 * NUM_CLASSES);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    // Free again once settled.
    expect((await m.features(images.subarray(0, 3 * 32 * 32), 1)).length).toBe(1024 * 2 * 2);
  }, 60_000);

  it('trains a generic MLP (GELU, MSE, AdamW) like torch', async () => {
    const sizes = [6, 16, 8, 3];
    const n = 5;
    const mlp = new addon.MLP({ sizes, loss: 'mse', activation: 'gelu', threads: THREADS, seed: 3, device: 'cpu' });
    expect(mlp.state().map((e) => e.name)).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'layers.2.weight',
      'layers.2.bias',
    ]);
    const config: OptimizerOptions = { kind: 'adamw', lr: 0.01 };
    writePth(path.join(dir, 'mlp.pth'), entriesToStateDict(mlp.state()));
    const inputs = normals(n * sizes[0]!, 51);
    const targets = normals(n * sizes[3]!, 52);
    writeF32(path.join(dir, 'mlp_inputs.f32'), inputs);
    writeF32(path.join(dir, 'mlp_targets.f32'), targets);
    fs.writeFileSync(path.join(dir, 'mlp_config.json'), JSON.stringify(config));
    const steps = 3;
    const expected = await oracle<{ losses: number[] }>('mlp_step.py', [
      path.join(dir, 'mlp.pth'),
      path.join(dir, 'mlp_inputs.f32'),
      path.join(dir, 'mlp_targets.f32'),
      n,
      steps,
      path.join(dir, 'mlp_config.json'),
      dir,
    ]);
    mlp.setOptimizer(config);
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) losses.push((await mlp.trainStep({ inputs, n, targets })).loss);
    expectClose(losses, expected.losses, 1e-6, 1e-5, 'MLP losses');
    const torchAfter = readPth(path.join(dir, 'mlp_after.pth'));
    const after = byName(mlp.state());
    for (const [name, tensor] of torchAfter) expectClose(numbers(after.get(name)!.data), numbers(tensor.data), 1e-6, 1e-5, name);
    expectClose(await mlp.predict(inputs, n), readF32(path.join(dir, 'predictions.f32')), 1e-6, 1e-5, 'MLP predictions');
  }, 60_000);
});
