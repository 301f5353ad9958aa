import { LineChart } from '../../components/LineChart';
import type { FinetuneRunState } from '../../../shared/finetune';

interface Series {
  key: string;
  kind: 'fold' | 'current' | 'final';
  label: string;
  points: { epoch: number; loss: number }[];
}

/** Training loss per epoch, drawn as plain SVG: finished folds faded, the fold in training highlighted, the final run. */
export function LossChart({ state, maxEpochs }: { state: FinetuneRunState; maxEpochs: number }) {
  const series: Series[] = [
    ...Object.values(state.folds).map((f) => ({ key: f.foldId, kind: 'fold' as const, label: f.foldId, points: f.epochs })),
    ...(state.final ? [{ key: 'final', kind: 'final' as const, label: 'final run on every gold frame', points: state.final.epochs }] : []),
    ...(state.current
      ? [{ key: `current:${state.current.foldId}`, kind: 'current' as const, label: state.current.foldId, points: state.current.epochs }]
      : []),
  ].filter((s) => s.points.length > 0);
  if (series.length === 0) return <p className="muted">No epoch has finished yet: the loss curves start after the first one.</p>;

  return (
    <figure className="loss-chart">
      <LineChart
        series={series.map((s) => ({ key: s.key, kind: s.kind, label: s.label, points: s.points.map((p) => ({ x: p.epoch, y: p.loss })) }))}
        xLabel="epoch"
        ariaLabel="Training loss per epoch"
        testId="loss-chart"
        minXMax={maxEpochs}
      />
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
