/**
 * `suite compare`'s text: every run id whole (ids are what the next command needs), the runs
 * numbered, the values in aligned columns with the change from the first run.
 */
import { describe, expect, it } from 'vitest';
import { compareText } from '../../src/main/cli/commands/suiteRegistry';
import type { SuiteCompare } from '../../src/shared/suiteViews';

const metrics = (r2: number) => ({ n: 40, rmse_log: 1, mae_log: 1, r2_log: r2, rmse_raw: 1, mae_raw: 1, spearman: 0.5 });
const run = (runId: string, name: string | null) => ({
  runId,
  name,
  tags: [],
  createdAt: null,
  rows: { train: 30, val: 5, test: 5 },
  folds: null,
  rankMetric: 'r2_log',
  splitHash: 'abc',
});

describe('compareText', () => {
  it('lists each run id whole with its name, numbers the columns and aligns the values with the change from the first', () => {
    const longId = '20261207-031500-ridge-gbdt-fusion-baseline-7f3a9c';
    const compare = {
      runs: [run(longId, 'baseline'), run('20261207-041500-rerun-2b1d', null)],
      splitWarning: null,
      models: [
        {
          model: 'ridge',
          byRun: [
            { rank: 1, val: metrics(0.4123), test: null },
            { rank: 1, val: metrics(0.43), test: null },
          ],
        },
        { model: 'gated_fusion_mlp', byRun: [null, { rank: 2, val: metrics(0.2), test: null }] },
      ],
      configDiffs: [{ field: 'split.seed', values: [1, 2] }],
    } as unknown as SuiteCompare;

    const lines = compareText(compare).split('\n');
    expect(lines).toEqual([
      'val r2_log by run (change from the first)',
      `  run 1  ${longId}  "baseline"`,
      '  run 2  20261207-041500-rerun-2b1d',
      'model              run 1             run 2',
      'ridge             0.4123  0.4300 (+0.0177)',
      'gated_fusion_mlp       -            0.2000',
      'config fields that differ: split.seed',
    ]);
  });
});
