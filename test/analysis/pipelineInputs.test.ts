import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisConfigInput } from '../../src/shared/analysis';
import { FramelabError } from '../../src/shared/errors';
import { checkAnalysisInput, parseAnalysisConfig, readAnalysisConfig } from '../../src/main/core/analysis/config';
import { classSlug, loadAnalysisData } from '../../src/main/core/analysis/data';
import { runAnalysis, sweepPartialRuns, type AnalysisRunReporter } from '../../src/main/core/analysis/run';
import { analysisRunsDir } from '../../src/main/core/analysis/runs';
import { mulberry32 } from '../../src/main/core/random';
import { runCleanup, tempDir } from '../helpers';
import { pythonHas, runPython } from '../helpers/python';
import { baseConfig, tableCsv, writeRunInputs } from './pipelineFixture';

/**
 * What goes into a run: the config's checks, the joins (an extra table and a batch-inference
 * folder's class shares, against pandas), every bad input of issue 18 item 1 with its message,
 * and failed or cancelled runs leaving no run folder.
 */

afterEach(runCleanup);

const chromium = process.env.CHROMIUM_PATH;
beforeAll(() => void (process.env.CHROMIUM_PATH = '/nonexistent/chromium'));
afterAll(() => (chromium === undefined ? delete process.env.CHROMIUM_PATH : (process.env.CHROMIUM_PATH = chromium)));

const quiet = (): AnalysisRunReporter => ({
  progress: () => undefined,
  throwIfCancelled: () => undefined,
  cancelled: false,
  jobId: 'job_test',
});
/** Fast runs: no GBM, no LASSO. */
const FAST: Partial<AnalysisConfigInput> = { gbm: null, lasso: null, pairwise: false, outcomes: ['views', 'likes'] };

async function failure(promise: Promise<unknown>): Promise<FramelabError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the run to fail').toBeInstanceOf(FramelabError);
  return err as FramelabError;
}

/** A run on the synthetic table edited by `edit`; it must fail, and leave nothing under runs/analysis. */
async function failingRun(
  edit: (cols: Record<string, (number | string | null)[]>) => void,
  config: Partial<AnalysisConfigInput> = {},
): Promise<FramelabError> {
  const dir = tempDir('analysis-data');
  const home = tempDir('analysis-home');
  const { configFile } = writeRunInputs(dir, { n: 120, edit, config: { ...FAST, ...config } });
  const err = await failure(runAnalysis({ config: readAnalysisConfig(configFile), configFile }, home, quiet()));
  const root = analysisRunsDir(home);
  expect(fs.existsSync(root) ? fs.readdirSync(root) : []).toEqual([]);
  return err;
}

describe('the config', () => {
  it('names the field of a schema problem, and resolves relative paths against its own folder', () => {
    const dir = tempDir('analysis-config');
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ ...baseConfig(), se: 'HC9' }));
    expect(() => readAnalysisConfig(file)).toThrow(/config\.json: se: .*HC3/);
    fs.writeFileSync(file, JSON.stringify({ ...baseConfig(), gbm: { folds: 1 } }));
    expect(() => readAnalysisConfig(file)).toThrow(/gbm\.folds: /);
    fs.writeFileSync(file, JSON.stringify({ ...baseConfig(), joins: [{ kind: 'table', path: '../meta.csv' }] }));
    const config = readAnalysisConfig(file);
    expect(config.data).toBe(path.join(dir, 'videos.csv'));
    expect(config.joins[0]!.path).toBe(path.join(path.dirname(dir), 'meta.csv'));
    fs.writeFileSync(file, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    expect(() => readAnalysisConfig(file)).toThrow(/is not UTF-8 text: line 1/);
    fs.writeFileSync(file, '{"data": ');
    expect(() => readAnalysisConfig(file)).toThrow(/is not valid JSON/);
    expect(() => readAnalysisConfig(dir)).toThrow(/is not a regular file \(it is a folder\)/);
  });

  it('refuses roles that do not fit together, each by name', () => {
    const check = (extra: Partial<AnalysisConfigInput>) => () =>
      checkAnalysisInput({ config: parseAnalysisConfig({ ...baseConfig(), data: '/x/videos.csv', ...extra }), configFile: null });
    expect(check({ focal: [['color_entropy', 'avg_objects', 'likes_per_view']] })).toThrow(
      /focal\.0: "likes_per_view" is not among the predictors/,
    );
    expect(check({ focal: [['color_entropy', 'color_entropy', 'avg_objects']] })).toThrow(/focal\.0: .* names "color_entropy" twice/);
    expect(check({ gbm: { pdpPairs: [['color_entropy', 'category']] } })).toThrow(
      /gbm\.pdpPairs\.0: "category" is not a predictor or a numeric control/,
    );
    expect(check({ gbm: { pdpTriples: [['color_entropy', 'avg_objects', 'duration_s']] } })).not.toThrow(/pdpTriples/);
    expect(check({ outcomes: ['views', 'num_faces'] })).toThrow(/"num_faces" cannot be both an outcome and a predictor/);
    expect(check({ predictors: ['color_entropy', 'color_entropy'] })).toThrow(/predictors: "color_entropy" is listed twice/);
    expect(check({ controls: ['views'] })).toThrow(/"views" cannot be both an outcome and a control/);
    expect(check({ data: 'videos.csv' })).toThrow(/data: "videos.csv" is a relative path, but there is no config file/);
    // The paths exist only as far as the check goes: a missing table is NOT_FOUND by name.
    expect(check({})).toThrow(/analysis data table \/x\/videos\.csv does not exist/);
  });
});

/**
 * pandas: the inference folder's frame rows → per video and dimension the share of frames
 * predicted as each class (a neutralised cell restored, class slugs as the run writes them),
 * left-joined on the main table's ids; and the extra table left-joined the same way.
 */
const JOINS_PY = String.raw`
import json, re, sys
import pandas as pd
spec = json.load(open(sys.argv[1]))
main = pd.read_csv(spec['main'], dtype={'video_id': str})[['video_id']]
frames = pd.read_csv(spec['frames'], dtype=str, keep_default_na=False)
slug = lambda s: re.sub('[^a-z0-9]+', '_', s.lower())
restore = lambda s: s[1:] if re.match(r"^'+[=+\-@\t\r]", s) else s
out = {}
for dim in spec['dimensions']:
    classes = [slug(c[len(dim) + 3:]) for c in frames.columns if c.startswith(dim + '_p_')]
    pred = frames[dim + '_pred'].map(lambda s: slug(restore(s)))
    shares = pd.crosstab(frames['video_id'], pred, normalize='index').reindex(columns=classes, fill_value=0.0)
    merged = main.merge(shares, left_on='video_id', right_index=True, how='left')
    for c in classes:
        out[f'{dim}_share_{c}'] = [None if pd.isna(v) else float(v) for v in merged[c]]
meta = pd.read_csv(spec['meta'], dtype={'video_id': str})
merged = main.merge(meta, on='video_id', how='left')
out['followers'] = [None if pd.isna(v) else float(v) for v in merged['followers']]
print(json.dumps(out))
`;

describe('joins', () => {
  it.skipIf(!pythonHas('pandas'))(
    'adds an extra table by id and an inference folder as class shares, equal to pandas; videos without predictions are missing',
    async () => {
      const dir = tempDir('analysis-joins');
      const { dataFile, s } = writeRunInputs(dir, { n: 200, config: FAST });
      const ids = s.json.video_id as string[];
      const random = mulberry32(3);
      // The extra table: 150 of the videos in another order, one unknown video, a column the main table has.
      const metaIds = [...ids.slice(0, 150)].reverse().concat(['vid_9999']);
      fs.writeFileSync(
        path.join(dir, 'meta.csv'),
        tableCsv({ video_id: metaIds, followers: metaIds.map(() => Math.round(random() * 1e5)), duration_s: metaIds.map(() => 1) }),
      );
      // The inference folder: frames of 120 videos; class names with spaces, brackets and a formula-like start.
      const pov = ['1st person', '3rd person'];
      const distance = ['close-up (tight)', 'medium', '-far'];
      const header = [
        'video_id',
        'frame_id',
        'timestamp_s',
        'pov_pred',
        'pov_conf',
        ...pov.map((c) => `pov_p_${c.toLowerCase().replace(/[^a-z0-9]/g, '_')}`),
        'distance_pred',
        'distance_conf',
        ...distance.map((c) => `distance_p_${c.toLowerCase().replace(/[^a-z0-9]/g, '_')}`),
      ];
      const frameRows: string[][] = [];
      for (const id of ids.slice(60, 180)) {
        const frames = 1 + Math.floor(random() * 6);
        for (let t = 0; t < frames; t++) {
          const row = [id, `${id}_t${t.toFixed(1).padStart(5, '0')}`, t.toFixed(1)];
          const p = pov[Math.floor(random() * 2)]!;
          const d = distance[Math.floor(random() * 3)]!;
          row.push(p, '0.9', ...pov.map(() => '0.5'), d.startsWith('-') ? `'${d}` : d, '0.8', ...distance.map(() => '0.3'));
          frameRows.push(row);
        }
      }
      const inferDir = path.join(dir, 'infer-out');
      fs.mkdirSync(inferDir);
      fs.writeFileSync(
        path.join(inferDir, 'model_predictions.csv'),
        tableCsv(Object.fromEntries(header.map((h, j) => [h, frameRows.map((r) => r[j]!)]))),
      );

      const joins = [
        { kind: 'table' as const, path: path.join(dir, 'meta.csv') },
        { kind: 'inference' as const, path: inferDir },
      ];
      const data = await loadAnalysisData({ data: dataFile, id: 'video_id', joins });
      const specFile = path.join(dir, 'spec.json');
      fs.writeFileSync(
        specFile,
        JSON.stringify({
          main: dataFile,
          frames: path.join(inferDir, 'model_predictions.csv'),
          meta: path.join(dir, 'meta.csv'),
          dimensions: ['pov', 'distance'],
        }),
      );
      const ref = JSON.parse(runPython(JOINS_PY, [specFile])) as Record<string, (number | null)[]>;
      expect(Object.keys(ref).sort()).toEqual([
        'distance_share__far',
        'distance_share_close_up_tight_',
        'distance_share_medium',
        'followers',
        'pov_share_1st_person',
        'pov_share_3rd_person',
      ]);
      expect(classSlug('close-up (tight)')).toBe('close_up_tight_');
      for (const [name, expected] of Object.entries(ref)) {
        const col = data.table.columns.get(name);
        expect(col?.kind, name).toBe('numeric');
        const got = Array.from(col!.values as Float64Array, (v) => (Number.isNaN(v) ? null : v));
        expect(
          got.map((v) => v === null),
          `${name}: missing rows`,
        ).toEqual(expected.map((v) => v === null));
        got.forEach((v, i) => v !== null && expect(Math.abs(v - expected[i]!), `${name} row ${i + 1}`).toBeLessThan(1e-12));
      }
      // The main table's duration_s is kept; the join's copy is left out and said so.
      expect(data.table.columns.get('duration_s')!.values[0]).not.toBe(1);
      expect(data.summary.joins[0]).toEqual({
        kind: 'table',
        path: path.join(dir, 'meta.csv'),
        columns: ['followers'],
        skipped: ['duration_s'],
        matched: 150,
        unmatched: 50,
      });
      expect(data.summary.joins[1]).toMatchObject({ kind: 'inference', path: inferDir, skipped: [], matched: 120, unmatched: 80 });
      expect([...data.summary.joins[1]!.columns].sort()).toEqual(
        Object.keys(ref)
          .filter((c) => c !== 'followers')
          .sort(),
      );
      expect(data.sources.get('followers')).toBe('table:meta.csv');
      expect(data.sources.get('pov_share_1st_person')).toBe('inference:infer-out');
      expect(data.summary.columns.find((c) => c.name === 'pov_share_1st_person')).toMatchObject({
        type: 'number',
        missing: 80,
        source: 'inference:infer-out',
      });

      // In a run the joined columns are predictors like any other; listwise deletion counts their missing rows.
      const configFile = path.join(dir, 'joined.json');
      fs.writeFileSync(
        configFile,
        JSON.stringify(
          baseConfig({
            ...FAST,
            outcomes: ['views'],
            countModels: false,
            predictors: ['color_entropy', 'pov_share_1st_person', 'followers'],
            focal: [],
            joins: [
              { kind: 'table', path: 'meta.csv' },
              { kind: 'inference', path: 'infer-out' },
            ],
          }),
        ),
      );
      const result = await runAnalysis({ config: readAnalysisConfig(configFile), configFile }, tempDir('analysis-home'), quiet());
      const complete = ids.filter(
        (_, i) => ref.followers![i] !== null && ref.pov_share_1st_person![i] !== null && s.json.category![i] !== null,
      ).length;
      expect(result.models[0]).toMatchObject({ spec: 'main', n: complete, dropped: 200 - complete });
      expect(result.models[0]!.coefficients.map((c) => c.term)).toEqual(expect.arrayContaining(['pov_share_1st_person', 'followers']));
    },
    90_000,
  );

  it('refuses a duplicate id, a listed column the table already has, and a folder without predictions, by name', async () => {
    const dir = tempDir('analysis-joins');
    const { dataFile } = writeRunInputs(dir, { n: 30 });
    const load = (joins: Parameters<typeof loadAnalysisData>[0]['joins'], data = dataFile) =>
      loadAnalysisData({ data, id: 'video_id', joins });
    fs.writeFileSync(path.join(dir, 'meta.csv'), 'video_id,followers\nvid_0001,5\nvid_0002,6\nvid_0001,7\n');
    await expect(load([{ kind: 'table', path: path.join(dir, 'meta.csv') }])).rejects.toThrow(
      /the id "vid_0001" appears twice in .*meta\.csv \(rows 1 and 3\)/,
    );
    fs.writeFileSync(path.join(dir, 'meta2.csv'), 'video_id,followers,duration_s\nvid_0001,5,3\n');
    await expect(load([{ kind: 'table', path: path.join(dir, 'meta2.csv'), columns: ['followers', 'duration_s'] }])).rejects.toThrow(
      /joins\.0\.columns: "duration_s" is already a column of the data/,
    );
    await expect(load([{ kind: 'table', path: path.join(dir, 'meta2.csv'), columns: ['reach'] }])).rejects.toThrow(
      /joins\.0\.columns: .* has no column "reach"/,
    );
    fs.writeFileSync(path.join(dir, 'meta3.csv'), 'id,followers\nvid_0001,5\n');
    await expect(load([{ kind: 'table', path: path.join(dir, 'meta3.csv') }])).rejects.toThrow(
      /has no id column "video_id" \(id column of joins\.0\)/,
    );
    await expect(load([{ kind: 'table', path: path.join(dir, 'meta3.csv'), id: 'id' }])).resolves.toBeTruthy();
    fs.mkdirSync(path.join(dir, 'empty-out'));
    await expect(load([{ kind: 'inference', path: path.join(dir, 'empty-out') }])).rejects.toThrow(
      /empty-out has no model_predictions\.csv/,
    );
    fs.writeFileSync(path.join(dir, 'dup.csv'), 'video_id,views\na,1\nb,2\na,3\n');
    await expect(load([], path.join(dir, 'dup.csv'))).rejects.toThrow(/the id "a" appears twice in .*dup\.csv \(rows 1 and 3\)/);
  }, 60_000);
});

describe('bad input fails the run with a message naming it, and leaves no run folder', () => {
  it('a missing column', async () => {
    const err = await failingRun(() => undefined, { predictors: ['color_entropy', 'likes_per_view'], focal: [] });
    expect(err.message).toMatch(/^views, count models: .* has no column "likes_per_view"/);
  });

  it('a non-numeric value, with its first bad row', async () => {
    const err = await failingRun((cols) => {
      cols.avg_objects![7] = 'n/a';
      cols.avg_objects![9] = 'none';
    });
    expect(err.message).toMatch(
      /"avg_objects" \(a predictor\) must be numeric, but row 8 \(video_id "vid_0007"\) of .*videos\.csv has "n\/a"/,
    );
  });

  it('a constant predictor', async () => {
    const err = await failingRun((cols) => void (cols.num_faces = cols.num_faces!.map(() => 2)));
    expect(err.message).toMatch(/"num_faces" \(a predictor\) is constant/);
  });

  it('a negative or fractional count for the count models (and the fraction is fine without them)', async () => {
    const negative = await failingRun((cols) => void (cols.likes![3] = -1));
    expect(negative.message).toMatch(
      /^likes, count models: "likes" is the count outcome of a count model, so it must be a non-negative whole number, but row 4 \(video_id "vid_0003"\) of .* has -1/,
    );
    const fraction = await failingRun((cols) => void (cols.likes![5] = 2.5));
    expect(fraction.message).toMatch(/^likes, count models: .* row 6 \(video_id "vid_0005"\) .* has 2\.5/);
    const dir = tempDir('analysis-data');
    const { configFile } = writeRunInputs(dir, {
      n: 120,
      edit: (cols) => void (cols.likes![5] = 2.5),
      config: { ...FAST, countModels: false },
    });
    const ok = await runAnalysis({ config: readAnalysisConfig(configFile), configFile }, tempDir('analysis-home'), quiet());
    expect(ok.models.find((m) => m.outcome === 'likes')!.n).toBeGreaterThan(100);
  });

  it('collinear terms, named with the combination', async () => {
    const err = await failingRun((cols) => void (cols.ce_twice = cols.color_entropy!.map((v) => 2 * (v as number))), {
      predictors: ['color_entropy', 'avg_objects', 'ce_twice'],
      focal: [],
    });
    expect(err.message).toMatch(/The design is singular: "ce_twice" = 2\.000·color_entropy/);
    expect(err.details).toMatchObject({ collinear: [{ term: 'ce_twice', with: ['color_entropy'] }] });
  });

  it('a focal model that cannot be estimated fails after the run folder was begun, and the partial folder goes', async () => {
    const err = await failingRun(() => undefined, { focal: [['text_area_ratio', 'has_text', 'color_entropy']] });
    expect(err.message).toMatch(
      /^views, focal text_area_ratio×has_text×color_entropy: The design is singular: "text_area_ratio:has_text" = 1\.000·text_area_ratio/,
    );
  });
});

describe('count models', () => {
  it('fit a zero-inflated NB where asked and the outcome has zeros; note it where there are none; compare log-OLS with a converged NB per term', async () => {
    const dir = tempDir('analysis-data');
    const { configFile } = writeRunInputs(dir, { n: 300, config: { ...FAST, outcomes: ['views', 'shares'], zinb: true } });
    const result = await runAnalysis({ config: readAnalysisConfig(configFile), configFile }, tempDir('analysis-home'), quiet());
    expect(result.countModels.map((m) => `${m.outcome}:${m.family}`)).toEqual([
      'views:poisson',
      'views:negbin',
      'shares:poisson',
      'shares:negbin',
      'shares:zinb',
    ]);
    const zinb = result.countModels.find((m) => m.family === 'zinb')!;
    expect(zinb.coefficients[0]!.term).toBe('inflate_const');
    expect(zinb.coefficients.slice(1).map((c) => c.term)).toEqual(
      result.countModels.find((m) => m.outcome === 'shares' && m.family === 'negbin')!.coefficients.map((c) => c.term),
    );
    expect(result.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^views: no zero-inflated NB \(asked for in the config.*no zero counts/),
        expect.stringMatching(/^shares: zero-inflated NB fitted/),
      ]),
    );
    // Log-OLS vs NB: every term but the intercept, in the OLS order.
    const main = result.models.find((m) => m.outcome === 'views' && m.spec === 'main')!;
    expect(result.countComparison.filter((r) => r.outcome === 'views').map((r) => r.term)).toEqual(
      main.coefficients.map((c) => c.term).filter((t) => t !== 'Intercept'),
    );
    const countRows = fs.readFileSync(path.join(result.runDir, 'count_models.csv'), 'utf8').trim().split('\r\n');
    expect(countRows.length - 1).toBe(result.countModels.reduce((k, m) => k + m.coefficients.length, 0));
  }, 60_000);
});

describe('a cancelled run', () => {
  it('stops between models and leaves no run folder; a partial folder of a dead job is swept by the next run', async () => {
    const dir = tempDir('analysis-data');
    const home = tempDir('analysis-home');
    const { configFile } = writeRunInputs(dir, { n: 150, config: { ...FAST, pairwise: true } });
    const stages: string[] = [];
    let cancelled = false;
    const reporter: AnalysisRunReporter = {
      progress: (_f, stage) => {
        stages.push(stage);
        if (stage.includes('pairwise')) cancelled = true;
      },
      throwIfCancelled: () => {
        if (cancelled) throw new FramelabError('CANCELLED', 'The job was cancelled.');
      },
      get cancelled() {
        return cancelled;
      },
      jobId: 'job_cancel',
    };
    const err = await failure(runAnalysis({ config: readAnalysisConfig(configFile), configFile }, home, reporter));
    expect(err.code).toBe('CANCELLED');
    // It stopped at the next model: one pairwise stage was announced, no later one.
    expect(stages.filter((s) => s.includes('pairwise'))).toHaveLength(1);
    expect(fs.readdirSync(analysisRunsDir(home))).toEqual([]);

    // A job process killed mid-run leaves its partial folder: the next run removes it once its job is not active.
    const root = analysisRunsDir(home);
    fs.mkdirSync(path.join(root, '.analysis-20260101T000000-abcdef.job_dead.partial', 'pdp'), { recursive: true });
    fs.mkdirSync(path.join(root, '.analysis-20260101T000000-123456.job_live.partial'));
    expect(sweepPartialRuns(root, (job) => job === 'job_live')).toEqual(['.analysis-20260101T000000-abcdef.job_dead.partial']);
    expect(sweepPartialRuns(root, undefined)).toEqual([]);
    expect(fs.readdirSync(root)).toEqual(['.analysis-20260101T000000-123456.job_live.partial']);
  });
});
