import type { CurvePoint, PredictionPoints } from '../../../shared/suiteViews';
import { LineChart } from '../../components/LineChart';

/**
 * One model's training curves. Neural models: the training loss (MSE on the centred log target)
 * and the early-stopping RMSE per epoch. gbdt: the RMSE on the training rows and on the
 * early-stopping rows per boosting round.
 */
export function CurvesChart({
  name,
  points,
  unit = 'epoch',
  maxEpochs,
}: {
  name: string;
  points: CurvePoint[];
  unit?: 'epoch' | 'round';
  maxEpochs?: number;
}) {
  const rounds = unit === 'round';
  const trainLabel = rounds ? 'training RMSE (log)' : 'training loss (MSE)';
  const series = [
    {
      key: 'train',
      kind: 'train',
      label: trainLabel,
      points: points.filter((p) => p.trainLoss !== null).map((p) => ({ x: p.epoch, y: p.trainLoss! })),
    },
    {
      key: 'val',
      kind: 'val',
      label: 'early-stopping RMSE (log)',
      points: points.filter((p) => p.valRmse !== null).map((p) => ({ x: p.epoch, y: p.valRmse! })),
    },
  ];
  const best = points.reduce<CurvePoint | null>((b, p) => (p.valRmse !== null && (b === null || p.valRmse < b.valRmse!) ? p : b), null);
  const noun = rounds ? 'round' : 'epoch';
  return (
    <figure className="suite-chart" data-testid="curve" data-curve={name} data-unit={unit}>
      <figcaption>
        <strong>{name}</strong>{' '}
        <span className="small muted">
          {points.length} {noun}
          {points.length === 1 ? '' : 's'}
          {best ? ` · best RMSE ${best.valRmse!.toFixed(4)} at ${noun} ${best.epoch}` : ''}
        </span>
      </figcaption>
      <LineChart
        series={series}
        xLabel={rounds ? 'boosting round' : 'epoch'}
        ariaLabel={`Training curves of ${name}`}
        testId="curve-chart"
        minXMax={maxEpochs ?? 2}
        dotRadius={() => (rounds && points.length > 60 ? 0 : 2.5)}
      />
      <p className="small muted">
        <span className="key key-train" /> {rounds ? 'RMSE on the training rows' : 'training loss'} <span className="key key-val" />{' '}
        early-stopping RMSE (held-out training rows)
      </p>
    </figure>
  );
}

const W = 320;
const H = 320;
const PAD = 40;

/** Predicted vs actual (log target) with the y = x line: points above it are over-predicted. */
export function ScatterPlot({ data }: { data: PredictionPoints }) {
  const values = data.points.flatMap((p) => [p.yTrue, p.yPred]).filter(Number.isFinite);
  let [lo, hi] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const margin = (hi - lo) * 0.04;
  [lo, hi] = [lo - margin, hi + margin];
  const sx = (v: number) => PAD + ((v - lo) / (hi - lo)) * (W - PAD - 10);
  const sy = (v: number) => H - PAD - ((v - lo) / (hi - lo)) * (H - PAD - 10);
  const ticks = [lo + margin, (lo + hi) / 2, hi - margin];
  return (
    <figure className="suite-chart scatter">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Predicted vs actual, ${data.model}, ${data.split}`}
        data-testid="scatter"
        data-points={data.points.length}
      >
        <line className="axis" x1={PAD} y1={H - PAD} x2={W - 10} y2={H - PAD} />
        <line className="axis" x1={PAD} y1={10} x2={PAD} y2={H - PAD} />
        <line className="identity" x1={sx(lo)} y1={sy(lo)} x2={sx(hi)} y2={sy(hi)} />
        {ticks.map((t) => (
          <g key={t}>
            <text className="tick" x={sx(t)} y={H - PAD + 14} textAnchor="middle">
              {t.toFixed(1)}
            </text>
            <text className="tick" x={PAD - 4} y={sy(t) + 4} textAnchor="end">
              {t.toFixed(1)}
            </text>
          </g>
        ))}
        <text className="tick" x={W - 10} y={H - 4} textAnchor="end">
          actual
        </text>
        <text className="tick" x={4} y={12}>
          predicted
        </text>
        {data.points.map((p) => (
          <circle key={p.id} className="dot" cx={sx(p.yTrue)} cy={sy(p.yPred)} r={2.5}>
            <title>{`${p.id}: actual ${p.yTrue.toFixed(3)}, predicted ${p.yPred.toFixed(3)}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="small muted">
        {data.points.length < data.total ? `${data.points.length} of ${data.total} rows (an even sample)` : `${data.total} rows`} · log
        scale · the line is a perfect prediction
      </figcaption>
    </figure>
  );
}

/** Permutation importance: the rise in RMSE when a feature is shuffled (± sd over the repeats). */
export function ImportanceBars({ rows }: { rows: { feature: string; increase: number | null; sd: number | null }[] }) {
  const sorted = [...rows].sort((a, b) => (b.increase ?? -Infinity) - (a.increase ?? -Infinity));
  const max = Math.max(1e-12, ...sorted.map((r) => Math.abs(r.increase ?? 0)));
  if (!sorted.length) return <p className="muted">No importance for this model.</p>;
  return (
    <table className="table importance" data-testid="importance">
      <thead>
        <tr>
          <th>Feature</th>
          <th>RMSE rise when shuffled</th>
          <th>± sd</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.feature} data-feature={r.feature}>
            <td className="mono small">{r.feature}</td>
            <td>
              <span className="bar-cell">
                <span
                  className={`bar ${(r.increase ?? 0) <= 0 ? 'bar-none' : ''}`}
                  style={{ width: `${(Math.max(0, r.increase ?? 0) / max) * 100}%` }}
                />
                <span className="small">{r.increase === null ? '—' : r.increase.toFixed(4)}</span>
              </span>
            </td>
            <td className="small muted">{r.sd === null ? '—' : r.sd.toFixed(4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
