import { writeCsv } from '../annotations/csv';
import { splitFrameId, toTenths } from '../media/videoIds';
import { codeKey, readSheet, rowTime, SEP, type Sheet, type SheetRow } from './annotationSheet';
import {
  mergedCells,
  mergedRecords,
  outputLayout,
  overlapFrames,
  unchangedCells,
  type Layout,
  type Location,
  type MergedRow,
  type RowCodes,
  type RowSides,
} from './mergedFile';

export { codeKey, rowKey } from './annotationSheet';

/**
 * The three-way merge of one sync round, pure: the bucket's annotations.csv as downloaded
 * (remote), as it was after the last round that reached it (base), and the local codes with the
 * keys edited locally since that round. Per frame × coder × dimension:
 *
 * - changed in the bucket only (remote ≠ base): the bucket's value is applied locally;
 * - edited locally only: the local value goes up;
 * - both (and different): a conflict; the newer edit wins (a tie goes to the bucket, the
 *   truth), the loser stays in the history and the conflict is listed for the lead;
 * - a blank cell or a missing row in the bucket is no information: it never deletes a local
 *   code, and a local code the bucket lost is written back (the union is kept);
 * - an undo that removed a code locally stays local (the bucket keeps the value; the frame
 *   comes back to its coder, whose next save goes up as usual).
 *
 * The merged file is the lab's shape (frame_id, video_id, timestamp_s, coder, each dimension,
 * coded_at), rows by frame_id then coder, followed by every column other scripts added, kept
 * row by row. A row nobody changed is written back exactly as it was, so a round where nothing
 * changed produces the very same text and uploads nothing.
 */

export interface LocalCode {
  value: string;
  /** ISO time of the edit (codes.coded_at). */
  at: string;
}

export interface LocalRow {
  videoId: string;
  seconds: number;
  codes: Map<string, LocalCode>;
}

export interface MergeInput {
  /** The codebook's dimensions, in order. */
  dimensions: readonly string[];
  remoteText: string | null;
  /** The object's update time: the edit time of a row without coded_at. */
  remoteUpdated: string | null;
  baseText: string | null;
  /** frame_id \0 coder → local codes. */
  local: ReadonlyMap<string, LocalRow>;
  /** frame_id \0 coder \0 dimension, for codes edited locally since the last round. */
  edited: ReadonlySet<string>;
}

export interface ApplyCode {
  frameId: string;
  coderId: string;
  dimension: string;
  value: string;
  /** The local value the merge saw; the write is skipped if the code changed since. */
  before: string | null;
  at: string;
  /** From the row or the frame id; null when neither says (then only a known frame can take it). */
  videoId: string | null;
  tenths: number | null;
}

export interface MergeConflict {
  frameId: string;
  coder: string;
  dimension: string;
  local: string | null;
  remote: string | null;
  applied: string | null;
  localAt: string | null;
  remoteAt: string | null;
  /** True when the local value won (the bucket's value goes into the history only). */
  keptLocal: boolean;
}

export interface BlankCell {
  frameId: string;
  coderId: string;
  dimension: string;
  videoId: string | null;
  tenths: number | null;
}

export interface MergeResult {
  text: string;
  /** Data rows downloaded. */
  rowsIn: number;
  /** Data rows in the merged file. */
  rowsOut: number;
  /** The merged text differs from the bucket's: it must be uploaded. */
  changed: boolean;
  apply: ApplyCode[];
  conflicts: MergeConflict[];
  /** Blank cells in the bucket where no local code exists: re-code entries for their coder. */
  blanks: BlankCell[];
  /** Frames with rows from two or more coders (the overlap set). */
  overlap: Set<string>;
  problems: string[];
}

const EPOCH = '1970-01-01T00:00:00.000Z';

function frameOf(frameId: string, videoText: string, timeText: string): Location {
  const fromId = splitFrameId(frameId);
  const seconds = /^\d+(\.\d+)?$/.test(timeText) ? Number(timeText) : NaN;
  return {
    videoId: videoText || fromId?.videoId || null,
    tenths: Number.isFinite(seconds) ? toTenths(seconds) : (fromId?.tenths ?? null),
  };
}

export function mergeAnnotations(input: MergeInput): MergeResult {
  const remote = readSheet(input.remoteText, input.dimensions, 'bucket');
  const base = input.baseText === input.remoteText ? remote : readSheet(input.baseText, input.dimensions, 'base');
  const layout = outputLayout(remote, input.dimensions);
  const result: MergeResult = {
    text: '',
    rowsIn: remote.rowsIn,
    rowsOut: 0,
    changed: false,
    apply: [],
    conflicts: [],
    blanks: [],
    overlap: new Set(),
    problems: remote.problems,
  };
  const rows = mergeRows(input, remote, base, layout, result);
  result.overlap = overlapFrames(rows);
  const records = mergedRecords(rows, remote, layout.header);
  result.rowsOut = records.length - 1;
  result.text = writeCsv(records);
  result.changed = input.remoteText === null ? result.rowsOut > 0 : result.text !== input.remoteText;
  return result;
}

/** Every frame × coder in the bucket or the local store, merged; a row with no code on either side is left out. */
function mergeRows(input: MergeInput, remote: Sheet, base: Sheet, layout: Layout, result: MergeResult): MergedRow[] {
  const keys = new Set<string>([...remote.rows.keys(), ...input.local.keys()]);
  const remoteTime = input.remoteUpdated ?? EPOCH;
  const codes: RowCodes = { values: new Array(input.dimensions.length), times: new Array(input.dimensions.length) };
  const out: MergedRow[] = [];
  for (const key of keys) {
    const sides = rowSides(key, remote.rows.get(key), base.rows.get(key), input.local.get(key), remoteTime, layout);
    const { sameAsRemote, anyCode } = mergeCodes(input, sides, codes, result);
    if (!sides.r && !anyCode) continue;
    const cells = sides.r && sameAsRemote ? unchangedCells(layout, sides.r, sides, anyCode) : mergedCells(layout, sides, codes);
    out.push({ frameId: sides.frameId, coderId: sides.coderId, cells });
  }
  return out;
}

function rowSides(
  key: string,
  r: SheetRow | undefined,
  b: SheetRow | undefined,
  l: LocalRow | undefined,
  remoteTime: string,
  layout: Layout,
): RowSides {
  const sep = key.indexOf(SEP);
  const frameId = key.slice(0, sep);
  const coderId = key.slice(sep + 1);
  const videoText = r ? (r.record[layout.videoColumn] ?? '').trim() : '';
  const timeText = r ? (r.record[layout.timeColumn] ?? '').trim() : '';
  let located: Location | undefined;
  return {
    frameId,
    coderId,
    r,
    b,
    l,
    rowAt: r ? (rowTime(r) ?? remoteTime) : remoteTime,
    videoText,
    timeText,
    where: () => (located ??= r ? frameOf(frameId, videoText, timeText) : { videoId: l!.videoId, tenths: toTenths(l!.seconds) }),
  };
}

/**
 * The three-way merge of one row's codes, dimension by dimension (the rules at the top of this
 * file), into `codes`; what is to be applied locally, the conflicts and the blank cells go into
 * `result`. Says whether the row came out as the bucket has it, and whether it holds any code.
 */
function mergeCodes(input: MergeInput, sides: RowSides, codes: RowCodes, result: MergeResult): { sameAsRemote: boolean; anyCode: boolean } {
  const { dimensions, edited } = input;
  const { frameId, coderId, r, b, l, rowAt, where } = sides;
  let sameAsRemote = r !== undefined;
  let anyCode = false;
  for (let k = 0; k < dimensions.length; k++) {
    const d = dimensions[k]!;
    const R = r?.values.get(d) ?? null;
    const B = b?.values.get(d) ?? null;
    const lc = l?.codes.get(d);
    const L = lc?.value ?? null;
    const E = edited.size > 0 && edited.has(codeKey(frameId, coderId, d));
    const remoteChanged = R !== null && R !== B;
    let value: string | null;
    let at: string | null;
    const take = (v: string) => result.apply.push({ frameId, coderId, dimension: d, value: v, before: L, at: rowAt, ...where() });
    if (E && L !== null) {
      if (remoteChanged && R !== L) {
        const localWins = lc!.at > rowAt;
        value = localWins ? L : R;
        at = localWins ? lc!.at : rowAt;
        if (!localWins) take(R);
        result.conflicts.push({
          frameId,
          coder: coderId,
          dimension: d,
          local: L,
          remote: R,
          applied: value,
          localAt: lc!.at,
          remoteAt: r ? rowTime(r) : input.remoteUpdated,
          keptLocal: localWins,
        });
      } else {
        value = L;
        at = R === L ? rowAt : lc!.at;
      }
    } else if (R !== null) {
      value = R;
      at = rowAt;
      // Changed in the bucket: applied here. Unchanged there but absent here: a local undo, kept local.
      if (remoteChanged && R !== L) take(R);
    } else if (L !== null && !E) {
      value = L; // the bucket lost it (a blank cell, a missing row): write it back
      at = lc!.at;
    } else {
      value = null;
      at = null;
      if (r && r.values.has(d) && L === null) result.blanks.push({ frameId, coderId, dimension: d, ...where() });
    }
    codes.values[k] = value;
    codes.times[k] = at;
    if (value !== null) anyCode = true;
    if (value !== R) sameAsRemote = false;
  }
  return { sameAsRemote, anyCode };
}
