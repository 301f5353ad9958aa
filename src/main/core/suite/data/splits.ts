import { FramelabError } from '../../../../shared/errors';
import { seededShuffle } from '../../random';

/**
 * Train/val/test splits and K-fold CV. Every split is a list of row indices into the
 * dataset; the manifest (video_id → split) is what a run saves, so a split can be audited
 * and reproduced. Seeds go through mulberry32 (src/main/core/random.ts).
 */
export type SplitName = 'train' | 'val' | 'test';
export interface Split {
  train: number[];
  val: number[];
  test: number[];
}

/** The lab's floor: fewer rows cannot give three non-empty, meaningful splits. */
export const MIN_SPLIT_ROWS = 12;

function checkRatios(ratios: readonly [number, number, number]): void {
  const sum = ratios[0] + ratios[1] + ratios[2];
  if (ratios.some((r) => !(r > 0)) || Math.abs(sum - 1) > 1e-9) {
    throw new FramelabError('INVALID_INPUT', `split ratios ${JSON.stringify(ratios)} must be three positive numbers summing to 1.`);
  }
}

function checkRows(n: number, what: string): void {
  if (n < MIN_SPLIT_ROWS) {
    throw new FramelabError('INVALID_INPUT', `${what} needs at least ${MIN_SPLIT_ROWS} rows; the dataset has ${n}.`);
  }
}

/**
 * Sizes for n items: val and test get round(n·ratio) but at least 1, train the rest; so
 * every split is non-empty whatever the ratios.
 */
export function splitSizes(n: number, ratios: readonly [number, number, number]): [number, number, number] {
  const val = Math.max(1, Math.round(n * ratios[1]));
  const test = Math.max(1, Math.round(n * ratios[2]));
  const train = n - val - test;
  if (train < 1) throw new FramelabError('INVALID_INPUT', `${n} items are too few for a train/val/test split.`);
  return [train, val, test];
}

function cut(order: number[], sizes: [number, number, number]): Split {
  const [a, b] = sizes;
  const sorted = (xs: number[]) => xs.sort((x, y) => x - y);
  return { train: sorted(order.slice(0, a)), val: sorted(order.slice(a, a + b)), test: sorted(order.slice(a + b)) };
}

/** Seeded random split of rows. */
export function randomSplit(n: number, ratios: readonly [number, number, number], seed: number): Split {
  checkRatios(ratios);
  checkRows(n, 'A random split');
  const order = seededShuffle(
    Array.from({ length: n }, (_, i) => i),
    seed,
  );
  return cut(order, splitSizes(n, ratios));
}

/** A chronological split with what it achieved: cuts fall between distinct times only, so the ratios can differ from the asked ones. */
export interface TimeSplit extends Split {
  /** Distinct values of the time column. */
  distinct: number;
  /** The last time in train, the first and last in val, the first in test. */
  bounds: { trainEnd: number; valStart: number; valEnd: number; testStart: number };
}

/**
 * Chronological split: the oldest rows train, the newest test, so no model sees the future
 * of the rows it is scored on (the random split leaks across time). Rows sharing a time are
 * one block that never straddles a cut (a tie split by row order would put rows captured at
 * the same moment on both sides, and an all-equal column would silently become a row-order
 * split); the two cuts are the block boundaries closest to the asked sizes, so the achieved
 * ratios (recorded by the run) can differ from the asked ones. Fewer distinct times than
 * splits is refused.
 */
export function timeSplit(
  times: readonly number[],
  ratios: readonly [number, number, number],
  column: string,
  opts: { source?: string; format?: (t: number) => string } = {},
): TimeSplit {
  checkRatios(ratios);
  checkRows(times.length, 'A chronological split');
  const where = opts.source ? ` of ${opts.source}` : '';
  const format = opts.format ?? String;
  times.forEach((t, i) => {
    if (!Number.isFinite(t)) throw new FramelabError('INVALID_INPUT', `row ${i + 1} has no usable ${column} for a chronological split.`);
  });
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  // Block boundaries: after[k] = rows before the k-th distinct time (after[0] = 0, after[B] = n).
  const after = [0];
  for (let i = 1; i < order.length; i++) if (times[order[i]!] !== times[order[i - 1]!]) after.push(i);
  after.push(order.length);
  const blocks = after.length - 1;
  if (blocks < 3) {
    const values = [...new Set(times)].sort((a, b) => a - b).map(format);
    throw new FramelabError(
      'INVALID_INPUT',
      `A chronological split by "${column}"${where} needs at least 3 distinct times (one per split: train, val, test), because rows sharing a time always go to the same split; the ${times.length} rows have ${blocks} (${values.join(', ')}). Use a time column with finer values (e.g. the capture's date and time, not only its day), or a random or grouped split.`,
      { column, distinct: blocks },
    );
  }
  const [trainSize, valSize] = splitSizes(times.length, ratios);
  const t1 = trainSize;
  const t2 = trainSize + valSize;
  // c1, c2: block boundaries (1 ≤ c1 < c2 ≤ blocks − 1) with after[c1], after[c2] closest to t1, t2.
  // after[] is increasing, so for a given c2 the best c1 is the overall closest one clamped below c2.
  let best1 = 1;
  for (let c = 1; c <= blocks - 2; c++) if (Math.abs(after[c]! - t1) < Math.abs(after[best1]! - t1)) best1 = c;
  let c1 = 1;
  let c2 = 2;
  let cost = Infinity;
  for (let c = 2; c <= blocks - 1; c++) {
    const b1 = Math.min(best1, c - 1);
    const e = Math.abs(after[b1]! - t1) + Math.abs(after[c]! - t2);
    if (e < cost) [c1, c2, cost] = [b1, c, e];
  }
  const [a, b] = [after[c1]!, after[c2]!];
  const split = cut(order, [a, b - a, order.length - b]);
  const at = (i: number) => times[order[i]!]!;
  return { ...split, distinct: blocks, bounds: { trainEnd: at(a - 1), valStart: at(a), valEnd: at(b - 1), testStart: at(b) } };
}

/** Rows and achieved ratios of a train/val/test split (what the run records beside the asked ratios). */
export function splitSummary(split: Split): { rows: Record<SplitName, number>; ratios: Record<SplitName, number> } {
  const n = split.train.length + split.val.length + split.test.length;
  const rows = { train: split.train.length, val: split.val.length, test: split.test.length };
  const ratio = (k: number) => Math.round((k / n) * 1e4) / 1e4;
  return { rows, ratios: { train: ratio(rows.train), val: ratio(rows.val), test: ratio(rows.test) } };
}

/**
 * Grouped split: whole groups (channels) go to one split, so a channel seen in training never
 * appears in val or test. Groups are shuffled with the seed and filled in that order until a
 * split holds its share of rows.
 */
export function groupSplit(groups: readonly string[], ratios: readonly [number, number, number], seed: number, column: string): Split {
  checkRatios(ratios);
  checkRows(groups.length, 'A grouped split');
  const byGroup = groupRows(groups);
  const keys = [...byGroup.keys()].sort();
  if (keys.length < 3) {
    throw new FramelabError('INVALID_INPUT', `A grouped split by ${column} needs at least 3 distinct values; the data has ${keys.length}.`);
  }
  const order = seededShuffle(keys, seed);
  const n = groups.length;
  const targetVal = Math.max(1, Math.round(n * ratios[1]));
  const targetTest = Math.max(1, Math.round(n * ratios[2]));
  const split: Split = { train: [], val: [], test: [] };
  // The last groups of the shuffled order fill test, then val; the rest train. One group
  // is always kept for each of val and test, and at least one for train.
  let i = order.length - 1;
  while (i >= 2 && (split.test.length === 0 || split.test.length < targetTest)) split.test.push(...byGroup.get(order[i--]!)!);
  while (i >= 1 && (split.val.length === 0 || split.val.length < targetVal)) split.val.push(...byGroup.get(order[i--]!)!);
  for (; i >= 0; i--) split.train.push(...byGroup.get(order[i]!)!);
  for (const k of ['train', 'val', 'test'] as const) split[k].sort((a, b) => a - b);
  return split;
}

export function groupRows(groups: readonly string[]): Map<string, number[]> {
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const rows = byGroup.get(g);
    if (rows) rows.push(i);
    else byGroup.set(g, [i]);
  });
  return byGroup;
}

export interface Fold {
  train: number[];
  test: number[];
}

/**
 * Plain K-fold in row order, the layout of sklearn's KFold(k) without shuffling: the first
 * n % k folds get one extra row. With a seed the rows are shuffled first (ours, not numpy's).
 */
export function kFold(n: number, k: number, seed: number | null = null): Fold[] {
  if (!Number.isInteger(k) || k < 2 || k > n)
    throw new FramelabError('INVALID_INPUT', `K-fold needs 2 ≤ k ≤ rows; got k=${k} for ${n} rows.`);
  const order =
    seed === null
      ? Array.from({ length: n }, (_, i) => i)
      : seededShuffle(
          Array.from({ length: n }, (_, i) => i),
          seed,
        );
  const folds: Fold[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    const test = order.slice(start, start + size).sort((a, b) => a - b);
    const inTest = new Set(test);
    folds.push({ train: order.filter((i) => !inTest.has(i)).sort((a, b) => a - b), test });
    start += size;
  }
  return folds;
}

/**
 * Grouped K-fold: every group lands in exactly one test fold. Groups are placed largest
 * first into the currently smallest fold (sklearn GroupKFold's rule), ties by name.
 */
export function groupKFold(groups: readonly string[], k: number, column: string): Fold[] {
  const byGroup = groupRows(groups);
  if (!Number.isInteger(k) || k < 2 || k > byGroup.size) {
    throw new FramelabError('INVALID_INPUT', `Grouped K-fold needs 2 ≤ k ≤ distinct ${column} values; got k=${k} for ${byGroup.size}.`);
  }
  const keys = [...byGroup.keys()].sort((a, b) => byGroup.get(b)!.length - byGroup.get(a)!.length || (a < b ? -1 : a > b ? 1 : 0));
  const tests: number[][] = Array.from({ length: k }, () => []);
  for (const key of keys) {
    let smallest = 0;
    for (let f = 1; f < k; f++) if (tests[f]!.length < tests[smallest]!.length) smallest = f;
    tests[smallest]!.push(...byGroup.get(key)!);
  }
  return tests.map((test) => {
    const inTest = new Set(test);
    return { train: groups.map((_, i) => i).filter((i) => !inTest.has(i)), test: test.sort((a, b) => a - b) };
  });
}

/** The manifest a run saves: one line per row, in dataset order. */
/**
 * Per row, the spec's manifest columns beside the split (§5): text_present (1/0; empty when
 * the run has no text information), target_raw (the target column as read) and target_log
 * (log1p of it; empty where log1p is undefined, a raw value ≤ −1).
 */
export interface ManifestRows {
  textPresent: ArrayLike<number> | null;
  targetRaw: ArrayLike<number>;
}

const MANIFEST_EXTRA = 'text_present,target_log,target_raw';

function manifestLine(id: string, label: string | number, rows: ManifestRows | undefined, i: number): string {
  if (!rows) return `${csvCell(id)},${label}`;
  const flag = rows.textPresent ? rows.textPresent[i]! : NaN;
  const raw = rows.targetRaw[i]!;
  const log = raw > -1 ? Math.log1p(raw) : NaN;
  const cell = (v: number) => (Number.isFinite(v) ? String(v) : '');
  return `${csvCell(id)},${label},${cell(flag)},${cell(log)},${cell(raw)}`;
}

/** split_manifest.csv of a train/val/test run: video_id,split[,text_present,target_log,target_raw]. */
export function splitManifestCsv(ids: readonly string[], split: Split, rows?: ManifestRows): string {
  const label = new Array<SplitName | ''>(ids.length).fill('');
  for (const name of ['train', 'val', 'test'] as const) for (const i of split[name]) label[i] = name;
  const header = rows ? `video_id,split,${MANIFEST_EXTRA}` : 'video_id,split';
  return [header, ...ids.map((id, i) => manifestLine(id, label[i]!, rows, i))].join('\n') + '\n';
}

/** split_manifest.csv of a K-fold run: video_id,fold[,text_present,target_log,target_raw] (fold 0-based). */
export function foldManifestCsv(ids: readonly string[], foldOf: readonly number[], rows?: ManifestRows): string {
  const header = rows ? `video_id,fold,${MANIFEST_EXTRA}` : 'video_id,fold';
  return [header, ...ids.map((id, i) => manifestLine(id, foldOf[i]!, rows, i))].join('\n') + '\n';
}

/**
 * Which row went where, from a split_manifest.csv: its video_id and split/fold columns only,
 * so runs compare by their split whether or not their manifest has the per-row target columns.
 */
export function manifestAssignment(csv: string): string {
  const lines = csv.split('\n');
  if (!lines[0]!.endsWith(`,${MANIFEST_EXTRA}`)) return csv;
  // The three added cells are numbers or empty (never quoted): drop them from the end of each line.
  return lines.map((line) => (line ? line.replace(/(,[^,]*){3}$/, '') : line)).join('\n');
}

export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
