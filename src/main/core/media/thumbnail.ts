/**
 * A coding thumbnail from a stored frame image: decoded as training decodes it (sharp), resized
 * with Pillow's antialiased bilinear filter by the image addon (the model-input resize; the
 * TypeScript port without the addon) and written as a JPEG. ffmpeg's `scale` filter made them
 * before, with its own resampler and another ffmpeg start per frame.
 */
import sharp from 'sharp';
import { decodeRgb, resizeImage } from '../vision/preprocess';

export const THUMB_WIDTH = 320;
/** libjpeg quality: ~ffmpeg's `-q:v 4`, which the thumbnails used; artefacts invisible at 320 px. */
export const THUMB_QUALITY = 85;

/** 320 px wide (never upscaled), the height in proportion, at least 1 px. */
export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  if (width <= THUMB_WIDTH) return { width, height };
  return { width: THUMB_WIDTH, height: Math.max(1, Math.round((height * THUMB_WIDTH) / width)) };
}

/** The thumbnail's pixels (RGB, row-major) for the image at `source`. */
export async function thumbnailPixels(source: string | Buffer): Promise<{ width: number; height: number; data: Uint8Array }> {
  const img = await decodeRgb(source);
  const size = thumbnailSize(img.width, img.height);
  return resizeImage(img, size.width, size.height, 'bilinear');
}

/** Writes the thumbnail of the image at `source` to `target` (a .jpg path). */
export async function writeThumbnail(source: string, target: string): Promise<void> {
  const thumb = await thumbnailPixels(source);
  await sharp(Buffer.from(thumb.data.buffer, thumb.data.byteOffset, thumb.data.length), {
    raw: { width: thumb.width, height: thumb.height, channels: 3 },
  })
    .jpeg({ quality: THUMB_QUALITY })
    .toFile(target);
}
