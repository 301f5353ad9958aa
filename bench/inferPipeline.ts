/**
 * Batch inference, end to end vs model only, on the same frames in the same run (issue 9,
 * item 9): 12 clips of 8 s at 640×360 (ffmpeg test sources), every 1 s, two seeded full-size
 * ResNet-50s at the lab's 224 px, 4 workers. The job's closing log line has both rates and
 * where the workers' time went. Standalone: `node --import tsx bench/inferPipeline.ts`
 * (needs python3-torch for the seeded weights).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../src/main/core/core';
import { nodeForkLauncher } from '../src/main/core/jobs/launcher';
import { writeSeededResNet50 } from '../test/helpers/python';

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-bench-infer-'));
  const core = openCore({ home: path.join(dir, 'home'), mode: 'cli', launcher: nodeForkLauncher() });
  try {
    const videos = path.join(dir, 'videos');
    fs.mkdirSync(videos);
    for (let i = 0; i < 12; i++) {
      execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=30,hue=h=${i * 29}`, '-t', '8',
        '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', path.join(videos, `clip_${i}.mp4`)]);
    }
    for (const [dimension, classes, seed] of [['pov', ['a', 'b', 'c', 'd'], 1], ['distance', ['x', 'y', 'z'], 2]] as const) {
      const file = path.join(dir, `${dimension}.pth`);
      writeSeededResNet50(file, classes.length, seed);
      const job = core.jobs.start('models.import', { file, dimension, version: 'v7', classes: [...classes] });
      const done = await core.jobs.waitFor(job.id);
      if (done.status !== 'succeeded') throw new Error(JSON.stringify(done.error));
    }
    const run = async () => {
      const job = core.jobs.start('infer.run', { videos, models: ['pov@v7', 'distance@v7'], workers: 4, batchSize: 8, outDir: path.join(dir, 'out'), fresh: true });
      const done = await core.jobs.waitFor(job.id);
      if (done.status !== 'succeeded') throw new Error(JSON.stringify(done.error));
      return core.jobRepo.logs(job.id).map((l) => l.message).find((m) => m.includes('frames/s end to end'));
    };
    await run(); // warm: the ONNX files are written once per model
    console.log(`infer pipeline (${os.availableParallelism()} cores): ${await run()}`);
  } finally {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
