/**
 * Batch inference, end to end vs model only, on the same frames in the same run (issue 9,
 * item 9): clips of 640×360 H.264 (ffmpeg test sources), every 1 s, two seeded full-size
 * ResNet-50s at the lab's 224 px, 4 workers. The job's closing log line has both rates and
 * where the workers' time went. Also, on the same clips: decoding the sampled frames with one
 * ffmpeg per video (what the job does) vs one ffmpeg per frame (the seek frame extraction uses).
 *
 * `npm run bench` runs a small size; standalone `node --import tsx bench/inferPipeline.ts [CLIPS] [SECONDS]`
 * (default 12 clips of 8 s). Needs python3-torch for the seeded weights.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openCore } from '../src/main/core/core';
import { decodeFrameAt, decodeVideoFrames, outputSize } from '../src/main/core/infer/decodeFrames';
import { nodeForkLauncher } from '../src/main/core/jobs/launcher';
import { probeVideo } from '../src/main/core/media/probe';
import { sampleTimestamps } from '../src/main/core/media/sampling';
import { pythonHas, writeSeededResNet50 } from '../test/helpers/python';

export interface InferBenchResult {
  frames: number;
  endToEndFps: number;
  modelOnlyFps: number;
  /** The job's closing log line (where the time went). */
  line: string;
  /** Decoding every sampled frame of the clips, one process at a time, 1 thread each. */
  perVideoDecodeMs: number;
  perFrameDecodeMs: number;
}

async function decodeComparison(files: string[]): Promise<{ perVideoDecodeMs: number; perFrameDecodeMs: number }> {
  let perVideoDecodeMs = 0;
  let perFrameDecodeMs = 0;
  for (const file of files) {
    const probe = await probeVideo(file);
    const tenths = sampleTimestamps({ kind: 'every', seconds: 1 }, probe.durationS, path.basename(file));
    const size = outputSize(probe);
    let t = Date.now();
    for await (const frame of decodeVideoFrames(file, tenths, probe)) void frame;
    perVideoDecodeMs += Date.now() - t;
    t = Date.now();
    for (const x of tenths) await decodeFrameAt(file, x / 10, size.width, size.height);
    perFrameDecodeMs += Date.now() - t;
  }
  return { perVideoDecodeMs, perFrameDecodeMs };
}

export async function inferPipelineBench(clips = 4, seconds = 6): Promise<InferBenchResult | { skipped: string }> {
  if (!pythonHas('torch', 'torchvision')) return { skipped: '/usr/bin/python3 cannot import torchvision' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-bench-infer-'));
  const core = openCore({ home: path.join(dir, 'home'), mode: 'cli', launcher: nodeForkLauncher() });
  try {
    const videos = path.join(dir, 'videos');
    const warm = path.join(dir, 'warm');
    fs.mkdirSync(videos);
    fs.mkdirSync(warm);
    const files: string[] = [];
    for (let i = 0; i < clips; i++) {
      const file = path.join(videos, `clip_${i}.mp4`);
      files.push(file);
      execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=30,hue=h=${i * 29}`, '-t', String(seconds),
        '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', file]);
    }
    fs.copyFileSync(files[0]!, path.join(warm, 'warm.mp4'));
    for (const [dimension, classes, seed] of [['pov', ['a', 'b', 'c', 'd'], 1], ['distance', ['x', 'y', 'z'], 2]] as const) {
      const file = path.join(dir, `${dimension}.pth`);
      writeSeededResNet50(file, classes.length, seed);
      const job = core.jobs.start('models.import', { file, dimension, version: 'v7', classes: [...classes] });
      const done = await core.jobs.waitFor(job.id);
      if (done.status !== 'succeeded') throw new Error(JSON.stringify(done.error));
    }
    const run = async (source: string) => {
      const job = core.jobs.start('infer.run', { videos: source, models: ['pov@v7', 'distance@v7'], workers: 4, batchSize: 8, outDir: path.join(dir, 'out'), fresh: true });
      const done = await core.jobs.waitFor(job.id);
      if (done.status !== 'succeeded') throw new Error(JSON.stringify(done.error));
      return core.jobRepo.logs(job.id).map((l) => l.message).find((m) => m.includes('frames/s end to end'))!;
    };
    await run(warm); // the ONNX files are written once per model
    const line = await run(videos);
    const match = /^(\d+) frames in [\d.]+ s: ([\d.]+) frames\/s end to end, ([\d.]+) frames\/s model only/.exec(line);
    if (!match) throw new Error(`unexpected benchmark line: ${line}`);
    return { frames: Number(match[1]), endToEndFps: Number(match[2]), modelOnlyFps: Number(match[3]), line, ...(await decodeComparison(files)) };
  } finally {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await inferPipelineBench(Number(process.argv[2] ?? 12), Number(process.argv[3] ?? 8));
  if ('skipped' in result) console.log(`infer pipeline: skipped (${result.skipped})`);
  else {
    console.log(`infer pipeline (${os.availableParallelism()} cores): ${result.line}`);
    console.log(`end to end / model only: ${((100 * result.endToEndFps) / result.modelOnlyFps).toFixed(0)} %`);
    console.log(`decoding the ${result.frames} sampled frames: one ffmpeg per video ${(result.perVideoDecodeMs / 1000).toFixed(1)} s, one per frame ${(result.perFrameDecodeMs / 1000).toFixed(1)} s`);
  }
}
