import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReliabilityData, readLongCsv, type ReliabilityData } from '../../src/main/core/icr/data';
import { mulberry32 } from '../../src/main/core/random';
import { SAMPLE } from '../annotations/fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Copies of ../shared/testdata/icr, so the repo's tests stand alone. */
export const KRIPPENDORFF_2011 = path.join(here, 'fixtures', 'krippendorff2011.csv');
export const FLEISS_WIKIPEDIA = path.join(here, 'fixtures', 'fleiss_wikipedia.csv');
export { SAMPLE };

export const POV = ['1st person', '2nd person', '3rd person', 'no person'];
export const DISTANCE = ['Intimate', 'Personal', 'Social', 'Public'];
export const ONE_TO_FIVE = ['1', '2', '3', '4', '5'];

/** A long CSV file's codes of one column over declared categories (unit = frame_id, coder = coder). */
export function csvData(file: string, dimension: string, categories: string[], groupCol?: string): ReliabilityData {
  const rows = readLongCsv(fs.readFileSync(file, 'utf8'), { dimension, unitCol: 'frame_id', coderCol: 'coder', groupCol });
  return buildReliabilityData(rows, categories, { value: dimension, unit: 'frame_id', group: groupCol });
}

/**
 * Seeded random reliability data: 2–5 coders, 2–6 declared categories (sometimes one left
 * unused), missing codes, coders that agree more often than chance, and now and then a unit
 * with a single code.
 */
export function randomData(seed: number, shape: { coders?: number; categories?: number; units?: number } = {}): ReliabilityData {
  const random = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const m = shape.coders ?? int(2, 5);
  const q = shape.categories ?? int(2, 6);
  const n = shape.units ?? int(8, 60);
  const unused = q > 2 && random() < 0.3 ? int(0, q - 1) : -1;
  const pick = () => {
    for (;;) {
      const c = Math.min(q - 1, Math.floor(random() ** 1.5 * q));
      if (c !== unused) return c;
    }
  };
  const missing = random() * 0.35;
  const categories = Array.from({ length: q }, (_, i) => `cat${i}`);
  const coders = Array.from({ length: m }, (_, i) => `coder${i}`);
  const units: ReliabilityData['units'] = [];
  for (let u = 0; u < n; u++) {
    const truth = pick();
    const codes = new Map<string, number>();
    for (const coder of coders) {
      if (random() < missing) continue;
      codes.set(coder, random() < 0.7 ? truth : pick());
    }
    if (codes.size > 0) units.push({ unitId: `u${u}`, group: `g${u % 7}`, codes });
  }
  const used = new Set(units.flatMap((u) => [...u.codes.keys()]));
  return { categories, coders: coders.filter((c) => used.has(c)), units };
}
