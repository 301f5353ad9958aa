/**
 * The frame view's geometry, kept pure so it can be tested without a browser. The frame is
 * centred in its box and moved by `pan` (screen pixels); `zoom` null means "fit to the box",
 * a number is screen pixels per image pixel (1 is 1:1).
 */
export interface Size {
  w: number;
  h: number;
}
export interface Point {
  x: number;
  y: number;
}
export interface FrameViewState {
  zoom: number | null;
  pan: Point;
}

export const FIT: FrameViewState = { zoom: null, pan: { x: 0, y: 0 } };
/** One wheel notch or one +/− press. */
export const ZOOM_STEP = 1.25;
const MAX_ZOOM = 8;

/** The scale that shows the whole frame as large as the box allows: by height for 9:16, by width for 16:9. */
export function fitScale(image: Size, box: Size): number {
  if (image.w <= 0 || image.h <= 0 || box.w <= 0 || box.h <= 0) return 1;
  return Math.min(box.w / image.w, box.h / image.h);
}

/** A frame smaller than its box stays centred on that axis; a larger one cannot be dragged off screen. */
export function clampPan(pan: Point, scale: number, image: Size, box: Size): Point {
  const limitX = Math.max(0, (image.w * scale - box.w) / 2);
  const limitY = Math.max(0, (image.h * scale - box.h) / 2);
  return { x: clamp(pan.x, -limitX, limitX), y: clamp(pan.y, -limitY, limitY) };
}

/**
 * Zooms by `factor` keeping the image point under `at` (relative to the box's centre) where
 * it is, as image viewers do. Zooming out to the fit (or past it) returns to "fit".
 */
export function zoomAt(view: FrameViewState, fit: number, factor: number, at: Point, image: Size, box: Size): FrameViewState {
  const from = view.zoom ?? fit;
  const floor = Math.min(fit, 1);
  const to = clamp(from * factor, floor, Math.max(MAX_ZOOM, fit));
  if (factor < 1 && from > fit && to <= fit * 1.02) return FIT;
  if (Math.abs(to - fit) < fit * 0.02 && factor > 1 && from < fit) return FIT;
  const ratio = to / from;
  const pan = { x: at.x - (at.x - view.pan.x) * ratio, y: at.y - (at.y - view.pan.y) * ratio };
  return { zoom: to, pan: clampPan(pan, to, image, box) };
}

/** The 1:1 key: actual pixels, centred; pressed again, back to the fit. */
export function toggleActualSize(view: FrameViewState): FrameViewState {
  return view.zoom === 1 ? FIT : { zoom: 1, pan: { x: 0, y: 0 } };
}

/** Double-click: twice the fit around the clicked point; when zoomed in, back to the fit. */
export function doubleClickZoom(view: FrameViewState, fit: number, at: Point, image: Size, box: Size): FrameViewState {
  return view.zoom === null ? zoomAt(view, fit, 2, at, image, box) : FIT;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
