import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../src/main/core/random';
import { runPython } from '../helpers/python';

/**
 * A seeded horizon-like table with per-modality embeddings where the signal switches modality:
 * log1p(views) = 7 + 0.01·duration + (has text ? 1.2·t0 − 0.8·t1 : 1.2·a0 − 0.8·a1) + noise.
 * The video vectors are pure noise. Files: meta.csv; video.npy + video_ids.txt (all rows
 * plus ids the metadata lacks); audio.npz (ids, audio; `dropAudio` metadata rows missing);
 * text.pt {ids, text, text_present}: rows without text are, in turn, absent from the file,
 * present with flag 0 (and a random vector that must be ignored), or an all-zero vector.
 * Written with numpy and torch (python3-numpy, python3-torch).
 */
export interface ModalityFixture {
  dir: string;
  ids: string[];
  hasText: boolean[];
  /** ids of metadata rows with no audio (dropped by the inner join). */
  noAudio: string[];
}

export function writeModalityFixture(dir: string, n = 360, d = 6, seed = 3, dropAudio = 8): ModalityFixture {
  fs.mkdirSync(dir, { recursive: true });
  const rnd = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const vec = () => Array.from({ length: d }, gauss);
  const ids = Array.from({ length: n }, (_, i) => `v${String(i).padStart(4, '0')}`);
  const rows = ['video_id,horizon_view_count,duration,channel_id,language'];
  const video: number[][] = [];
  const audio: number[][] = [];
  const text: { id: string; vec: number[]; flag: number }[] = [];
  const hasText: boolean[] = [];
  ids.forEach((id, i) => {
    const v = vec();
    const a = vec();
    const t = vec();
    const withText = rnd() < 0.5;
    hasText.push(withText);
    const duration = 10 + 50 * rnd();
    const signal = withText ? 1.2 * t[0]! - 0.8 * t[1]! : 1.2 * a[0]! - 0.8 * a[1]!;
    const yLog = 7 + 0.01 * duration + signal + 0.1 * gauss();
    rows.push([id, Math.round(Math.expm1(yLog)), duration.toFixed(2), `UC${i % 9}`, ['en', 'es'][i % 2]].join(','));
    video.push(v);
    audio.push(a);
    if (withText) text.push({ id, vec: t, flag: 1 });
    else if (i % 3 === 1) text.push({ id, vec: t, flag: 0 });
    else if (i % 3 === 2) text.push({ id, vec: new Array<number>(d).fill(0), flag: 1 });
  });
  fs.writeFileSync(path.join(dir, 'meta.csv'), rows.join('\n') + '\n');
  const noAudio = ids.slice(0, dropAudio);
  const spec = {
    video: { ids: [...ids, 'x_extra1', 'x_extra2'].reverse(), data: [...video, vec(), vec()].reverse() },
    audio: { ids: ids.slice(dropAudio), data: audio.slice(dropAudio) },
    text: { ids: text.map((t) => t.id), data: text.map((t) => t.vec), flag: text.map((t) => t.flag) },
  };
  fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
  runPython(
    String.raw`
import json, sys, numpy as np, torch
d = sys.argv[1]
s = json.load(open(d + '/spec.json'))
np.save(d + '/video.npy', np.array(s['video']['data'], dtype=np.float32))
open(d + '/video_ids.txt', 'w').write('\n'.join(s['video']['ids']) + '\n')
np.savez(d + '/audio.npz', ids=np.array(s['audio']['ids']), audio=np.array(s['audio']['data'], dtype=np.float32))
torch.save({'ids': s['text']['ids'], 'text': torch.tensor(s['text']['data'], dtype=torch.float32),
            'text_present': torch.tensor(s['text']['flag'], dtype=torch.int64)}, d + '/text.pt')
`,
    [dir],
  );
  return { dir, ids, hasText, noAudio };
}
