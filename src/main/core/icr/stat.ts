/**
 * A statistic's value, or null with the reason it is undefined: never NaN, and never 0 or 1
 * by accident of a division.
 */
export type Stat = { value: number; reason: null } | { value: null; reason: string };

export const value = (v: number): Stat => ({ value: v, reason: null });
export const undefinedBecause = (reason: string): Stat => ({ value: null, reason });

/** Categories with a positive entry in `counts`. */
export function categoriesUsed(counts: ArrayLike<number>): number {
  let used = 0;
  for (let c = 0; c < counts.length; c++) if (counts[c]! > 0) used++;
  return used;
}
