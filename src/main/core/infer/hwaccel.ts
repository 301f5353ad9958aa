/**
 * Hardware video decoding for batch inference, when ffmpeg and the machine have it: NVDEC
 * (`cuda`) or VAAPI on Linux, VideoToolbox on macOS, NVDEC or D3D11VA on Windows.
 *
 * `FRAMELAB_HWACCEL` chooses: `auto` (default: the first of the platform's decoders that ffmpeg
 * lists and whose device opens), `none` (always the CPU), or a name ffmpeg knows (`vaapi`). The
 * decoded pictures are the same frames; their pixels may differ from the CPU decoder's in the
 * last bit after the colour conversion, so `none` is the setting for bit-exact parity with
 * coding's frames. A decode that fails on the hardware is retried on the CPU, once said in the
 * job's log, and the hardware is not tried again in this process.
 */
import { execFile } from 'node:child_process';
import { trackChild } from '../jobs/childProcesses';

const CANDIDATES: Record<string, string[]> = {
  linux: ['cuda', 'vaapi'],
  darwin: ['videotoolbox'],
  win32: ['cuda', 'd3d11va'],
};

function ffmpeg(args: string[], timeoutMs = 10_000): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = trackChild(
      execFile(process.env.FFMPEG_PATH || 'ffmpeg', args, { timeout: timeoutMs }, (err, stdout, stderr) =>
        resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr) }),
      ),
    );
    child.on('error', () => resolve({ ok: false, stdout: '', stderr: '' }));
  });
}

/** The hwaccels ffmpeg was built with (`ffmpeg -hwaccels`). */
export function parseHwaccels(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trim());
  const at = lines.findIndex((l) => /^Hardware acceleration methods:?$/.test(l));
  return at < 0 ? [] : lines.slice(at + 1).filter((l) => /^[a-z0-9_]+$/.test(l));
}

/** Whether ffmpeg can open the device (a one-frame decode through it, no input file needed). */
async function deviceOpens(name: string): Promise<boolean> {
  return (
    await ffmpeg([
      '-hide_banner',
      '-v',
      'error',
      '-init_hw_device',
      name,
      '-f',
      'lavfi',
      '-i',
      'nullsrc=s=64x64',
      '-frames:v',
      '1',
      '-f',
      'null',
      '-',
    ])
  ).ok;
}

export interface HardwareDecoder {
  /** The `-hwaccel` name, or null for the CPU. */
  name: string | null;
  /** Why: what was found, asked or refused (for the job's log). */
  detail: string;
}

let chosen: Promise<HardwareDecoder> | null = null;
let failed: string | null = null;

async function choose(setting: string, platform: NodeJS.Platform): Promise<HardwareDecoder> {
  if (setting === 'none') return { name: null, detail: 'CPU decoding (FRAMELAB_HWACCEL=none)' };
  if (setting !== 'auto') return { name: setting, detail: `${setting} (FRAMELAB_HWACCEL)` };
  const built = parseHwaccels((await ffmpeg(['-hide_banner', '-hwaccels'])).stdout);
  const candidates = (CANDIDATES[platform] ?? []).filter((c) => built.includes(c));
  for (const name of candidates) if (await deviceOpens(name)) return { name, detail: `${name} (found by FRAMELAB_HWACCEL=auto)` };
  return {
    name: null,
    detail: candidates.length
      ? `CPU decoding: ffmpeg has ${candidates.join(', ')} but no device opened`
      : 'CPU decoding: ffmpeg has no hardware decoder for this platform',
  };
}

/** The decoder for this process (detected once); null name after a hardware failure. */
export async function hardwareDecoder(
  setting = process.env.FRAMELAB_HWACCEL?.trim() || 'auto',
  platform = process.platform,
): Promise<HardwareDecoder> {
  chosen ??= choose(setting, platform);
  const decoder = await chosen;
  return failed && decoder.name ? { name: null, detail: `CPU decoding: ${failed}` } : decoder;
}

/** After a failed hardware decode: the CPU from now on in this process. Returns the sentence for the log. */
export function hardwareFailed(name: string, reason: string): string {
  failed = `${name} failed (${reason}); decoding on the CPU from here on`;
  return `hardware decoding with ${failed}`;
}

/** For tests: forget the choice and any failure. */
export function resetHardwareDecoder(): void {
  chosen = null;
  failed = null;
}
