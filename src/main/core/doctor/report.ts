import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import type { DoctorReport } from '../../../shared/api';
import { appRoot, appVersion, dependencyVersion } from '../appRoot';
import { openDatabase, schemaVersion } from '../db/open';
import { preprocessBackend } from '../vision/preprocessBackend';
import { isProcessAlive, readLock } from '../home/lock';
import { homePaths } from '../home/paths';
import { probeCuda, probeElectronBinary, probeGcsCredentials, probeNativeAddon, probeOnnxRuntime, probeTool } from './probes';

const FFMPEG_HINT = 'Install it: Debian/Ubuntu `apt-get install -y ffmpeg`, macOS `brew install ffmpeg`, or set FFMPEG_PATH/FFPROBE_PATH.';

/** Versions and capabilities, read without writing anything (the home may belong to another process). */
export async function doctorReport(homeRoot: string): Promise<DoctorReport> {
  const root = appRoot();
  const home = homePaths(homeRoot);
  const onnxVersion = dependencyVersion('onnxruntime-node');
  const [ffmpeg, ffprobe, cuda, onnxruntime, training] = await Promise.all([
    probeTool('FFMPEG_PATH', 'ffmpeg', FFMPEG_HINT),
    probeTool('FFPROBE_PATH', 'ffprobe', FFMPEG_HINT),
    probeCuda(),
    probeOnnxRuntime(onnxVersion),
    probeNativeAddon(root),
  ]);
  return {
    app: { name: 'Framelab', version: appVersion() },
    versions: {
      node: process.versions.node,
      v8: process.versions.v8,
      electron: process.versions.electron ?? dependencyVersion('electron'),
      sqlite: sqliteVersion(),
      'better-sqlite3': dependencyVersion('better-sqlite3'),
      'onnxruntime-node': onnxVersion,
      '@huggingface/transformers': dependencyVersion('@huggingface/transformers'),
      '@google-cloud/storage': dependencyVersion('@google-cloud/storage'),
      'fluent-ffmpeg': dependencyVersion('fluent-ffmpeg'),
      react: dependencyVersion('react'),
      zod: dependencyVersion('zod'),
    },
    platform: {
      os: `${process.platform} ${os.release()}`,
      arch: process.arch,
      cpus: os.cpus().length,
      memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    },
    home: homeStatus(home.root, home.dbFile, home.lockFile),
    capabilities: {
      ffmpeg,
      ffprobe,
      nativeAddon: training.addon,
      xgboost: training.xgboost,
      imageResize: imageResizeCapability(),
      cuda,
      onnxruntime,
      gcsCredentials: probeGcsCredentials(),
      electronBinary: probeElectronBinary(root),
    },
  };
}

/** The image addon is small and has no LibTorch in it: loading it here costs about a millisecond. */
function imageResizeCapability(): { available: boolean; detail: string } {
  const backend = preprocessBackend();
  return { available: backend.kind === 'native', detail: backend.detail };
}

function sqliteVersion(): string {
  const db = new Database(':memory:', { nativeBinding: process.env.FRAMELAB_SQLITE_BINDING || undefined });
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

function homeStatus(root: string, dbFile: string, lockFile: string): DoctorReport['home'] {
  let version: number | null = null;
  if (fs.existsSync(dbFile)) {
    try {
      const db = openDatabase(dbFile, { readonly: true });
      version = schemaVersion(db);
      db.close();
    } catch {
      version = null;
    }
  }
  const lock = readLock(lockFile);
  return {
    path: root,
    exists: fs.existsSync(root),
    schemaVersion: version,
    owner: lock && lock.pid > 0 ? { pid: lock.pid, mode: lock.mode, startedAt: lock.startedAt, alive: isProcessAlive(lock.pid) } : null,
  };
}
