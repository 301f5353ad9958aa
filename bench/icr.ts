/**
 * Reliability report on 50,000 codes (25,000 units × 2 coders, 4 ordered categories, 250
 * videos): every statistic plus 1,000 seeded bootstrap resamples, against the naive
 * per-pair implementation of the tests (test/icr/naive.ts) on the same data.
 *
 * The naive reference computes the statistics ONCE (measured), and its 1,000-resample cost is
 * EXTRAPOLATED from 20 measured resamples (× 50): running it 1,000 times would take minutes.
 * Target for ours: under 1 s with the 1,000 resamples.
 */
import type { ReliabilityData } from '../src/main/core/icr/data';
import { icrReport } from '../src/main/core/icr/report';
import { mulberry32 } from '../src/main/core/random';
import { ICR_STATISTICS } from '../src/shared/icr';
import { naiveAll, toNaive, type NaiveData } from '../test/icr/naive';
import { medianMs, timeMs } from './timing';

export interface IcrBenchResult {
  units: number;
  codes: number;
  resamples: number;
  /** Full report (all statistics, details) with 1,000 resamples; median of 3, ms. */
  oursMs: number;
  /** The same report without bootstrap, ms. */
  oursPointMs: number;
  /** Naive statistics once, measured, ms. */
  naiveOnceMs: number;
  /** Naive statistics on 1,000 resamples, extrapolated from `naiveMeasuredResamples`, ms. */
  naiveBootstrapExtrapolatedMs: number;
  naiveMeasuredResamples: number;
}

const CATEGORIES = ['Intimate', 'Personal', 'Social', 'Public'];

export function benchData(units = 25_000, seed = 42): ReliabilityData {
  const random = mulberry32(seed);
  const pick = () => Math.min(3, Math.floor(random() ** 1.3 * 4));
  const out: ReliabilityData['units'] = [];
  for (let u = 0; u < units; u++) {
    const truth = pick();
    const a = random() < 0.8 ? truth : pick();
    const b = random() < 0.8 ? truth : pick();
    out.push({
      unitId: `f${u}`,
      group: `vid_${Math.floor(u / 100)}`,
      codes: new Map([
        ['coder_a', a],
        ['coder_b', b],
      ]),
    });
  }
  return { categories: CATEGORIES, coders: ['coder_a', 'coder_b'], units: out };
}

export function icrBench(units = 25_000): IcrBenchResult {
  const data = benchData(units);
  const resamples = 1000;
  const options = { dimension: 'distance', level: null, order: 'declared', seed: 1 } as const;
  let report = icrReport(data, { ...options, bootstrap: 0 });
  const oursPointMs = medianMs(3, () => void (report = icrReport(data, { ...options, bootstrap: 0 })));
  const oursMs = medianMs(3, () => void icrReport(data, { ...options, bootstrap: resamples }));

  const naive = toNaive(data);
  let naiveValues: Record<string, number | null> = {};
  const naiveOnceMs = timeMs(() => void (naiveValues = naiveAll(naive)));
  // The two implementations must agree, or the timing compares different things.
  for (const s of ICR_STATISTICS) {
    const [head, tail] = s.split('.');
    const raw = (report as unknown as Record<string, unknown>)[head!];
    const ours = (tail === undefined ? raw : (raw as Record<string, number | null>)[tail]) as number | null;
    const theirs = naiveValues[s] ?? null;
    if ((ours === null) !== (theirs === null) || (ours !== null && Math.abs(ours - theirs!) > 1e-9)) {
      throw new Error(`icr bench: ${s} differs (ours ${ours}, naive ${theirs})`);
    }
  }

  const measured = 20;
  const random = mulberry32(1);
  const naiveMeasuredMs = timeMs(() => {
    for (let r = 0; r < measured; r++) {
      const resample: NaiveData = {
        q: naive.q,
        ratings: naive.ratings.map(() => naive.ratings[Math.floor(random() * naive.ratings.length)]!),
      };
      naiveAll(resample);
    }
  });
  return {
    units,
    codes: units * 2,
    resamples,
    oursMs,
    oursPointMs,
    naiveOnceMs,
    naiveBootstrapExtrapolatedMs: (naiveMeasuredMs / measured) * resamples,
    naiveMeasuredResamples: measured,
  };
}
