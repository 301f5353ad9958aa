import { describe, expect, it } from 'vitest';
import { fitGuestMeans, guestMeanOf, outOfFoldGuestMeans } from '../../src/main/core/suite/models/guest';
import { chooseFeatures, assertNoLeakage, HARD_LEAKAGE } from '../../src/main/core/suite/data/leakage';
import type { Table } from '../../src/main/core/suite/data/table';

describe('guest means', () => {
  const guests = ['a', 'a', 'a', 'b', 'b', 'c'];
  const y = Float64Array.from([1, 2, 3, 10, 20, 100]);

  it('are computed on training rows only; unseen guests get the global mean; shrinkage pulls toward it', () => {
    const gm = fitGuestMeans(guests, y, [0, 1, 3]); // c and row 2, 4 unseen
    expect(gm.global).toBeCloseTo(13 / 3, 12);
    expect(guestMeanOf(gm, 'a')).toBe(1.5);
    expect(guestMeanOf(gm, 'b')).toBe(10);
    expect(guestMeanOf(gm, 'c')).toBeCloseTo(13 / 3, 12);
    const shrunk = fitGuestMeans(guests, y, [0, 1, 3], 2);
    expect(guestMeanOf(shrunk, 'a')).toBeCloseTo((3 + 2 * (13 / 3)) / 4, 12);
  });

  it("out-of-fold means never contain the row's own target", () => {
    // Each row's target is unique and huge relative to others; if it leaked, the OOF value would move with it.
    const n = 50;
    const g = Array.from({ length: n }, (_, i) => `g${i % 5}`);
    const base = Float64Array.from({ length: n }, (_, i) => i);
    const rows = Array.from({ length: n }, (_, i) => i);
    const oof = outOfFoldGuestMeans(g, base, rows, 5, 9);
    for (let r = 0; r < n; r++) {
      const bumped = Float64Array.from(base);
      bumped[r] = 1e9;
      expect(outOfFoldGuestMeans(g, bumped, rows, 5, 9)[r]).toBe(oof[r]);
    }
  });
});

describe('leakage guard', () => {
  const table: Table = {
    source: 'meta.csv',
    rowCount: 3,
    columns: new Map<string, Table['columns'] extends Map<string, infer C> ? C : never>([
      ['video_id', { kind: 'text', values: ['a', 'b', 'c'] }],
      ['channel_id', { kind: 'text', values: ['x', 'y', 'x'] }],
      ['duration', { kind: 'numeric', values: Float64Array.from([1, 2, 3]) }],
      ['language', { kind: 'text', values: ['en', null, 'de'] }],
      ['custom_leak', { kind: 'numeric', values: Float64Array.from([1, 2, 3]) }],
      ...HARD_LEAKAGE.map((c) => [c, { kind: 'numeric' as const, values: Float64Array.from([1, 2, 3]) }] as const),
    ]),
  };

  it('never chooses a leakage column, an id, or the guest column by default', () => {
    const f = chooseFeatures(table, { target: 'horizon_view_count', guestColumn: 'channel_id', extraLeakage: ['custom_leak'] });
    expect(f.numeric).toEqual(['duration']);
    expect(f.categorical).toEqual(['language']);
    expect(f.excluded.find((e) => e.column === 'custom_leak')?.reason).toBe('leakage');
    expect(f.excluded.find((e) => e.column === 'video_id')?.reason).toBe('id');
  });

  it.each([...HARD_LEAKAGE, 'custom_leak'])('naming %s as a feature fails, naming it', (column) => {
    expect(() =>
      chooseFeatures(table, { target: 'horizon_view_count', extraLeakage: ['custom_leak'], numeric: ['duration', column] }),
    ).toThrow(new RegExp(`"${column}" is in the leakage set`));
    expect(() => assertNoLeakage(['duration', column.toUpperCase()], { target: 'horizon_view_count', extra: ['custom_leak'] })).toThrow(
      /survived feature selection/,
    );
  });
});
