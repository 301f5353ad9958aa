import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../src/main/core/random';
import type { Column, Table } from '../../src/main/core/suite/data/table';

/**
 * A seeded video-level table shaped like the lab's: visual predictors, controls (one
 * categorical), a few missing values, and over-dispersed counts whose log mean carries a
 * planted three-way interaction color_entropy × avg_objects × text_area_ratio (negative:
 * the "visual overload" penalty), so the tests can check that the models find it.
 */
export const PLANTED = { term: 'color_entropy:avg_objects:text_area_ratio', sign: -1 } as const;

export const PREDICTORS = [
  'color_entropy',
  'avg_objects',
  'text_area_ratio',
  'text_changes_per_second',
  'gaze_at_camera_ratio',
  'num_faces',
  'has_text',
] as const;

export interface Synthetic {
  table: Table;
  /** The same data for Python: column → values, missing as null. */
  json: Record<string, (number | string | null)[]>;
}

function normal(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Marsaglia–Tsang gamma(shape, 1), boosted for shape < 1. */
function gamma(random: () => number, gauss: () => number, shape: number): number {
  if (shape < 1) return gamma(random, gauss, shape + 1) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = gauss();
    const v = Math.pow(1 + c * z, 3);
    if (v <= 0) continue;
    if (Math.log(1 - random()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Poisson draw: multiplication method for small means, a rounded normal for large ones. */
function poisson(random: () => number, gauss: () => number, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss()));
  const limit = Math.exp(-mean);
  let k = 0;
  let prod = 1 - random();
  while (prod > limit) {
    k++;
    prod *= 1 - random();
  }
  return k;
}

/** Negative binomial (NB2, variance μ + αμ²) as a gamma–Poisson mixture. */
function negativeBinomial(random: () => number, gauss: () => number, mean: number, alpha: number): number {
  return poisson(random, gauss, mean * gamma(random, gauss, 1 / alpha) * alpha);
}

export function synthetic(n: number, seed: number): Synthetic {
  const random = mulberry32(seed);
  const gauss = normal(random);
  const cols: Record<string, (number | string | null)[]> = {
    video_id: [],
    color_entropy: [],
    avg_objects: [],
    text_area_ratio: [],
    text_changes_per_second: [],
    gaze_at_camera_ratio: [],
    num_faces: [],
    has_text: [],
    duration_s: [],
    category: [],
    views: [],
    likes: [],
    shares: [],
  };
  const categories = ['comedy', 'beauty', 'news', 'sports'];
  for (let i = 0; i < n; i++) {
    const ce = 4 + gauss();
    const ao = Math.max(0, 3 + 1.5 * gauss());
    const hasText = random() < 0.8 ? 1 : 0;
    const tar = hasText ? Math.min(0.9, Math.max(0.01, 0.2 + 0.1 * gauss())) : 0;
    const tcps = hasText ? Math.abs(0.5 + 0.3 * gauss()) : 0;
    const gaze = random();
    const faces = Math.floor(random() * 4);
    const duration = 5 + 55 * random();
    const category = categories[Math.floor(random() * categories.length)]!;
    const ceZ = ce - 4;
    const aoZ = (ao - 3) / 1.5;
    const tarZ = (tar - 0.16) / 0.11;
    const eta =
      7 +
      0.25 * ceZ +
      0.15 * aoZ +
      0.2 * tarZ +
      0.1 * ceZ * tarZ -
      0.2 * ceZ * aoZ * tarZ +
      0.3 * gaze +
      0.05 * faces -
      0.15 * tcps +
      0.01 * duration +
      (category === 'comedy' ? 0.3 : category === 'news' ? -0.2 : 0);
    cols.video_id!.push(`vid_${String(i).padStart(4, '0')}`);
    cols.color_entropy!.push(ce);
    // A few missing values, so listwise deletion has something to do.
    cols.avg_objects!.push(random() < 0.02 ? null : ao);
    cols.text_area_ratio!.push(tar);
    cols.text_changes_per_second!.push(tcps);
    cols.gaze_at_camera_ratio!.push(random() < 0.015 ? null : gaze);
    cols.num_faces!.push(faces);
    cols.has_text!.push(hasText);
    cols.duration_s!.push(duration);
    cols.category!.push(random() < 0.01 ? null : category);
    cols.views!.push(negativeBinomial(random, gauss, Math.exp(eta), 0.8));
    cols.likes!.push(negativeBinomial(random, gauss, Math.exp(eta - 3), 1.2));
    cols.shares!.push(negativeBinomial(random, gauss, Math.exp(eta - 7.5), 1.5));
  }
  const columns = new Map<string, Column>();
  for (const [name, values] of Object.entries(cols)) {
    columns.set(
      name,
      name === 'video_id' || name === 'category'
        ? { kind: 'text', values: values as (string | null)[] }
        : { kind: 'numeric', values: Float64Array.from(values, (v) => (v === null ? NaN : (v as number))) },
    );
  }
  return { table: { source: 'synthetic.csv', rowCount: n, columns }, json: cols };
}

/** A small hand-made table for error cases: numeric arrays become numeric columns, others text. */
export function tableOf(columns: Record<string, (number | string | null)[]>, source = 'videos.csv'): Table {
  const map = new Map<string, Column>();
  let rowCount = 0;
  for (const [name, values] of Object.entries(columns)) {
    rowCount = values.length;
    map.set(
      name,
      values.every((v) => typeof v === 'number')
        ? { kind: 'numeric', values: Float64Array.from(values as number[]) }
        : { kind: 'text', values: values.map((v) => (v === null ? null : String(v))) },
    );
  }
  return { source, rowCount, columns: map };
}

/** Writes `data` as JSON to a temp file for a Python oracle (argv is too small for 1500 rows). */
export function jsonFile(data: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-'));
  const file = path.join(dir, 'data.json');
  fs.writeFileSync(file, JSON.stringify(data));
  return file;
}

/** Python: reads the JSON written by jsonFile into `d`, and `df` from d['data']. */
export const PANDAS_PRELUDE = String.raw`
import json, sys, warnings
import numpy as np
import pandas as pd
warnings.simplefilter('ignore')
d = json.load(open(sys.argv[1]))
df = pd.DataFrame(d['data'])
def formula(response, terms):
    rhs = ' + '.join('1' if t == 'Intercept' else t for t in terms)
    return f'{response} ~ {rhs}' + ('' if 'Intercept' in terms else ' - 1')
`;
