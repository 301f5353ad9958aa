import { useEffect, useState } from 'react';
import type { InferFrameImage, InferVideoFrames } from '../../../shared/inferResults';
import { notifyError } from '../../store/notifyError';
import { inferFrameImage, inferVideoFrames } from '../../store/inferActions';

/** Frames shown at once: a long video at 1 s has hundreds; images load one at a time. */
const SHOWN = 120;

/**
 * A video's predicted frames: each frame's image (decoded again from the video the run read,
 * one after another so a long video never starts a hundred ffmpegs) and, per model, the class,
 * confidence and every class's probability.
 */
export function VideoFrames({ outDir, videoId, onClose }: { outDir: string; videoId: string; onClose: () => void }) {
  const [data, setData] = useState<InferVideoFrames | null>(null);
  const [images, setImages] = useState<Record<string, InferFrameImage | string>>({});

  useEffect(() => {
    let current = true;
    inferVideoFrames({ outDir, videoId }).then(async (v) => {
      if (!current) return;
      setData(v);
      for (const f of v.frames.slice(0, SHOWN)) {
        if (!current) return;
        try {
          const image = await inferFrameImage({ outDir, videoId, timestampS: f.timestampS, maxWidth: 320 });
          if (current) setImages((m) => ({ ...m, [f.frameId]: image }));
        } catch (err) {
          // One message for the whole video (e.g. the file moved), not one per frame.
          const text = err instanceof Error ? err.message : String(err);
          if (current) setImages((m) => ({ ...m, [f.frameId]: text }));
          if (!v.path || /no longer/.test(text)) return;
        }
      }
    }, notifyError);
    return () => {
      current = false;
    };
  }, [outDir, videoId]);

  const firstError = Object.values(images).find((i): i is string => typeof i === 'string');
  return (
    <article className="card" aria-label={`Frames of ${videoId}`} data-testid="infer-frames" data-video-id={videoId}>
      <div className="run-item-head">
        <h2>
          Frames of <span className="mono">{videoId}</span>
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {data === null ? (
        <p className="loading">Loading…</p>
      ) : (
        <>
          <p className="small muted mono">{data.path ?? 'merged output: the video file is not recorded, so frames have no image'}</p>
          {firstError && <p className="small bad">{firstError}</p>}
          <ul className="plain infer-frame-grid">
            {data.frames.slice(0, SHOWN).map((f) => {
              const image = images[f.frameId];
              return (
                <li key={f.frameId} className="infer-frame" data-frame-id={f.frameId}>
                  <div className="thumb">
                    {image && typeof image !== 'string' ? (
                      <img src={image.dataUrl} alt={`Frame ${f.frameId}`} width={image.width} height={image.height} />
                    ) : (
                      <span className="muted small">{typeof image === 'string' ? 'no image' : data.path ? 'loading…' : 'no image'}</span>
                    )}
                  </div>
                  <div className="small">
                    <strong>{f.timestampS.toFixed(1)} s</strong> <span className="muted mono">{f.frameId}</span>
                  </div>
                  {data.models.map((m) => {
                    const p = f.models[m.dimension];
                    if (!p) return null;
                    return (
                      <div key={m.dimension} className="small frame-pred" data-dimension={m.dimension}>
                        <span className="muted">{m.dimension}</span> <strong data-testid="frame-pred">{p.pred}</strong> {p.conf.toFixed(2)}
                        <span className="probs" title={m.classes.map((c, i) => `${c}: ${p.probabilities[i]!.toFixed(3)}`).join('\n')}>
                          {m.classes.map((c, i) => (
                            <span
                              key={c}
                              className={`prob ${c === p.pred ? 'prob-pred' : ''}`}
                              style={{ width: `${Math.round(p.probabilities[i]! * 100)}%` }}
                            />
                          ))}
                        </span>
                      </div>
                    );
                  })}
                </li>
              );
            })}
          </ul>
          {data.frames.length > SHOWN && (
            <p className="small muted">
              First {SHOWN} of {data.frames.length} frames shown; model_predictions.csv has all of them.
            </p>
          )}
        </>
      )}
    </article>
  );
}
