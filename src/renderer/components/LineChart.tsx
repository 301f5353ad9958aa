/**
 * A plain SVG line chart: series of (x, y) points with axes and three ticks each. Series are
 * styled by their `kind` (a class `series-<kind>` and `data-series`), so each screen colours
 * them in its own CSS (fine-tune folds vs. final run, suite train loss vs. validation RMSE).
 */
export interface LineSeries {
  key: string;
  kind: string;
  label: string;
  points: { x: number; y: number }[];
}

const W = 560;
const H = 220;
const PAD = { left: 52, right: 12, top: 12, bottom: 30 };

export function LineChart({
  series,
  xLabel,
  ariaLabel,
  testId,
  minXMax = 2,
  xStart = 1,
  dotRadius = (s) => (s.kind === 'fold' ? 2 : 3.5),
}: {
  series: LineSeries[];
  xLabel: string;
  ariaLabel: string;
  testId: string;
  /** The x axis reaches at least here (e.g. the epoch budget), so a young curve is not stretched. */
  minXMax?: number;
  xStart?: number;
  dotRadius?: (s: LineSeries) => number;
}) {
  const drawn = series.map((s) => ({ ...s, points: s.points.filter((p) => Number.isFinite(p.y)) })).filter((s) => s.points.length > 0);
  const ys = drawn.flatMap((s) => s.points.map((p) => p.y));
  let [lo, hi] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const xMax = Math.max(xStart + 1, minXMax, ...drawn.flatMap((s) => s.points.map((p) => p.x)));
  const x = (v: number) => PAD.left + ((v - xStart) / (xMax - xStart)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + ((hi - v) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const yTicks = [hi, (hi + lo) / 2, lo];
  const xTicks = [...new Set([xStart, Math.ceil((xStart + xMax) / 2), xMax])];
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={ariaLabel} data-testid={testId}>
      <line className="axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
      <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
      {yTicks.map((t) => (
        <text key={`y${t}`} className="tick" x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
          {t.toFixed(3)}
        </text>
      ))}
      {xTicks.map((t) => (
        <text key={`x${t}`} className="tick" x={x(t)} y={H - PAD.bottom + 16} textAnchor="middle">
          {t}
        </text>
      ))}
      <text className="tick" x={W - PAD.right} y={H - 2} textAnchor="end">
        {xLabel}
      </text>
      {drawn.map((s) => (
        <g key={s.key} className={`series series-${s.kind}`} data-series={s.kind}>
          <title>{s.label}</title>
          {s.points.length > 1 && <polyline points={s.points.map((p) => `${x(p.x)},${y(p.y)}`).join(' ')} />}
          {s.points.map((p) => (
            <circle key={p.x} cx={x(p.x)} cy={y(p.y)} r={dotRadius(s)} />
          ))}
        </g>
      ))}
    </svg>
  );
}
