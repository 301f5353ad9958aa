import { useStore } from '../../store';
import { fitScale, toggleActualSize, zoomAt, ZOOM_STEP, type Size } from './zoomMath';

/**
 * The frame on screen as the frame view last measured it: the image's own size and its box.
 * A measurement, not app state, so it lives here rather than in the store; the keys zoom
 * from it.
 */
let measured: { image: Size; box: Size } | null = null;

export function setMeasuredFrame(next: { image: Size; box: Size } | null): void {
  measured = next;
}

/** + / − zoom around the centre of the view; Space toggles 1:1. */
export function zoomFromKeys(kind: 'in' | 'out' | 'actual'): void {
  if (!measured) return;
  const { zoom, pan, setView } = useStore.getState();
  const { image, box } = measured;
  const next =
    kind === 'actual'
      ? toggleActualSize({ zoom, pan })
      : zoomAt({ zoom, pan }, fitScale(image, box), kind === 'in' ? ZOOM_STEP : 1 / ZOOM_STEP, { x: 0, y: 0 }, image, box);
  setView(next.zoom, next.pan);
}
