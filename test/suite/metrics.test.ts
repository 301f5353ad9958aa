import { describe, expect, it } from 'vitest';
import { regressionMetrics } from '../../src/main/core/suite/models/metrics';
import { mulberry32 } from '../../src/main/core/random';
import { pythonHas, runPython } from '../helpers/python';

const PY = String.raw`
import sys, json, numpy as np
from sklearn.metrics import mean_squared_error, mean_absolute_error, r2_score
from scipy.stats import spearmanr
d = json.loads(sys.stdin.read()) if False else json.loads(sys.argv[1])
t, p = np.array(d['t']), np.array(d['p'])
rt, rp = np.expm1(t), np.expm1(p)
print(json.dumps({'rmse_log': float(np.sqrt(mean_squared_error(t, p))), 'mae_log': mean_absolute_error(t, p), 'r2_log': r2_score(t, p),
  'rmse_raw': float(np.sqrt(mean_squared_error(rt, rp))), 'mae_raw': mean_absolute_error(rt, rp), 'spearman': spearmanr(t, p).correlation}))
`;

describe('regression metrics', () => {
  it.skipIf(!pythonHas('sklearn', 'scipy'))('equal sklearn / scipy on log and raw scale, ties included', () => {
    const rnd = mulberry32(7);
    const t = Array.from({ length: 40 }, () => Math.round((5 + 6 * rnd()) * 4) / 4);
    const p = t.map((v, i) => (i % 5 === 0 ? 7 : v + rnd() - 0.5));
    const ours = regressionMetrics(t, p);
    const ref = JSON.parse(runPython(PY, [JSON.stringify({ t, p })]));
    for (const k of ['rmse_log', 'mae_log', 'r2_log', 'rmse_raw', 'mae_raw', 'spearman'] as const) {
      expect(ours[k], k).toBeCloseTo(ref[k], 9);
    }
  });

  it('with an untransformed target, views are the target itself (no expm1 of views)', () => {
    const t = [1200, 5000, 800];
    const p = [1000, 5200, 900];
    const m = regressionMetrics(t, p, 'none');
    expect(m.rmse_raw).toBeCloseTo(Math.sqrt((200 ** 2 + 200 ** 2 + 100 ** 2) / 3), 10);
    expect(m.mae_raw).toBeCloseTo(500 / 3, 10);
    expect(m.rmse_log).toBe(m.rmse_raw);
    // The log1p default on the same numbers would read them as log-views: expm1(5000) overflows.
    expect(regressionMetrics(t, p).rmse_raw).toBeNaN();
  });
});
