import { FramelabError } from '../../../shared/errors';
import { column, pearsonR } from './correlate';
import type { Matrix } from './normalize';

/**
 * Feature selection by correlation with the target on the TRAINING rows (the spec selects on
 * every row, which lets the held-out rows choose the features that will predict them; issue
 * 19: never): drop |r| < `prune` when set, keep the `top` largest |r|, ties by column (=
 * name) order. Constant columns have no r and are never selected. Returned in column order.
 */
export interface SelectionOptions {
  top: number;
  prune: number | null;
}

export interface Selection {
  columns: number[];
  /** r of each selected column, same order. */
  r: number[];
}

export function selectByCorrelation(x: Matrix, y: ArrayLike<number>, opts: SelectionOptions): Selection {
  const candidates: { j: number; r: number }[] = [];
  for (let j = 0; j < x.cols; j++) {
    const r = pearsonR(column(x, j), y);
    if (r === null) continue;
    if (opts.prune !== null && Math.abs(r) < opts.prune) continue;
    candidates.push({ j, r });
  }
  if (!candidates.length) {
    throw new FramelabError(
      'INVALID_INPUT',
      opts.prune !== null
        ? `no feature has |r| ≥ ${opts.prune} with the ratings on the training rows; lower the pruning threshold or add ratings.`
        : 'every feature is constant on the training rows (or the ratings are all equal): there is nothing to learn from; add ratings.',
    );
  }
  candidates.sort((a, b) => Math.abs(b.r) - Math.abs(a.r) || a.j - b.j);
  const kept = candidates.slice(0, opts.top).sort((a, b) => a.j - b.j);
  return { columns: kept.map((c) => c.j), r: kept.map((c) => c.r) };
}
