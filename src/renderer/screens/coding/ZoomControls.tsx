import { useStore } from '../../store';
import { zoomFromKeys } from './frameZoom';

/** The zoom as a number and as buttons, for the mouse; the keys do the same (+ − Space). */
export function ZoomControls() {
  const zoom = useStore((s) => s.zoom);
  const setView = useStore((s) => s.setView);
  return (
    <span className="zoom-controls" role="group" aria-label="Zoom">
      <button type="button" aria-label="Zoom out" title="Zoom out (−)" onClick={() => zoomFromKeys('out')}>
        −
      </button>
      <span className="zoom-level" data-testid="zoom-level">
        {zoom === null ? 'Fit' : `${Math.round(zoom * 100)} %`}
      </span>
      <button type="button" aria-label="Zoom in" title="Zoom in (+)" onClick={() => zoomFromKeys('in')}>
        +
      </button>
      <button type="button" aria-pressed={zoom === 1} title="Actual pixels (Space)" onClick={() => zoomFromKeys('actual')}>
        1:1
      </button>
      {zoom !== null && (
        <button type="button" title="Fit the frame to the view (double-click)" onClick={() => setView(null, { x: 0, y: 0 })}>
          Fit
        </button>
      )}
    </span>
  );
}
