import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFusedPt, readNpyWithIds, readNpzEmbeddings, embeddingsFromManifest } from '../../src/main/core/suite/data/embeddings';
import { pythonHas, runPython } from '../helpers/python';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'emb-'));

describe('embeddings', () => {
  it.skipIf(!pythonHas('numpy'))(
    'reads numpy .npy (f4, f8, f2) with ids.txt and .npz with a unicode ids array',
    () => {
      const dir = tmp();
      runPython(
        String.raw`
import sys, numpy as np
d = sys.argv[1]
a = np.arange(12, dtype=np.float32).reshape(4, 3) / 7
np.save(d + '/a4.npy', a); np.save(d + '/a8.npy', a.astype(np.float64)); np.save(d + '/a2.npy', a.astype(np.float16))
np.savez_compressed(d + '/e.npz', ids=np.array(['v1', 'v2', 'vidé3', 'v4']), emb=a)
open(d + '/ids.txt', 'w').write('v1\nv2\nv3\nv4\n')
`,
        [dir],
      );
      const f4 = readNpyWithIds(path.join(dir, 'a4.npy'), path.join(dir, 'ids.txt'));
      expect(f4.dim).toBe(3);
      expect(f4.ids).toEqual(['v1', 'v2', 'v3', 'v4']);
      expect(f4.data[5]).toBeCloseTo(5 / 7, 6);
      expect(readNpyWithIds(path.join(dir, 'a8.npy'), path.join(dir, 'ids.txt')).data[11]).toBe(Math.fround(11 / 7));
      expect(readNpyWithIds(path.join(dir, 'a2.npy'), path.join(dir, 'ids.txt')).data[11]).toBeCloseTo(11 / 7, 2);
      const npz = readNpzEmbeddings(path.join(dir, 'e.npz'));
      expect(npz.ids).toEqual(['v1', 'v2', 'vidé3', 'v4']);
      expect(npz.data[4]).toBeCloseTo(4 / 7, 6);
      expect(() => readNpyWithIds(path.join(dir, 'a4.npy'), undefined)).toThrow(/needs "embeddings.ids"/);
      fs.writeFileSync(path.join(dir, 'short.txt'), 'v1\nv2\n');
      expect(() => readNpyWithIds(path.join(dir, 'a4.npy'), path.join(dir, 'short.txt'))).toThrow(/lists 2 ids but .*a4.npy has 4 rows/);
      const m = embeddingsFromManifest(path.join(dir, 'manifest.parquet'), [
        { video_id: 'x', path: 'a8.npy', row: 3 },
        { video_id: 'y', path: 'e.npz', row: 0 },
      ]);
      expect(Array.from(m.data)).toEqual([...[9 / 7, 10 / 7, 11 / 7].map(Math.fround), ...Array.from(npz.data.subarray(0, 3))]);
      expect(() => embeddingsFromManifest(path.join(dir, 'm.parquet'), [{ video_id: 'x', path: 'a8.npy', row: 4 }])).toThrow(
        /row 1 \(video x\): row 4 is outside a8.npy \(4 rows\)/,
      );
    },
    60_000,
  );

  it.skipIf(!pythonHas('torch'))(
    'reads fused.pt {ids, fused} written by torch.save',
    () => {
      const dir = tmp();
      const file = path.join(dir, 'fused.pt');
      runPython(
        String.raw`
import sys, torch
torch.manual_seed(0)
f = torch.randn(5, 8)
torch.save({'ids': ['a', 'b', 'c', 'd', 'e'], 'fused': f}, sys.argv[1])
print(float(f[3, 7]))
`,
        [file],
      );
      const e = readFusedPt(file);
      expect(e.ids).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(e.dim).toBe(8);
      const ref = runPython('import sys, torch; print(repr(float(torch.load(sys.argv[1])["fused"][3, 7])))', [file]);
      expect(e.data[3 * 8 + 7]).toBe(Math.fround(Number(ref.trim())));
      // A transposed view (non-contiguous) and a dict without "fused" are read / refused correctly.
      runPython("import sys, torch; torch.save({'ids': [1, 2, 3], 'fused': torch.arange(6.).reshape(2, 3).t()}, sys.argv[1])", [file]);
      expect(Array.from(readFusedPt(file).data)).toEqual([0, 3, 1, 4, 2, 5]);
      expect(readFusedPt(file).ids).toEqual(['1', '2', '3']);
      runPython("import sys, torch; torch.save({'ids': ['a'], 'emb': torch.zeros(1, 2)}, sys.argv[1])", [file]);
      expect(() => readFusedPt(file)).toThrow(/"fused" cannot be used: it is not a tensor/);
    },
    180_000,
  );
});
