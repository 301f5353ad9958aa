/**
 * torchvision's sizes and offsets (transforms.functional in 0.14), including its rounding:
 * Resize(int) truncates the longer side, CenterCrop rounds the offset half-to-even (Python's
 * round) and pads with zeros when the crop is larger than the image.
 */
import type { RgbImage } from './preprocessResample';

/** Resize(size) for an int size: the shorter side becomes `size`, the longer keeps the aspect ratio, truncated. */
export function shorterSideSize(width: number, height: number, size: number): { width: number; height: number } {
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((size * long) / short);
  return width <= height ? { width: size, height: newLong } : { width: newLong, height: size };
}

/** Python 3's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * center_crop: an image smaller than the crop is first padded with zeros (left/top get the
 * floor of half the shortfall), then the crop's top-left is round((size - crop) / 2).
 * Returns the crop's top-left in the original image's coordinates (negative inside padding).
 */
export function centerCropOrigin(width: number, height: number, crop: number): { left: number; top: number } {
  const padLeft = crop > width ? Math.floor((crop - width) / 2) : 0;
  const padTop = crop > height ? Math.floor((crop - height) / 2) : 0;
  const paddedWidth = crop > width ? width + padLeft + Math.floor((crop - width + 1) / 2) : width;
  const paddedHeight = crop > height ? height + padTop + Math.floor((crop - height + 1) / 2) : height;
  return {
    left: roundHalfEven((paddedWidth - crop) / 2) - padLeft,
    top: roundHalfEven((paddedHeight - crop) / 2) - padTop,
  };
}

/** The crop×crop centre of `img`; pixels outside the image are black, as torchvision pads them. */
export function centerCrop(img: RgbImage, crop: number): RgbImage {
  const { left, top } = centerCropOrigin(img.width, img.height, crop);
  const out = new Uint8Array(crop * crop * 3);
  for (let y = 0; y < crop; y++) {
    const sy = y + top;
    if (sy < 0 || sy >= img.height) continue;
    const x0 = Math.max(0, -left);
    const x1 = Math.min(crop, img.width - left);
    if (x1 <= x0) continue;
    out.set(img.data.subarray((sy * img.width + x0 + left) * 3, (sy * img.width + x1 + left) * 3), (y * crop + x0) * 3);
  }
  return { width: crop, height: crop, data: out };
}
