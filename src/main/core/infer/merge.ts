/**
 * `infer merge`: the CSVs of the shards of one run (same models, same sampling, shards K/N of
 * the same N) into one output folder, equal to what an unsharded run writes. Refuses a video
 * that is in two shards, shards of different runs, and a missing or repeated shard.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { parseCsv, writeCsv } from '../annotations/csv';
import { checkFolderOutput, folderOutput } from '../workspace/outputPaths';
import { ERRORS_CSV, PREDICTIONS_CSV, VIDEO_CSV } from './outputs';
import { MANIFEST_FILE, manifestDifferences, modelsSidecar, readManifest, writeCsvFiles, type InferManifest } from './outputState';
import { compareIds } from './videoList';

export interface MergeResult {
  videos: number;
  frames: number;
  errors: number;
  outDir: string;
  shards: number;
}

function readCsv(file: string): { header: string[]; rows: string[][] } {
  if (!fs.existsSync(file)) throw new FramelabError('NOT_FOUND', `${file} is missing: did that shard finish?`);
  const { records, problems } = parseCsv(fs.readFileSync(file, 'utf8'));
  if (problems.length)
    throw new FramelabError(
      'INVALID_INPUT',
      `${file} row ${problems[0]!.record + 1}, field ${problems[0]!.field + 1}: ${problems[0]!.message}.`,
    );
  const [header, ...rows] = records;
  if (!header) throw new FramelabError('INVALID_INPUT', `${file} is empty.`);
  return { header, rows };
}

export function mergeShards(outDir: string, shardDirs: readonly string[]): MergeResult {
  if (!shardDirs.length) throw new FramelabError('INVALID_INPUT', 'infer merge needs at least one shard folder.');
  checkFolderOutput(outDir);
  const manifests = shardDirs.map((dir) => {
    const m = readManifest(dir);
    if (!m) throw new FramelabError('NOT_FOUND', `${path.join(dir, MANIFEST_FILE)} is missing: ${dir} is not an inference output folder.`);
    return m;
  });
  const first = manifests[0]!;
  const count = first.shard?.count ?? 1;
  const indices = new Map<number, string>();
  manifests.forEach((m, i) => {
    const diff = manifestDifferences({ ...first, shard: null }, { ...m, shard: null });
    if (diff.length) throw new FramelabError('CONFLICT', `${shardDirs[i]} is from another run than ${shardDirs[0]}: ${diff.join('; ')}.`);
    const shard = m.shard ?? { index: 0, count: 1 };
    if (shard.count !== count)
      throw new FramelabError('CONFLICT', `${shardDirs[i]} is shard ${shard.index}/${shard.count}, ${shardDirs[0]} is one of ${count}.`);
    const other = indices.get(shard.index);
    if (other) throw new FramelabError('CONFLICT', `${other} and ${shardDirs[i]} are both shard ${shard.index}/${count}.`);
    indices.set(shard.index, shardDirs[i]!);
  });
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !indices.has(k));
  if (missing.length)
    throw new FramelabError(
      'INVALID_INPUT',
      `Shard(s) ${missing.map((k) => `${k}/${count}`).join(', ')} are missing: every video must appear once.`,
    );

  const merged: Record<string, string> = {};
  const owner = new Map<string, { dir: string; file: string }>();
  let frames = 0;
  for (const name of [VIDEO_CSV, ERRORS_CSV, PREDICTIONS_CSV]) {
    let header: string[] | null = null;
    const rows: string[][] = [];
    for (const dir of shardDirs) {
      const file = path.join(dir, name);
      const csv = readCsv(file);
      if (header && csv.header.join(',') !== header.join(','))
        throw new FramelabError('CONFLICT', `${file} has other columns than ${path.join(shardDirs[0]!, name)}.`);
      header = csv.header;
      csv.rows.forEach((row, i) => {
        // Videos are counted once, from the per-video and errors files; frames follow their video.
        if (name !== PREDICTIONS_CSV) {
          const other = owner.get(row[0]!);
          if (other) throw new FramelabError('CONFLICT', `Video ${row[0]} appears twice: in ${other.file} and in ${file} row ${i + 2}.`);
          owner.set(row[0]!, { dir, file });
        } else if (owner.get(row[0]!)?.dir !== dir) {
          throw new FramelabError('CONFLICT', `${file} row ${i + 2} has frames of ${row[0]}, which ${dir} has no per-video row for.`);
        }
      });
      rows.push(...csv.rows);
    }
    if (name === PREDICTIONS_CSV) frames = rows.length;
    // Stable sort: a video's rows stay in their shard's (time) order.
    rows.sort((a, b) => compareIds(a[0]!, b[0]!));
    merged[name] = writeCsv([header!, ...rows]);
  }
  folderOutput(outDir);
  writeCsvFiles(outDir, { ...merged, ...modelsSidecar(first) });
  const manifest: InferManifest & { mergedFrom: string[] } = { ...first, shard: null, mergedFrom: shardDirs.map((d) => path.resolve(d)) };
  fs.writeFileSync(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const errors = parseCsv(merged[ERRORS_CSV]!).records.length - 1;
  return { videos: owner.size, frames, errors, outDir: path.resolve(outDir), shards: shardDirs.length };
}
