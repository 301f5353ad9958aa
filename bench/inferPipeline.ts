/**
 * Batch inference at the shape of the lab's corpus (issue 22): portrait clips (1080×1920,
 * 30 fps, H.264 with a keyframe every 2 s, AAC audio), a frame every 1 s, two seeded full-size
 * ResNet-50s at the lab's 224 px, 2 workers. Reported, all measured in the same run:
 * - end to end vs model only (the job's closing line: frames ÷ the model stage's wall time);
 * - decoding the sampled frames as the job does (one pass or seeks, per video) against the two
 *   ffmpeg command-line references on the same clips, one thread each: a full decode
 *   (`ffmpeg -threads 1 -i clip -f null -`) and a seek per sampled time (`ffmpeg -threads 1
 *   -ss T -i clip -frames:v 1 -f null -`); CPU time (user + system of the whole processes, as
 *   the shell's `time` gives it; ours is bench/decodeOnly.ts less the same process decoding nothing;
 *   medians of 3 interleaved runs).
 *
 * `npm run bench` runs 2 clips of 10 s; standalone `node --import tsx bench/inferPipeline.ts [CLIPS] [SECONDS]`
 * (default 3 clips of 20 s, the issue's). Needs python3-torch for the seeded weights.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openCore } from '../src/main/core/core';
import { nodeForkLauncher } from '../src/main/core/jobs/launcher';
import { probeVideo } from '../src/main/core/media/probe';
import { sampleTimestamps } from '../src/main/core/media/sampling';
import { median } from './timing';
import { pythonHas, writeSeededResNet50 } from '../test/helpers/python';

export interface InferBenchResult {
  frames: number;
  endToEndFps: number;
  modelOnlyFps: number;
  /** The job's closing log line (where the time went). */
  line: string;
  /** CPU ms to decode every sampled frame of the clips: ours, and the two ffmpeg references. */
  oursDecodeCpuMs: number;
  fullDecodeCpuMs: number;
  seekDecodeCpuMs: number;
}

/** User + system CPU ms of a command and all its children, as the shell's `time` counts them (start included). */
function cpuMs(command: string[]): number {
  const out = execFileSync('bash', ['-c', 'TIMEFORMAT="%U %S"; { time "$@" >/dev/null 2>/dev/null; } 2>&1', 'bash', ...command], {
    encoding: 'utf8',
  });
  const [user, sys] = out.trim().split('\n').at(-1)!.split(' ').map(Number);
  if (!Number.isFinite(user) || !Number.isFinite(sys)) throw new Error(`no time for ${command.join(' ')}: ${out}`);
  return Math.round((user! + sys!) * 1000);
}

/**
 * CPU time to decode every sampled frame of `files`: ours (bench/decodeOnly.ts, less the same
 * process decoding nothing) and the two ffmpeg references, each ffmpeg timed whole (its start
 * included, as ours is), one thread each. Ours and the full decode are the median of `repeats`
 * runs, interleaved, so a burst of other work on the machine moves neither alone; the seek
 * reference (several times dearer, never the cheaper one on these clips) runs once.
 */
async function decodeComparison(
  files: string[],
  repeats = 3,
): Promise<Pick<InferBenchResult, 'oursDecodeCpuMs' | 'fullDecodeCpuMs' | 'seekDecodeCpuMs'>> {
  const script = path.join(import.meta.dirname, 'decodeOnly.ts');
  const node = [process.execPath, '--import', 'tsx', script];
  const ours: number[] = [];
  const full: number[] = [];
  for (let r = 0; r < repeats; r++) {
    ours.push(cpuMs([...node, 'auto', ...files]) - cpuMs([...node, 'noop', ...files]));
    full.push(
      files.reduce((sum, file) => sum + cpuMs(['ffmpeg', '-nostdin', '-threads', '1', '-i', file, '-map', '0:v:0', '-f', 'null', '-']), 0),
    );
  }
  let seek = 0;
  for (const file of files) {
    const probe = await probeVideo(file);
    const tenths = sampleTimestamps({ kind: 'every', seconds: 1 }, probe.durationS, path.basename(file));
    for (const x of tenths)
      seek += cpuMs([
        'ffmpeg',
        '-nostdin',
        '-threads',
        '1',
        '-ss',
        String(x / 10),
        '-i',
        file,
        '-map',
        '0:v:0',
        '-frames:v',
        '1',
        '-f',
        'null',
        '-',
      ]);
  }
  return { oursDecodeCpuMs: median(ours), fullDecodeCpuMs: median(full), seekDecodeCpuMs: seek };
}

/** A portrait clip as the lab's corpus has them: 1080×1920, 30 fps, a keyframe every 2 s, AAC audio. */
function writePortraitClip(file: string, seconds: number, hue: number): void {
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1080x1920:rate=30,hue=h=${hue}`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=330',
    '-t',
    String(seconds),
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-g',
    '60',
    '-keyint_min',
    '60',
    '-sc_threshold',
    '0',
    '-c:a',
    'aac',
    '-shortest',
    file,
  ]);
}

export async function inferPipelineBench(clips = 2, seconds = 10, modelThreads?: number): Promise<InferBenchResult | { skipped: string }> {
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
      writePortraitClip(file, seconds, i * 29);
    }
    fs.copyFileSync(files[0]!, path.join(warm, 'warm.mp4'));
    for (const [dimension, classes, seed] of [
      ['pov', ['a', 'b', 'c', 'd'], 1],
      ['distance', ['x', 'y', 'z'], 2],
    ] as const) {
      const file = path.join(dir, `${dimension}.pth`);
      writeSeededResNet50(file, classes.length, seed);
      const job = core.jobs.start('models.import', { file, dimension, version: 'v7', classes: [...classes] });
      const done = await core.jobs.waitFor(job.id);
      if (done.status !== 'succeeded') throw new Error(JSON.stringify(done.error));
    }
    const run = async (source: string) => {
      const job = core.jobs.start('infer.run', {
        videos: source,
        models: ['pov@v7', 'distance@v7'],
        workers: 2,
        ...(modelThreads ? { modelThreads } : {}),
        batchSize: 8,
        outDir: path.join(dir, 'out'),
        fresh: true,
      });
      const done = await core.jobs.waitFor(job.id);
      if (done.status !== 'succeeded') throw new Error(JSON.stringify(done.error));
      return core.jobRepo
        .logs(job.id)
        .map((l) => l.message)
        .find((m) => m.includes('frames/s end to end'))!;
    };
    await run(warm); // the ONNX files are written once per model
    const line = await run(videos);
    const match = /^(\d+) frames in [\d.]+ s: ([\d.]+) frames\/s end to end, ([\d.]+) frames\/s model only/.exec(line);
    if (!match) throw new Error(`unexpected benchmark line: ${line}`);
    return {
      frames: Number(match[1]),
      endToEndFps: Number(match[2]),
      modelOnlyFps: Number(match[3]),
      line,
      ...(await decodeComparison(files)),
    };
  } finally {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await inferPipelineBench(
    Number(process.argv[2] ?? 3),
    Number(process.argv[3] ?? 20),
    process.argv[4] ? Number(process.argv[4]) : undefined,
  );
  if ('skipped' in result) console.log(`infer pipeline: skipped (${result.skipped})`);
  else for (const line of describeInfer(result)) console.log(line);
}

export function describeInfer(r: InferBenchResult): string[] {
  const cheaper = Math.min(r.fullDecodeCpuMs, r.seekDecodeCpuMs);
  const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `batch inference (${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(2)} at the end): ${r.line}`,
    `end to end / model only: ${((100 * r.endToEndFps) / r.modelOnlyFps).toFixed(0)} % (target ≥ 80 %)`,
    `decoding the sampled frames, CPU: ours ${sec(r.oursDecodeCpuMs)} · full decode ${sec(r.fullDecodeCpuMs)} · seek per frame ${sec(r.seekDecodeCpuMs)} · ours / cheaper ${(r.oursDecodeCpuMs / cheaper).toFixed(2)}× (target ≤ 1.2×)`,
  ];
}
