/**
 * The leakage guard's whole spec list and name patterns (seed 002 §4.2, issue #21 item 1),
 * through the real data step, the suite.dataset.preview handler and a real run: a column of a
 * leaking family is excluded with the pattern that caught it, named features of that family
 * fail, and only the config's `leakageAllow` (validated, recorded in config_used.json) lets
 * one back in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalTransport } from '../../src/main/core/api/localTransport';
import { handlers } from '../../src/main/core/api/handlers';
import { prepareData, resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import { runSuite } from '../../src/main/core/suite/runs/run';
import { createClient } from '../../src/shared/client';
import { SuiteConfig } from '../../src/shared/suite';
import { openTestCore, runCleanup, tempDir } from '../helpers';
import { addPatternLeakColumns, PATTERN_LEAK_COLUMNS, writeHorizonFixture } from './horizonFixture';

afterEach(runCleanup);

const quiet = { progress: () => {}, throwIfCancelled: () => {} };

const BASE = {
  metadata: 'meta.csv',
  embeddings: { path: 'emb.npy', ids: 'ids.txt' },
  filter: { horizon_days: 7 },
  dedupe: { by: 'video_id', latest: 'captured_at' },
  guestColumn: 'channel_id',
  models: ['mean', 'ridge'],
  bootstrap: 20,
};

const ADDED = PATTERN_LEAK_COLUMNS;

function setup() {
  const dir = tempDir();
  writeHorizonFixture(dir);
  addPatternLeakColumns(dir);
  const home = path.join(dir, 'home');
  const client = createClient(createLocalTransport(openTestCore(home), handlers));
  const config = (extra: Record<string, unknown> = {}) => resolveConfigPaths(SuiteConfig.parse({ ...BASE, ...extra }), dir);
  return { dir, home, client, config };
}

describe('leakage guard: the spec list and the name patterns', () => {
  it('excludes horizon_label_type (the spec names it) and every pattern family, and the preview shows the pattern that caught each', async () => {
    const { dir, client } = setup();
    const preview = await client.call('suite.dataset.preview', { config: { ...BASE } as never, configFile: path.join(dir, 'suite.json') });
    const col = Object.fromEntries(preview.columns.map((c) => [c.name, c]));
    // In the spec's hard set: excluded by name, no pattern needed.
    expect(col.horizon_label_type).toMatchObject({ role: 'leakage', pattern: null });
    const caught: Record<string, string> = {
      repost_count: '*_count',
      views_per_hour: '*_per_hour',
      likes_per_view: '*_per_view',
      age_hours: 'age_*',
      save_rate: '*_rate',
      hashtag_count: '*_count',
      frame_rate: '*_rate',
    };
    for (const [name, pattern] of Object.entries(caught)) {
      expect(col[name], name).toMatchObject({ role: 'leakage', pattern });
      expect(col[name]!.reason).toContain(`caught by the name pattern ${pattern}`);
      expect(col[name]!.reason).toContain('leakageAllow');
    }
    // The exact spec names stay excluded by name.
    for (const name of ['horizon_days', 'view_count', 'views_per_day', 'age_days', 'virality_score'])
      expect(col[name]).toMatchObject({ role: 'leakage', pattern: null });
    expect(col.duration).toMatchObject({ role: 'numeric', pattern: null });
  });

  it('a run never uses them, and data_summary.json names the pattern of each excluded column', async () => {
    const { home, config } = setup();
    const run = await runSuite(config(), home, quiet);
    const summary = JSON.parse(fs.readFileSync(path.join(run.runDir, 'data_summary.json'), 'utf8'));
    const features = [...summary.features.numeric, ...summary.features.categorical];
    for (const name of ADDED) expect(features).not.toContain(name);
    const excluded = Object.fromEntries(summary.features.excluded.map((e: { column: string; pattern?: string }) => [e.column, e]));
    expect(excluded.horizon_label_type).toEqual({ column: 'horizon_label_type', reason: 'leakage' });
    expect(excluded.repost_count).toEqual({ column: 'repost_count', reason: 'leakage', pattern: '*_count' });
    const used = JSON.parse(fs.readFileSync(path.join(run.runDir, 'config_used.json'), 'utf8'));
    expect(used.leakageGuard.hard).toContain('horizon_label_type');
    expect(used.leakageGuard.allowed).toEqual([]);
  });

  it('naming horizon_label_type as a feature fails: it is in the hard set, which nothing overrides', async () => {
    const { config } = setup();
    await expect(prepareData(config({ features: { numeric: ['duration'], categorical: ['horizon_label_type'] } }))).rejects.toThrow(
      /"horizon_label_type" is in the leakage set \(the spec's hard leakage set; named as a feature\).*Remove it from the features\.$/,
    );
  });

  it.each([
    ['repost_count', '*_count'],
    ['frame_rate', '*_rate'],
    ['age_hours', 'age_*'],
  ])('naming %s as a feature fails with its pattern (%s) and the way to allow it', async (column, pattern) => {
    const { config } = setup();
    const escaped = pattern.replace('*', '\\*');
    await expect(prepareData(config({ features: { numeric: ['duration', column] } }))).rejects.toThrow(
      new RegExp(`"${column}" is in the leakage set \\(caught by the pattern ${escaped}.*add it to "leakageAllow" in the suite config`),
    );
  });

  it('leakageAllow lets a pattern-caught column back in, and the run records it', async () => {
    const { home, config } = setup();
    const run = await runSuite(config({ leakageAllow: ['hashtag_count', 'frame_rate'] }), home, quiet);
    const summary = JSON.parse(fs.readFileSync(path.join(run.runDir, 'data_summary.json'), 'utf8'));
    expect(summary.features.numeric).toEqual(expect.arrayContaining(['hashtag_count', 'frame_rate', 'duration']));
    expect(summary.features.numeric).not.toContain('repost_count');
    const used = JSON.parse(fs.readFileSync(path.join(run.runDir, 'config_used.json'), 'utf8'));
    expect(used.config.leakageAllow).toEqual(['hashtag_count', 'frame_rate']);
    expect(used.leakageGuard.allowed).toEqual([
      { column: 'hashtag_count', pattern: '*_count' },
      { column: 'frame_rate', pattern: '*_rate' },
    ]);
    // Named features too.
    const named = await prepareData(config({ leakageAllow: ['frame_rate'], features: { numeric: ['duration', 'frame_rate'] } }));
    expect(named.choice.numeric).toEqual(['duration', 'frame_rate']);
  });

  it('the config schema refuses an allow-list that would let the hard set, the target or an unpatterned name in', () => {
    const parse = (extra: Record<string, unknown>) => SuiteConfig.safeParse({ ...BASE, ...extra });
    const problem = (extra: Record<string, unknown>) => {
      const r = parse(extra);
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    };
    expect(problem({ leakageAllow: ['horizon_label_type'] })).toMatch(
      /^leakageAllow: "horizon_label_type" is in the spec's hard leakage set and can never be a feature; remove it from leakageAllow\.$/,
    );
    expect(problem({ leakageAllow: ['view_count'] })).toMatch(/hard leakage set/);
    expect(problem({ leakageAllow: ['duration'] })).toMatch(
      /"duration" is caught by no leakage pattern \(horizon_\*, age_\*, \*_count.*remove it from leakageAllow/,
    );
    expect(problem({ target: { column: 'repost_count' }, leakageAllow: ['repost_count'] })).toMatch(/"repost_count" is the target/);
    expect(problem({ leakage: ['save_rate'], leakageAllow: ['save_rate'] })).toMatch(/both in leakage and in leakageAllow/);
    expect(parse({ leakageAllow: ['hashtag_count'] }).success).toBe(true);
  });

  it('an allow-listed column the table lacks fails, naming the file', async () => {
    const { config } = setup();
    await expect(prepareData(config({ leakageAllow: ['hashtags_count'] }))).rejects.toThrow(
      /leakageAllow names "hashtags_count", which is not a column of .*meta\.csv.*Fix the name or remove it from leakageAllow/,
    );
  });
});
