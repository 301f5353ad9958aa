import { useMemo } from 'react';
import type { ComparisonRow } from '../../../shared/analysis';
import { COMPARISON_METRIC_LABELS, COMPARISON_MODEL_LABELS, comparisonChart } from '../../../shared/plots';
import { Figure } from './Figure';
import { fmt } from './format';

const MODELS = Object.keys(COMPARISON_MODEL_LABELS) as ComparisonRow['model'][];

/**
 * The model comparison of one outcome: one table with in-sample and cross-validated figures
 * in separate columns (never one column: an in-sample R² flatters), and the chart.
 */
export function ComparisonSection({ rows }: { rows: ComparisonRow[] }) {
  const svg = useMemo(() => (rows.length ? comparisonChart(rows, { theme: 'inherit' }) : null), [rows]);
  if (!rows.length) return null;
  const cell = (model: ComparisonRow['model'], kind: ComparisonRow['kind']) => {
    const found = rows.filter((r) => r.model === model && r.kind === kind);
    return found.length ? found.map((r) => `${COMPARISON_METRIC_LABELS[r.metric]} ${fmt(r.value)}`).join(' · ') : '—';
  };
  return (
    <section className="card" aria-labelledby="analysis-comparison-title">
      <h3 id="analysis-comparison-title">Model comparison</h3>
      <div className="analysis-split">
        <table className="table" data-testid="analysis-comparison">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">In-sample</th>
              <th scope="col">Cross-validated (out-of-fold)</th>
            </tr>
          </thead>
          <tbody>
            {MODELS.filter((m) => rows.some((r) => r.model === m)).map((m) => (
              <tr key={m}>
                <th scope="row">{COMPARISON_MODEL_LABELS[m]}</th>
                <td className="num">{cell(m, 'in_sample')}</td>
                <td className="num">{cell(m, 'cross_validated')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {svg && <Figure svg={svg} testId="analysis-comparison-plot" />}
      </div>
    </section>
  );
}
