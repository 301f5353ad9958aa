/**
 * Flattening (the spec's §3.1 on its own example, the flag correction), type decisions
 * (§3.2: booleans, numbers, ≤ 20 levels one-hot, text, coverage, mixed types) and the fitted
 * feature pipeline (training-row min-max and fill, identical transform of new rows, JSON).
 */
import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../../src/shared/preferenceModel';
import { decideFeatureTypes } from '../../src/main/core/preference/featureTypes';
import { flattenAnalyses, flattenAnalysis, sanitizeFlagValue, tableRows } from '../../src/main/core/preference/flatten';
import { featurePresent, fitFeaturePipeline, transformTable } from '../../src/main/core/preference/normalize';
import { leafCount, syntheticPreferences } from './synthetic';

const SPEC_INPUT = {
  script: { replicability: { score: 9, requiredElements: ['Person', 'Reaction'] } },
  audio: { soundEffects: ['laugh', 'ding'] },
};
const SPEC_OUTPUT = {
  'script.replicability.score': 9,
  'script.replicability.requiredElements_count': 2,
  'script.replicability.requiredElements_empty': false,
  'script.replicability.requiredElements_has_person': true,
  'script.replicability.requiredElements_has_reaction': true,
  'audio.soundEffects_count': 2,
  'audio.soundEffects_empty': false,
  'audio.soundEffects_has_laugh': true,
  'audio.soundEffects_has_ding': true,
};

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('flattening (§3.1)', () => {
  it("gives the spec's example its nine output keys exactly", () => {
    const flat = flattenAnalysis(SPEC_INPUT);
    expect(flat).toStrictEqual(SPEC_OUTPUT);
    expect(Object.keys(flat)).toHaveLength(9);
  });

  it('sanitizes as the spec: lowercase first, then every character outside [a-z0-9] → _, then 30 characters', () => {
    expect(sanitizeFlagValue('Second Person')).toBe('second_person');
    expect(sanitizeFlagValue('Costume!')).toBe('costume_');
    // Lowercasing first: "İ" lowercases to "i" + a combining dot (two code units), which then becomes "_".
    expect(sanitizeFlagValue('İX')).toBe('i_x');
    expect(sanitizeFlagValue('a'.repeat(40))).toHaveLength(30);
    expect(sanitizeFlagValue('Ünïcode 🎉')).toBe('_n_code___');
  });

  it('keeps nulls, empty arrays, arrays of objects and mixed arrays as the spec does', () => {
    const flat = flattenAnalysis({ a: null, b: { c: [], d: [{ x: 1 }, { x: 2 }], e: ['x', 3] }, f: 'text', g: true, h: { i: {} } });
    expect(flat).toStrictEqual({
      a: null,
      'b.c_count': 0,
      'b.c_empty': true,
      'b.d_count': 2,
      'b.d_empty': false,
      'b.e_count': 2,
      'b.e_empty': false,
      f: 'text',
      g: true,
    });
  });

  it('sets a flag seen anywhere to false on rows that have its array as strings; rows without the array, or with a non-string array, leave it missing', () => {
    const table = flattenAnalyses([
      { audio: { soundEffects: ['laugh', 'ding'] } },
      { audio: { soundEffects: ['whoosh'] } },
      { audio: { soundEffects: [] } },
      { audio: { soundEffects: null } },
      { audio: {} },
      { audio: { soundEffects: ['laugh', 3] } },
    ]);
    const flags = ['audio.soundEffects_has_laugh', 'audio.soundEffects_has_ding', 'audio.soundEffects_has_whoosh'];
    expect(table.rows.map((r) => flags.map((f) => r[f]))).toEqual([
      [true, true, false],
      [false, false, true],
      [false, false, false],
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
    ]);
    expect(table.flags.get('audio.soundEffects_has_whoosh')).toBe('audio.soundEffects');
  });

  it('refuses what is not an analysis, saying which one and why', () => {
    expect(() => flattenAnalyses([{ a: 1 }, [1, 2]])).toThrow(/analysis 2 must be a JSON object \(the nested analysis\), not an array/);
    expect(() => flattenAnalysis(null)).toThrow(/not null/);
    expect(() => flattenAnalysis({ a: { b: () => 1 } })).toThrow(/analysis key "a.b" holds a function/);
  });

  it('the synthetic analyses have ~170 leaf values', () => {
    const { records } = syntheticPreferences(5, 1);
    for (const r of records) expect(leafCount(r.analysis)).toBeGreaterThanOrEqual(155);
  });
});

describe('types and the feature pipeline (§3.2)', () => {
  const rows = [
    { n: 1, b: true, c: 'red', t: 't0', s: 5, m: 1, arr: ['X'] },
    { n: 3, b: false, c: 'blue', t: 't1', s: 5, m: 'n/a', arr: [] },
    { n: null, b: true, c: null, t: 't2', s: 5, m: 2, arr: null },
    { n: 5, c: 'red', t: 't3', s: 5, m: 3, rare: 1, arr: ['Y'] },
  ];

  it('types booleans, numbers, few-valued strings and text; drops low coverage and text; resolves mixed keys by the majority', () => {
    const table = flattenAnalyses(rows);
    const d = decideFeatureTypes(table, all(4), { maxLevels: 3 });
    const kinds = Object.fromEntries(d.kept.map((k) => [k.key, k.kind]));
    expect(kinds).toEqual({
      arr_count: 'numeric',
      arr_empty: 'boolean',
      arr_has_x: 'boolean',
      arr_has_y: 'boolean',
      b: 'boolean',
      c: 'categorical',
      m: 'numeric',
      n: 'numeric',
      s: 'numeric',
    });
    expect(d.kept.find((k) => k.key === 'c')!.levels).toEqual(['blue', 'red']);
    expect(d.dropped).toEqual([
      { key: 'arr', reason: 'coverage', coverage: 0, distinct: null, detail: expect.stringMatching(/^no value on any training row/) },
      { key: 'rare', reason: 'coverage', coverage: 0.25, distinct: null, detail: 'coverage 25 % < 50 %' },
      { key: 't', reason: 'text', coverage: 1, distinct: 4, detail: 'text: 4 distinct values > 3' },
    ]);
    expect(d.mixed).toEqual([{ key: 'm', counts: { number: 3, boolean: 0, string: 1 }, used: 'number' }]);
  });

  it('min-max with the training rows, constant → 0.5, missing → the training mean after normalization, one-hot missing → 0', () => {
    const table = flattenAnalyses(rows);
    const p = fitFeaturePipeline(table, all(4), { maxLevels: 3 });
    const x = transformTable(p, table);
    const col = (name: string) => {
      const j = p.features.findIndex((f) => f.name === name);
      expect(j, name).toBeGreaterThanOrEqual(0);
      return Array.from({ length: 4 }, (_, i) => x.data[i * x.cols + j]);
    };
    expect(col('n')).toEqual([0, 0.5, 0.5, 1]); // (1,3,5) → 0, .5, 1; missing → mean .5
    expect(col('m')).toEqual([0, 0.5, 0.5, 1]); // "n/a" counts as missing
    expect(col('s')).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(p.features.find((f) => f.name === 's')!.constant).toBe(true);
    expect(col('b')).toEqual([1, 0, 1, 2 / 3]); // missing → mean of (1, 0, 1)
    expect(col('c=red')).toEqual([1, 0, 0, 1]);
    expect(col('c=blue')).toEqual([0, 1, 0, 0]);
    expect(col('arr_has_x')).toEqual([1, 0, 1 / 3, 0]); // row 3 has no array: missing → mean of (1, 0, 0)
    expect(p.features.find((f) => f.name === 'arr_has_x')!.coverage).toBe(0.75);
  });

  it('is fitted on training rows only and transforms new rows identically, also after a JSON round trip; a lone new row gets its flags filled', () => {
    const { records } = syntheticPreferences(80, 7);
    const table = flattenAnalyses(records.map((r) => r.analysis));
    const train = all(60);
    const pipeline = fitFeaturePipeline(table, train);
    // Held-out rows do not move the parameters: fitting on the training rows of a sub-table gives the same pipeline.
    expect(fitFeaturePipeline(tableRows(table, train), train)).toEqual(pipeline);
    const again = FeaturePipeline.parse(JSON.parse(JSON.stringify(pipeline)));
    const test = all(20).map((i) => 60 + i);
    expect(transformTable(again, table, test)).toEqual(transformTable(pipeline, table, test));
    // Each held-out analysis flattened on its own (flags only from itself) transforms to the same row.
    for (const i of [60, 61, 75]) {
      const alone = flattenAnalyses([records[i]!.analysis]);
      expect(Array.from(transformTable(pipeline, alone).data)).toEqual(Array.from(transformTable(pipeline, table, [i]).data));
    }
    // Values outside the training range are not clipped (as sklearn's MinMaxScaler).
    const extreme = flattenAnalyses([{ script: { replicability: { score: 100 } } }]);
    const j = pipeline.features.findIndex((f) => f.name === 'script.replicability.score');
    const { min, max } = pipeline.features[j]!;
    expect(transformTable(pipeline, extreme).data[j]).toBeCloseTo((100 - min!) / (max! - min!), 12);
    expect(featurePresent(pipeline.features[j]!, extreme, 0)).toBe(true);
    // JSON has no NaN: every number and boolean feature has finite parameters.
    for (const f of pipeline.features.filter((f) => f.kind !== 'categorical'))
      expect([f.min, f.max, f.fill].every(Number.isFinite), f.name).toBe(true);
  });

  it('refuses a pipeline without training rows and names clashing features', () => {
    const table = flattenAnalyses([{ a: 'x' }, { 'a=x': 1 }, { a: 'x', 'a=x': 2 }]);
    expect(() => fitFeaturePipeline(table, [])).toThrow(/at least one training row/);
    expect(() => fitFeaturePipeline(table, all(3))).toThrow(/two features are both named "a=x"/);
  });
});
