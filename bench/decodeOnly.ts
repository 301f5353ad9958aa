/**
 * Decodes every sampled frame (a frame a second) of the files given, as batch inference does,
 * and nothing else: the benchmark times this process with the shell's `time` (user + system,
 * ffmpeg children included) against the same process given `noop`, which loads the same
 * modules and decodes nothing, so the difference is the decoding's CPU time.
 *
 *   node --import tsx bench/decodeOnly.ts auto|pass|seek|noop FILE...
 */
import path from 'node:path';
import { decodeVideoFrames, type DecodeStrategy } from '../src/main/core/infer/decodeFrames';
import { probeVideo } from '../src/main/core/media/probe';
import { sampleTimestamps } from '../src/main/core/media/sampling';

const [mode, ...files] = process.argv.slice(2);
if (mode !== 'noop') {
  for (const file of files) {
    const probe = await probeVideo(file);
    const tenths = sampleTimestamps({ kind: 'every', seconds: 1 }, probe.durationS, path.basename(file));
    for await (const frame of decodeVideoFrames(file, tenths, probe, { threads: 1, strategy: mode as DecodeStrategy })) void frame;
  }
} else {
  for (const file of files) await probeVideo(file);
}
