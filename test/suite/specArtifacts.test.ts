import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SuiteConfig } from '../../src/shared/suite';
import { chooseFeatures, NOT_LISTED } from '../../src/main/core/suite/data/leakage';
import { resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import { runSuite } from '../../src/main/core/suite/runs/run';
import type { Table } from '../../src/main/core/suite/data/table';
import { addPatternLeakColumns, HORIZON_CONFIG, writeHorizonFixture } from './horizonFixture';

/**
 * The run artefacts the lab's spec names (seed 002 §5, §9): the split manifest's per-row
 * text_present, target_log and target_raw, and data_summary.json's missingness per column
 * beside `features`, whose `excluded` accounts for every column left out, with its reason and,
 * for a leakage name pattern, the pattern.
 */
const quiet = { progress: () => {}, throwIfCancelled: () => {} };

/** The horizon fixture with the pattern-leak columns, duration empty for every 10th video and language for every 7th. */
function setup(extra: Record<string, unknown> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suite-spec-'));
  writeHorizonFixture(dir);
  addPatternLeakColumns(dir);
  const file = path.join(dir, 'meta.csv');
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const at = (name: string) => cols.indexOf(name);
  const blanked = rows.map((line) => {
    const cells = line.split(',');
    const i = Number(cells[0]!.slice(4));
    if (i % 10 === 0) cells[at('duration')] = '';
    if (i % 7 === 0) cells[at('language')] = '';
    return cells.join(',');
  });
  fs.writeFileSync(file, [header, ...blanked].join('\n') + '\n');
  // The label of each video as the run must keep it: horizon 7, latest capture (20:00).
  const truth = new Map<string, { raw: number; textPresent: number }>();
  for (const line of blanked) {
    const c = line.split(',');
    if (c[at('horizon_days')] === '7' && c[at('captured_at')]!.endsWith('20:00:00'))
      truth.set(c[0]!, { raw: Number(c[at('horizon_view_count')]), textPresent: Number(c[at('text_present')]) });
  }
  const config = resolveConfigPaths(SuiteConfig.parse({ ...HORIZON_CONFIG, models: ['mean', 'ridge'], bootstrap: 20, ...extra }), dir);
  return { dir, home: path.join(dir, 'home'), config, columns: cols, truth };
}

const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

describe("the spec's run artefacts", () => {
  it('split_manifest.csv has video_id, split, text_present, target_log and target_raw per row; val y_true is its target_log', async () => {
    const { home, config, truth } = setup();
    const run = await runSuite(config, home, quiet);
    const [header, ...lines] = read(run.runDir, 'split_manifest.csv').trim().split('\n');
    expect(header).toBe('video_id,split,text_present,target_log,target_raw');
    expect(lines).toHaveLength(160);
    const byId = new Map<string, { split: string; textPresent: number; log: number; raw: number }>();
    for (const line of lines) {
      const [id, split, textPresent, log, raw] = line.split(',');
      const t = truth.get(id!)!;
      expect(Number(raw), id).toBe(t.raw);
      expect(Number(log), id).toBe(Math.log1p(t.raw));
      expect(Number(textPresent), id).toBe(t.textPresent);
      byId.set(id!, { split: split!, textPresent: Number(textPresent), log: Number(log), raw: Number(raw) });
    }
    expect(new Set([...byId.values()].map((r) => r.textPresent))).toEqual(new Set([0, 1]));
    const val = read(run.runDir, 'predictions/val.csv')
      .trim()
      .split('\n')
      .slice(1)
      .filter((l) => l.startsWith('ridge,'));
    expect(val).toHaveLength(24);
    for (const line of val) {
      const [, id, yTrue] = line.split(',');
      expect(byId.get(id!)!.split).toBe('val');
      expect(Number(yTrue)).toBe(byId.get(id!)!.log);
    }
  });

  it('a K-fold manifest has the same per-row columns after the fold', async () => {
    const { home, config, truth } = setup({ split: { kind: 'kfold', k: 3, seed: 2 }, models: ['mean'] });
    const run = await runSuite(config, home, quiet);
    const [header, first] = read(run.runDir, 'split_manifest.csv').trim().split('\n');
    expect(header).toBe('video_id,fold,text_present,target_log,target_raw');
    const summary = JSON.parse(read(run.runDir, 'data_summary.json'));
    expect(summary.split.kind).toBe('kfold');
    expect(summary.split.folds.reduce((a: number, b: number) => a + b, 0)).toBe(160);
    const [id, fold, textPresent, log, raw] = first!.split(',');
    expect(['0', '1', '2']).toContain(fold);
    expect([Number(textPresent), Number(log), Number(raw)]).toEqual([
      truth.get(id!)!.textPresent,
      Math.log1p(truth.get(id!)!.raw),
      truth.get(id!)!.raw,
    ]);
  });

  it('data_summary.json: missingness per input column beside features; excluded lists every other column with its reason and pattern', async () => {
    const { home, config, columns } = setup();
    const run = await runSuite(config, home, quiet);
    const summary = JSON.parse(read(run.runDir, 'data_summary.json'));
    // Missingness covers every column of the metadata, over the 160 rows the run uses.
    expect(Object.keys(summary.missingness).sort()).toEqual([...columns].sort());
    expect(summary.missingness.duration).toEqual({ missing: 16, share: 0.1 });
    expect(summary.missingness.language).toEqual({ missing: 23, share: 23 / 160 });
    expect(summary.missingness.video_id).toEqual({ missing: 0, share: 0 });
    // The split counts, as the spec's data summary has them.
    expect(summary.split).toEqual({ kind: 'random', train: 112, val: 24, test: 24 });
    // features stays the features used, plus what was left out.
    expect(Object.keys(summary.features).sort()).toEqual(['categorical', 'excluded', 'numeric']);
    expect(summary.features.numeric).toEqual(['duration', 'text_present']);
    expect(summary.features.categorical.sort()).toEqual(['country', 'language', 'query']);
    const excluded = summary.features.excluded as { column: string; reason: string; pattern?: string }[];
    const used = new Set([...summary.features.numeric, ...summary.features.categorical]);
    expect(excluded.map((e) => e.column).sort()).toEqual(columns.filter((c) => !used.has(c)).sort());
    const why = Object.fromEntries(excluded.map((e) => [e.column, e]));
    expect(why.horizon_view_count).toEqual({ column: 'horizon_view_count', reason: 'target' });
    expect(why.view_count).toEqual({ column: 'view_count', reason: 'leakage' });
    expect(why.repost_count).toEqual({ column: 'repost_count', reason: 'leakage', pattern: '*_count' });
    expect(why.views_per_hour).toEqual({ column: 'views_per_hour', reason: 'leakage', pattern: '*_per_hour' });
    expect(why.channel_id!.reason).toBe('id');
    expect(why.captured_at!.reason).toBe('id');
  });

  it('with the config\'s own feature lists, every other column is excluded too: the default\'s reason, or "not in the configured feature lists"', async () => {
    const { home, config, columns } = setup({ features: { numeric: ['duration'], categorical: ['language'] } });
    const run = await runSuite(config, home, quiet);
    const summary = JSON.parse(read(run.runDir, 'data_summary.json'));
    expect(summary.features.numeric).toEqual(['duration']);
    expect(summary.features.categorical).toEqual(['language']);
    const why = Object.fromEntries(
      (summary.features.excluded as { column: string; reason: string; pattern?: string }[]).map((e) => [e.column, e]),
    );
    expect(Object.keys(why).sort()).toEqual(columns.filter((c) => c !== 'duration' && c !== 'language').sort());
    expect(why.country!.reason).toBe(NOT_LISTED);
    expect(why.text_present!.reason).toBe(NOT_LISTED);
    expect(why.save_rate).toEqual({ column: 'save_rate', reason: 'leakage', pattern: '*_rate' });
    expect(why.horizon_view_count!.reason).toBe('target');
    expect(why.video_id!.reason).toBe('id');
  });

  it("the config's idColumn is an id whatever its name", () => {
    const table: Table = {
      source: 't.csv',
      rowCount: 3,
      columns: new Map([
        ['clip', { kind: 'numeric', values: Float64Array.from([101, 102, 103]) }],
        ['duration', { kind: 'numeric', values: Float64Array.from([3, 4, 5]) }],
        ['views', { kind: 'numeric', values: Float64Array.from([10, 20, 30]) }],
      ]),
    };
    const choice = chooseFeatures(table, { target: 'views', idColumn: 'clip' });
    expect(choice.numeric).toEqual(['duration']);
    expect(choice.excluded).toEqual([
      { column: 'clip', reason: 'id' },
      { column: 'views', reason: 'target' },
    ]);
  });
});
