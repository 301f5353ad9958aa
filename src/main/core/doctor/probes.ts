import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Capability } from '../../../shared/api';
import { BUILD_HINT, locateNativeAddon, XGBOOST_HINT } from '../../../../native/loader';
import { cudaProviderStatus } from '../vision/inference/providers';

/** Each probe answers "is it there?" and, when not, why and how to get it. None downloads anything. */

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

/** Runs a probe command without blocking the process that serves the UI. */
function run(command: string, args: string[]): Promise<{ ok: boolean; stdout: string; why: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout: 10_000 }, (error, stdout) => {
      if (!error) return resolve({ ok: true, stdout, why: '' });
      const code = (error as NodeJS.ErrnoException).code;
      resolve({ ok: false, stdout, why: typeof code === 'string' ? code : `exit code ${code ?? '?'}` });
    });
  });
}

export async function probeTool(envVar: string, command: string, installHint: string): Promise<Capability> {
  const bin = process.env[envVar] || command;
  const result = await run(bin, ['-version']);
  if (!result.ok) return { available: false, detail: `${bin} not usable (${result.why}). ${installHint}` };
  return { available: true, detail: `${firstLine(result.stdout)} (${bin})` };
}

/**
 * The training addon is loaded in a throwaway Node process, not here: it pulls in LibTorch
 * (hundreds of MB), which has no business in the process serving the UI. The probe reports
 * the LibTorch version and whether that build has CUDA, and whether XGBoost was linked in
 * (optional at build time; the suite's gbdt model needs it).
 */
export async function probeNativeAddon(appRoot: string): Promise<{ addon: Capability; xgboost: Capability }> {
  const status = locateNativeAddon(appRoot);
  const unavailable = (detail: string) => ({
    addon: { available: false, detail },
    xgboost: { available: false, detail: `needs the training addon: ${detail}` },
  });
  if (status.problem) return unavailable(status.problem);
  const script =
    'const a = require(process.argv[1]); process.stdout.write(JSON.stringify({ ...a.info(), xgboost: a.xgboost ? a.xgboost.version() : null }))';
  const result = await new Promise<{ ok: boolean; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['-e', script, status.path], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ ok: !error, stdout, stderr }),
    );
  });
  if (!result.ok)
    return unavailable(`The training addon at ${status.path} failed to load: ${firstLine(result.stderr) || 'no output'}. ${BUILD_HINT}`);
  const info = JSON.parse(result.stdout) as {
    torchVersion: string;
    cudaAvailable: boolean;
    cudaDevices: number;
    threads: number;
    xgboost: string | null;
  };
  const device = info.cudaAvailable
    ? `CUDA (${info.cudaDevices} device${info.cudaDevices === 1 ? '' : 's'})`
    : 'CPU only (this LibTorch has no CUDA, or no GPU is visible)';
  return {
    addon: { available: true, detail: `LibTorch ${info.torchVersion}, ${device}, ${info.threads} threads (${status.path})` },
    xgboost: info.xgboost
      ? { available: true, detail: `XGBoost ${info.xgboost}, linked into the training addon (the suite's gbdt model)` }
      : { available: false, detail: `The training addon was built without XGBoost, so the suite's gbdt model cannot run. ${XGBOOST_HINT}` },
  };
}

export async function probeCuda(): Promise<Capability> {
  const smi = await run('nvidia-smi', ['-L']);
  if (!smi.ok) {
    return {
      available: false,
      detail: 'No NVIDIA GPU visible (nvidia-smi not found or failed); training and inference run on the CPU.',
    };
  }
  const gpus = smi.stdout.split('\n').filter((l) => l.startsWith('GPU'));
  return { available: gpus.length > 0, detail: gpus.join('; ') || 'nvidia-smi lists no GPU' };
}

export async function probeOnnxRuntime(version: string | null): Promise<Capability> {
  if (!version) return { available: false, detail: 'onnxruntime-node is not installed: run `npm ci`.' };
  try {
    const ort = await import('onnxruntime-node');
    const backends = ort.listSupportedBackends().map((b) => `${b.name}${b.bundled ? '' : ' (needs its provider)'}`);
    const cuda = cudaProviderStatus();
    const gpu = cuda.installed ? `CUDA provider installed (${cuda.detail})` : `CPU only: ${cuda.detail}`;
    return { available: true, detail: `onnxruntime-node ${version}; backends: ${backends.join(', ')}; ${gpu}` };
  } catch (err) {
    return { available: false, detail: `onnxruntime-node ${version} failed to load: ${(err as Error).message}` };
  }
}

/**
 * Google's standard credential sources, in the client's own order. Only where they are is
 * reported, never what they hold.
 */
export function probeGcsCredentials(env: NodeJS.ProcessEnv = process.env): Capability {
  const keyFile = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (keyFile) {
    return fs.existsSync(keyFile)
      ? { available: true, detail: `key file named by GOOGLE_APPLICATION_CREDENTIALS (${keyFile})` }
      : { available: false, detail: `GOOGLE_APPLICATION_CREDENTIALS names ${keyFile}, which does not exist.` };
  }
  const adc =
    process.platform === 'win32'
      ? path.join(env.APPDATA ?? '', 'gcloud', 'application_default_credentials.json')
      : path.join(env.CLOUDSDK_CONFIG ?? path.join(os.homedir(), '.config', 'gcloud'), 'application_default_credentials.json');
  if (fs.existsSync(adc)) return { available: true, detail: `application default credentials (${adc})` };
  if (env.STORAGE_EMULATOR_HOST) {
    return { available: true, detail: `storage emulator at ${env.STORAGE_EMULATOR_HOST} (no credentials needed)` };
  }
  return {
    available: false,
    detail:
      'No Google Cloud credentials found: run `gcloud auth application-default login`, or set ' +
      'GOOGLE_APPLICATION_CREDENTIALS to a service-account key file.',
  };
}

/** Electron's binary is fetched on first `npm start` (Electron 45 has no install script); without it, browser mode. */
export function probeElectronBinary(appRoot: string): Capability {
  const dir = path.join(appRoot, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    return {
      available: false,
      detail:
        "Electron's binary is not downloaded yet: `npm start` downloads it on first use (unless offline or " +
        'ELECTRON_SKIP_BINARY_DOWNLOAD is set, when it falls back to browser mode). Get it now with `npx install-electron`.',
    };
  }
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary)
    ? { available: true, detail: binary }
    : { available: false, detail: `Electron's binary is missing at ${binary}; download it again with \`npx install-electron\`.` };
}
