import type { ReliabilityData } from './data';

/**
 * Sufficient statistics. Every statistic here is a function of sums over units of small
 * per-unit quantities (category counts, their coincidences, the two coders' pair), so units
 * with the same codes are interchangeable: they collapse into one *pattern*. A weighting of
 * patterns (the original multiplicities, or a bootstrap resample's) is summed into one
 * `Aggregate`, and every statistic reads only that. With q categories and two coders there
 * are at most (q+1)² patterns however many units there are, which is what makes 1,000
 * resamples of 25,000 units cheap.
 */
export interface Patterns {
  /** Number of categories. */
  q: number;
  /** Exactly two coders: the pair table (Cohen's kappa, confusion) is kept. */
  twoCoders: boolean;
  /** Number of distinct patterns. */
  size: number;
  /** How many units have each pattern. */
  multiplicity: Float64Array;
  /** Codes per pattern (n_u). */
  codes: Int32Array;
  /** Σ_c n_uc(n_uc−1) / (n_u(n_u−1)) for n_u ≥ 2: the share of agreeing coder pairs. */
  agreement: Float64Array;
  /** n_uc / n_u, q per pattern (for Fleiss' and Gwet's category shares). */
  shares: Float64Array;
  /** Coincidences n_uc(n_uk − [c=k]) / (n_u − 1), sparse per pattern (CSR: start, cell, value). */
  coincidenceStart: Int32Array;
  coincidenceCell: Int32Array;
  coincidenceValue: Float64Array;
  /** a·q + b for the two coders' codes a, b when both coded; −1 otherwise. */
  pairCell: Int32Array;
  /** Each unit's pattern, in data.units order. */
  unitPattern: Int32Array;
}

export function buildPatterns(data: ReliabilityData): Patterns {
  const q = data.categories.length;
  const twoCoders = data.coders.length === 2;
  const [first, second] = data.coders;
  const keys = new Map<string, number>();
  const counts: Int32Array[] = [];
  const pairs: number[] = [];
  const multiplicity: number[] = [];
  const unitPattern = new Int32Array(data.units.length);
  data.units.forEach((unit, u) => {
    const n = new Int32Array(q);
    for (const c of unit.codes.values()) n[c]!++;
    const a = twoCoders ? (unit.codes.get(first!) ?? -1) : -1;
    const b = twoCoders ? (unit.codes.get(second!) ?? -1) : -1;
    const pair = a >= 0 && b >= 0 ? a * q + b : -1;
    const key = `${n.join(',')}|${twoCoders ? `${a},${b}` : ''}`;
    let p = keys.get(key);
    if (p === undefined) {
      p = counts.length;
      keys.set(key, p);
      counts.push(n);
      pairs.push(pair);
      multiplicity.push(0);
    }
    multiplicity[p]!++;
    unitPattern[u] = p;
  });

  const size = counts.length;
  const codes = new Int32Array(size);
  const agreement = new Float64Array(size);
  const shares = new Float64Array(size * q);
  const coincidenceStart = new Int32Array(size + 1);
  const cells: number[] = [];
  const values: number[] = [];
  counts.forEach((n, p) => {
    let total = 0;
    for (let c = 0; c < q; c++) total += n[c]!;
    codes[p] = total;
    if (total > 0) for (let c = 0; c < q; c++) shares[p * q + c] = n[c]! / total;
    if (total >= 2) {
      let agreeing = 0;
      for (let c = 0; c < q; c++) agreeing += n[c]! * (n[c]! - 1);
      agreement[p] = agreeing / (total * (total - 1));
      for (let c = 0; c < q; c++) {
        if (n[c] === 0) continue;
        for (let k = 0; k < q; k++) {
          const pairsCk = n[c]! * (n[k]! - (c === k ? 1 : 0));
          if (pairsCk === 0) continue;
          cells.push(c * q + k);
          values.push(pairsCk / (total - 1));
        }
      }
    }
    coincidenceStart[p + 1] = cells.length;
  });
  return {
    q,
    twoCoders,
    size,
    multiplicity: Float64Array.from(multiplicity),
    codes,
    agreement,
    shares,
    coincidenceStart,
    coincidenceCell: Int32Array.from(cells),
    coincidenceValue: Float64Array.from(values),
    pairCell: Int32Array.from(pairs),
    unitPattern,
  };
}

/** Sums over (weighted) units: everything the statistics read. */
export interface Aggregate {
  q: number;
  /** Units with at least one code. */
  coded: number;
  /** Units with at least two codes. */
  compared: number;
  /** Σ agreement over compared units. */
  agreementSum: number;
  /** Σ n_uc / n_u over coded units, per category. */
  shareSums: Float64Array;
  /** Krippendorff's coincidence matrix o_ck, q × q row-major. */
  coincidence: Float64Array;
  /** Two coders: counts of (first coder's code, second coder's code), q × q; null otherwise. */
  pairTable: Float64Array | null;
}

export function createAggregate(q: number, twoCoders: boolean): Aggregate {
  return {
    q,
    coded: 0,
    compared: 0,
    agreementSum: 0,
    shareSums: new Float64Array(q),
    coincidence: new Float64Array(q * q),
    pairTable: twoCoders ? new Float64Array(q * q) : null,
  };
}

/** Sums the patterns weighted by `weights` into `into` (reset first); no allocation. */
export function aggregate(patterns: Patterns, weights: ArrayLike<number>, into: Aggregate): Aggregate {
  const { q } = patterns;
  into.coded = 0;
  into.compared = 0;
  into.agreementSum = 0;
  into.shareSums.fill(0);
  into.coincidence.fill(0);
  into.pairTable?.fill(0);
  for (let p = 0; p < patterns.size; p++) {
    const w = weights[p]!;
    if (w === 0) continue;
    const n = patterns.codes[p]!;
    if (n >= 1) {
      into.coded += w;
      for (let c = 0; c < q; c++) into.shareSums[c]! += w * patterns.shares[p * q + c]!;
    }
    if (n >= 2) {
      into.compared += w;
      into.agreementSum += w * patterns.agreement[p]!;
      for (let i = patterns.coincidenceStart[p]!; i < patterns.coincidenceStart[p + 1]!; i++) {
        into.coincidence[patterns.coincidenceCell[i]!]! += w * patterns.coincidenceValue[i]!;
      }
    }
    const cell = patterns.pairCell[p]!;
    if (into.pairTable && cell >= 0) into.pairTable[cell]! += w;
  }
  return into;
}

/** The aggregate of the data as it is (every unit once). */
export function pointAggregate(patterns: Patterns): Aggregate {
  return aggregate(patterns, patterns.multiplicity, createAggregate(patterns.q, patterns.twoCoders));
}
