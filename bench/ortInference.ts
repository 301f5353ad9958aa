/**
 * ResNet-50 inference throughput: our path (state dict → ONNX written in TypeScript →
 * onnxruntime-node, CPU provider here) against python3-torch running torchvision's resnet50
 * in eval mode, with the same weights, the same input, the same thread count and batch 8,
 * measured in the same run. Both sides first agree on the logits, or the timing would compare
 * different computations. Preprocessing is not included on either side.
 *
 * Returns null (and the run skips it) where /usr/bin/python3 cannot import torchvision.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OrtSession } from '../src/main/core/vision/inference/session';
import { exportResNet50Onnx } from '../src/main/core/vision/onnx/exportResNet50';
import { readPth } from '../src/main/core/vision/weights/pth';

export interface OrtInferenceBenchResult {
  threads: number;
  batchSize: number;
  images: number;
  provider: string;
  ortImagesPerS: number;
  torchImagesPerS: number;
  /** max |ORT − torch| / max |torch| over the first batch's logits. */
  relativeError: number;
}

const PYTHON = '/usr/bin/python3';

/** Seeds weights and an input, saves both, checks logits, then times `batches` forward passes. */
const TORCH_SCRIPT = `
import json, os, sys, time
import torch, torchvision
out, threads, batch, batches = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = torchvision.models.resnet50(num_classes=4).eval()
torch.save(model.state_dict(), os.path.join(out, "weights.pth"))
x = torch.randn(batch, 3, 224, 224)
x.numpy().astype("<f4").tofile(os.path.join(out, "input.f32"))
with torch.no_grad():
    model(x).numpy().astype("<f4").tofile(os.path.join(out, "logits.f32"))
    start = time.perf_counter()
    for _ in range(batches):
        model(x)
    seconds = time.perf_counter() - start
print(json.dumps({"imagesPerS": batch * batches / seconds}))
`;

function readF32(file: string): Float32Array {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

export async function ortInferenceBench(
  batches = 6,
  batchSize = 8,
  threads = Math.min(os.availableParallelism(), 8),
): Promise<OrtInferenceBenchResult | null> {
  const probe = spawnSync(PYTHON, ['-c', 'import torchvision'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-bench-ort-'));
  try {
    const torch = spawnSync(PYTHON, ['-c', TORCH_SCRIPT, dir, String(threads), String(batchSize), String(batches)], { encoding: 'utf8' });
    if (torch.status !== 0) throw new Error(`ortInference bench: python3-torch failed: ${torch.stderr}`);
    const torchImagesPerS = JSON.parse(torch.stdout).imagesPerS as number;

    const session = await OrtSession.open(exportResNet50Onnx(readPth(path.join(dir, 'weights.pth'))), { threads, batchSize });
    try {
      const input = readF32(path.join(dir, 'input.f32'));
      const expected = readF32(path.join(dir, 'logits.f32'));
      const first = await session.run(input, batchSize); // also the warm-up, as torch's check is
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < expected.length; i++) {
        diff = Math.max(diff, Math.abs(first.data[i]! - expected[i]!));
        scale = Math.max(scale, Math.abs(expected[i]!));
      }
      const relativeError = diff / scale;
      if (!(relativeError < 1e-3)) throw new Error(`ortInference bench: ORT and torch disagree (relative error ${relativeError})`);
      const start = process.hrtime.bigint();
      for (let b = 0; b < batches; b++) await session.run(input, batchSize);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      return {
        threads,
        batchSize,
        images: batches * batchSize,
        provider: session.provider,
        ortImagesPerS: (batches * batchSize) / seconds,
        torchImagesPerS,
        relativeError,
      };
    } finally {
      await session.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
