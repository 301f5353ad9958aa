/**
 * Tiny video fixtures made with ffmpeg's test sources (nothing downloaded), shared by a test
 * file through beforeAll/afterAll, plus a scripted launcher for exercising the owner's apply step.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ChildHandle, ProcessLauncher } from '../../src/main/core/jobs/launcher';
import type { FromWorker, ToWorker } from '../../src/main/core/jobs/protocol';

const run = promisify(execFile);

export interface Clips {
  dir: string;
  /** 4 s, 160x120, 25 fps, h264. */
  mp4: string;
  /** The same bytes as mp4 under another name, in a sub folder. */
  sameContent: string;
  /** 3 s, 128x96, 10 fps. */
  mov: string;
  /** 2 s, 96x64, 10 fps, vp8, inside folder/. */
  webm: string;
  /** 2.5 s, 64x48, 20 fps, inside folder/nested/. */
  mkv: string;
  /** A different 1 s clip whose name (and so default id) is also "clip". */
  clash: string;
  /** Random bytes named .mp4. */
  corrupt: string;
  text: string;
  /** Holds webm, mkv and a text file. */
  folder: string;
  remove(): void;
}

const lavfi = (source: string, out: string, extra: string[]) =>
  run(process.env.FFMPEG_PATH || 'ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source, ...extra, out]);

export async function makeClips(): Promise<Clips> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-test-clips-'));
  const p = (...parts: string[]) => path.join(dir, ...parts);
  for (const sub of ['copies', 'folder/nested', 'other']) fs.mkdirSync(p(sub), { recursive: true });
  const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
  await Promise.all([
    lavfi('testsrc=duration=4:size=160x120:rate=25', p('clip.mp4'), ['-pix_fmt', 'yuv420p']),
    lavfi('testsrc2=duration=3:size=128x96:rate=10', p('talk.mov'), h264),
    lavfi('testsrc=duration=2:size=96x64:rate=10', p('folder', 'web.webm'), ['-c:v', 'libvpx', '-b:v', '200k']),
    lavfi('smptebars=duration=2.5:size=64x48:rate=20', p('folder', 'nested', 'bars.mkv'), h264),
    lavfi('mandelbrot=size=80x60:rate=10', p('other', 'clip.mp4'), ['-t', '1', ...h264]),
  ]);
  fs.copyFileSync(p('clip.mp4'), p('copies', 'renamed.mp4'));
  fs.writeFileSync(p('bad.mp4'), crypto.randomBytes(4096));
  fs.writeFileSync(p('notes.txt'), 'not a video\n');
  fs.writeFileSync(p('folder', 'readme.txt'), 'skipped when scanning\n');
  return {
    dir,
    mp4: p('clip.mp4'),
    sameContent: p('copies', 'renamed.mp4'),
    mov: p('talk.mov'),
    webm: p('folder', 'web.webm'),
    mkv: p('folder', 'nested', 'bars.mkv'),
    clash: p('other', 'clip.mp4'),
    corrupt: p('bad.mp4'),
    text: p('notes.txt'),
    folder: p('folder'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A launcher whose "job process" answers `run` with a fixed result: the real supervisor and
 * apply step then handle it, with no timing games.
 */
export function scriptedLauncher(result: (job: { id: string }) => unknown): ProcessLauncher {
  return {
    launch(): ChildHandle {
      const messageListeners: ((m: FromWorker) => void)[] = [];
      const exitListeners: ((e: { code: number | null; signal: string | null }) => void)[] = [];
      let exited = false;
      const emit = (m: FromWorker) => setImmediate(() => messageListeners.forEach((l) => l(m)));
      const exit = () =>
        setImmediate(() => {
          if (exited) return;
          exited = true;
          exitListeners.forEach((l) => l({ code: 0, signal: null }));
        });
      emit({ type: 'ready' });
      return {
        pid: undefined,
        send(message: ToWorker) {
          if (message.type !== 'run') return;
          emit({ type: 'done', result: result(message.job) });
          exit();
        },
        kill: exit,
        onMessage: (l) => void messageListeners.push(l),
        onExit: (l) => void exitListeners.push(l),
        onStderr: () => undefined,
      };
    },
  };
}
