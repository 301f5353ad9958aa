import { mulberry32 } from '../../src/main/core/random';
import type { FeatureSource } from '../../src/main/core/suite/data/suiteData';
import type { Table } from '../../src/main/core/suite/data/table';

/**
 * A seeded synthetic horizon-like dataset with known signal: y_log depends on duration,
 * a categorical (language), the guest (channel) and the first embedding dimensions, plus
 * noise. Some numeric and categorical values are missing on purpose.
 */
export interface Synthetic {
  src: FeatureSource;
  y: Float64Array;
  guests: string[];
  ids: string[];
  /** JSON for the python oracle. */
  json: {
    duration: (number | null)[];
    subs: (number | null)[];
    language: (string | null)[];
    emb: number[][];
    y: number[];
    guests: string[];
  };
}

export function synthetic(n: number, d: number, seed: number, noise = 0.3): Synthetic {
  const rnd = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const langs = ['en', 'es', 'de', 'fr'];
  const channels = Array.from({ length: Math.max(3, Math.floor(n / 8)) }, (_, i) => `ch${String(i).padStart(3, '0')}`);
  const channelEffect = channels.map(() => gauss());
  const duration = new Float64Array(n);
  const subs = new Float64Array(n);
  const language: (string | null)[] = [];
  const emb = new Float64Array(n * d);
  const y = new Float64Array(n);
  const guests: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * channels.length);
    guests.push(channels[c]!);
    duration[i] = 10 + 50 * rnd();
    subs[i] = Math.exp(8 + 2 * gauss());
    const li = Math.floor(rnd() * langs.length);
    language.push(rnd() < 0.1 ? null : langs[li]!);
    for (let j = 0; j < d; j++) emb[i * d + j] = gauss();
    y[i] =
      8 + 0.04 * duration[i]! + 0.3 * li + channelEffect[c]! + (d > 1 ? 0.5 * emb[i * d]! - 0.3 * emb[i * d + 1]! : 0) + noise * gauss();
    if (rnd() < 0.1) duration[i] = NaN;
    if (rnd() < 0.05) subs[i] = NaN;
  }
  const table: Table = {
    source: 'synthetic.csv',
    rowCount: n,
    columns: new Map([
      ['video_id', { kind: 'text', values: Array.from({ length: n }, (_, i) => `v${i}`) }],
      ['duration', { kind: 'numeric', values: duration }],
      ['subs', { kind: 'numeric', values: subs }],
      ['language', { kind: 'text', values: language }],
      ['channel_id', { kind: 'text', values: guests }],
    ]),
  };
  const nul = (v: number) => (Number.isNaN(v) ? null : v);
  return {
    src: { table, embeddings: emb, embeddingDim: d },
    y,
    guests,
    ids: Array.from({ length: n }, (_, i) => `v${i}`),
    json: {
      duration: Array.from(duration, nul),
      subs: Array.from(subs, nul),
      language,
      emb: Array.from({ length: n }, (_, i) => Array.from(emb.subarray(i * d, (i + 1) * d))),
      y: Array.from(y),
      guests,
    },
  };
}
