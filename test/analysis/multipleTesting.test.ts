import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../src/main/core/analysis/multipleTesting';
import { mulberry32 } from '../../src/main/core/random';
import { pythonHas, runPython } from '../helpers/python';
import { expectAllRelative } from './tolerance';

const MULTIPLETESTS_PY = String.raw`
import json, sys
from statsmodels.stats.multitest import multipletests
print(json.dumps([multipletests(ps, method='fdr_bh')[1].tolist() for ps in json.loads(sys.argv[1])]))
`;

describe('Benjamini–Hochberg q-values', () => {
  it.skipIf(!pythonHas('statsmodels'))('match statsmodels multipletests(method="fdr_bh"), ties and extremes included', () => {
    const random = mulberry32(5);
    const families = [
      Array.from({ length: 21 }, () => random() ** 3),
      [0.01, 0.01, 0.04, 0.04, 0.04, 0.9, 1, 0],
      [0.5],
      Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? 1e-12 * random() : random())),
    ];
    const ref = JSON.parse(runPython(MULTIPLETESTS_PY, [JSON.stringify(families)]));
    families.forEach((ps, k) => expectAllRelative(benjaminiHochberg(ps), ref[k], 1e-14, `family ${k}`, 1e-300));
  });

  it('refuses a p-value that is not one, naming its position', () => {
    expect(() => benjaminiHochberg([0.1, NaN, 0.3])).toThrow(/p-value 2 of the family is NaN/);
    expect(() => benjaminiHochberg([0.1, 1.2])).toThrow(/p-value 2 of the family is 1\.2/);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});
