/**
 * Which onnxruntime execution provider a session can use. onnxruntime-node ships its CPU
 * provider; the CUDA provider is a separate library that its install script fetches only when
 * asked (`npm ci --onnxruntime-node-install=cuda12`), and it loads only when the CUDA 12 and
 * cuDNN runtimes are present. So: look for the library first (cheap, explains the common
 * case), then let session creation prove the rest.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ExecutionProvider = 'cuda' | 'cpu';
/** 'auto': CUDA when it works, CPU otherwise; 'cuda': fail unless CUDA works. */
export type ProviderPreference = 'auto' | ExecutionProvider;

const CUDA_LIBRARY: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'libonnxruntime_providers_cuda.so',
  win32: 'onnxruntime_providers_cuda.dll',
};

export const CUDA_INSTALL_HINT = 'install it on a machine with an NVIDIA GPU with `npm ci --onnxruntime-node-install=cuda12`';

/** The folder holding onnxruntime-node's native binding (where provider libraries go). */
function bindingDir(): string {
  const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
  return path.join(path.dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
}

export interface CudaProviderStatus {
  /** The provider library is installed (it may still fail to load without the CUDA runtime). */
  installed: boolean;
  /** Why CUDA is not installed, or where its library is. */
  detail: string;
}

export function cudaProviderStatus(): CudaProviderStatus {
  const lib = CUDA_LIBRARY[process.platform];
  if (!lib || process.arch !== 'x64') {
    return { installed: false, detail: `onnxruntime-node has no CUDA provider for ${process.platform}/${process.arch}` };
  }
  let dir: string;
  try {
    dir = bindingDir();
  } catch (err) {
    return { installed: false, detail: `onnxruntime-node cannot be found: ${(err as Error).message}` };
  }
  const file = path.join(dir, lib);
  return fs.existsSync(file)
    ? { installed: true, detail: file }
    : { installed: false, detail: `the CUDA provider (${lib}) is not installed; ${CUDA_INSTALL_HINT}` };
}
