import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteRunResult } from '../../src/shared/suite';
import { dataFingerprint, featureSetHash, gitCommit, horizonOf } from '../../src/main/core/suite/runs/lineage';
import type { SuiteData } from '../../src/main/core/suite/data/suiteData';
import {
  activateSuiteModel,
  getSuiteModel,
  listSuiteModels,
  registeredIdsByRun,
  registerSuiteRun,
  resolveSuiteModelRef,
  suiteModelName,
} from '../../src/main/core/suite/runs/registry';
import { SuiteConfig } from '../../src/shared/suite';
import { client } from '../annotations/fixtures';
import { openTestCore, runCleanup, tempDir } from '../helpers';

afterEach(runCleanup);

const metrics = (rmse: number) => ({ n: 10, rmse_log: rmse, mae_log: rmse / 2, r2_log: 0.5, rmse_raw: 100, mae_raw: 50, spearman: 0.4 });

function runResult(
  runId: string,
  models: string[],
  lineage: Partial<SuiteRunResult['lineage']> = {},
  folds: number | null = null,
): SuiteRunResult {
  return {
    runId,
    runDir: `/tmp/${runId}`,
    rows: { train: 70, val: 15, test: 15 },
    folds,
    rankMetric: 'rmse_log',
    leaderboard: models.map((model, i) => ({ model, val: metrics(1 + i), test: metrics(1.1 + i), sd: null })),
    lineage: {
      horizon: '7d',
      featureSetHash: 'f'.repeat(64),
      dataFingerprint: 'd'.repeat(64),
      git: { sha: 'a'.repeat(40), dirty: true },
      ...lineage,
    },
  };
}

function data(values: number[]): SuiteData {
  const table = {
    source: 'meta.csv',
    rowCount: values.length,
    columns: new Map([
      ['duration', { kind: 'numeric' as const, values: Float64Array.from(values) }],
      ['lang', { kind: 'text' as const, values: values.map(() => 'en') }],
    ]),
  };
  return {
    src: { table, embeddings: Float64Array.from(values.flatMap((v) => [v, -v])), embeddingDim: 2 },
    ids: values.map((_, i) => `v${i}`),
    y: Float64Array.from(values, (v) => v * 2),
    guests: null,
    features: { numeric: ['duration'], categorical: ['lang'] },
  };
}

describe('suite registry (real SQLite)', () => {
  it("serves one run's models (leaderboard order) or one name's versions through the API, and the runs list's ids in one query", async () => {
    const core = openTestCore(tempDir());
    registerSuiteRun(core.db, runResult('suite-1', ['ridge', 'mean']), null);
    registerSuiteRun(core.db, runResult('suite-2', ['mean', 'ridge']), null);
    const api = client(core);
    expect((await api.call('suite.models', { runId: 'suite-2' })).models.map((m) => m.id)).toEqual([
      'suite_7d_mean@v2',
      'suite_7d_ridge@v2',
    ]);
    expect((await api.call('suite.models', { name: 'suite_7d_ridge' })).models.map((m) => m.runId)).toEqual(['suite-1', 'suite-2']);
    expect((await api.call('suite.models', {})).models).toHaveLength(4);
    expect((await api.call('suite.models', { runId: 'suite-9' })).models).toEqual([]);
    await expect(api.call('suite.models', { name: 'suite_7d_ridge', runId: 'suite-1' })).rejects.toThrow(/a name or a runId, not both/);
    await expect(api.call('suite.models', { runId: '../x' })).rejects.toThrow(/runId/);
    expect([...registeredIdsByRun(core.db)]).toEqual([
      ['suite-1', ['suite_7d_ridge@v1', 'suite_7d_mean@v1']],
      ['suite-2', ['suite_7d_mean@v2', 'suite_7d_ridge@v2']],
    ]);
  });

  it('numbers versions per name, activates only the first, keeps one active per name, and refuses edits', () => {
    const core = openTestCore(tempDir());
    const db = core.db;
    expect(registerSuiteRun(db, runResult('suite-1', ['ridge', 'mean']), 'job1').map((m) => [m.id, m.active])).toEqual([
      ['suite_7d_ridge@v1', true],
      ['suite_7d_mean@v1', true],
    ]);
    const second = registerSuiteRun(db, runResult('suite-2', ['ridge'], { horizon: null }), null);
    expect(second.map((m) => m.id)).toEqual(['suite_ridge@v1']);
    const third = registerSuiteRun(db, runResult('suite-3', ['ridge']), null);
    expect(third.map((m) => [m.id, m.active, m.gitCommit])).toEqual([['suite_7d_ridge@v2', false, `${'a'.repeat(40)}+dirty`]]);
    // A retried apply of the same run registers nothing new.
    expect(registerSuiteRun(db, runResult('suite-3', ['ridge']), null).map((m) => m.id)).toEqual(['suite_7d_ridge@v2']);
    expect(registerSuiteRun(db, runResult('suite-4', ['ridge'], {}, 5), null)).toEqual([]);

    expect(getSuiteModel(db, 'suite_7d_ridge').version).toBe('v1');
    activateSuiteModel(db, 'suite_7d_ridge@v2');
    expect(getSuiteModel(db, 'suite_7d_ridge')).toMatchObject({ version: 'v2', runId: 'suite-3' });
    expect(listSuiteModels(db, 'suite_7d_ridge').map((m) => m.active)).toEqual([false, true]);
    expect(resolveSuiteModelRef(db, { model: 'suite_7d_ridge@v1' })).toEqual({
      runId: 'suite-1',
      model: 'ridge',
      registryId: 'suite_7d_ridge@v1',
    });
    expect(resolveSuiteModelRef(db, { runId: 'suite-9', model: 'gbdt' })).toEqual({ runId: 'suite-9', model: 'gbdt', registryId: null });

    expect(() => db.prepare("UPDATE suite_models SET run_id = 'suite-x' WHERE id = 'suite_7d_ridge@v1'").run()).toThrow(/immutable/);
    expect(() => db.prepare("DELETE FROM suite_models WHERE id = 'suite_7d_ridge@v1'").run()).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE suite_models SET active = 1 WHERE id = 'suite_7d_ridge@v1'").run()).toThrow(/UNIQUE/);
    expect(() => getSuiteModel(db, 'ridge@v1')).toThrow(/is not a suite model id/);
    expect(() => getSuiteModel(db, 'suite_30d_ridge')).toThrow(/No suite model named suite_30d_ridge\. Registered: /);
  });

  it('names models by horizon and model, slugged', () => {
    expect(suiteModelName('7d', 'gated_fusion_mlp')).toBe('suite_7d_gated_fusion_mlp');
    expect(suiteModelName(null, 'ridge')).toBe('suite_ridge');
    expect(horizonOf({ filter: { horizon_days: 30 } })).toBe('30d');
    expect(horizonOf({ filter: undefined })).toBeNull();
  });
});

describe('suite lineage', () => {
  const config = SuiteConfig.parse({ metadata: 'meta.csv' });

  it('the data fingerprint changes with any value; the feature-set hash only with the inputs', () => {
    const base = data([1, 2, 3]);
    expect(dataFingerprint(data([1, 2, 3]))).toBe(dataFingerprint(base));
    expect(dataFingerprint(data([1, 2, 3.0001]))).not.toBe(dataFingerprint(base));
    expect(featureSetHash(config, data([4, 5, 6]))).toBe(featureSetHash(config, base));
    const fewer = { ...base, features: { numeric: ['duration'], categorical: [] } };
    expect(featureSetHash(config, fewer)).not.toBe(featureSetHash(config, base));
  });

  it('records the commit of a checkout, dirty when tracked files changed; null outside one', () => {
    const repo = tempDir('git');
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'a.txt'), 'one');
    git('add', 'a.txt');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'one');
    expect(gitCommit(repo)).toEqual({ sha: git('rev-parse', 'HEAD'), dirty: false });
    fs.writeFileSync(path.join(repo, 'untracked.txt'), 'x');
    expect(gitCommit(repo)!.dirty).toBe(false);
    fs.writeFileSync(path.join(repo, 'a.txt'), 'two');
    expect(gitCommit(repo)!.dirty).toBe(true);
    expect(gitCommit(tempDir('plain'))).toBeNull();
  });
});
