import { kFold } from '../data/splits';

/**
 * Guest (channel/creator) means of the log target, leakage-safe (docs/reference.md §5): computed on
 * training rows only; a guest never seen in training gets the global mean; optionally each
 * guest's mean is shrunk toward the global mean by its count:
 *   m_g = (Σ_g y + k·ȳ) / (n_g + k)       (k = 0: the plain mean)
 * The saved model carries these so scoring a new video reproduces training.
 */
export interface GuestMeans {
  global: number;
  shrinkage: number;
  means: Record<string, { mean: number; count: number }>;
}

export function fitGuestMeans(guests: readonly string[], y: Float64Array, rows: readonly number[], shrinkage = 0): GuestMeans {
  if (!rows.length) throw new Error('guest means need at least one training row.');
  let total = 0;
  const sums = new Map<string, { sum: number; count: number }>();
  for (const r of rows) {
    total += y[r]!;
    const s = sums.get(guests[r]!) ?? { sum: 0, count: 0 };
    s.sum += y[r]!;
    s.count++;
    sums.set(guests[r]!, s);
  }
  const global = total / rows.length;
  const means: GuestMeans['means'] = {};
  for (const [g, s] of [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    means[g] = { mean: (s.sum + shrinkage * global) / (s.count + shrinkage), count: s.count };
  }
  return { global, shrinkage, means };
}

export function guestMeanOf(gm: GuestMeans, guest: string): number {
  return Object.hasOwn(gm.means, guest) ? gm.means[guest]!.mean : gm.global;
}

export function lookupGuestMeans(gm: GuestMeans, guests: readonly string[], rows: readonly number[]): Float64Array {
  return Float64Array.from(rows, (r) => guestMeanOf(gm, guests[r]!));
}

/**
 * Out-of-fold guest means for the training rows of guestfeat: each row's value comes from
 * guest means fitted on the other inner folds, so no row's feature contains its own target
 * (target encoding without leakage). Rows of a guest absent from the other folds get that
 * fold's global mean. Returns a full-length column (NaN outside `rows`).
 */
export function outOfFoldGuestMeans(
  guests: readonly string[],
  y: Float64Array,
  rows: readonly number[],
  k: number,
  seed: number,
  shrinkage = 0,
): Float64Array {
  const out = new Float64Array(guests.length).fill(NaN);
  for (const fold of kFold(rows.length, Math.min(k, rows.length), seed)) {
    const gm = fitGuestMeans(
      guests,
      y,
      fold.train.map((i) => rows[i]!),
      shrinkage,
    );
    for (const i of fold.test) out[rows[i]!] = guestMeanOf(gm, guests[rows[i]!]!);
  }
  return out;
}
