/**
 * The three CSVs of a run, from finished videos: pure functions, so a resumed run and an
 * uninterrupted one format the same numbers into the same bytes. Rows are sorted by video id
 * (then time), whatever order the workers finished in.
 */
import { writeCsvForPeople } from '../annotations/csvForPeople';
import { frameIdAt } from '../media/videoIds';
import { compareIds } from './videoList';

export interface ModelColumns {
  dimension: string;
  classes: string[];
}

/** A video the run finished: its frames' probabilities per model, or why it could not be read. */
export interface VideoRecord {
  videoId: string;
  path: string;
  /** Sampled times in tenths of a second, ascending. */
  tenths: number[];
  /** Per dimension, one probability vector per frame (same order as tenths). */
  probabilities: Record<string, number[][]>;
  error: { stage: string; reason: string } | null;
}

export const PREDICTIONS_CSV = 'model_predictions.csv';
export const VIDEO_CSV = 'model_predictions_video.csv';
export const ERRORS_CSV = 'errors.csv';
/** Beside the CSVs: which model versions (ids and weight sha256s) made their probability columns. */
export const MODELS_SIDECAR = 'model_predictions.models.json';

/** "1st person" → "1st_person": lower case, anything but letters and digits becomes `_`. */
export function slugClass(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '_');
}

const p6 = (x: number) => x.toFixed(6);

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

export function frameHeader(models: readonly ModelColumns[]): string[] {
  const cols = ['video_id', 'frame_id', 'timestamp_s'];
  for (const m of models)
    cols.push(`${m.dimension}_pred`, `${m.dimension}_conf`, ...m.classes.map((c) => `${m.dimension}_p_${slugClass(c)}`));
  return cols;
}

export function videoHeader(models: readonly ModelColumns[]): string[] {
  const cols = ['video_id', 'n_frames'];
  for (const m of models)
    cols.push(`${m.dimension}_pred`, `${m.dimension}_share`, ...m.classes.map((c) => `${m.dimension}_mean_p_${slugClass(c)}`));
  return cols;
}

export function frameRows(models: readonly ModelColumns[], rec: VideoRecord): string[][] {
  return rec.tenths.map((t, i) => {
    const row = [rec.videoId, frameIdAt(rec.videoId, t), (t / 10).toFixed(1)];
    for (const m of models) {
      const p = rec.probabilities[m.dimension]![i]!;
      const best = argmax(p);
      row.push(m.classes[best]!, p6(p[best]!), ...p.map(p6));
    }
    return row;
  });
}

/**
 * Majority vote over the frames' predicted classes; a tie goes to the tied class with the
 * highest mean probability (then the earlier class). Share = votes for the winner / frames.
 */
export function videoVote(
  probabilities: readonly (readonly number[])[],
  classCount: number,
): { pred: number; share: number; mean: number[] } {
  const votes = new Array<number>(classCount).fill(0);
  const mean = new Array<number>(classCount).fill(0);
  for (const p of probabilities) {
    votes[argmax(p)]!++;
    for (let k = 0; k < classCount; k++) mean[k]! += p[k]!;
  }
  for (let k = 0; k < classCount; k++) mean[k]! /= probabilities.length;
  let pred = 0;
  for (let k = 1; k < classCount; k++) {
    if (votes[k]! > votes[pred]! || (votes[k] === votes[pred] && mean[k]! > mean[pred]!)) pred = k;
  }
  return { pred, share: votes[pred]! / probabilities.length, mean };
}

export function videoRow(models: readonly ModelColumns[], rec: VideoRecord): string[] {
  const row = [rec.videoId, String(rec.tenths.length)];
  for (const m of models) {
    const { pred, share, mean } = videoVote(rec.probabilities[m.dimension]!, m.classes.length);
    row.push(m.classes[pred]!, p6(share), ...mean.map(p6));
  }
  return row;
}

/** The three files' contents for `records` (any order in, sorted out). */
export function renderCsvs(models: readonly ModelColumns[], records: readonly VideoRecord[]): Record<string, string> {
  const sorted = [...records].sort((a, b) => compareIds(a.videoId, b.videoId));
  const ok = sorted.filter((r) => !r.error);
  return {
    // Read by people in a spreadsheet: class names, paths and reasons are neutralised (the
    // results reader restores them); video_id and frame_id stay raw, being the keys scripts
    // join on, and probabilities are numbers.
    [PREDICTIONS_CSV]: writeCsvForPeople(
      frameHeader(models),
      ok.flatMap((r) => frameRows(models, r)),
      ['video_id', 'frame_id'],
    ),
    [VIDEO_CSV]: writeCsvForPeople(
      videoHeader(models),
      ok.map((r) => videoRow(models, r)),
      ['video_id'],
    ),
    [ERRORS_CSV]: writeCsvForPeople(
      ['video_id', 'path', 'stage', 'reason'],
      sorted.filter((r) => r.error).map((r) => [r.videoId, r.path, r.error!.stage, r.error!.reason]),
      ['video_id'],
    ),
  };
}
