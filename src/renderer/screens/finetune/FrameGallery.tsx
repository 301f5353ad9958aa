import type { ModelComparison } from '../../../shared/finetune';
import type { FinetuneRunFrame } from '../../../shared/finetuneRuns';
import { fileUrl } from '../../api/client';

/** Held-out frames with their gold class and both models' predictions (thumbnails through the stored-files route). */
export function FrameGallery({
  ids,
  comparison,
  frames,
  names,
  testId,
  empty,
}: {
  ids: string[];
  comparison: ModelComparison;
  frames: Record<string, FinetuneRunFrame>;
  names: { v7: string; v8: string };
  testId: string;
  empty: string;
}) {
  if (ids.length === 0) return <p className="empty">{empty}</p>;
  const byFrame = new Map(comparison.predictions.map((p) => [p.frameId, p]));
  return (
    <ul className="gallery ft-gallery" data-testid={testId}>
      {ids.map((id) => {
        const frame = frames[id];
        const p = byFrame.get(id);
        const image = frame?.thumb ?? frame?.image ?? null;
        return (
          <li key={id} className="card ft-frame" data-testid="frame" data-frame-id={id}>
            <div className="thumb">
              {image ? <img src={fileUrl(image)} alt={`Frame ${id}`} loading="lazy" /> : <span className="muted small">image missing</span>}
            </div>
            <div className="ft-frame-body">
              <strong className="mono">{id}</strong>
              {p && (
                <span className="small">
                  gold <strong>{comparison.classes[p.trueLabel]}</strong>
                  <br />
                  {names.v7}: <span className={p.v7Pred === p.trueLabel ? 'good' : 'bad'}>{comparison.classes[p.v7Pred]}</span> → {names.v8}
                  : <span className={p.v8Pred === p.trueLabel ? 'good' : 'bad'}>{comparison.classes[p.v8Pred]}</span>
                </span>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
