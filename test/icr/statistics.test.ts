import { describe, expect, it } from 'vitest';
import { ICR_STATISTICS, IcrReport, type IcrStatistic } from '../../src/shared/icr';
import { FramelabError } from '../../src/shared/errors';
import { buildReliabilityData, type ReliabilityData } from '../../src/main/core/icr/data';
import { quantile } from '../../src/main/core/icr/bootstrap';
import { icrReport, type IcrReportOptions } from '../../src/main/core/icr/report';
import { mulberry32 } from '../../src/main/core/random';
import { csvData, DISTANCE, FLEISS_WIKIPEDIA, KRIPPENDORFF_2011, ONE_TO_FIVE, POV, randomData, SAMPLE } from './fixtures';
import { naiveAll, naiveCohen, toNaive, type NaiveData } from './naive';

const ALL: IcrReportOptions = { dimension: 'value', level: null, order: 'declared', bootstrap: 0 };
const report = (data: ReliabilityData, options: Partial<IcrReportOptions> = {}) => icrReport(data, { ...ALL, ...options });

function valueOf(r: IcrReport, s: IcrStatistic): number | null {
  const [head, tail] = s.split('.');
  const v = (r as unknown as Record<string, unknown>)[head!];
  return (tail === undefined ? v : (v as Record<string, number | null>)[tail]) as number | null;
}

/** Two coders' codes, one pair per unit (null = missing). */
function pairs(categories: string[], codes: [number | null, number | null][]): ReliabilityData {
  const rows = codes.flatMap(([a, b], u) => [
    { unitId: `u${u}`, coder: 'a', value: a === null ? null : categories[a]! },
    { unitId: `u${u}`, coder: 'b', value: b === null ? null : categories[b]! },
  ]);
  return buildReliabilityData(rows, categories);
}

describe('published values (../shared/testdata/README.md), to 1e-6', () => {
  it("Krippendorff (2011)'s worked example: 4 coders × 12 units with missing codes", () => {
    const r = report(csvData(KRIPPENDORFF_2011, 'value', ONE_TO_FIVE));
    expect(r.krippendorffAlpha.nominal).toBeCloseTo(0.7434211, 6);
    expect(r.krippendorffAlpha.ordinal).toBeCloseTo(0.8153875, 6);
    expect(r.krippendorffAlpha.interval).toBeCloseTo(0.8491071, 6);
    expect(r.krippendorffAlpha.ratio).toBeCloseTo(0.7974028, 6);
    expect(r.percentAgreement).toBeCloseTo(0.8181818, 6);
    expect(r.fleissKappa).toBeCloseTo(0.7611693, 6);
    expect(r.gwetAC1).toBeCloseTo(0.7754441, 6);
    expect([r.units, r.unitsCompared, r.coders]).toEqual([12, 11, 4]);
    // More than two coders: no Cohen, no confusion, each null with its reason.
    expect(r.cohenKappa).toBeNull();
    expect(r.confusion).toBeNull();
    expect(
      r.notes.some((n) => n.startsWith('cohenKappa, weightedKappa.linear, weightedKappa.quadratic: null — applies to exactly two coders')),
    ).toBe(true);
    expect(r.notes.some((n) => n.startsWith('confusion: null'))).toBe(true);
    expect(r.details.pairs).toHaveLength(6);
    expect(() => IcrReport.parse(r)).not.toThrow();
  });

  it("Wikipedia's Fleiss example: 14 raters × 10 subjects", () => {
    const r = report(csvData(FLEISS_WIKIPEDIA, 'value', ONE_TO_FIVE));
    expect(r.fleissKappa).toBeCloseTo(0.2099307, 6);
    expect([r.units, r.unitsCompared, r.coders]).toEqual([10, 10, 14]);
  });

  it('the lab snapshot (annotations_sample.csv), pov over the codebook order', () => {
    const r = report(csvData(SAMPLE, 'pov', POV), { dimension: 'pov', level: 'nominal', order: 'codebook' });
    expect(r.unitsCompared).toBe(50);
    expect(r.percentAgreement).toBeCloseTo(0.94, 6);
    expect(r.cohenKappa).toBeCloseTo(0.9164811, 6);
    expect(r.krippendorffAlpha.nominal).toBeCloseTo(0.9172471, 6);
    expect(r.gwetAC1).toBeCloseTo(0.9206462, 6);
    // pov is nominal: the ordered figures are not shown, and the note says why.
    expect(r.weightedKappa).toEqual({ linear: null, quadratic: null });
    expect([r.krippendorffAlpha.ordinal, r.krippendorffAlpha.interval, r.krippendorffAlpha.ratio]).toEqual([null, null, null]);
    expect(r.notes).toContain(
      'weightedKappa.linear, weightedKappa.quadratic, krippendorffAlpha.ordinal, krippendorffAlpha.interval, krippendorffAlpha.ratio: null — pov is nominal: ordered statistics do not apply',
    );
    expect(r.confusion).toEqual({
      categories: POV,
      matrix: [
        [12, 0, 2, 0],
        [1, 5, 0, 0],
        [0, 0, 17, 0],
        [0, 0, 0, 13],
      ],
    });
    expect(r.details.coders).toEqual(['coder_a', 'coder_b']);
  });

  it('the lab snapshot, distance (ordinal) over Intimate < Personal < Social < Public', () => {
    const r = report(csvData(SAMPLE, 'distance', DISTANCE), { dimension: 'distance', level: 'ordinal', order: 'codebook' });
    expect(r.unitsCompared).toBe(41);
    expect(r.percentAgreement).toBeCloseTo(0.8536585, 6);
    expect(r.cohenKappa).toBeCloseTo(0.7965261, 6);
    expect(r.krippendorffAlpha.nominal).toBeCloseTo(0.7984239, 6);
    expect(r.krippendorffAlpha.ordinal).toBeCloseTo(0.9521037, 6);
    expect(r.weightedKappa.linear).toBeCloseTo(0.8713389, 6);
    expect(r.weightedKappa.quadratic).toBeCloseTo(0.9310924, 6);
    expect(r.gwetAC1).toBeCloseTo(0.806682, 6);
    expect(r.krippendorffAlpha.interval).toBeNull();
    expect(r.notes.some((n) => n.startsWith('krippendorffAlpha.interval, krippendorffAlpha.ratio: null — distance is ordinal'))).toBe(true);
    // Per category, two coders: 2·n_cc / (row + column).
    const social = r.details.perCategory.find((c) => c.category === 'Social')!;
    expect(social.agreement).toBeCloseTo((2 * 10) / (14 + 12), 12);
  });

  it('ordered statistics follow the declared order, never the alphabet', () => {
    const alphabetical = [...DISTANCE].sort();
    const declared = report(csvData(SAMPLE, 'distance', DISTANCE));
    const sorted = report(csvData(SAMPLE, 'distance', alphabetical));
    expect(declared.krippendorffAlpha.ordinal).toBeCloseTo(0.9521037, 6);
    expect(Math.abs(sorted.krippendorffAlpha.ordinal! - declared.krippendorffAlpha.ordinal!)).toBeGreaterThan(0.01);
    // Nominal figures do not depend on the order.
    expect(sorted.cohenKappa).toBeCloseTo(declared.cohenKappa!, 12);
    expect(sorted.krippendorffAlpha.nominal).toBeCloseTo(declared.krippendorffAlpha.nominal!, 12);
  });

  it('a declared category nobody used still counts: it changes AC1 (q) and interval alpha (ranks), not nominal alpha', () => {
    const used = report(csvData(KRIPPENDORFF_2011, 'value', ONE_TO_FIVE));
    const wider = report(csvData(KRIPPENDORFF_2011, 'value', ['1', '2', '3', '4', '5', '6']));
    const gap = report(csvData(KRIPPENDORFF_2011, 'value', ['1', '2', 'x', '3', '4', '5']));
    expect(wider.krippendorffAlpha.nominal).toBeCloseTo(used.krippendorffAlpha.nominal!, 12);
    expect(wider.fleissKappa).toBeCloseTo(used.fleissKappa!, 12);
    expect(wider.gwetAC1).not.toBeCloseTo(used.gwetAC1!, 4);
    expect(gap.krippendorffAlpha.interval).not.toBeCloseTo(used.krippendorffAlpha.interval!, 4);
    // The ordinal metric counts marginals, so an empty category adds no distance.
    expect(gap.krippendorffAlpha.ordinal).toBeCloseTo(used.krippendorffAlpha.ordinal!, 12);
    expect(gap.details.perCategory[2]).toEqual({ category: 'x', values: 0, agreement: null });
  });
});

describe('against the naive implementation (test/icr/naive.ts) on 50 seeded random datasets', () => {
  it('every statistic agrees to 1e-9, null exactly where the naive one is undefined', () => {
    let compared = 0;
    const shapes = new Set<string>();
    for (let seed = 1; seed <= 50; seed++) {
      const data = randomData(seed);
      const naive = naiveAll(toNaive(data));
      const ours = report(data);
      shapes.add(`${data.coders.length}×${data.categories.length}`);
      for (const s of ICR_STATISTICS) {
        const expected = naive[s]!;
        const actual = valueOf(ours, s);
        if (expected === null) expect(actual, `${s}, seed ${seed}`).toBeNull();
        else {
          expect(actual, `${s}, seed ${seed}`).not.toBeNull();
          expect(Math.abs(actual! - expected), `${s}, seed ${seed}: ${actual} vs ${expected}`).toBeLessThan(1e-9);
          compared++;
        }
      }
      for (const pair of ours.details.pairs) {
        const [a, b] = pair.coders.map((c) => data.coders.indexOf(c)) as [number, number];
        const naiveKappa = naiveCohen(toNaive(data), a, b);
        if (naiveKappa === null) expect(pair.cohenKappa).toBeNull();
        else expect(Math.abs(pair.cohenKappa! - naiveKappa)).toBeLessThan(1e-9);
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(shapes.size).toBeGreaterThan(8);
  });
});

describe('undefined statistics are null with a reason, never NaN, 0 or 1 by accident', () => {
  const AB = ['A', 'B'];

  it('every code identical: kappas and alpha are null; agreement (and AC1, by its formula) are 1', () => {
    const r = report(
      pairs(AB, [
        [0, 0],
        [0, 0],
        [0, 0],
      ]),
    );
    expect(r.percentAgreement).toBe(1);
    expect(r.cohenKappa).toBeNull();
    expect(r.weightedKappa).toEqual({ linear: null, quadratic: null });
    expect(r.krippendorffAlpha).toEqual({ nominal: null, ordinal: null, interval: null, ratio: null });
    expect(r.fleissKappa).toBeNull();
    expect(r.gwetAC1).toBe(1);
    expect(r.notes).toContain(
      "cohenKappa: null — Cohen's kappa is undefined: expected agreement is 1 (both coders used a single category)",
    );
    expect(r.notes.some((n) => n.includes("Krippendorff's alpha is undefined: the expected disagreement is 0"))).toBe(true);
    expect(r.notes.some((n) => n.startsWith("fleissKappa: null — Fleiss' kappa is undefined: chance agreement is 1"))).toBe(true);
    expect(JSON.stringify(r)).not.toContain('NaN');
  });

  it('no unit has two codes: every agreement statistic is null', () => {
    const r = report(
      pairs(AB, [
        [0, null],
        [null, 1],
        [1, null],
      ]),
    );
    expect([r.units, r.unitsCompared]).toEqual([3, 0]);
    for (const s of ICR_STATISTICS) expect(valueOf(r, s), s).toBeNull();
    expect(r.notes.some((n) => n.includes("Krippendorff's alpha is undefined: no unit has two codes"))).toBe(true);
    expect(r.notes.some((n) => n.includes('percent agreement is undefined: no unit has two codes'))).toBe(true);
    expect(r.confusion!.matrix).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('complete disagreement is a real value, not a null: kappa 0, alpha below 0', () => {
    const r = report(
      pairs(AB, [
        [0, 1],
        [0, 1],
        [0, 1],
        [0, 1],
      ]),
    );
    expect(r.percentAgreement).toBe(0);
    expect(r.cohenKappa).toBe(0);
    expect(r.krippendorffAlpha.nominal).toBeLessThan(0);
  });

  it('a single declared category: AC1 and weighted kappa need two', () => {
    const r = report(
      pairs(
        ['A'],
        [
          [0, 0],
          [0, 0],
        ],
      ),
    );
    expect(r.gwetAC1).toBeNull();
    expect(r.notes.some((n) => n.includes("Gwet's AC1 is undefined: it needs at least two categories"))).toBe(true);
    expect(r.notes.some((n) => n.includes('weighted kappa is undefined: it needs at least two ordered categories'))).toBe(true);
  });

  it('lexicographic categories: ordered statistics are null with a note asking for a declared order', () => {
    const r = report(csvData(SAMPLE, 'distance', [...DISTANCE].sort()), { order: 'lexicographic' });
    expect(r.weightedKappa).toEqual({ linear: null, quadratic: null });
    expect(r.krippendorffAlpha.ordinal).toBeNull();
    expect(r.krippendorffAlpha.nominal).toBeCloseTo(0.7984239, 6);
    expect(r.notes.some((n) => n.includes('ordered statistics need a declared order'))).toBe(true);
    expect(r.notes[0]).toMatch(/^No category order was declared/);
  });

  it('a value outside the declared categories names its row and column', () => {
    const err = (() => {
      try {
        buildReliabilityData([{ unitId: 'u1', coder: 'a', value: 'C', row: 7 }], ['A', 'B'], { value: 'pov', unit: 'frame_id' });
      } catch (e) {
        return e as FramelabError;
      }
      throw new Error('expected an error');
    })();
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('row 7, column pov: "C" is not one of the categories (A, B)');
  });
});

describe('bootstrap', () => {
  const distance = () => csvData(SAMPLE, 'distance', DISTANCE, 'video_id');

  it('is reproducible by seed and differs between seeds', () => {
    const a = report(distance(), { bootstrap: 300, seed: 7 });
    const b = report(distance(), { bootstrap: 300, seed: 7 });
    const c = report(distance(), { bootstrap: 300, seed: 8 });
    expect(a.ci).toEqual(b.ci);
    expect(a.ci).not.toEqual(c.ci);
    for (const s of ICR_STATISTICS) {
      const v = valueOf(a, s);
      if (v === null) continue;
      const [lo, hi] = a.ci[s]!;
      expect(lo).toBeLessThanOrEqual(hi);
      expect(lo).toBeLessThanOrEqual(v + 1e-12);
    }
    expect(a.details.bootstrap).toMatchObject({ resamples: 300, seed: 7, resampling: 'units', draws: 67, confidence: 0.95 });
  });

  /** The same draws as bootstrap.ts (mulberry32, floor(random · count)), then the naive statistics. */
  function naiveBootstrap(data: ReliabilityData, resamples: number, seed: number, byGroup: boolean) {
    const random = mulberry32(seed);
    const groups = [...new Set(data.units.map((u) => u.group!))];
    const values: Record<string, number[]> = {};
    for (let r = 0; r < resamples; r++) {
      let units: ReliabilityData['units'] = [];
      if (byGroup) {
        for (let i = 0; i < groups.length; i++) {
          const g = groups[Math.floor(random() * groups.length)];
          units = units.concat(data.units.filter((u) => u.group === g));
        }
      } else {
        for (let i = 0; i < data.units.length; i++) units.push(data.units[Math.floor(random() * data.units.length)]!);
      }
      const naive: NaiveData = toNaive({ ...data, units });
      for (const [s, v] of Object.entries(naiveAll(naive))) if (v !== null) (values[s] ??= []).push(v);
    }
    return values;
  }

  it.each([false, true])('percentile intervals equal a naive resampling with the same draws (by group: %s)', (byGroup) => {
    const data = distance();
    const r = report(data, { bootstrap: 200, seed: 3, byGroup });
    const naive = naiveBootstrap(data, 200, 3, byGroup);
    for (const s of ICR_STATISTICS) {
      const interval = r.ci[s];
      if (interval === null) continue;
      const sorted = Float64Array.from(naive[s]!).sort();
      expect(Math.abs(interval[0] - quantile(sorted, 0.025)), s).toBeLessThan(1e-9);
      expect(Math.abs(interval[1] - quantile(sorted, 0.975)), s).toBeLessThan(1e-9);
    }
    expect(r.details.bootstrap!.resampling).toBe(byGroup ? 'groups' : 'units');
    expect(r.details.bootstrap!.draws).toBe(byGroup ? 18 : 67);
  });

  it('skips resamples where a statistic is undefined and says how many it used', () => {
    // Five agreeing units and one disagreement: a resample without the disagreement has
    // both coders on A only, where kappa is undefined.
    const data = pairs(
      ['A', 'B'],
      [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 1],
      ],
    );
    const r = report(data, { bootstrap: 200, seed: 1 });
    const usable = r.details.bootstrap!.usable.cohenKappa!;
    expect(usable).toBeGreaterThan(0);
    expect(usable).toBeLessThan(200);
    expect(
      r.notes.some((n) => n.includes('cohenKappa') && n.includes(`uses the ${usable} of 200 resamples in which the statistic is defined`)),
    ).toBe(true);
    expect(r.details.bootstrap!.usable.percentAgreement).toBe(200);
  });

  it('without resamples every interval is null and a note says so', () => {
    const r = report(distance(), { bootstrap: 0 });
    expect(Object.values(r.ci).every((v) => v === null)).toBe(true);
    expect(Object.keys(r.ci)).toEqual([...ICR_STATISTICS]);
    expect(r.details.bootstrap).toBeNull();
    expect(r.notes).toContain('ci: no bootstrap was asked for (0 resamples), so every interval is null.');
  });
});
