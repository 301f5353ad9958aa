import type { FinetuneRunState } from '../../../shared/finetune';

interface Series {
  key: string;
  kind: 'fold' | 'current' | 'final';
  label: string;
  points: { epoch: number; loss: number }[];
}

const W = 560;
const H = 220;
const PAD = { left: 52, right: 12, top: 12, bottom: 30 };

/** Training loss per epoch, drawn as plain SVG: finished folds faded, the fold in training highlighted, the final run. */
export function LossChart({ state, maxEpochs }: { state: FinetuneRunState; maxEpochs: number }) {
  const series: Series[] = [
    ...Object.values(state.folds).map((f) => ({ key: f.foldId, kind: 'fold' as const, label: f.foldId, points: f.epochs })),
    ...(state.final ? [{ key: 'final', kind: 'final' as const, label: 'final run on every gold frame', points: state.final.epochs }] : []),
    ...(state.current ? [{ key: `current:${state.current.foldId}`, kind: 'current' as const, label: state.current.foldId, points: state.current.epochs }] : []),
  ].filter((s) => s.points.length > 0);
  if (series.length === 0) return <p className="muted">No epoch has finished yet: the loss curves start after the first one.</p>;

  const losses = series.flatMap((s) => s.points.map((p) => p.loss));
  let [lo, hi] = [Math.min(...losses), Math.max(...losses)];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const lastEpoch = Math.max(2, maxEpochs, ...series.flatMap((s) => s.points.map((p) => p.epoch)));
  const x = (epoch: number) => PAD.left + ((epoch - 1) / (lastEpoch - 1)) * (W - PAD.left - PAD.right);
  const y = (loss: number) => PAD.top + ((hi - loss) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const yTicks = [hi, (hi + lo) / 2, lo];
  const xTicks = [...new Set([1, Math.ceil(lastEpoch / 2), lastEpoch])];

  return (
    <figure className="loss-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Training loss per epoch" data-testid="loss-chart">
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
          epoch
        </text>
        {series.map((s) => (
          <g key={s.key} className={`series series-${s.kind}`} data-series={s.kind}>
            <title>{s.label}</title>
            {s.points.length > 1 && <polyline points={s.points.map((p) => `${x(p.epoch)},${y(p.loss)}`).join(' ')} />}
            {s.points.map((p) => (
              <circle key={p.epoch} cx={x(p.epoch)} cy={y(p.loss)} r={s.kind === 'fold' ? 2 : 3.5} />
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="small muted">
        <span className="key key-fold" /> finished folds ({Object.keys(state.folds).length}){' '}
        {state.current && (
          <>
            <span className="key key-current" /> fold in training ({state.current.foldId}){' '}
          </>
        )}
        {state.final && (
          <>
            <span className="key key-final" /> final run on every gold frame
          </>
        )}
      </figcaption>
    </figure>
  );
}
