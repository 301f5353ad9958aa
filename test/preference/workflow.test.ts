/**
 * The Preferences workflow on a real home (SQLite, the job process, the addon): eligibility
 * with every exclusion reason, correlate runs and their snapshots with the editable expected
 * list, training as a job (registered as preference@v1.0, v1.1, v2.0; activation only when
 * asked and advised), status and retrain advice, scores. The numbers are the core's (tested
 * against scipy and scikit-learn in correlate/modelRidge/forest tests): here each API result
 * must equal the core run in-process on exactly the eligible ratings, in rated_at order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { correlatePreferences } from '../../src/main/core/preference/correlate';
import { preferenceData, trainPreferenceModel, type PreferenceRecord } from '../../src/main/core/preference/evaluate';
import { disposeModel } from '../../src/main/core/preference/model';
import { scoreAnalysis } from '../../src/main/core/preference/score';
import { openTestCore, runCleanup, tempDir, waitUntil, withTimeout } from '../helpers';
import { call, failure, jsonl, RATINGS_HEADER, write } from './dataFixtures';
import { syntheticPreferences } from './synthetic';

afterEach(runCleanup);

const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();
const rec = (videoId: string, version: string, analysis: unknown) =>
  JSON.stringify({ video_id: videoId, analysis_version: version, analysis });
const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

interface Fixture {
  core: Core;
  dir: string;
  /** The eligible records in rated_at order (what a model must learn from). */
  eligible: PreferenceRecord[];
}

/** n synthetic owner ratings with v3 analyses, plus one video per exclusion reason. */
async function fixture(n: number, seed = 7): Promise<Fixture> {
  const dir = tempDir('pref-workflow');
  const core = openTestCore(path.join(dir, 'home'));
  const { records } = syntheticPreferences(n, seed);
  const base = records[0]!.analysis as Record<string, unknown>;
  const analyses = [
    ...records.map((r) => rec(r.videoId, 'v3', r.analysis)),
    rec('x_other_version', 'v2', base),
    rec('x_no_count', 'v3', { ...base, feature_count: undefined }),
    rec('x_few', 'v3', { ...base, feature_count: 50 }),
    rec('x_rated_by_other', 'v3', base),
    rec('x_two_owners', 'v3', base),
  ];
  const file = write(dir, 'analyses.jsonl', jsonl(...analyses));
  await call(core, 'preference.analyses.import', { path: file });
  const rows = records.map((r, i) =>
    [r.videoId, 'owner', 'owner', r.overall, cell(r.hook), cell(r.pacing), cell(r.payoff), '', at(i)].join(','),
  );
  rows.push(
    ['x_other_version', 'owner', 'owner', 5, '', '', '', '', at(n + 1)].join(','),
    ['x_no_count', 'owner', 'owner', 5, '', '', '', '', at(n + 2)].join(','),
    ['x_few', 'owner', 'owner', 5, '', '', '', '', at(n + 3)].join(','),
    ['x_no_analysis', 'owner', 'owner', 5, '', '', '', '', at(n + 4)].join(','),
    ['x_rated_by_other', 'guest', 'other', 5, '', '', '', '', at(n + 5)].join(','),
    // Two owners: the later rating (owner2's 3) is used, the earlier left out.
    ['x_two_owners', 'owner', 'owner', 9, '', '', '', '', at(n + 6)].join(','),
    ['x_two_owners', 'owner2', 'owner', 3, '', '', '', '', at(n + 7)].join(','),
  );
  const csv = write(dir, 'ratings.csv', `${RATINGS_HEADER}\n${rows.join('\n')}\n`);
  const imported = await call(core, 'preference.ratings.import', { file: csv });
  expect(imported.errors).toEqual([]);
  // As stored: JSON (a key whose value is undefined in memory is absent there).
  const eligible = [...records, { videoId: 'x_two_owners', analysis: base, overall: 3, hook: null, pacing: null, payoff: null }].map(
    (r) => ({ ...r, analysis: JSON.parse(JSON.stringify(r.analysis)) as unknown }),
  );
  return { core, dir, eligible };
}

/** More owner ratings of new v3 analyses (after the first n). */
async function addRatings(f: Fixture, count: number, seed: number, from: number): Promise<PreferenceRecord[]> {
  const { records } = syntheticPreferences(count, seed);
  await call(f.core, 'preference.analyses.import', {
    path: write(f.dir, `more-${seed}.jsonl`, jsonl(...records.map((r) => rec(r.videoId, 'v3', r.analysis)))),
  });
  const rows = records.map((r, i) => [r.videoId, 'owner', 'owner', r.overall, '', '', '', '', at(from + i)].join(','));
  await call(f.core, 'preference.ratings.import', { file: write(f.dir, `more-${seed}.csv`, `${RATINGS_HEADER}\n${rows.join('\n')}\n`) });
  return records;
}

describe('preference workflow', () => {
  it('eligibility: owner ratings of the newest version with feature_count ≥ 100; every exclusion counted with its video ids', async () => {
    const f = await fixture(30);
    const report = await call(f.core, 'preference.eligibility', {});
    expect(report).toMatchObject({ analysisVersion: 'v3', minFeatures: 100, ratings: 37, ownerRatings: 36, eligible: 31 });
    expect(report.excluded.map((e) => [e.reason, e.count, e.videoIds])).toEqual([
      ['not an owner rating', 1, ['x_rated_by_other']],
      ['older owner rating', 1, ['x_two_owners']],
      ['no analysis', 1, ['x_no_analysis']],
      ['other analysis version', 1, ['x_other_version']],
      ['no feature_count', 1, ['x_no_count']],
      ['too few features', 1, ['x_few']],
    ]);
    // Configurable: feature_count ≥ 40 lets x_few in; version v2 has one eligible video.
    expect((await call(f.core, 'preference.eligibility', { minFeatures: 40 })).eligible).toBe(32);
    const v2 = await call(f.core, 'preference.eligibility', { analysisVersion: 'v2' });
    expect(v2.eligible).toBe(1);
    const unknown = await failure(f.core, 'preference.eligibility', { analysisVersion: 'v9' });
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', message: 'No analyses of version "v9". Imported versions: v3, v2.' });
  }, 60_000);

  it('correlate: the core report on the eligible ratings, the expected list editable, a snapshot per run', async () => {
    const f = await fixture(120);
    const result = await call(f.core, 'preference.correlate', {});
    const data = preferenceData(f.eligible);
    const oracle = correlatePreferences(data.table, data.overall);
    expect(result.ratings).toBe(121);
    expect(result.features).toEqual(oracle.features);
    expect(result.topPositive).toHaveLength(20);
    expect(result.topNegative).toEqual(oracle.topNegative);
    expect(result.expected).toEqual(oracle.expected);
    expect(result.expected.map((e) => e.feature)).toContain('trends.memeDependent');
    expect(result.expected.find((e) => e.feature === 'trends.memeDependent')).toMatchObject({ direction: 'negative', status: 'confirmed' });
    expect(result.notes).toEqual([]);

    expect(await call(f.core, 'preference.expected.get', {})).toMatchObject({ isDefault: true, savedAt: null });
    const edited = [
      { feature: 'trends.memeDependent', direction: 'positive' as const },
      { feature: 'no.such.key', direction: 'negative' as const },
    ];
    expect(await call(f.core, 'preference.expected.set', { expected: edited })).toMatchObject({ isDefault: false, expected: edited });
    const twice = await failure(f.core, 'preference.expected.set', { expected: [edited[0]!, edited[0]!] });
    expect(twice.message).toBe('"trends.memeDependent" is listed twice in the expected correlations; keep one (positive or negative).');
    const second = await call(f.core, 'preference.correlate', { top: 5 });
    expect(second.topPositive).toHaveLength(5);
    expect(second.expected.map((e) => [e.feature, e.status])).toEqual([
      ['trends.memeDependent', 'opposite'],
      ['no.such.key', 'absent'],
    ]);

    const { snapshots } = await call(f.core, 'preference.snapshots.list', {});
    expect(snapshots.map((s) => [s.id, s.ratings, s.analysisVersion, s.opposite])).toEqual([
      [second.snapshotId, 121, 'v3', 1],
      [result.snapshotId, 121, 'v3', 0],
    ]);
    const stored = await call(f.core, 'preference.snapshots.get', { id: result.snapshotId });
    expect(stored.report.features).toEqual(oracle.features);
    expect((await failure(f.core, 'preference.snapshots.get', { id: 999 })).message).toBe(
      `No correlation snapshot 999. Latest: ${second.snapshotId}, ${result.snapshotId}.`,
    );
  }, 60_000);

  it('too few ratings: correlate and train say how many are needed and how many there are; nothing stored', async () => {
    const f = await fixture(2);
    const corr = await failure(f.core, 'preference.correlate', { minFeatures: 1000 });
    expect(corr.message).toMatch(
      /^a correlation run needs at least 3 eligible owner ratings; there are 0 \(analysis version v3, feature_count ≥ 1000; excluded: 1 not an owner rating, 1 older owner rating, 1 no analysis, 1 other analysis version, 1 no feature_count, 4 too few features\)\.$/,
    );
    const train = await failure(f.core, 'preference.train', {});
    expect(train.message).toBe(
      'training a preference model needs at least 200 eligible owner ratings; there are 3 (analysis version v3, feature_count ≥ 100; excluded: 1 not an owner rating, 1 older owner rating, 1 no analysis, 1 other analysis version, 1 no feature_count, 1 too few features).',
    );
    expect(f.core.db.prepare('SELECT count(*) AS n FROM preference_models').get()).toEqual({ n: 0 });
    expect(f.core.db.prepare('SELECT count(*) AS n FROM preference_correlation_snapshots').get()).toEqual({ n: 0 });
    expect(fs.existsSync(path.join(f.core.home.filesDir, 'preference-models'))).toBe(false);
  }, 60_000);

  it('the train job reports progress and cancels: nothing registered', async () => {
    const f = await fixture(229, 3);
    const { job } = await call(f.core, 'jobs.start', { kind: 'preference.train', params: { kind: 'random_forest' } });
    await waitUntil(() => f.core.jobRepo.get(job.id).progress.stage.includes('fold'), 'the training to reach a CV fold', {
      timeoutMs: 60_000,
    });
    const started = Date.now();
    f.core.jobs.cancel(job.id);
    expect((await withTimeout(f.core.jobs.waitFor(job.id), 30_000, 'the cancel')).status).toBe('cancelled');
    // The fits are synchronous native work: the cancel message is read between jobs' event-loop
    // turns, so the supervisor's grace (5 s) ends the process; either way nothing is stored.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(f.core.db.prepare('SELECT count(*) AS n FROM preference_models').get()).toEqual({ n: 0 });
  }, 120_000);

  it('train (a job) → v1.0 not active; --activate-if-advised; v1.1, v2.0 for a forest; activate; status; scores', async () => {
    const f = await fixture(229, 11);
    const v10 = await call(f.core, 'preference.train', { notes: 'first' });
    const data = preferenceData(f.eligible);
    const oracle = trainPreferenceModel(data, { kind: 'ridge', top: 50 });
    expect(v10).toMatchObject({ model: 'preference@v1.0', activated: false, parent: null, kind: 'ridge', ratings: 230, features: 50 });
    expect(v10.metrics).toEqual(oracle.evaluation.overall.metrics);
    expect(v10.advice.activate).toBe(v10.metrics.mae < 0.2);
    // Vision models are untouched: the Models screen and the inference pickers list none of these.
    expect((await call(f.core, 'models.list', {})).models).toEqual([]);

    // The stored model is the core's final model, byte for byte.
    const { models } = await call(f.core, 'preference.models.list', {});
    expect(models).toHaveLength(1);
    const stored = JSON.parse(fs.readFileSync(path.join(f.core.home.filesDir, models[0]!.modelPath), 'utf8'));
    expect(stored).toEqual(JSON.parse(JSON.stringify(oracle.model)));
    expect(models[0]).toMatchObject({
      id: 'preference@v1.0',
      version: 'v1.0',
      notes: 'first',
      trainingRatings: 230,
      analysisVersion: 'v3',
      minFeatures: 100,
      active: false,
    });

    // Immutable rows.
    expect(() => f.core.db.prepare("UPDATE preference_models SET notes = 'x'").run()).toThrow(/immutable/);

    // Unknown ids name the known ones; a vision-style id gets a hint.
    expect((await failure(f.core, 'preference.activate', { id: 'preference@v9.9' })).message).toBe(
      'No preference model preference@v9.9. Known preference models: preference@v1.0.',
    );
    expect((await failure(f.core, 'preference.score', { videoId: 'vid_11_00000', modelId: 'pov@v7' })).message).toMatch(
      /looks like a vision model/,
    );
    // No active model: scores say what to do; the Videos list just has none.
    expect((await failure(f.core, 'preference.score', { videoId: 'vid_11_00000' })).message).toBe(
      'No preference model is active. Activate one (`framelab preference activate ID`; known: preference@v1.0) or pass --model ID.',
    );
    expect(await call(f.core, 'preference.scores', {})).toEqual({ model: null, analysisVersion: null, scores: {} });

    const v11 = await call(f.core, 'preference.train', { activateIfAdvised: true, prune: 0.1, top: 20 });
    expect(v11.model).toBe('preference@v1.1');
    expect(v11.activated).toBe(v11.advice.activate);
    const active = v11.activated ? 'preference@v1.1' : null;
    expect((await call(f.core, 'preference.models.list', {})).active).toBe(active);

    const activated = await call(f.core, 'preference.activate', { id: 'preference@v1.0' });
    expect(activated).toMatchObject({ id: 'preference@v1.0', active: true });

    const forest = await call(f.core, 'preference.train', { kind: 'random_forest', top: 20, activateIfAdvised: true });
    expect(forest).toMatchObject({ model: 'preference@v2.0', parent: 'preference@v1.0', kind: 'random_forest' });
    // The spec's rule against the active v1.0: better by more than the new model's fold sd.
    const gain = v10.metrics.cv_mae - forest.metrics.cv_mae;
    expect(forest.advice.activate).toBe(gain > forest.metrics.cv_mae_std);
    await call(f.core, 'preference.activate', { id: 'preference@v1.0' });

    // Score one video, a file, every video: the core's scoreAnalysis with the stored model.
    const video = f.eligible[3]!;
    const scored = await call(f.core, 'preference.score', { videoId: video.videoId });
    const expected = scoreAnalysis(oracle.model, video.analysis);
    expect(scored).toEqual({ model: 'preference@v1.0', videoId: video.videoId, analysisVersion: 'v3', ...expected });
    expect(scored.topFactors).toHaveLength(5);
    const file = write(f.dir, 'one.json', rec('new_video', 'v3', video.analysis));
    expect(await call(f.core, 'preference.score', { file })).toMatchObject({ videoId: 'new_video', score: expected.score });
    const v2file = write(f.dir, 'old.json', rec('new_video', 'v2', video.analysis));
    expect((await failure(f.core, 'preference.score', { file: v2file })).message).toBe(
      `${v2file}: the analysis is v2, but preference@v1.0 learned from v3 analyses; score a v3 analysis.`,
    );
    const bad = write(f.dir, 'bad.json', '{"video_id": "a",\n "analysis_version": "v3" "analysis": {}}');
    expect((await failure(f.core, 'preference.score', { file: bad })).message).toMatch(/^.*bad\.json:2:\d+: not valid JSON/);
    expect((await failure(f.core, 'preference.score', { videoId: 'x_other_version' })).message).toBe(
      'x_other_version has no v3 analysis (it has v2); preference@v1.0 learned from v3 analyses. Import its v3 analysis first.',
    );
    const forestScore = await call(f.core, 'preference.score', { videoId: video.videoId, modelId: 'preference@v2.0' });
    expect(forestScore.model).toBe('preference@v2.0');
    expect(forestScore.baseScore + forestScore.topFactors.reduce((a, b) => a + b.contribution, 0)).toBeDefined();

    const all = await call(f.core, 'preference.scores', {});
    expect(all.model).toBe('preference@v1.0');
    expect(all.scores[video.videoId]).toBeCloseTo(expected.score, 12);
    expect(Object.keys(all.scores)).toHaveLength(233); // every v3 analysis with or without a rating
    const out = path.join(f.dir, 'scores.csv');
    expect(await call(f.core, 'preference.scoreAll', { out })).toEqual({ model: 'preference@v1.0', rows: 233, file: out });
    const lines = fs.readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe(
      'video_id,model,analysis_version,score,confidence,coverage,factor_1,contribution_1,factor_2,contribution_2,factor_3,contribution_3',
    );
    expect(lines).toHaveLength(234);
    expect((await failure(f.core, 'preference.scoreAll', { out })).message).toMatch(/scores.csv exists; pass overwrite/);

    // Status: the ladder at 230 ratings; no retrain due until new ratings come.
    const before = await call(f.core, 'preference.status', {});
    expect(before.ladder.map((l) => [l.ratings, l.reached])).toEqual([
      [100, true],
      [200, true],
      [300, false],
      [500, false],
    ]);
    expect(before.next).toMatchObject({ ratings: 300, needed: 70 });
    expect(before.active?.id).toBe('preference@v1.0');
    expect(before.retrain).toMatchObject({ due: false, reasons: [], newRatings: 0, recentMae: null, drift: [] });
    expect(before.models).toBe(3);

    await addRatings(f, 50, 99, 1000);
    const after = await call(f.core, 'preference.status', {});
    expect(after.retrain!.newRatings).toBe(50);
    expect(after.retrain!.due).toBe(true);
    expect(after.retrain!.reasons[0]).toBe('50 owner ratings since the model was trained (≥ 50).');
    expect(after.retrain!.recentMae).toBeGreaterThan(0);
    // Drift measured on the new analysed videos (50 + the 3 unrated v3 ones), top 10 features.
    expect(after.retrain!.drift).toHaveLength(10);
    expect(after.next).toMatchObject({ ratings: 300, needed: 20 });
    disposeModel(oracle.model);
  }, 300_000);
});
