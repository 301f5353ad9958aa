/**
 * Pillow's resampling (`Image.resize` on an 8-bit RGB image, libImaging/Resample.c), ported
 * so that inference sees the pixels torchvision's `Resize` on a PIL image gave the model in
 * training, byte for byte:
 *  - separable convolution, horizontal pass first, then vertical;
 *  - the filter is stretched by the scale factor when shrinking (that is the antialiasing);
 *  - coefficients are normalised per output pixel, then turned into 22-bit fixed point;
 *  - the intermediate image is rounded and clamped to 8 bits, as Pillow stores it.
 * A generic resampler (sharp/libvips, or float arithmetic) differs by a level or two on many
 * pixels, which shifts a fine-tuned model's outputs.
 */
import { FramelabError } from '../../../shared/errors';

/** Tightly packed 8-bit RGB, row-major (what sharp's raw output gives for 3 channels). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

interface Filter {
  support: number;
  weight: (x: number) => number;
}

/** Pillow's filters, under the names torchvision's InterpolationMode uses. */
const FILTERS: Record<string, Filter> = {
  box: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: {
    support: 1,
    weight: (x) => {
      const a = Math.abs(x);
      return a < 1 ? 1 - a : 0;
    },
  },
  hamming: {
    support: 1,
    weight: (x) => {
      const a = Math.abs(x);
      if (a === 0) return 1;
      if (a >= 1) return 0;
      const t = a * Math.PI;
      // Pillow writes these constants as C floats (0.54f, 0.46f).
      return (Math.sin(t) / t) * (Math.fround(0.54) + Math.fround(0.46) * Math.cos(t));
    },
  },
  bicubic: {
    support: 2,
    weight: (x) => {
      const a = -0.5;
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
  lanczos: {
    support: 3,
    weight: (x) => (-3 <= x && x < 3 ? sinc(x) * sinc(x / 3) : 0),
  },
};

function sinc(x: number): number {
  if (x === 0) return 1;
  const t = x * Math.PI;
  return Math.sin(t) / t;
}

export type ResampleFilter = keyof typeof FILTERS;
export const RESAMPLE_FILTERS = Object.keys(FILTERS) as ResampleFilter[];

/** 8 bits of result, 2 bits of headroom for filters with negative lobes, in a 32-bit int. */
const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

interface Coefficients {
  /** Taps per output pixel (the stride of `weights`). */
  taps: number;
  /** First input index of each output pixel. */
  first: Int32Array;
  /** Number of input pixels used by each output pixel. */
  count: Int32Array;
  /** Fixed-point weights, `taps` per output pixel. */
  weights: Int32Array;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for resizing `inSize` → `outSize` (box = whole image). */
function coefficients(inSize: number, outSize: number, filter: Filter): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * taps);
  const w = new Float64Array(taps);
  const inverse = 1 / filterScale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) truncates toward zero; the clamps make that equal to Pillow's rounding.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      w[x] = filter.weight((x + xmin - center + 0.5) * inverse);
      total += w[x]!;
    }
    for (let x = 0; x < xmax; x++) {
      const k = total !== 0 ? w[x]! / total : w[x]!;
      weights[xx * taps + x] = k < 0 ? Math.trunc(-0.5 + k * ONE) : Math.trunc(0.5 + k * ONE);
    }
    first[xx] = xmin;
    count[xx] = xmax;
  }
  return { taps, first, count, weights };
}

/** Pillow's clip8: the fixed-point sum → 0…255 (floor, as its arithmetic shift does). */
function clip8(sum: number): number {
  const v = Math.floor(sum / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

function horizontal(src: RgbImage, width: number, rowFirst: number, rows: number, c: Coefficients): RgbImage {
  const out = new Uint8Array(width * rows * 3);
  const { taps, first, count, weights } = c;
  const inStride = src.width * 3;
  for (let y = 0; y < rows; y++) {
    const rowIn = (y + rowFirst) * inStride;
    const rowOut = y * width * 3;
    for (let xx = 0; xx < width; xx++) {
      const k0 = xx * taps;
      let r = HALF;
      let g = HALF;
      let b = HALF;
      let p = rowIn + first[xx]! * 3;
      const n = count[xx]!;
      for (let x = 0; x < n; x++, p += 3) {
        const k = weights[k0 + x]!;
        r += src.data[p]! * k;
        g += src.data[p + 1]! * k;
        b += src.data[p + 2]! * k;
      }
      const o = rowOut + xx * 3;
      out[o] = clip8(r);
      out[o + 1] = clip8(g);
      out[o + 2] = clip8(b);
    }
  }
  return { width, height: rows, data: out };
}

/** `rowShift` maps the coefficients' row indices into `src` (which may hold only the rows used). */
function vertical(src: RgbImage, height: number, rowShift: number, c: Coefficients): RgbImage {
  const width = src.width;
  const stride = width * 3;
  const out = new Uint8Array(stride * height);
  const { taps, first, count, weights } = c;
  for (let yy = 0; yy < height; yy++) {
    const k0 = yy * taps;
    const y0 = first[yy]! - rowShift;
    const n = count[yy]!;
    const rowOut = yy * stride;
    for (let i = 0; i < stride; i++) {
      let s = HALF;
      let p = y0 * stride + i;
      for (let y = 0; y < n; y++, p += stride) s += src.data[p]! * weights[k0 + y]!;
      out[rowOut + i] = clip8(s);
    }
  }
  return { width, height, data: out };
}

/** `Image.resize((width, height), filter)` of Pillow on an RGB image. */
export function resizeRgb(src: RgbImage, width: number, height: number, filterName: ResampleFilter = 'bilinear'): RgbImage {
  const filter = FILTERS[filterName];
  if (!filter)
    throw new FramelabError('INVALID_INPUT', `Unknown resampling filter "${filterName}": use one of ${RESAMPLE_FILTERS.join(', ')}.`);
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new FramelabError('INVALID_INPUT', `Cannot resize to ${width}×${height}: both sides must be positive integers.`);
  }
  if (src.data.length !== src.width * src.height * 3) {
    throw new Error(`resizeRgb: ${src.width}×${src.height} RGB needs ${src.width * src.height * 3} bytes, got ${src.data.length}`);
  }
  if (width === src.width && height === src.height) return { width, height, data: src.data.slice() };
  const vert = coefficients(src.height, height, filter);
  let img = src;
  let rowShift = 0;
  if (width !== src.width) {
    // Only the rows the vertical pass reads are resampled horizontally.
    const rowFirst = vert.first[0]!;
    const rowLast = vert.first[height - 1]! + vert.count[height - 1]!;
    img = horizontal(src, width, rowFirst, rowLast - rowFirst, coefficients(src.width, width, filter));
    rowShift = rowFirst;
  }
  if (height !== src.height) img = vertical(img, height, rowShift, vert);
  return img;
}
