/**
 * The real CLI on a real home: `framelab preference correlate | train | models | activate |
 * status | score`, each with --json (one JSON object) and bad input refused with a message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanup, runCli, singleJsonLine, tempDir } from '../helpers';
import { jsonl, RATINGS_HEADER, write } from './dataFixtures';
import { syntheticPreferences } from './synthetic';

afterEach(runCleanup);

describe('framelab preference (models)', () => {
  it('correlate, train (a job), models, activate, status, score on 210 ratings', async () => {
    const dir = tempDir('pref-models-cli');
    const home = path.join(dir, 'home');
    const cli = async (...args: string[]) => {
      const r = await runCli(['preference', ...args, '--home', home], { timeoutMs: 120_000 });
      return r;
    };
    const json = async (...args: string[]) => {
      const r = await cli(...args, '--json');
      expect(r.code, r.stderr).toBe(0);
      return singleJsonLine(r.stdout);
    };
    const { records } = syntheticPreferences(210, 5);
    const analyses = write(
      dir,
      'a.jsonl',
      jsonl(...records.map((r) => JSON.stringify({ video_id: r.videoId, analysis_version: 'v3', analysis: r.analysis }))),
    );
    const rows = records.map((r, i) => `${r.videoId},owner,owner,${r.overall},,,,,${new Date(Date.UTC(2025, 0, 1, i)).toISOString()}`);
    const ratings = write(dir, 'r.csv', `${RATINGS_HEADER}\n${rows.join('\n')}\n`);
    expect((await cli('analyses', 'import', analyses)).code).toBe(0);
    expect((await cli('ratings', 'import', ratings)).code).toBe(0);

    const corr = await json('correlate', '--top', '3');
    expect(corr.ratings).toBe(210);
    expect(Object.keys(corr)).toEqual(expect.arrayContaining(['ratings', 'features', 'expected']));
    expect(Object.keys(corr.features[0])).toEqual(['feature', 'r', 'p', 'q', 'tier', 'coverage']);
    expect(corr.topPositive).toHaveLength(3);
    expect(corr.expected.map((e: { status: string }) => e.status)).toContain('confirmed');

    const badModel = await cli('train', '--model', 'svm');
    expect(badModel.code).toBe(2); // INVALID_INPUT
    expect(badModel.stderr).toContain('--model is ridge or random_forest, not "svm".');

    const trained = await json('train', '--top', '30', '--activate-if-advised', '--notes', 'first model');
    expect(Object.keys(trained).slice(0, 3)).toEqual(['model', 'activated', 'advice']);
    expect(trained).toMatchObject({ model: 'preference@v1.0', kind: 'ridge', ratings: 210, features: 30 });
    expect(trained.activated).toBe(trained.metrics.mae < 0.2);
    expect(Object.keys(trained.metrics)).toEqual(['mae', 'rmse', 'r2', 'cv_mae', 'cv_mae_std', 'cv_rmse', 'cv_r2', 'status']);

    const models = await json('models');
    expect(models.models.map((m: { id: string; notes: string }) => [m.id, m.notes])).toEqual([['preference@v1.0', 'first model']]);
    const unknown = await cli('activate', 'preference@v3.0');
    expect(unknown.code).toBe(1); // NOT_FOUND
    expect(unknown.stderr).toContain('No preference model preference@v3.0. Known preference models: preference@v1.0.');
    expect(await json('activate', 'preference@v1.0')).toMatchObject({ id: 'preference@v1.0', active: true });

    const status = await json('status');
    expect(status.ladder.map((l: { reached: boolean }) => l.reached)).toEqual([true, true, false, false]);
    expect(status.next).toMatchObject({ ratings: 300, needed: 90 });
    expect(status.retrain).toMatchObject({ due: false, newRatings: 0 });

    const score = await json('score', '--video', records[0]!.videoId);
    expect(Object.keys(score).slice(0, 4)).toEqual(['model', 'score', 'confidence', 'topFactors']);
    expect(score.topFactors).toHaveLength(5);
    expect(score.score).toBeGreaterThanOrEqual(0);
    const file = write(dir, 'one.json', JSON.stringify({ video_id: 'new', analysis_version: 'v3', analysis: records[0]!.analysis }));
    expect((await json('score', '--analysis', file)).score).toBe(score.score);
    const both = await cli('score', '--video', 'x', '--all');
    expect(both.stderr).toContain('score needs exactly one of --video ID, --analysis FILE.json and --all.');
    const out = path.join(dir, 'scores.csv');
    expect(await json('score', '--all', '--out', out)).toEqual({ model: 'preference@v1.0', rows: 210, file: out });
    expect(fs.readFileSync(out, 'utf8').split('\r\n')).toHaveLength(212);

    const text = await cli('status');
    expect(text.stdout).toContain('[x] 200 ratings: first model');
    expect(text.stdout).toContain('Active model: preference@v1.0');
  }, 300_000);
});
