/**
 * The drawing kit of the Analysis plots (issue 18): pure string building, no DOM and no Node
 * APIs, so the run folder (written by a job in Node) and the Analysis screen (inline in the
 * renderer) draw byte-identical figures. Every number goes through `num`, which refuses a
 * non-finite value: a NaN can never reach an attribute, where a browser would silently drop
 * the element. No element ids either, so several figures can sit inline on one page.
 */

/**
 * `light` / `dark`: an opaque background and text colour of their own (files, PNGs);
 * `inherit`: no background, text and axes in `currentColor` (inline in the app, following its
 * light or dark theme). The data colours (Okabe–Ito, viridis) read on both.
 */
export type PlotTheme = 'light' | 'dark' | 'inherit';

export interface PlotOptions {
  /** Default `light`. */
  theme?: PlotTheme;
  /** Overall width in px (each plot has its own default); the height follows the content. */
  width?: number;
  /** Replaces the default title. */
  title?: string;
}

export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

const THEMES: Record<Exclude<PlotTheme, 'inherit'>, { background: string; color: string }> = {
  light: { background: '#ffffff', color: '#1f2328' },
  dark: { background: '#0d1117', color: '#e6edf3' },
};

/** Okabe & Ito's colour-blind-safe palette (without black, which vanishes on dark). */
export const CATEGORICAL = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'] as const;

export const categoricalColor = (i: number): string => CATEGORICAL[((i % CATEGORICAL.length) + CATEGORICAL.length) % CATEGORICAL.length]!;

/** Escapes text and attribute values (`&`, `<`, `>`, quotes). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A coordinate: at most two decimals, no trailing zeros; a non-finite value is a bug and throws. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`plot: a non-finite coordinate (${value}) would be written into the SVG`);
  const rounded = Math.round(value * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** The typographic minus (U+2212) for negative numbers shown to people. */
export const minus = (text: string): string => text.replace(/^-/, '\u2212');

/** A number for a label, with `digits` decimals, a typographic minus and no "−0.000". */
export function label(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : 'n/a';
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : minus(text);
}

/** A p-value the way papers print it: `p < .001`, else `p = .042` (no leading zero). */
export function pLabel(p: number): string {
  if (!Number.isFinite(p)) return 'p n/a';
  if (p < 0.001) return 'p < .001';
  return `p = ${p.toFixed(3).replace(/^0/, '')}`;
}

/**
 * `a:b:c` → `a × b × c` (interaction terms as a reader writes them). A categorical level,
 * `C(g)[T.level]`, is never an interaction (patsy's terms here allow no C() in one): a `:`
 * inside its level stays.
 */
export const termLabel = (term: string): string => (/^C\(.*\]$/s.test(term) ? term : term.split(':').join(' × '));

/** The response the models fit. */
export const responseLabel = (outcome: string): string => `log(1 + ${outcome})`;

/** Approximate rendered width of text in a sans-serif face (layout only; no font metrics here). */
export const textWidth = (text: string, size: number): number => [...text].length * size * 0.56;

/** Round steps (1, 2, 2.5, 5 × 10^k) covering [min, max] with about `target` intervals. */
export function niceTicks(min: number, max: number, target = 5): { ticks: number[]; step: number; min: number; max: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new Error(`plot: ticks for a non-finite range [${min}, ${max}]`);
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, target);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw * 0.999) ?? 10 * power;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) ticks.push(clean(lo + k * step, step));
  return { ticks, step, min: lo, max: hi };
}

/** A tick value without binary noise (0.30000000000000004 → 0.3). */
function clean(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  const v = Number(value.toFixed(Math.min(20, decimals)));
  return Object.is(v, -0) ? 0 : v;
}

/** A tick's text: as many decimals as the step needs. */
export function tickLabel(value: number, step: number): string {
  const abs = Math.abs(step);
  if (abs >= 1e5 || (abs > 0 && abs < 1e-4)) return minus(value === 0 ? '0' : value.toExponential(1));
  let decimals = Math.max(0, -Math.floor(Math.log10(abs) + 1e-9));
  if (Number((step * 10 ** decimals).toFixed(6)) % 1 !== 0) decimals++; // 2.5, 0.25
  return label(value, Math.min(decimals, 10));
}

/** A linear map from a data interval onto a pixel interval (a flat domain maps to the middle). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

export interface TextAttrs {
  size?: number;
  weight?: 'bold' | 'normal';
  anchor?: 'start' | 'middle' | 'end';
  /** Vertical alignment: `middle` centers on y, `hanging` puts the top at y (default: baseline). */
  baseline?: 'middle' | 'hanging';
  rotate?: number;
  opacity?: number;
  className?: string;
  fill?: string;
}

export function text(x: number, y: number, content: string, attrs: TextAttrs = {}): string {
  const parts = [`x="${num(x)}"`, `y="${num(y)}"`];
  if (attrs.size !== undefined) parts.push(`font-size="${num(attrs.size)}"`);
  if (attrs.weight === 'bold') parts.push('font-weight="600"');
  if (attrs.anchor && attrs.anchor !== 'start') parts.push(`text-anchor="${attrs.anchor}"`);
  // dy rather than dominant-baseline: every renderer (librsvg, Chromium, Safari) honours it.
  if (attrs.baseline === 'middle') parts.push('dy="0.35em"');
  if (attrs.baseline === 'hanging') parts.push('dy="0.8em"');
  if (attrs.rotate) parts.push(`transform="rotate(${num(attrs.rotate)} ${num(x)} ${num(y)})"`);
  if (attrs.opacity !== undefined) parts.push(`fill-opacity="${num(attrs.opacity)}"`);
  if (attrs.className) parts.push(`class="${escapeXml(attrs.className)}"`);
  parts.push(`fill="${attrs.fill ?? 'currentColor'}"`);
  return `<text ${parts.join(' ')}>${escapeXml(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs = 'stroke="currentColor"'): string {
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ${attrs}/>`;
}

export function rect(x: number, y: number, width: number, height: number, attrs: string): string {
  return `<rect x="${num(x)}" y="${num(y)}" width="${num(Math.max(0, width))}" height="${num(Math.max(0, height))}" ${attrs}/>`;
}

/** `M x y L x y …` through the points (a closed polygon with `close`). */
export function pathData(points: readonly (readonly [number, number])[], close = false): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join(' ') + (close ? ' Z' : '');
}

/** A tooltip (and accessible name) for the group it opens. */
export const tooltip = (content: string): string => `<title>${escapeXml(content)}</title>`;

/**
 * The document: `<title>` and `<desc>` first (the accessible name and description), an opaque
 * background for the light and dark themes, the system UI font.
 */
export function svgDocument(o: {
  width: number;
  height: number;
  title: string;
  desc: string;
  theme: PlotTheme;
  className: string;
  body: string[];
}): string {
  const width = Math.ceil(o.width);
  const height = Math.ceil(o.height);
  const theme = o.theme === 'inherit' ? null : THEMES[o.theme];
  const style = theme ? ` style="color:${theme.color}"` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(o.title)}" class="${escapeXml(o.className)}" font-family="${escapeXml(FONT_FAMILY)}" font-size="12"${style}>`,
    `<title>${escapeXml(o.title)}</title>`,
    `<desc>${escapeXml(o.desc)}</desc>`,
    ...(theme ? [`<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="${theme.background}"/>`] : []),
    ...o.body,
    '</svg>',
    '',
  ].join('\n');
}

/** Words of `content` in lines no wider than `max` px at `size` (a word longer than a line gets its own). */
export function wrap(content: string, size: number, max: number, bold = false): string[] {
  const widthOf = (t: string) => textWidth(t, size) * (bold ? 1.1 : 1);
  const lines: string[] = [];
  let current = '';
  for (const word of content.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (current && widthOf(next) > max) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}

/**
 * Title (and subtitle) lines at the top, wrapped to the figure's width; returns the markup
 * and the y below them.
 */
export function heading(title: string, subtitle: string | null, x: number, width: number, y = 8): { markup: string[]; bottom: number } {
  const markup: string[] = [];
  let at = y;
  for (const part of wrap(title, 15, width - 2 * x, true)) {
    markup.push(text(x, at, part, { size: 15, weight: 'bold', baseline: 'hanging', className: 'plot-title' }));
    at += 20;
  }
  for (const part of subtitle ? wrap(subtitle, 12, width - 2 * x) : []) {
    markup.push(text(x, at, part, { size: 12, baseline: 'hanging', opacity: 0.75, className: 'plot-subtitle' }));
    at += 17;
  }
  return { markup, bottom: at + 6 };
}

/** A footnote wrapped to the figure's width; returns the markup and the y below it. */
export function footnote(content: string, x: number, y: number, width: number): { markup: string[]; bottom: number } {
  const lines = wrap(content, 11, width - 2 * x);
  return {
    markup: lines.map((l, k) => text(x, y + k * 15, l, { size: 11, baseline: 'hanging', opacity: 0.75, className: 'footnote' })),
    bottom: y + lines.length * 15,
  };
}

/** Light grid and axis strokes in the text colour, so they follow the theme. */
export const GRID = 'stroke="currentColor" stroke-opacity="0.14" stroke-width="1"';
export const AXIS = 'stroke="currentColor" stroke-opacity="0.6" stroke-width="1"';
