import { FramelabError } from '../../../../shared/errors';

/**
 * Non-finite numbers (NaN, ±Infinity) caught before a suite trains. A NaN in one embedding
 * spreads through every model that sees it (Ridge's solve, an MLP's loss) and comes out as a
 * NaN metric, or a leaderboard that quietly ranks a broken model; an Infinity target makes
 * every metric Infinity. Each check names the file, the video and the column or dimension of
 * the first bad value and counts the others, so the user can fix the export that made them.
 */

const describe = (v: number) => (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');

function fail(message: string, details: Record<string, unknown>): never {
  throw new FramelabError('INVALID_INPUT', message, details);
}

/** The first dimension of `vector` that is NaN or ±Infinity, or -1. */
export function firstNonFinite(vector: ArrayLike<number>): number {
  for (let k = 0; k < vector.length; k++) if (!Number.isFinite(vector[k]!)) return k;
  return -1;
}

/** "NaN at dimension 3 (0-based)" for a message, or null when the vector is finite. */
export function nonFiniteProblem(vector: ArrayLike<number>): string | null {
  const k = firstNonFinite(vector);
  return k < 0 ? null : `${describe(vector[k]!)} at dimension ${k} (0-based)`;
}

const more = (count: number, what: string) => (count > 1 ? ` (${count - 1} more ${what} too)` : '');

/**
 * Every vector of `rows` (row index into `data`, with its video id) is finite, or INVALID_INPUT
 * naming `source`, the first video and its dimension (0-based, as numpy indexes it).
 */
export function assertFiniteVectors(
  data: Float64Array | Float32Array,
  dim: number,
  rows: Iterable<{ row: number; id: string }>,
  source: string,
): void {
  let first: { id: string; row: number; k: number; value: number } | null = null;
  let bad = 0;
  for (const { row, id } of rows) {
    const base = row * dim;
    for (let k = 0; k < dim; k++) {
      const v = data[base + k]!;
      if (Number.isFinite(v)) continue;
      bad++;
      first ??= { id, row, k, value: v };
      break;
    }
  }
  if (!first) return;
  fail(
    `${source}: video "${first.id}" (row ${first.row + 1}) has ${describe(first.value)} at dimension ${first.k} (0-based) of its ${dim}-d embedding${more(bad, 'videos have non-finite values')}; ` +
      'embeddings must be finite numbers: fix or recompute them, then run again.',
    { file: source, videoId: first.id, row: first.row + 1, dimension: first.k, videos: bad },
  );
}

/**
 * A numeric metadata column over the rows a run uses: ±Infinity is refused, and so is NaN
 * unless `allowNaN` (a feature's missing value, imputed by the pipeline). `nanInFile` marks
 * the rows whose NaN was written in the file (e.g. "nan"), not an empty cell.
 */
export function assertFiniteColumn(
  values: Float64Array,
  ids: readonly string[],
  options: { file: string; column: string; purpose: string; allowNaN: boolean; nanInFile?: ReadonlySet<number>; fix: string },
): void {
  let first = -1;
  let bad = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const isBad = Number.isNaN(v) ? !options.allowNaN && (options.nanInFile?.has(i) ?? true) : !Number.isFinite(v);
    if (!isBad) continue;
    bad++;
    if (first < 0) first = i;
  }
  if (first < 0) return;
  fail(
    `${options.file}: video "${ids[first]}" has ${options.column} = ${describe(values[first]!)} (${options.purpose})${more(bad, 'rows do')}; ${options.fix}`,
    { file: options.file, videoId: ids[first], column: options.column, rows: bad },
  );
}
