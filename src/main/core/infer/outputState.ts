/**
 * The output folder is the run's state, so running the same command again resumes wherever the
 * last run stopped (kill, crash, reboot) without the job database:
 *
 *   infer-manifest.json   what the rows mean: models (with weight sha256s), sampling, shard;
 *   parts/part-NNNNNN.jsonl  finished videos, one JSON line each, written every N videos
 *                            under a temporary name and renamed, so a part is whole or absent;
 *   the three CSVs        rendered from all parts at the end.
 *
 * A kill loses at most the videos since the last part; they are run again, and since parts
 * hold only whole videos and the CSVs are rendered sorted, the result is byte-identical.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { InferSampling, InferShard } from '../../../shared/infer';
import { describeJsonError } from '../workspace/describeContent';
import { folderOutput } from '../workspace/outputPaths';
import { ERRORS_CSV, MODELS_SIDECAR, PREDICTIONS_CSV, VIDEO_CSV, type VideoRecord } from './outputs';

export const MANIFEST_FILE = 'infer-manifest.json';
export const PARTS_DIR = 'parts';

export interface InferManifest {
  format: 1;
  models: { id: string; dimension: string; sha256: string; classes: string[]; preprocessing: unknown }[];
  sampling: InferSampling;
  shard: InferShard | null;
}

/**
 * The sidecar of the prediction CSVs: the model ids and the sha256 of their weights, in the
 * CSVs' column order, and the sampling. The CSVs keep the lab's columns (scripts read them), so
 * provenance sits beside them, is copied with them by `infer export`, and carries no time, so a
 * resumed run still writes byte-identical files.
 */
export function modelsSidecar(manifest: InferManifest): Record<string, string> {
  const body = {
    format: 1,
    describes: [PREDICTIONS_CSV, VIDEO_CSV],
    models: manifest.models.map((m) => ({ id: m.id, dimension: m.dimension, sha256: m.sha256, classes: m.classes })),
    sampling: manifest.sampling,
  };
  return { [MODELS_SIDECAR]: `${JSON.stringify(body, null, 2)}\n` };
}

/** The differences that make two runs' rows incompatible, in words; empty when compatible. */
export function manifestDifferences(before: InferManifest, now: InferManifest): string[] {
  const out: string[] = [];
  const describe = (m: InferManifest['models'][number]) => `${m.id} (sha256 ${m.sha256.slice(0, 12)}…)`;
  const a = before.models.map(describe).join(', ');
  const b = now.models.map(describe).join(', ');
  if (a !== b) out.push(`models were ${a}, now ${b}`);
  else if (JSON.stringify(before.models) !== JSON.stringify(now.models)) out.push("the models' classes or preprocessing changed");
  if (JSON.stringify(before.sampling) !== JSON.stringify(now.sampling))
    out.push(`sampling was ${JSON.stringify(before.sampling)}, now ${JSON.stringify(now.sampling)}`);
  if (JSON.stringify(before.shard) !== JSON.stringify(now.shard))
    out.push(`shard was ${JSON.stringify(before.shard)}, now ${JSON.stringify(now.shard)}`);
  return out;
}

/**
 * Whole or not at all, also across a power cut (a preempted VM): the data reaches the disk
 * before the rename makes it visible, and the rename reaches it before the next checkpoint.
 */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

export function readManifest(outDir: string): InferManifest | null {
  const file = path.join(outDir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as InferManifest;
  } catch (err) {
    throw new FramelabError('INVALID_INPUT', `${file} cannot be read: ${describeJsonError(err, text)}; run with --fresh to start over.`);
  }
}

/**
 * Prepares `outDir` for a run: starts it (or starts over with `fresh`), or checks that what it
 * holds came from the same models and sampling, and refuses otherwise. The folder is the
 * caller's choice: created when its parent exists (outputPaths rules); reusing it is a resume.
 */
export function openOutput(outDir: string, manifest: InferManifest, fresh: boolean): void {
  folderOutput(outDir);
  const existing = readManifest(outDir);
  if (existing && !fresh) {
    const diff = manifestDifferences(existing, manifest);
    if (diff.length) {
      throw new FramelabError(
        'CONFLICT',
        `${outDir} holds results of another run: ${diff.join('; ')}. Use another --out, or --fresh to discard them.`,
      );
    }
  }
  if (fresh || !existing) {
    fs.rmSync(path.join(outDir, PARTS_DIR), { recursive: true, force: true });
    for (const f of [PREDICTIONS_CSV, VIDEO_CSV, ERRORS_CSV]) fs.rmSync(path.join(outDir, f), { force: true });
  }
  fs.mkdirSync(path.join(outDir, PARTS_DIR), { recursive: true });
  writeAtomic(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Every video the folder's parts hold. A video in two parts (never written so) is an error. */
/** The part files of an output folder, in order. */
export function partFiles(outDir: string): string[] {
  const dir = path.join(outDir, PARTS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => /^part-\d+\.jsonl$/.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

/** One part file's videos. */
export function readPartFile(file: string): VideoRecord[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as VideoRecord;
    } catch (err) {
      throw new FramelabError('INVALID_INPUT', `${file} line ${i + 1}: ${describeJsonError(err, line)}.`);
    }
  });
}

/** Every part's videos, in part order; a video in two parts is refused (it would count twice). */
export function readParts(outDir: string, readPart: (file: string) => VideoRecord[] = readPartFile): VideoRecord[] {
  const seen = new Map<string, string>();
  const out: VideoRecord[] = [];
  for (const file of partFiles(outDir)) {
    const name = path.basename(file);
    for (const rec of readPart(file)) {
      const other = seen.get(rec.videoId);
      if (other) throw new FramelabError('CONFLICT', `Video ${rec.videoId} is in both ${other} and ${name}.`);
      seen.set(rec.videoId, name);
      out.push(rec);
    }
  }
  return out;
}

/** Saves finished videos as the next part (whole or not at all). */
export function writePart(outDir: string, records: readonly VideoRecord[]): string {
  const dir = path.join(outDir, PARTS_DIR);
  const numbers = fs
    .readdirSync(dir)
    .map((n) => /^part-(\d+)\.jsonl$/.exec(n))
    .filter(Boolean)
    .map((m) => Number(m![1]));
  const name = `part-${String((numbers.length ? Math.max(...numbers) : 0) + 1).padStart(6, '0')}.jsonl`;
  writeAtomic(path.join(dir, name), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return name;
}

export function writeCsvFiles(outDir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeAtomic(path.join(outDir, name), text);
}
