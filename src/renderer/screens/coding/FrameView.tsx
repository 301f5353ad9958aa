import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CodingFrame } from '../../../shared/coding';
import { fileUrl } from '../../api/client';
import { useStore } from '../../store';
import { FrameCanvas } from './FrameCanvas';
import { ZoomControls } from './ZoomControls';
import type { Size } from './zoomMath';

const NEIGHBOURS = 3;

/**
 * The frame large, with the neighbouring frames of the same video as context: beside a
 * portrait (9:16) frame, where the width is to spare, and under a landscape one.
 */
export function FrameView({ frame, position, total }: { frame: CodingFrame; position: number; total: number }) {
  const showFrame = useStore((s) => s.showFrame);
  // Coding is blind: a coder is not told which frames another coder also codes (the lead is).
  const showOverlap = useStore((s) => s.role.kind === 'lead');
  // The last frame's shape holds until this one loads: a video's frames share it.
  const [shape, setShape] = useState<'portrait' | 'landscape'>('landscape');
  const neighbours = useStore(
    useShallow((s) => {
      const same = s.queue.filter((f) => f.videoId === frame.videoId);
      const at = same.findIndex((f) => f.frameId === frame.frameId);
      return same.slice(Math.max(0, at - NEIGHBOURS), at + NEIGHBOURS + 1);
    }),
  );
  const onImageSize = (size: Size) => setShape(size.h > size.w ? 'portrait' : 'landscape');
  return (
    <div className={`frame-view ${shape}`} data-shape={shape}>
      <div className="frame-stage">
        {frame.image ? (
          <FrameCanvas src={fileUrl(frame.image)} alt={`Frame ${frame.frameId}`} onImageSize={onImageSize} />
        ) : (
          <div className="frame-image" data-testid="frame-image">
            <div className="image-missing">Image missing: its codes still count; it links when the image arrives.</div>
          </div>
        )}
        <div className="filmstrip" aria-label="Neighbouring frames">
          {neighbours.map((n) => (
            <button
              key={n.frameId}
              type="button"
              className={n.frameId === frame.frameId ? 'current' : ''}
              onClick={() => showFrame(n.frameId)}
              title={n.frameId}
            >
              {n.thumb ? <img src={fileUrl(n.thumb)} alt="" /> : <span>{n.timestampS.toFixed(1)} s</span>}
            </button>
          ))}
        </div>
      </div>
      <div className="frame-caption">
        <strong data-testid="frame-id">{frame.frameId}</strong>
        <span className="muted">
          {frame.videoId} · {frame.timestampS.toFixed(1)} s · {position + 1} of {total}
          {frame.overlap && showOverlap ? ' · overlap' : ''}
        </span>
        {frame.image && <ZoomControls />}
      </div>
    </div>
  );
}
