import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisConfigInput } from '../../src/shared/analysis';
import { csvField } from '../../src/main/core/annotations/csv';
import { PREDICTORS, synthetic, type Synthetic } from './synthetic';

/**
 * Files for the pipeline tests: the synthetic lab-shaped table as a CSV (missing values as empty
 * cells) and a config file beside it, as a lead would write them.
 */

export const TRIPLE = ['color_entropy', 'avg_objects', 'text_area_ratio'] as const;
export const CONTROLS = ['duration_s', 'C(category)'];

/** A small, fast config: GBM with few rounds, small grids, 3 folds everywhere. */
export function baseConfig(extra: Partial<AnalysisConfigInput> = {}): AnalysisConfigInput {
  return {
    name: 'synthetic',
    data: 'videos.csv',
    id: 'video_id',
    outcomes: ['views', 'likes', 'shares'],
    predictors: [...PREDICTORS],
    controls: CONTROLS,
    focal: [[...TRIPLE]],
    pairwise: true,
    se: 'HC3',
    countModels: true,
    gbm: { folds: 3, pdpPairs: [['color_entropy', 'avg_objects']], grid: 5, rounds: 20 },
    lasso: { folds: 3 },
    cvFolds: 3,
    seed: 7,
    ...extra,
  };
}

export function tableCsv(columns: Record<string, (number | string | null)[]>): string {
  const names = Object.keys(columns);
  const n = columns[names[0]!]!.length;
  const lines = [names.map(csvField).join(',')];
  for (let i = 0; i < n; i++)
    lines.push(
      names
        .map((c) => {
          const v = columns[c]![i];
          return v === null || v === undefined ? '' : csvField(String(v));
        })
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}

/** Writes videos.csv (the synthetic table) and config.json into `dir`; returns the paths and the data. */
export function writeRunInputs(
  dir: string,
  options: {
    n?: number;
    seed?: number;
    config?: Partial<AnalysisConfigInput>;
    edit?: (cols: Record<string, (number | string | null)[]>) => void;
  } = {},
): { configFile: string; dataFile: string; s: Synthetic } {
  const s = synthetic(options.n ?? 500, options.seed ?? 11);
  const cols = Object.fromEntries(Object.entries(s.json).map(([k, v]) => [k, [...v]]));
  options.edit?.(cols);
  const dataFile = path.join(dir, 'videos.csv');
  fs.writeFileSync(dataFile, tableCsv(cols));
  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(baseConfig(options.config), null, 2));
  return { configFile, dataFile, s: { ...s, json: cols } };
}
