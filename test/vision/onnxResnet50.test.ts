/**
 * ResNet-50 exported to ONNX from TypeScript and run by onnxruntime-node, against
 * torchvision's model in eval mode (test/vision/oracles/resnet50_oracle.py) with the same
 * seeded full-size weights (BatchNorm statistics randomised too) and the same inputs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { argmaxRows, classifyLogits, softmaxRows } from '../../src/main/core/vision/inference/classify';
import { cudaProviderStatus } from '../../src/main/core/vision/inference/providers';
import { OrtSession } from '../../src/main/core/vision/inference/session';
import { buildResNet50Onnx, exportResNet50Onnx, writeOnnx } from '../../src/main/core/vision/onnx/exportResNet50';
import { isTrainableKey } from '../../src/main/core/vision/resnet50';
import { readPth } from '../../src/main/core/vision/weights/pth';
import type { StateDict } from '../../src/main/core/vision/weights/tensor';
import { FramelabError } from '../../src/shared/errors';
import { expectFramelabError, REPO_ROOT, runCleanup, tempDir } from '../helpers';
import { PYTHON } from '../helpers/python';

afterEach(runCleanup);

const ORACLE = path.join(REPO_ROOT, 'test/vision/oracles/resnet50_oracle.py');
const CLASSES = 4;
const THREADS = 2;
const IMAGE = 3 * 224 * 224;

let dir: string;
let dict: StateDict;
let full: OrtSession;
let features: OrtSession;
let head: OrtSession;

function f32(name: string): Float32Array {
  const b = fs.readFileSync(path.join(dir, name));
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

/** max |actual − expected| relative to the largest |expected|: the comparison "rel tol" means here. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  expect(scale).toBeGreaterThan(0);
  return diff / scale;
}

function without(source: StateDict, ...keys: string[]): StateDict {
  return new Map([...source].filter(([k]) => !keys.includes(k)));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-test-resnet50-'));
  const run = spawnSync(PYTHON, [ORACLE, dir, String(CLASSES), '20260125', String(THREADS)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`resnet50 oracle failed: ${run.stderr}`);
  dict = readPth(path.join(dir, 'weights.pth'));
  full = await OrtSession.open(exportResNet50Onnx(dict, { part: 'full' }), { threads: THREADS });
  features = await OrtSession.open(exportResNet50Onnx(dict, { part: 'features' }), { threads: THREADS });
  head = await OrtSession.open(exportResNet50Onnx(dict, { part: 'head' }), { threads: THREADS });
}, 90_000);

afterAll(async () => {
  await Promise.all([full?.close(), features?.close(), head?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ResNet-50 ONNX export run by onnxruntime equals torchvision (eval)', () => {
  it('full graph: logits for a batch of 2, and with a dynamic batch of 1 and 3', async () => {
    const input = f32('input.f32');
    const logits = f32('logits.f32');
    expect(full.inputName).toBe('input');
    expect(full.outputName).toBe('logits');
    const two = await full.run(input.subarray(0, 2 * IMAGE), 2);
    expect(two.itemShape).toEqual([CLASSES]);
    expect(relativeError(two.data, logits.subarray(0, 2 * CLASSES))).toBeLessThan(1e-4);
    const one = await full.run(input.subarray(0, IMAGE), 1);
    expect(relativeError(one.data, logits.subarray(0, CLASSES))).toBeLessThan(1e-4);
    const three = await full.run(input, 3);
    expect(relativeError(three.data, logits)).toBeLessThan(1e-4);
    // Height and width are dynamic too: a 160×224 image.
    const rect = await full.run(f32('input_rect.f32'), 1, [3, 160, 224]);
    expect(relativeError(rect.data, f32('logits_rect.f32'))).toBeLessThan(1e-4);
  });

  it('features graph equals layer3’s output, and head(features) equals the full graph', async () => {
    expect(features.outputName).toBe('features');
    const out = await features.run(f32('input.f32').subarray(0, 2 * IMAGE), 2);
    expect(out.itemShape).toEqual([1024, 14, 14]);
    expect(relativeError(out.data, f32('features.f32'))).toBeLessThan(1e-4);
    expect(head.inputName).toBe('features');
    const logits = await head.run(out.data, 2);
    expect(relativeError(logits.data, f32('logits.f32').subarray(0, 2 * CLASSES))).toBeLessThan(1e-4);
  });

  it('batches a longer list, and classifies with softmax and argmax', async () => {
    const small = await OrtSession.open(exportResNet50Onnx(dict), { threads: THREADS, batchSize: 2, provider: 'cpu' });
    try {
      expect(small.batchSize).toBe(2);
      const result = await small.classify(f32('input.f32'), 3); // batches of 2 + 1
      const logits = f32('logits.f32');
      expect(relativeError(result.logits, logits)).toBeLessThan(1e-4);
      const expected = argmaxRows(logits, CLASSES).map((p) => p.classIndex);
      expect(result.predictions.map((p) => p.classIndex)).toEqual(expected);
      for (let row = 0; row < 3; row++) {
        const probs = result.probabilities.subarray(row * CLASSES, (row + 1) * CLASSES);
        expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(result.predictions[row]!.confidence).toBe(Math.max(...probs));
      }
    } finally {
      await small.close();
    }
  });

  it('reports the provider in use: CPU here, with the reason CUDA was not used', async () => {
    const cuda = cudaProviderStatus();
    if (cuda.installed) return; // a GPU workstation: nothing to assert about the fallback
    expect(full.provider).toBe('cpu');
    expect(full.fallbackReason).toContain('--onnxruntime-node-install=cuda12');
    const err = await OrtSession.open(exportResNet50Onnx(dict, { part: 'head' }), { provider: 'cuda' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FramelabError);
    expect((err as FramelabError).code).toBe('CAPABILITY_MISSING');
  });
});

describe('ResNet-50 ONNX export', () => {
  it('writes the file atomically, with opset 17, a named dynamic batch and metadata', async () => {
    const out = tempDir('onnx');
    const file = path.join(out, 'nested', 'model.onnx');
    const info = writeOnnx(file, dict, { part: 'head' });
    expect(info).toEqual({ part: 'head', numClasses: CLASSES, input: 'features', output: 'logits' });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['model.onnx']);
    const session = await ort.InferenceSession.create(file);
    try {
      expect(session.inputMetadata[0]).toMatchObject({ name: 'features', shape: ['batch', 1024, 'features_height', 'features_width'] });
      expect(session.outputMetadata[0]).toMatchObject({ name: 'logits', shape: ['batch', CLASSES] });
    } finally {
      await session.release();
    }
    // A head-only state dict (what fine-tuning produces) exports its head.
    const headOnly: StateDict = new Map([...dict].filter(([k]) => isTrainableKey(k)));
    expect(buildResNet50Onnx(headOnly, { part: 'head' }).info.numClasses).toBe(CLASSES);
    // The feature extractor needs no classifier, whatever its class count.
    expect(buildResNet50Onnx(without(dict, 'fc.weight', 'fc.bias'), { part: 'features' }).info.numClasses).toBeNull();
  });

  it('names a missing key, a misshapen key, a foreign key and a non-float weight', () => {
    const missing = expectFramelabError(
      () => exportResNet50Onnx(without(dict, 'layer2.1.bn2.running_var'), { source: 'v7.pth' }),
      'INVALID_INPUT',
    );
    expect(missing.message).toContain('v7.pth');
    expect(missing.message).toContain('missing keys: "layer2.1.bn2.running_var"');

    const misshapen = new Map(dict);
    misshapen.set('layer3.0.conv2.weight', { dtype: 'float32', shape: [256, 256, 1, 1], data: new Float32Array(256 * 256) });
    const shape = expectFramelabError(() => exportResNet50Onnx(misshapen), 'INVALID_INPUT');
    expect(shape.message).toContain('shape mismatch for "layer3.0.conv2.weight": expected [256, 256, 3, 3], got [256, 256, 1, 1]');

    const noFc = expectFramelabError(() => exportResNet50Onnx(without(dict, 'fc.weight')), 'INVALID_INPUT');
    expect(noFc.message).toContain('"fc.weight"');

    const foreign = new Map(dict);
    foreign.set('layer5.0.conv1.weight', { dtype: 'float32', shape: [1], data: new Float32Array(1) });
    expect(expectFramelabError(() => exportResNet50Onnx(foreign, { part: 'head' }), 'INVALID_INPUT').message).toContain(
      'unexpected keys: "layer5.0.conv1.weight"',
    );

    const ints = new Map(dict);
    ints.set('fc.bias', { dtype: 'int64', shape: [CLASSES], data: new BigInt64Array(CLASSES) });
    expect(expectFramelabError(() => exportResNet50Onnx(ints), 'INVALID_INPUT').message).toContain('"fc.bias" is int64');
  });
});

describe('classification helpers', () => {
  it('softmax is stable for large logits and argmax takes the first maximum', () => {
    const probs = softmaxRows(Float32Array.of(1000, 1000, -1000, 0, 0, Math.log(2)), 3);
    expect([...probs.subarray(0, 3)]).toEqual([0.5, 0.5, 0]);
    expect(probs[5]).toBeCloseTo(0.5, 6);
    expect(argmaxRows(probs, 3)).toEqual([
      { classIndex: 0, confidence: 0.5 },
      { classIndex: 2, confidence: probs[5] },
    ]);
    expect(() => classifyLogits(new Float32Array(5), 2)).toThrow(/rows of 2/);
  });
});
