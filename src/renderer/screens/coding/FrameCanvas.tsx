import { useEffect, useRef, useState } from 'react';
import { useStore } from '../../store';
import { setMeasuredFrame } from './frameZoom';
import { useElementSize } from './useElementSize';
import { clampPan, doubleClickZoom, fitScale, zoomAt, ZOOM_STEP, type Point, type Size } from './zoomMath';

/**
 * The frame as large as its box allows (by height for portrait, by width for landscape), with
 * wheel and double-click zoom around the pointer and drag to pan. The image keeps its own
 * pixels: it is scaled, never cropped, so a 1080×1920 frame at 1:1 shows every pixel.
 */
export function FrameCanvas({ src, alt, onImageSize }: { src: string; alt: string; onImageSize: (size: Size) => void }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const box = useElementSize(boxRef);
  const [image, setImage] = useState<Size | null>(null);
  const zoom = useStore((s) => s.zoom);
  const pan = useStore((s) => s.pan);
  const setView = useStore((s) => s.setView);
  const drag = useRef<{ pointer: number; from: Point; pan: Point } | null>(null);

  const fit = image && box ? fitScale(image, box) : 1;
  const scale = zoom ?? fit;
  useEffect(() => {
    setMeasuredFrame(image && box ? { image, box } : null);
    return () => setMeasuredFrame(null);
  }, [image, box]);

  /** A pointer position relative to the box's centre, where pan is measured from. */
  const fromCentre = (clientX: number, clientY: number): Point => {
    const rect = boxRef.current!.getBoundingClientRect();
    return { x: clientX - rect.left - rect.width / 2, y: clientY - rect.top - rect.height / 2 };
  };

  // React's wheel listener is passive: the page would scroll as well as the frame zoom.
  useEffect(() => {
    const el = boxRef.current;
    if (!el || !image || !box) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { zoom: z, pan: p } = useStore.getState();
      const next = zoomAt(
        { zoom: z, pan: p },
        fit,
        event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP,
        fromCentre(event.clientX, event.clientY),
        image,
        box,
      );
      setView(next.zoom, next.pan);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [image, box, fit, setView]);

  const width = image ? image.w * scale : 0;
  const height = image ? image.h * scale : 0;
  const movable = !!box && (width > box.w + 0.5 || height > box.h + 0.5);
  return (
    <div
      ref={boxRef}
      className={`frame-image${movable ? ' movable' : ''}`}
      data-testid="frame-image"
      onDoubleClick={(e) => {
        if (!image || !box) return;
        const next = doubleClickZoom({ zoom, pan }, fit, fromCentre(e.clientX, e.clientY), image, box);
        setView(next.zoom, next.pan);
      }}
      onPointerDown={(e) => {
        if (!movable || e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { pointer: e.pointerId, from: { x: e.clientX, y: e.clientY }, pan };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d || d.pointer !== e.pointerId || !image || !box) return;
        setView(zoom, clampPan({ x: d.pan.x + e.clientX - d.from.x, y: d.pan.y + e.clientY - d.from.y }, scale, image, box));
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
    >
      <img
        src={src}
        alt={alt}
        draggable={false}
        onLoad={(e) => {
          const size = { w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight };
          setImage((old) => (old && old.w === size.w && old.h === size.h ? old : size));
          onImageSize(size);
        }}
        style={
          image && box ? { width, height, left: (box.w - width) / 2 + pan.x, top: (box.h - height) / 2 + pan.y } : { visibility: 'hidden' }
        }
      />
    </div>
  );
}
