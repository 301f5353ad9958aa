/**
 * Independent oracles from Debian's Python: scikit-learn's cohen_kappa_score (plain, linear,
 * quadratic) and statsmodels' fleiss_kappa. `.ci/run` installs python3-sklearn and
 * python3-statsmodels; where a module is missing only its check is skipped, with the reason.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { icrReport } from '../../src/main/core/icr/report';
import type { ReliabilityData } from '../../src/main/core/icr/data';
import { csvData, FLEISS_WIKIPEDIA, ONE_TO_FIVE, randomData } from './fixtures';
import { PYTHON } from '../helpers/python';

function hasModule(name: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${name}`], { stdio: 'ignore' }).status === 0;
}

function python(script: string, input: unknown): unknown {
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`${PYTHON} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const sklearn = hasModule('sklearn');
const statsmodels = hasModule('statsmodels');
const missing = (pkg: string) => `(SKIPPED: ${PYTHON} cannot import it; install Debian's ${pkg}, as .ci/run does)`;

const point = (data: ReliabilityData) => icrReport(data, { dimension: 'value', level: null, order: 'declared', bootstrap: 0 });

describe('Python oracles', () => {
  it.skipIf(!sklearn)(
    `Cohen's and weighted kappa equal sklearn.metrics.cohen_kappa_score on 30 random datasets ${sklearn ? '' : missing('python3-sklearn')}`,
    () => {
      const cases = Array.from({ length: 30 }, (_, i) => randomData(1000 + i, { coders: 2 }));
      const input = cases.map((data) => {
        const both = data.units.filter((u) => data.coders.every((c) => u.codes.has(c)));
        return {
          q: data.categories.length,
          y1: both.map((u) => u.codes.get(data.coders[0]!)!),
          y2: both.map((u) => u.codes.get(data.coders[1]!)!),
        };
      });
      // labels=range(q): the declared categories, an unused one included, in their order.
      const script = `
import json, sys, warnings
warnings.simplefilter('ignore')
from sklearn.metrics import cohen_kappa_score
def k(c, w):
    v = cohen_kappa_score(c['y1'], c['y2'], labels=list(range(c['q'])), weights=w)
    return None if v != v else float(v)
print(json.dumps([[k(c, None), k(c, 'linear'), k(c, 'quadratic')] for c in json.load(sys.stdin)]))`;
      const expected = python(script, input) as (number | null)[][];
      let checked = 0;
      cases.forEach((data, i) => {
        const r = point(data);
        const ours = [r.cohenKappa, r.weightedKappa.linear, r.weightedKappa.quadratic];
        ours.forEach((v, j) => {
          const e = expected[i]![j]!;
          if (e === null) return expect(v).toBeNull();
          expect(Math.abs(v! - e), `case ${i}, statistic ${j}`).toBeLessThan(1e-9);
          checked++;
        });
      });
      expect(checked).toBeGreaterThan(60);
    },
  );

  it.skipIf(!statsmodels)(
    `Fleiss' kappa equals statsmodels' fleiss_kappa on complete data ${statsmodels ? '' : missing('python3-statsmodels')}`,
    () => {
      // statsmodels needs every unit rated by all: complete random data, plus Wikipedia's example.
      const complete = Array.from({ length: 20 }, (_, i) => {
        const data = randomData(2000 + i, { coders: 3 + (i % 3) });
        const units = data.units.filter((u) => u.codes.size === data.coders.length);
        return { ...data, units };
      }).filter((d) => d.units.length > 1);
      complete.push(csvData(FLEISS_WIKIPEDIA, 'value', ONE_TO_FIVE));
      const tables = complete.map((data) =>
        data.units.map((u) => {
          const row = new Array<number>(data.categories.length).fill(0);
          for (const c of u.codes.values()) row[c]!++;
          return row;
        }),
      );
      const script = `
import json, sys, warnings
warnings.simplefilter('ignore')
import numpy as np
from statsmodels.stats.inter_rater import fleiss_kappa
def f(t):
    v = fleiss_kappa(np.array(t), method='fleiss')
    return None if v != v or abs(v) == float('inf') else float(v)
print(json.dumps([f(t) for t in json.load(sys.stdin)]))`;
      const expected = python(script, tables) as (number | null)[];
      let checked = 0;
      complete.forEach((data, i) => {
        const ours = point(data).fleissKappa;
        const e = expected[i]!;
        if (e === null) return expect(ours).toBeNull();
        expect(Math.abs(ours! - e), `case ${i}`).toBeLessThan(1e-9);
        checked++;
      });
      expect(Math.abs(expected[expected.length - 1]! - 0.2099307)).toBeLessThan(1e-6);
      expect(checked).toBeGreaterThan(15);
    },
  );
});
