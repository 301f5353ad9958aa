/**
 * One ResNet-50 training step as fine-tuning runs it (layer4 + fc on cached layer-3 features,
 * batch 8 × 1024 × 14 × 14, class-weighted cross-entropy, Adam, 2 threads): the LibTorch addon
 * (through its Promise API: input copy, threadpool hop, step) against python3-torch doing the same
 * step, measured in the same run. After a warm-up on both sides the steps alternate one by one
 * (torch, addon, torch, …) so a busy machine weighs on both alike; each figure is the median.
 * Target: ratio addon / torch ≤ 1.1.
 *
 * Returns { skipped } when the addon is not built or /usr/bin/python3 lacks torchvision.
 * Alone: `node --import tsx bench/trainStep.ts`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadNativeAddon } from '../native/loader';
import type { TrainingAddon } from '../native/index';
import { median } from './timing';

export interface TrainStepBenchResult {
  batch: number;
  threads: number;
  /** Timed steps per side. */
  steps: number;
  addonMs: number;
  torchMs: number;
}

const PYTHON = '/usr/bin/python3';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const BATCH = 8;
const THREADS = 2;
const WARMUP = 2;
const STEPS = 12;

/** The torch side: a python process that runs one step per "step" line and answers its time in ms. */
function startTorch(): { next: () => Promise<string>; send: (line: string) => void; close: () => void } {
  const child = spawn(PYTHON, [path.join(HERE, 'trainStep.py'), String(THREADS), String(BATCH), String(WARMUP)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    next: async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the torch reference exited: ${stderr.trim().split('\n').pop() ?? ''}`);
      return value as string;
    },
    send: (line) => child.stdin.write(`${line}\n`),
    close: () => child.stdin.end(),
  };
}

export async function trainStepBench(): Promise<TrainStepBenchResult | { skipped: string }> {
  const status = loadNativeAddon(path.resolve(HERE, '..'));
  if (!status.available) return { skipped: status.detail };
  const addon = status.addon as TrainingAddon;
  const net = new addon.ResNet50({ numClasses: 4, threads: THREADS, seed: 0, device: 'cpu' });
  net.setOptimizer({ kind: 'adam', lr: 1e-3 });
  const features = Float32Array.from({ length: BATCH * 1024 * 14 * 14 }, () => Math.random());
  const labels = Int32Array.from({ length: BATCH }, (_, i) => i % 4);
  const classWeights = new Float32Array([1, 2, 0.5, 1.5]);
  const step = () => net.trainStep({ features, n: BATCH, labels, classWeights });

  const torch = startTorch();
  try {
    try {
      if ((await torch.next()) !== 'ready') throw new Error('unexpected output');
    } catch (err) {
      return { skipped: `${PYTHON} could not run the torch reference (${(err as Error).message})` };
    }
    for (let i = 0; i < WARMUP; i++) await step();
    const addonTimes: number[] = [];
    const torchTimes: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      torch.send('step');
      torchTimes.push(Number(await torch.next()));
      const start = process.hrtime.bigint();
      await step();
      addonTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return { batch: BATCH, threads: THREADS, steps: STEPS, addonMs: median(addonTimes), torchMs: median(torchTimes) };
  } finally {
    torch.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await trainStepBench();
  if ('skipped' in result) console.log(`train step: skipped (${result.skipped})`);
  else {
    console.log(
      `layer4+fc train step, batch ${result.batch}, Adam, ${result.threads} threads: addon ${result.addonMs.toFixed(1)} ms · ` +
        `python3-torch ${result.torchMs.toFixed(1)} ms · ratio ${(result.addonMs / result.torchMs).toFixed(2)} (median of ${result.steps} each)`,
    );
  }
}
