/**
 * A second, naive implementation of every reliability statistic, written straight from the
 * textbook definitions and sharing no code with src/main/core/icr: it works on a plain
 * units × coders matrix, enumerates coder pairs inside each unit and builds contingency
 * tables explicitly. The tests compare the real implementation with it on random data, and
 * the benchmark (bench/icr.ts) times it as the reference.
 *
 * ratings[u][i] is coder i's category index (0..q−1) for unit u, or null when missing.
 * Every function returns null where the statistic is undefined.
 */
export interface NaiveData {
  q: number;
  ratings: (number | null)[][];
}

export type NaiveMetric = 'nominal' | 'ordinal' | 'interval' | 'ratio';

const present = (row: (number | null)[]) => row.filter((v): v is number => v !== null);

/** Gwet's percent agreement: per unit with ≥ 2 codes, the share of ordered coder pairs that agree. */
export function naivePercentAgreement(d: NaiveData): number | null {
  let sum = 0;
  let units = 0;
  for (const row of d.ratings) {
    const v = present(row);
    if (v.length < 2) continue;
    let agree = 0;
    let pairs = 0;
    for (let i = 0; i < v.length; i++) {
      for (let j = 0; j < v.length; j++) {
        if (i === j) continue;
        pairs++;
        if (v[i] === v[j]) agree++;
      }
    }
    sum += agree / pairs;
    units++;
  }
  return units === 0 ? null : sum / units;
}

/** The two coders' contingency table over units both coded, as proportions. */
function contingency(d: NaiveData, a: number, b: number): { p: number[][]; n: number } {
  const counts = Array.from({ length: d.q }, () => new Array<number>(d.q).fill(0));
  let n = 0;
  for (const row of d.ratings) {
    const x = row[a];
    const y = row[b];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    counts[x]![y]!++;
    n++;
  }
  return { p: counts.map((r) => r.map((c) => (n === 0 ? 0 : c / n))), n };
}

/** Weighted kappa with agreement weights w_ij (Cohen 1968); identity weights give Cohen's kappa. */
function kappaWithWeights(d: NaiveData, w: (i: number, j: number) => number, a: number, b: number): number | null {
  const { p, n } = contingency(d, a, b);
  if (n === 0) return null;
  const rows = p.map((r) => r.reduce((s, x) => s + x, 0));
  const cols = p[0]!.map((_, j) => p.reduce((s, r) => s + r[j]!, 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < d.q; i++) {
    for (let j = 0; j < d.q; j++) {
      po += w(i, j) * p[i]![j]!;
      pe += w(i, j) * rows[i]! * cols[j]!;
    }
  }
  if (Math.abs(1 - pe) < 1e-12) return null;
  return (po - pe) / (1 - pe);
}

export function naiveCohen(d: NaiveData, a = 0, b = 1): number | null {
  return kappaWithWeights(d, (i, j) => (i === j ? 1 : 0), a, b);
}

export function naiveWeightedKappa(d: NaiveData, weights: 'linear' | 'quadratic', a = 0, b = 1): number | null {
  if (d.q < 2) return null;
  const m = d.q - 1;
  const w = weights === 'linear' ? (i: number, j: number) => 1 - Math.abs(i - j) / m : (i: number, j: number) => 1 - ((i - j) / m) ** 2;
  return kappaWithWeights(d, w, a, b);
}

/**
 * Krippendorff's alpha from pairable values: every ordered pair of codes of different coders
 * in a unit with m_u ≥ 2 codes counts 1/(m_u − 1); D_o is the mean difference over those
 * pairs, D_e the mean difference over all pairs of pairable values (n_c n_k form).
 */
export function naiveAlpha(d: NaiveData, metric: NaiveMetric): number | null {
  const pairable: number[] = [];
  let observedSum = 0;
  const pairsOf: [number, number, number][] = [];
  for (const row of d.ratings) {
    const v = present(row);
    if (v.length < 2) continue;
    pairable.push(...v);
    for (let i = 0; i < v.length; i++) {
      for (let j = 0; j < v.length; j++) if (i !== j) pairsOf.push([v[i]!, v[j]!, 1 / (v.length - 1)]);
    }
  }
  const n = pairable.length;
  if (n === 0) return null;
  const nc = new Array<number>(d.q).fill(0);
  for (const v of pairable) nc[v]!++;
  if (nc.filter((x) => x > 0).length < 2) return null;
  const rank = (c: number) => c + 1;
  const delta = (c: number, k: number): number => {
    if (c === k) return 0;
    switch (metric) {
      case 'nominal':
        return 1;
      case 'ordinal': {
        let s = 0;
        for (let g = Math.min(c, k); g <= Math.max(c, k); g++) s += nc[g]!;
        return (s - (nc[c]! + nc[k]!) / 2) ** 2;
      }
      case 'interval':
        return (rank(c) - rank(k)) ** 2;
      case 'ratio':
        return ((rank(c) - rank(k)) / (rank(c) + rank(k))) ** 2;
    }
  };
  for (const [c, k, weight] of pairsOf) observedSum += weight * delta(c, k);
  let expectedSum = 0;
  for (let c = 0; c < d.q; c++) for (let k = 0; k < d.q; k++) expectedSum += nc[c]! * nc[k]! * delta(c, k);
  const Do = observedSum / n;
  const De = expectedSum / (n * (n - 1));
  return 1 - Do / De;
}

/** irrCAC's p_a and π_c: agreement over units with ≥ 2 codes, category shares over units with ≥ 1. */
function irrCacTerms(d: NaiveData): { pa: number; pi: number[] } | null {
  let pa = 0;
  let compared = 0;
  const pi = new Array<number>(d.q).fill(0);
  let coded = 0;
  for (const row of d.ratings) {
    const v = present(row);
    if (v.length === 0) continue;
    coded++;
    for (const c of v) pi[c]! += 1 / v.length;
    if (v.length < 2) continue;
    compared++;
    let s = 0;
    for (let c = 0; c < d.q; c++) {
      const r = v.filter((x) => x === c).length;
      s += r * (r - 1);
    }
    pa += s / (v.length * (v.length - 1));
  }
  if (compared === 0) return null;
  return { pa: pa / compared, pi: pi.map((x) => x / coded) };
}

export function naiveFleiss(d: NaiveData): number | null {
  const t = irrCacTerms(d);
  if (!t) return null;
  const pe = t.pi.reduce((s, x) => s + x * x, 0);
  if (Math.abs(1 - pe) < 1e-12) return null;
  return (t.pa - pe) / (1 - pe);
}

export function naiveAC1(d: NaiveData): number | null {
  if (d.q < 2) return null;
  const t = irrCacTerms(d);
  if (!t) return null;
  const pe = t.pi.reduce((s, x) => s + x * (1 - x), 0) / (d.q - 1);
  return (t.pa - pe) / (1 - pe);
}

/** Every statistic, keyed like the report's `ci` (Cohen and weighted kappa for two coders only). */
export function naiveAll(d: NaiveData): Record<string, number | null> {
  const coders = d.ratings[0]?.length ?? 0;
  const two = coders === 2;
  return {
    percentAgreement: naivePercentAgreement(d),
    cohenKappa: two ? naiveCohen(d) : null,
    'weightedKappa.linear': two ? naiveWeightedKappa(d, 'linear') : null,
    'weightedKappa.quadratic': two ? naiveWeightedKappa(d, 'quadratic') : null,
    'krippendorffAlpha.nominal': naiveAlpha(d, 'nominal'),
    'krippendorffAlpha.ordinal': naiveAlpha(d, 'ordinal'),
    'krippendorffAlpha.interval': naiveAlpha(d, 'interval'),
    'krippendorffAlpha.ratio': naiveAlpha(d, 'ratio'),
    fleissKappa: naiveFleiss(d),
    gwetAC1: naiveAC1(d),
  };
}

/** The matrix form of ReliabilityData (structurally typed: nothing is imported from core). */
export function toNaive(data: {
  categories: readonly string[];
  coders: readonly string[];
  units: readonly { codes: ReadonlyMap<string, number> }[];
}): NaiveData {
  return { q: data.categories.length, ratings: data.units.map((u) => data.coders.map((c) => u.codes.get(c) ?? null)) };
}
