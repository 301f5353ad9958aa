/**
 * An output folder read back for the screens. The saved parts are the run's state (they hold
 * every finished video with its path, also while the run goes on or after it stopped); a
 * merged folder has only the CSVs. Both become the same index, cached until a file changes,
 * so paging and searching 15,000 videos does not re-read the folder on every call.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import type { InferErrorRow, InferFrameRow, InferModelInfo, ModelDistribution } from '../../../shared/inferResults';
import { parseCsv } from '../annotations/csv';
import { restoreFormulaText } from '../annotations/csvForPeople';
import { frameIdAt } from '../media/videoIds';
import { ERRORS_CSV, PREDICTIONS_CSV, VIDEO_CSV, slugClass, videoVote, type VideoRecord } from './outputs';
import { MANIFEST_FILE, partFiles, readManifest, readPartFile, readParts, type InferManifest } from './outputState';
import { compareIds } from './videoList';

const CSV_FILES = [PREDICTIONS_CSV, VIDEO_CSV, ERRORS_CSV] as const;

export interface IndexedVideo {
  videoId: string;
  path: string | null;
  nFrames: number;
  models: Record<string, { pred: string; share: number }>;
  frames(): InferFrameRow[];
  /** Each frame's predicted class of one model (the distribution counts these without building frame rows). */
  framePreds(dimension: string): string[];
}

export interface ResultsIndex {
  outDir: string;
  manifest: InferManifest;
  models: InferModelInfo[];
  source: 'parts' | 'csv';
  complete: boolean;
  videos: IndexedVideo[];
  byId: Map<string, IndexedVideo>;
  errors: InferErrorRow[];
  frames: number;
  distribution: ModelDistribution[];
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

/**
 * Parsed parts, by file and size/mtime. A part is written whole and never changed, so while a
 * run goes on, a new checkpoint costs parsing its own part only, not the whole folder again.
 */
const parsedParts = new Map<string, { stamp: string; records: VideoRecord[] }>();

function readPartMemo(file: string): VideoRecord[] {
  const st = fs.statSync(file);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const hit = parsedParts.get(file);
  if (hit?.stamp === stamp) return hit.records;
  const records = readPartFile(file);
  parsedParts.set(file, { stamp, records });
  return records;
}

/** Forgets the parsed parts of folders no longer in the index cache. */
function pruneParsedParts(keep: readonly string[]): void {
  for (const file of parsedParts.keys()) if (!keep.some((dir) => file.startsWith(dir + path.sep))) parsedParts.delete(file);
}

/** What the index depends on: a change in any of these files (or a new part) rebuilds it. */
function signature(outDir: string): string {
  const files = [path.join(outDir, MANIFEST_FILE), ...CSV_FILES.map((f) => path.join(outDir, f)), ...partFiles(outDir)];
  return files
    .map((f) => {
      const st = fs.statSync(f, { throwIfNoEntry: false });
      return st ? `${f}:${st.size}:${st.mtimeMs}` : `${f}:-`;
    })
    .join('|');
}

/** True when the three CSVs exist and were written after the last part (the run's closing step). */
function csvsComplete(outDir: string, parts: readonly string[]): boolean {
  const csvTimes = CSV_FILES.map((f) => fs.statSync(path.join(outDir, f), { throwIfNoEntry: false })?.mtimeMs);
  if (csvTimes.some((t) => t === undefined)) return false;
  const lastPart = Math.max(0, ...parts.map((p) => fs.statSync(p).mtimeMs));
  return Math.min(...(csvTimes as number[])) >= lastPart;
}

function fromParts(models: readonly InferModelInfo[], records: readonly VideoRecord[]): Pick<ResultsIndex, 'videos' | 'errors'> {
  const sorted = [...records].sort((a, b) => compareIds(a.videoId, b.videoId));
  const videos: IndexedVideo[] = sorted
    .filter((r) => !r.error && r.tenths.length > 0)
    .map((r) => ({
      videoId: r.videoId,
      path: r.path,
      nFrames: r.tenths.length,
      models: Object.fromEntries(
        models.map((m) => {
          const { pred, share } = videoVote(r.probabilities[m.dimension]!, m.classes.length);
          return [m.dimension, { pred: m.classes[pred]!, share }];
        }),
      ),
      framePreds: (dimension) => {
        const classes = models.find((m) => m.dimension === dimension)!.classes;
        return r.probabilities[dimension]!.map((p) => classes[argmax(p)]!);
      },
      frames: () =>
        r.tenths.map((t, i) => ({
          frameId: frameIdAt(r.videoId, t),
          timestampS: t / 10,
          models: Object.fromEntries(
            models.map((m) => {
              const p = r.probabilities[m.dimension]![i]!;
              const best = argmax(p);
              return [m.dimension, { pred: m.classes[best]!, conf: p[best]!, probabilities: [...p] }];
            }),
          ),
        })),
    }));
  const errors = sorted
    .filter((r) => r.error)
    .map((r) => ({ videoId: r.videoId, path: r.path, stage: r.error!.stage, reason: r.error!.reason }));
  return { videos, errors };
}

function readTable(file: string): { header: string[]; rows: string[][] } {
  const { records, problems } = parseCsv(fs.readFileSync(file, 'utf8'));
  if (problems.length) throw new FramelabError('INVALID_INPUT', `${file} row ${problems[0]!.record + 1}: ${problems[0]!.message}.`);
  const [header, ...rows] = records;
  if (!header) throw new FramelabError('INVALID_INPUT', `${file} is empty.`);
  return { header, rows };
}

function column(file: string, header: readonly string[], name: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new FramelabError('INVALID_INPUT', `${file} has no column ${name}: it does not match ${MANIFEST_FILE}.`);
  return i;
}

/** A merged folder: the CSVs are all there is (no paths for the videos that were read). */
function fromCsvs(outDir: string, models: readonly InferModelInfo[]): Pick<ResultsIndex, 'videos' | 'errors'> {
  const frameFile = path.join(outDir, PREDICTIONS_CSV);
  const videoFile = path.join(outDir, VIDEO_CSV);
  const errorFile = path.join(outDir, ERRORS_CSV);
  const frames = readTable(frameFile);
  const video = readTable(videoFile);
  const errs = readTable(errorFile);
  const byVideo = new Map<string, string[][]>();
  for (const row of frames.rows) {
    const list = byVideo.get(row[0]!) ?? [];
    list.push(row);
    byVideo.set(row[0]!, list);
  }
  const frameCols = models.map((m) => ({
    m,
    pred: column(frameFile, frames.header, `${m.dimension}_pred`),
    conf: column(frameFile, frames.header, `${m.dimension}_conf`),
    p: m.classes.map((c) => column(frameFile, frames.header, `${m.dimension}_p_${slugClass(c)}`)),
  }));
  const videoCols = models.map((m) => ({
    m,
    pred: column(videoFile, video.header, `${m.dimension}_pred`),
    share: column(videoFile, video.header, `${m.dimension}_share`),
  }));
  const ts = column(frameFile, frames.header, 'timestamp_s');
  const videos: IndexedVideo[] = video.rows.map((row) => {
    const videoId = row[0]!;
    const own = byVideo.get(videoId) ?? [];
    return {
      videoId,
      path: null,
      nFrames: Number(row[1]),
      models: Object.fromEntries(
        videoCols.map((c) => [c.m.dimension, { pred: restoreFormulaText(row[c.pred]!), share: Number(row[c.share]) }]),
      ),
      framePreds: (dimension) => {
        const col = frameCols.find((c) => c.m.dimension === dimension)!.pred;
        return own.map((f) => restoreFormulaText(f[col]!));
      },
      frames: () =>
        own.map((f) => ({
          frameId: f[1]!,
          timestampS: Number(f[ts]),
          models: Object.fromEntries(
            frameCols.map((c) => [
              c.m.dimension,
              { pred: restoreFormulaText(f[c.pred]!), conf: Number(f[c.conf]), probabilities: c.p.map((i) => Number(f[i])) },
            ]),
          ),
        })),
    };
  });
  // The CSVs are written for people (formula-like text has a leading '): show the original text.
  const errors = errs.rows.map((r) => ({
    videoId: r[0]!,
    path: restoreFormulaText(r[1]!),
    stage: restoreFormulaText(r[2]!),
    reason: restoreFormulaText(r[3]!),
  }));
  return { videos, errors };
}

function distributionOf(models: readonly InferModelInfo[], videos: readonly IndexedVideo[]): ModelDistribution[] {
  return models.map((m) => {
    const frames = new Map<string, number>(m.classes.map((c) => [c, 0]));
    const votes = new Map<string, number>(m.classes.map((c) => [c, 0]));
    for (const v of videos) {
      votes.set(v.models[m.dimension]!.pred, (votes.get(v.models[m.dimension]!.pred) ?? 0) + 1);
      for (const pred of v.framePreds(m.dimension)) frames.set(pred, (frames.get(pred) ?? 0) + 1);
    }
    return {
      dimension: m.dimension,
      modelId: m.id,
      classes: m.classes.map((c) => ({ name: c, frames: frames.get(c) ?? 0, videos: votes.get(c) ?? 0 })),
    };
  });
}

function build(outDir: string): ResultsIndex {
  const manifest = readManifest(outDir);
  if (!manifest) {
    throw new FramelabError(
      'NOT_FOUND',
      `${outDir} is not an inference output folder (no ${MANIFEST_FILE}): check the path, or start a run there.`,
    );
  }
  const models = manifest.models.map((m) => ({ id: m.id, dimension: m.dimension, classes: m.classes }));
  const parts = partFiles(outDir);
  const source = parts.length > 0 || !fs.existsSync(path.join(outDir, VIDEO_CSV)) ? 'parts' : 'csv';
  const { videos, errors } = source === 'parts' ? fromParts(models, readParts(outDir, readPartMemo)) : fromCsvs(outDir, models);
  return {
    outDir,
    manifest,
    models,
    source,
    complete: source === 'csv' || csvsComplete(outDir, parts),
    videos,
    byId: new Map(videos.map((v) => [v.videoId, v])),
    errors,
    frames: videos.reduce((s, v) => s + v.nFrames, 0),
    distribution: distributionOf(models, videos),
  };
}

const cache = new Map<string, { signature: string; index: ResultsIndex }>();
const CACHE_SIZE = 3;

/** The folder's index, rebuilt only when one of its files changed. */
export function resultsIndex(outDirInput: string): ResultsIndex {
  const outDir = path.resolve(outDirInput);
  if (!fs.existsSync(outDir)) throw new FramelabError('NOT_FOUND', `The output folder ${outDir} does not exist.`);
  const sig = signature(outDir);
  const hit = cache.get(outDir);
  if (hit && hit.signature === sig) return hit.index;
  const index = build(outDir);
  cache.delete(outDir);
  cache.set(outDir, { signature: sig, index });
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  pruneParsedParts([...cache.keys()]);
  return index;
}

export function indexedVideo(index: ResultsIndex, videoId: string): IndexedVideo {
  const video = index.byId.get(videoId);
  if (!video) {
    const failed = index.errors.find((e) => e.videoId === videoId);
    if (failed) throw new FramelabError('NOT_FOUND', `${videoId} could not be read (${failed.stage}: ${failed.reason}); it has no frames.`);
    throw new FramelabError('NOT_FOUND', `${index.outDir} has no video ${videoId}.`);
  }
  return video;
}
