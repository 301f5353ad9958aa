/**
 * Short real clips for the inference tests, made by ffmpeg's test sources: good ones of
 * various lengths and colours, plus the unreadable kinds a corpus holds (random bytes, a
 * truncated file, a zero-length file, an audio-only file).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClipSet {
  dir: string;
  good: string[];
  bad: string[];
}

async function ffmpeg(args: string[]): Promise<void> {
  await run(process.env.FFMPEG_PATH || 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

export async function makeClips(dir: string, goodCount: number): Promise<ClipSet> {
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  const good: string[] = [];
  const jobs: (() => Promise<void>)[] = [];
  for (let i = 0; i < goodCount; i++) {
    // Some in a subfolder: the video list is recursive. Lengths 1.2 … 3.4 s.
    const file = path.join(dir, i % 5 === 0 ? 'sub' : '', `clip_${String(i).padStart(3, '0')}.mp4`);
    const seconds = (1.2 + (i % 12) * 0.2).toFixed(1);
    const source = i % 2 ? `testsrc2=size=64x48:rate=10` : `smptebars=size=80x48:rate=10`;
    good.push(file);
    jobs.push(() =>
      ffmpeg([
        '-f',
        'lavfi',
        '-i',
        `${source},hue=h=${i * 37}`,
        '-t',
        seconds,
        '-pix_fmt',
        'yuv420p',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        file,
      ]),
    );
  }
  const bad = ['bad_random.mp4', 'bad_truncated.mp4', 'bad_empty.mp4', 'bad_audio_only.mp4'].map((f) => path.join(dir, f));
  jobs.push(async () => fs.writeFileSync(bad[0]!, crypto.randomBytes(4096)));
  jobs.push(async () => fs.writeFileSync(bad[2]!, ''));
  jobs.push(() => ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '1', '-c:a', 'aac', bad[3]!]));
  jobs.push(async () => {
    const whole = path.join(dir, 'whole.tmp.mp4');
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=64x48:rate=10',
      '-t',
      '2',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-f',
      'mp4',
      whole,
    ]);
    const bytes = fs.readFileSync(whole);
    fs.writeFileSync(bad[1]!, bytes.subarray(0, Math.floor(bytes.length / 3)));
    fs.rmSync(whole);
  });
  // A few at a time: the machine has two cores.
  for (let i = 0; i < jobs.length; i += 4) await Promise.all(jobs.slice(i, i + 4).map((j) => j()));
  return { dir, good, bad };
}

/** Puts the clips in the emulator's bucket under `prefix/` (subfolders kept); returns the object names. */
export async function uploadClips(emulatorUrl: string, bucket: string, clips: ClipSet, prefix = 'corpus'): Promise<string[]> {
  const names: string[] = [];
  for (const file of [...clips.good, ...clips.bad]) {
    const name = `${prefix}/${path.relative(clips.dir, file).split(path.sep).join('/')}`;
    const res = await fetch(`${emulatorUrl}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      body: new Uint8Array(fs.readFileSync(file)),
    });
    if (!res.ok) throw new Error(`uploading ${name}: HTTP ${res.status}`);
    names.push(name);
  }
  return names;
}
