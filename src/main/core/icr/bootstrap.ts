import { mulberry32 } from '../random';
import type { ReliabilityData } from './data';
import { aggregate, createAggregate, type Aggregate, type Patterns } from './tally';

/**
 * Seeded percentile bootstrap. A resample draws units (or whole groups: frames of one video
 * are alike, so resampling videos keeps that dependence) with replacement, as many as there
 * are; it becomes pattern weights (tally.ts), one aggregate, and every statistic from that.
 * The same data, seed and count give the same intervals on every machine (mulberry32).
 */
export interface ResamplingPlan {
  kind: 'units' | 'groups';
  /** Units or groups drawn per resample. */
  draws: number;
  /** units: each unit's pattern. groups: per group, its patterns and their counts (CSR). */
  start: Int32Array;
  pattern: Int32Array;
  count: Float64Array;
}

export function unitPlan(patterns: Patterns): ResamplingPlan {
  const n = patterns.unitPattern.length;
  return {
    kind: 'units',
    draws: n,
    start: Int32Array.from({ length: n + 1 }, (_, i) => i),
    pattern: patterns.unitPattern,
    count: new Float64Array(n).fill(1),
  };
}

/** Groups in the order they first appear; null when a unit has no group. */
export function groupPlan(patterns: Patterns, data: ReliabilityData): ResamplingPlan | null {
  const byGroup = new Map<string, Map<number, number>>();
  for (let u = 0; u < data.units.length; u++) {
    const group = data.units[u]!.group;
    if (group === null) return null;
    const counts = byGroup.get(group) ?? new Map<number, number>();
    const p = patterns.unitPattern[u]!;
    counts.set(p, (counts.get(p) ?? 0) + 1);
    byGroup.set(group, counts);
  }
  const start = [0];
  const pattern: number[] = [];
  const count: number[] = [];
  for (const counts of byGroup.values()) {
    for (const [p, n] of counts) {
      pattern.push(p);
      count.push(n);
    }
    start.push(pattern.length);
  }
  return {
    kind: 'groups',
    draws: byGroup.size,
    start: Int32Array.from(start),
    pattern: Int32Array.from(pattern),
    count: Float64Array.from(count),
  };
}

/**
 * Runs `resamples` resamples; `evaluate` writes the statistics of one aggregate into its
 * row (NaN where a statistic is undefined). Returns one Float64Array per statistic.
 */
export function bootstrap(
  patterns: Patterns,
  plan: ResamplingPlan,
  options: { resamples: number; seed: number; statistics: number },
  evaluate: (agg: Aggregate, out: Float64Array) => void,
): Float64Array[] {
  const { resamples, statistics } = options;
  const samples = Array.from({ length: statistics }, () => new Float64Array(resamples));
  const random = mulberry32(options.seed);
  const weights = new Float64Array(patterns.size);
  const agg = createAggregate(patterns.q, patterns.twoCoders);
  const row = new Float64Array(statistics);
  const { draws, start, pattern, count } = plan;
  const single = plan.kind === 'units';
  for (let r = 0; r < resamples; r++) {
    weights.fill(0);
    if (single) {
      for (let i = 0; i < draws; i++) weights[pattern[(random() * draws) | 0]!]!++;
    } else {
      for (let i = 0; i < draws; i++) {
        const g = (random() * draws) | 0;
        for (let j = start[g]!; j < start[g + 1]!; j++) weights[pattern[j]!]! += count[j]!;
      }
    }
    aggregate(patterns, weights, agg);
    row.fill(NaN);
    evaluate(agg, row);
    for (let s = 0; s < statistics; s++) samples[s]![r] = row[s]!;
  }
  return samples;
}

/** The usable (defined) values of one statistic's samples, sorted ascending. */
export function usableSorted(samples: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < samples.length; i++) if (!Number.isNaN(samples[i]!)) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < samples.length; i++) if (!Number.isNaN(samples[i]!)) out[j++] = samples[i]!;
  return out.sort();
}

/** Quantile with linear interpolation between order statistics (R's type 7). */
export function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The central `confidence` percentile interval of the usable values; null when there are none. */
export function percentileInterval(samples: Float64Array, confidence: number): { interval: [number, number] | null; usable: number } {
  const sorted = usableSorted(samples);
  if (sorted.length === 0) return { interval: null, usable: 0 };
  const tail = (1 - confidence) / 2;
  return { interval: [quantile(sorted, tail), quantile(sorted, 1 - tail)], usable: sorted.length };
}
