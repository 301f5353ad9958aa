/**
 * The addon's GatedFusion module against a torch reference (python3-torch through Debian's
 * /usr/bin/python3, test/native/oracles/gated_fusion_step.py): torch initialises the module,
 * the addon loads that state dict by name, and the same batch gives the same eval outputs and
 * gate weights, the same losses over AdamW steps, the same weights afterwards — for both layouts:
 * the lab's (spec §6.2: towers Linear → GELU → LayerNorm, a two-layer head on fused ‖ meta ‖
 * mask) and the earlier one saved models may have. Plus the gate's masking rule and the
 * module's contract (names, seed, errors, cancel flag).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCancelled, loadTrainingAddon, type OptimizerOptions, type TrainingAddon } from '../../native/index';
import { nativeAddonPath } from '../../native/loader';
import { readPth } from '../../src/main/core/vision/weights/pth';
import { mulberry32 } from '../../src/main/core/random';
import { REPO_ROOT } from '../helpers';
import { PYTHON, pythonHas } from '../helpers/python';
import { stateDictToEntries, entriesToStateDict } from '../../src/main/core/vision/weights/stateEntries';

const BUILT = fs.existsSync(nativeAddonPath(REPO_ROOT));
const ORACLE = path.join(REPO_ROOT, 'test', 'native', 'oracles', 'gated_fusion_step.py');
const run = promisify(execFile);

function normals(count: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  return out;
}

const writeF32 = (file: string, data: Float32Array) => fs.writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
function readF32(file: string): Float32Array {
  const bytes = fs.readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number, what: string) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const e = Number(expected[i]);
    if (!(Math.abs(Number(actual[i]) - e) <= atol + rtol * Math.abs(e))) expect.fail(`${what}: [${i}] ${actual[i]} vs ${e}`);
  }
}

const LAYOUTS = [
  {
    layout: "the lab's spec",
    spec: { modalitySizes: [5, 4, 3], metaSize: 2, width: 8, towerNorm: true, headHidden: [6, 4], headMask: true, seed: 11 },
    // LayerNorm at position 2 of each tower; the head's three Linears at 0, 3, 6.
    names: [
      'towers.0.0.weight',
      'towers.0.0.bias',
      'towers.0.2.weight',
      'towers.0.2.bias',
      'gate.weight',
      'gate.bias',
      'head.0.weight',
      'head.3.weight',
      'head.6.weight',
    ],
  },
  {
    layout: 'earlier (saved models)',
    spec: { modalitySizes: [5, 4, 3], metaSize: 2, width: 8, towerHidden: 6, headHidden: 4, seed: 11 },
    names: ['towers.0.0.weight', 'towers.0.3.weight', 'gate.weight', 'head.0.weight', 'head.3.weight'],
  },
];
const n = 6;
// Rows 1 and 4 have no text (the third modality): mask 0 there.
const mask = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 && (i === 5 || i === 14) ? 0 : 1));

describe.skipIf(!BUILT || !pythonHas('torch')).each(LAYOUTS)(
  'GatedFusion ($layout layout): parity with a torch reference',
  ({ spec, names }) => {
    let addon: TrainingAddon;
    let dir: string;
    const inputs = normals(n * 12, 61);
    const meta = normals(n * 2, 62);
    const targets = normals(n, 63);
    const config: OptimizerOptions = { kind: 'adamw', lr: 0.01, weightDecay: 0.01 };
    let losses: number[];

    beforeAll(async () => {
      addon = loadTrainingAddon(REPO_ROOT);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-test-fusion-'));
      // The text block of a row without text is zeros, as the suite feeds it.
      for (const row of [1, 4]) inputs.fill(0, row * 12 + 9, row * 12 + 12);
      writeF32(path.join(dir, 'inputs.f32'), inputs);
      writeF32(path.join(dir, 'meta.f32'), meta);
      writeF32(path.join(dir, 'mask.f32'), mask);
      writeF32(path.join(dir, 'targets.f32'), targets);
      fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
      const args = ['spec.json', 'inputs.f32', 'meta.f32', 'mask.f32', 'targets.f32', n, 3, 'config.json'].map((a) =>
        typeof a === 'number' ? String(a) : path.join(dir, a),
      );
      const { stdout } = await run(PYTHON, [ORACLE, ...args, dir], { timeout: 180_000 });
      losses = (JSON.parse(stdout.trim().split('\n').pop()!) as { losses: number[] }).losses;
    }, 240_000);

    afterAll(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const newNet = () => new addon.GatedFusion({ ...spec, dropout: 0, threads: 2, device: 'cpu' });

    it('holds torch state-dict names and loads torch initial weights by name', () => {
      const net = newNet();
      const torchInit = readPth(path.join(dir, 'fusion_init.pth'));
      expect(net.state().map((e) => e.name)).toEqual([...torchInit.keys()]);
      expect(net.state().map((e) => e.name)).toEqual(expect.arrayContaining(names));
      net.loadState(stateDictToEntries(torchInit));
      for (const e of net.state()) expectClose(e.data as Float32Array, torchInit.get(e.name)!.data as Float32Array, 0, 0, e.name);
      expect(net.inputSize).toBe(12);
      expect(net.metaSize).toBe(2);
      expect(net.modalitySizes).toEqual([5, 4, 3]);
    });

    it('gives torch outputs and gates, and the same losses and weights over AdamW steps', async () => {
      const net = newNet();
      net.loadState(stateDictToEntries(readPth(path.join(dir, 'fusion_init.pth'))));
      const before = await net.predict({ inputs, meta, mask, n });
      expectClose(before.outputs, readF32(path.join(dir, 'fusion_before.f32')), 1e-6, 1e-5, 'outputs before');
      expectClose(before.gates, readF32(path.join(dir, 'fusion_gates.f32')), 1e-6, 1e-5, 'gates');
      // The masking rule: an absent modality weighs exactly 0, the rest sum to 1.
      for (let i = 0; i < n; i++) {
        const g = before.gates.subarray(i * 3, i * 3 + 3);
        expect(g[0]! + g[1]! + g[2]!).toBeCloseTo(1, 6);
        if (i === 1 || i === 4) expect(g[2]).toBe(0);
        else expect(g[2]).toBeGreaterThan(0);
      }
      net.setOptimizer(config);
      const ours: number[] = [];
      for (let s = 0; s < 3; s++) ours.push((await net.trainStep({ inputs, meta, mask, n, targets })).loss);
      expectClose(ours, losses, 1e-6, 1e-5, 'losses');
      const after = new Map(net.state().map((e) => [e.name, e]));
      for (const [name, t] of readPth(path.join(dir, 'fusion_after.pth')))
        expectClose(after.get(name)!.data as Float32Array, t.data as Float32Array, 1e-6, 1e-5, name);
      expectClose(
        (await net.predict({ inputs, meta, mask, n })).outputs,
        readF32(path.join(dir, 'fusion_predictions.f32')),
        1e-6,
        1e-5,
        'outputs after',
      );
      expect((await net.evalLoss({ inputs, meta, mask, n, targets })).loss).toBeGreaterThan(0);
    }, 60_000);

    it('is seeded, round-trips its state, and refuses bad batches naming the input', async () => {
      const a = new addon.GatedFusion({ ...spec, seed: 5, threads: 1 });
      const b = new addon.GatedFusion({ ...spec, seed: 5, threads: 1 });
      const c = new addon.GatedFusion({ ...spec, seed: 6, threads: 1 });
      expect((await a.predict({ inputs, meta, mask, n })).outputs).toEqual((await b.predict({ inputs, meta, mask, n })).outputs);
      expect((await a.predict({ inputs, meta, mask, n })).outputs).not.toEqual((await c.predict({ inputs, meta, mask, n })).outputs);
      c.loadState(stateDictToEntries(entriesToStateDict(a.state())));
      expect((await c.predict({ inputs, meta, mask, n })).outputs).toEqual((await a.predict({ inputs, meta, mask, n })).outputs);
      await expect(a.predict({ inputs, meta: new Float32Array(3), mask, n })).rejects.toThrow(
        /GatedFusion\.predict: meta has 3 values; \[6, 2\] needs 12/,
      );
      const noneLeft = Float32Array.from(mask);
      noneLeft.fill(0, 6, 9);
      await expect(a.predict({ inputs, meta, mask: noneLeft, n })).rejects.toThrow(/row 2 has no present modality/);
      await expect(a.trainStep({ inputs, meta, mask, n, targets })).rejects.toThrow(/no optimiser yet/);
      expect(() => new addon.GatedFusion({ modalitySizes: [] })).toThrow(/at least one modality/);
    });

    it('stops a training step when the cancel flag is set', async () => {
      const net = newNet();
      const flag = new Int32Array(new SharedArrayBuffer(4));
      net.setCancelFlag(flag);
      net.setOptimizer(config);
      const before = net.state();
      Atomics.store(flag, 0, 1);
      const err = await net.trainStep({ inputs, meta, mask, n, targets }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isCancelled(err)).toBe(true);
      expect(net.state().map((e) => Array.from(e.data as Float32Array))).toEqual(before.map((e) => Array.from(e.data as Float32Array)));
    });
  },
);
