import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../src/main/core/random';

/** The suite config every horizon-fixture test starts from (paths relative to the fixture folder). */
export const HORIZON_CONFIG = {
  metadata: 'meta.csv',
  embeddings: { path: 'emb.npy', ids: 'ids.txt' },
  target: { column: 'horizon_view_count', transform: 'log1p' },
  filter: { horizon_days: 7 },
  dedupe: { by: 'video_id', latest: 'captured_at' },
  guestColumn: 'channel_id',
  split: { kind: 'random', ratios: [0.7, 0.15, 0.15], seed: 42 },
  models: ['mean', 'guest_mean', 'ridge', 'ridge_guestnorm', 'ridge_guestfeat'],
} as const;

/** A C-order .npy (rows × d) of float32 ('<f4') or float64 ('<f8') values already laid out in `body`. */
export function writeNpy(file: string, descr: '<f4' | '<f8', rows: number, d: number, body: Buffer): void {
  const header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${d}), }`;
  const padded = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(padded.length, 8);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(padded, 'latin1'), body]));
}

/**
 * Writes a horizon table (two horizons, two captures per video at horizon 7, leakage
 * columns present) and matching embeddings (.npy + ids.txt) with known signal:
 * log1p(views) = 6 + 0.05·duration + channel effect + 0.8·e0 − 0.5·e1 + noise.
 * Returns the folder.
 */
export function writeHorizonFixture(dir: string, n = 160, d = 8, seed = 5): { dir: string; videos: string[] } {
  fs.mkdirSync(dir, { recursive: true });
  const rnd = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const channels = Array.from({ length: 12 }, (_, i) => ({ id: `UC${i}`, effect: 1.2 * gauss(), country: ['US', 'MX', 'DE'][i % 3]! }));
  const lines = [
    'video_id,captured_at,horizon_days,horizon_view_count,view_count,views_per_day,age_days,virality_score,channel_id,channel_title,language,country,query,duration,text_present',
  ];
  const emb: number[] = [];
  const videos: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `vid_${String(i).padStart(4, '0')}`;
    videos.push(id);
    const ch = channels[Math.floor(rnd() * channels.length)]!;
    const duration = 5 + 55 * rnd();
    const e = Array.from({ length: d }, () => gauss());
    emb.push(...e);
    const yLog = 6 + 0.05 * duration + ch.effect + 0.8 * e[0]! - 0.5 * e[1]! + 0.25 * gauss();
    const views = Math.round(Math.expm1(yLog));
    const lang = ['en', 'es', 'de'][Math.floor(rnd() * 3)]!;
    const q = ['cooking', 'news'][i % 2]!;
    const day = 1 + (i % 28);
    const base = [
      id,
      '',
      '',
      '',
      views * 2,
      views / 7,
      30,
      rnd(),
      ch.id,
      `Channel ${ch.id}`,
      lang,
      ch.country,
      q,
      duration.toFixed(2),
      i % 3 ? 1 : 0,
    ];
    // An earlier capture at horizon 7 with a stale count (the dedupe must drop it) ...
    const early = [...base];
    early[1] = `2025-03-${String(day).padStart(2, '0')} 08:00:00`;
    early[2] = 7;
    early[3] = Math.round(views / 3);
    // ... the latest capture at horizon 7 (the true label) ...
    const late = [...base];
    late[1] = `2025-03-${String(day).padStart(2, '0')} 20:00:00`;
    late[2] = 7;
    late[3] = views;
    // ... and the 30-day horizon (must be filtered out).
    const h30 = [...base];
    h30[1] = `2025-04-${String(day).padStart(2, '0')} 20:00:00`;
    h30[2] = 30;
    h30[3] = views * 5;
    for (const row of i % 2 ? [late, early, h30] : [early, h30, late]) lines.push(row.join(','));
  }
  fs.writeFileSync(path.join(dir, 'meta.csv'), lines.join('\n') + '\n');
  // .npy float32, C order, rows in a shuffled order so the join is by id, not position.
  const order = videos.map((_, i) => i).reverse();
  const body = Buffer.alloc(n * d * 4);
  order.forEach((src, row) => {
    for (let j = 0; j < d; j++) body.writeFloatLE(emb[src * d + j]!, (row * d + j) * 4);
  });
  writeNpy(path.join(dir, 'emb.npy'), '<f4', n, d, body);
  fs.writeFileSync(path.join(dir, 'ids.txt'), order.map((i) => videos[i]).join('\n') + '\n');
  return { dir, videos };
}

/** Columns of the leaking families an exact list misses (issue #21), and two known at publish time that a name pattern catches anyway. */
export const PATTERN_LEAK_COLUMNS = [
  'horizon_label_type',
  'repost_count',
  'views_per_hour',
  'likes_per_view',
  'age_hours',
  'save_rate',
  'hashtag_count',
  'frame_rate',
] as const;

/** Appends PATTERN_LEAK_COLUMNS to a horizon fixture's meta.csv (horizon_label_type follows the row's horizon). */
export function addPatternLeakColumns(dir: string): void {
  const file = path.join(dir, 'meta.csv');
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const added = rows.map((line, i) => {
    const horizon = line.split(',')[2];
    return [
      line,
      horizon === '7' ? 'views_7d' : 'views_30d',
      i * 3,
      i / 7,
      i / 100,
      24 + (i % 5),
      (i % 10) / 10,
      i % 6,
      i % 2 ? 30 : 60,
    ].join(',');
  });
  fs.writeFileSync(file, [[header, ...PATTERN_LEAK_COLUMNS].join(','), ...added].join('\n') + '\n');
}
