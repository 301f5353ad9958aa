/**
 * Model-input preprocessing per frame (issue 22, item 1): resize the shorter side to 256
 * (Pillow's bilinear with its antialiasing support) → centre crop 224 → ImageNet normalisation,
 * on decoded 1080×1920 portrait and 1920×1080 landscape RGB frames, one core each:
 *  - native: the image addon (native/src/image), what the app uses when it is built;
 *  - JS: the TypeScript port, the fallback without the addon;
 *  - Pillow: python3-pil's Image.resize + crop, then numpy's ToTensor + Normalize (torchvision's
 *    own path), measured in the same run on the same bytes (its resize alone is printed too).
 * Median milliseconds per frame; the machine's load average (os.loadavg) before and after, since
 * the benchmark shares the machine.
 *
 * `npm run bench` runs it; standalone `node --import tsx bench/resize.ts [FRAMES]` (default 30).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_PREPROCESSING, preprocessRgbBatch } from '../src/main/core/vision/preprocess';
import { preprocessBackend, useJsPreprocess } from '../src/main/core/vision/preprocessBackend';
import { centerCropOrigin, shorterSideSize } from '../src/main/core/vision/preprocessGeometry';
import type { RgbImage } from '../src/main/core/vision/preprocessResample';
import { mulberry32 } from '../src/main/core/random';
import { pythonHas, runPython } from '../test/helpers/python';
import { medianMs } from './timing';

export interface ResizeBenchRow {
  label: string;
  width: number;
  height: number;
  /** null when the image addon is not built. */
  nativeMs: number | null;
  jsMs: number;
  /** Pillow resize + crop + numpy normalisation; null without python3-pil. */
  pillowMs: number | null;
  pillowResizeMs: number | null;
}

export interface ResizeBenchResult {
  rows: ResizeBenchRow[];
  frames: number;
  backend: string;
  loadBefore: number[];
  loadAfter: number[];
}

const PILLOW_BENCH = String.raw`
import json, sys, time
import numpy as np
from PIL import Image
src, w, h, rw, rh, left, top, crop, repeats = sys.argv[1], *map(int, sys.argv[2:10])
img = Image.frombytes("RGB", (w, h), open(src, "rb").read())
mean = np.array([0.485, 0.456, 0.406], dtype=np.float32)
std = np.array([0.229, 0.224, 0.225], dtype=np.float32)
full, resize_only = [], []
for i in range(repeats + 1):
    t0 = time.perf_counter()
    r = img.resize((rw, rh), Image.BILINEAR)
    t1 = time.perf_counter()
    c = np.asarray(r.crop((left, top, left + crop, top + crop)), dtype=np.float32)
    x = np.ascontiguousarray(((c / 255.0 - mean) / std).transpose(2, 0, 1))
    t2 = time.perf_counter()
    if i:  # the first is a warm-up
        resize_only.append((t1 - t0) * 1e3); full.append((t2 - t0) * 1e3)
print(json.dumps({"full": float(np.median(full)), "resize": float(np.median(resize_only))}))
`;

/** A frame with texture everywhere (the timing does not depend on content, but no shortcuts are possible). */
function frame(width: number, height: number, seed: number): RgbImage {
  const random = mulberry32(seed);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 3) {
      const noise = Math.floor(random() * 64);
      data[i] = (x + noise) & 255;
      data[i + 1] = (y + noise) & 255;
      data[i + 2] = (x + y + 2 * noise) & 255;
    }
  }
  return { width, height, data };
}

export async function resizeBench(frames = 30): Promise<ResizeBenchResult> {
  const loadBefore = os.loadavg();
  const config = DEFAULT_PREPROCESSING;
  const backend = preprocessBackend();
  const withPillow = pythonHas('PIL', 'numpy');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-bench-resize-'));
  const rows: ResizeBenchRow[] = [];
  try {
    for (const [label, width, height] of [
      ['portrait', 1080, 1920],
      ['landscape', 1920, 1080],
    ] as const) {
      const images = [0, 1, 2].map((k) => frame(width, height, 17 + k));
      let next = 0;
      const one = () => void preprocessRgbBatch([images[next++ % images.length]!], config);
      const nativeMs = backend.kind === 'native' ? medianMs(frames, one, { warmUp: true }) : null;
      useJsPreprocess(true);
      let jsMs: number;
      try {
        jsMs = medianMs(Math.max(3, Math.round(frames / 4)), one, { warmUp: true });
      } finally {
        useJsPreprocess(false);
      }
      let pillowMs: number | null = null;
      let pillowResizeMs: number | null = null;
      if (withPillow) {
        const src = path.join(dir, `${label}.rgb`);
        fs.writeFileSync(src, images[0]!.data);
        const size = shorterSideSize(width, height, config.resize);
        const { left, top } = centerCropOrigin(size.width, size.height, config.crop);
        const args = [width, height, size.width, size.height, left, top, config.crop, frames].map(String);
        const out = JSON.parse(runPython(PILLOW_BENCH, [src, ...args])) as { full: number; resize: number };
        pillowMs = out.full;
        pillowResizeMs = out.resize;
      }
      rows.push({ label: `${width}×${height} ${label}`, width, height, nativeMs, jsMs, pillowMs, pillowResizeMs });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, frames, backend: backend.detail, loadBefore, loadAfter: os.loadavg() };
}

const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);

/** One line per frame size, then the load. */
export function describeResize(r: ResizeBenchResult): string[] {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  return [
    ...r.rows.map(
      (row) =>
        `resize 256 → crop 224 → normalise, ${row.label}, per frame on one core: native ${ms(row.nativeMs)} · JS ${ms(row.jsMs)} · ` +
        `Pillow ${ms(row.pillowMs)} (its resize alone ${ms(row.pillowResizeMs)})`,
    ),
    `resize bench: ${r.frames} frames each; app uses ${r.backend}; load average (1/5/15 min) ${load(r.loadBefore)} before, ${load(r.loadAfter)} after, ${os.availableParallelism()} cores`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of describeResize(await resizeBench(Number(process.argv[2] ?? 30)))) console.log(line);
}
