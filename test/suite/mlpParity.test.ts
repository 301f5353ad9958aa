import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadTrainingAddon } from '../../native/index';
import { loadNativeAddon } from '../../native/loader';
import { appRoot } from '../../src/main/core/appRoot';
import { epochOrders, holdOutStopRows } from '../../src/main/core/suite/models/earlyStopping';
import { fitConcatMlp } from '../../src/main/core/suite/models/mlp';
import { transform } from '../../src/main/core/suite/models/preprocess';
import { readPth, writePth } from '../../src/main/core/vision/weights/pth';
import { REPO_ROOT } from '../helpers';
import { PYTHON, pythonHas } from '../helpers/python';
import { synthetic } from './synthetic';
import { entriesToStateDict } from '../../src/main/core/vision/weights/stateEntries';

/**
 * One epoch of the suite's concat MLP (fitConcatMlp, dropout 0) against the same epoch in
 * torch (test/native/oracles/mlp_epoch.py): the same initial weights, the same fit rows,
 * centred targets and batch order (the trainer's own holdOutStopRows / epochOrders) → the same
 * epoch loss, early-stopping RMSE and weights.
 */
const run = promisify(execFile);
const ready = loadNativeAddon(appRoot()).available && pythonHas('torch', 'numpy');

function close(actual: number, expected: number, rtol: number, what: string) {
  expect(Math.abs(actual - expected) <= 1e-6 + rtol * Math.abs(expected), `${what}: ${actual} vs ${expected}`).toBe(true);
}

describe.skipIf(!ready)('concat MLP: one epoch equals torch', () => {
  it('same loss, stopping RMSE and weights after an epoch of AdamW', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suite-mlp-parity-'));
    const s = synthetic(150, 6, 21);
    const trainRows = Array.from({ length: 120 }, (_, i) => i);
    const features = { numeric: ['duration', 'subs'], categorical: ['language'] };
    const seed = 9;
    const opts = { seed, hidden: [16, 8], dropout: 0, maxEpochs: 1, batchSize: 16, lr: 0.01, weightDecay: 0.01, threads: 1 };
    const fit = await fitConcatMlp(s.src, trainRows, s.y, features, opts);
    // The trainer's initial weights: the addon's MLP is seeded, so the same seed rebuilds them.
    const init = new (loadTrainingAddon(appRoot()).MLP)({
      sizes: fit.sizes,
      loss: 'mse',
      activation: 'gelu',
      seed,
      threads: 1,
      device: 'cpu',
    });
    writePth(path.join(dir, 'init.pth'), entriesToStateDict(init.state()));
    const { fitRows, stopRows } = holdOutStopRows(trainRows, seed);
    const order = epochOrders(seed, fitRows.length)();
    const f32 = (name: string, a: Float32Array | Float64Array | Int32Array) =>
      fs.writeFileSync(path.join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    f32('x.f32', Float32Array.from(transform(fit.pipeline, s.src, fitRows).data));
    f32(
      'y.f32',
      Float32Array.from(fitRows, (r) => s.y[r]! - fit.yMean),
    );
    f32('order.i32', Int32Array.from(order));
    f32('xs.f32', Float32Array.from(transform(fit.pipeline, s.src, stopRows).data));
    f32(
      'ys.f64',
      Float64Array.from(stopRows, (r) => s.y[r]!),
    );
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ kind: 'adamw', lr: 0.01, weightDecay: 0.01 }));
    const p = (n: string) => path.join(dir, n);
    const args = [
      p('init.pth'),
      p('x.f32'),
      p('y.f32'),
      fitRows.length,
      p('order.i32'),
      16,
      p('xs.f32'),
      p('ys.f64'),
      stopRows.length,
      fit.yMean,
      p('config.json'),
      dir,
    ];
    const { stdout } = await run(PYTHON, [path.join(REPO_ROOT, 'test/native/oracles/mlp_epoch.py'), ...args.map(String)], {
      timeout: 180_000,
    });
    const torch = JSON.parse(stdout.trim().split('\n').pop()!) as { trainLoss: number; valRmse: number };
    expect(fit.curve.length).toBe(1);
    close(fit.curve[0]!.trainLoss, torch.trainLoss, 1e-5, 'epoch loss');
    close(fit.curve[0]!.valRmse, torch.valRmse, 1e-5, 'stopping RMSE');
    const after = readPth(p('mlp_epoch_after.pth'));
    for (const e of fit.state) {
      const ref = after.get(e.name)!.data as Float32Array;
      (e.data as Float32Array).forEach((v, i) => close(v, ref[i]!, 1e-4, `${e.name}[${i}]`));
    }
    // And a second epoch of the trainer is not what torch did once: the comparison can fail.
    const two = await fitConcatMlp(s.src, trainRows, s.y, features, { ...opts, maxEpochs: 2, patience: 5 });
    expect(Math.abs(two.curve[1]!.trainLoss - torch.trainLoss)).toBeGreaterThan(1e-4);
  }, 240_000);
});
