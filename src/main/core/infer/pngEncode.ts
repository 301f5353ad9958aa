/**
 * A minimal PNG writer for 8-bit RGB pixels (IHDR, one IDAT, IEND), so a decoded frame can be
 * shown without another image library or a second ffmpeg encode.
 */
import zlib from 'node:zlib';
// The same CRC-32 (ISO-HDLC) as ZIP's: PNG chunks use it too.
import { crc32 } from '../vision/weights/zip';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePngRgb(width: number, height: number, rgb: Uint8Array): Buffer {
  if (rgb.length !== width * height * 3) throw new RangeError(`${rgb.length} bytes are not a ${width}x${height} RGB image`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter method, no interlace
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** Nearest-neighbour scale-down to at most maxWidth (display only; the pixels come from the decode). */
export function shrinkRgb(
  width: number,
  height: number,
  rgb: Uint8Array,
  maxWidth: number,
): { width: number; height: number; data: Uint8Array } {
  if (width <= maxWidth) return { width, height, data: rgb };
  const w = maxWidth;
  const h = Math.max(1, Math.round((height * maxWidth) / width));
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / w));
      out.set(rgb.subarray((sy * width + sx) * 3, (sy * width + sx) * 3 + 3), (y * w + x) * 3);
    }
  }
  return { width: w, height: h, data: out };
}
