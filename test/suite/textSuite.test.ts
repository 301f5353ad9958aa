import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SuiteConfig } from '../../src/shared/suite';
import { readNpzEmbeddings, readNpyWithIds } from '../../src/main/core/suite/data/embeddings';
import { runEmbedText } from '../../src/main/core/suite/text/embedTextJob';
import { resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import { runSuite } from '../../src/main/core/suite/runs/run';
import { predictVideo } from '../../src/main/core/suite/models/saved';
import { embedTexts, releaseTextEncoders } from '../../src/main/core/suite/text/textEmbeddings';
import { mulberry32 } from '../../src/main/core/random';
import { runCleanup, runCli, tempDir } from '../helpers';
import { pythonHas, runPython } from '../helpers/python';
import { writeHorizonFixture } from './horizonFixture';
import { buildTinyBert, WORDS } from './tinyBert';

const quiet = { progress: () => {}, throwIfCancelled: () => {} };
const TITLE_WORDS = WORDS.filter((w) => !w.startsWith('##') && /^[a-z0-9]+$/.test(w));

let root: string;
let modelDir: string;

/** A title per video: 2–6 vocabulary words; every 7th empty and every 11th blank (no text). */
function titleFor(i: number, rnd: () => number): string {
  if (i % 7 === 3) return '';
  if (i % 11 === 5) return '   ';
  return Array.from({ length: 2 + Math.floor(rnd() * 5) }, () => TITLE_WORDS[Math.floor(rnd() * TITLE_WORDS.length)]!).join(' ');
}

const csvQuote = (s: string) => (s === '' ? '' : `"${s.replace(/"/g, '""')}"`);

/**
 * Metadata whose target depends on the title through the tiny model's text vector:
 * log1p(views) = 6 + 0.03·duration + 3·(v·u) + noise, v = the title's unit vector (0 when no title).
 */
async function writeTextFixture(dir: string, n = 150): Promise<{ titles: string[]; ids: string[] }> {
  const rnd = mulberry32(11);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const ids = Array.from({ length: n }, (_, i) => `v${String(i).padStart(3, '0')}`);
  const titles = ids.map((_, i) => titleFor(i, rnd));
  const vec = await embedTexts(titles, { modelDir, homeRoot: fs.mkdtempSync(path.join(root, 'oracle-home-')) });
  const u = [1, -1, 0.5, 0, 0.8, -0.6, 0.3, 0];
  const lines = ['video_id,channel_id,duration,title,horizon_view_count'];
  ids.forEach((id, i) => {
    const duration = 5 + 55 * rnd();
    const signal = u.reduce((a, w, k) => a + w * vec.vectors[i * 8 + k]!, 0);
    const views = Math.round(Math.expm1(6 + 0.03 * duration + 3 * signal + 0.2 * gauss()));
    lines.push([id, `UC${i % 10}`, duration.toFixed(2), csvQuote(titles[i]!), views].join(','));
  });
  fs.writeFileSync(path.join(dir, 'meta.csv'), lines.join('\n') + '\n');
  return { titles, ids };
}

function textConfig(dir: string, extra: Record<string, unknown> = {}): SuiteConfig {
  return resolveConfigPaths(
    SuiteConfig.parse({
      metadata: 'meta.csv',
      text: { column: 'title', model: path.relative(dir, modelDir), batchSize: 16 },
      target: { column: 'horizon_view_count', transform: 'log1p' },
      guestColumn: 'channel_id',
      split: { kind: 'random', ratios: [0.7, 0.15, 0.15], seed: 42 },
      models: ['mean', 'ridge', 'ridge_guestnorm'],
      bootstrap: 50,
      ...extra,
    }),
    dir,
  );
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-textsuite-'));
  modelDir = path.join(root, 'tiny-bert');
  buildTinyBert(modelDir);
});
afterEach(runCleanup);
afterAll(async () => {
  await releaseTextEncoders();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a suite run with "text"', () => {
  it('embeds the titles as the embedding, derives text_present, records the model, and reuses the cache', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'run-'));
    const { titles } = await writeTextFixture(dir);
    const home = path.join(dir, 'home');
    const config = textConfig(dir);
    const stages: string[] = [];
    const result = await runSuite(config, home, { progress: (_f, s) => stages.push(s), throwIfCancelled: () => {} });
    expect(stages).toContain(`embedding text 0/${new Set(titles.filter((t) => t.trim())).size}`);

    const summary = JSON.parse(fs.readFileSync(path.join(result.runDir, 'data_summary.json'), 'utf8'));
    const present = titles.filter((t) => t.trim()).length;
    expect(summary.embeddings).toBeNull();
    expect(summary.embeddingDim).toBe(8);
    expect(summary.text).toMatchObject({
      column: 'title',
      model: modelDir,
      dim: 8,
      present,
      absent: titles.length - present,
      cached: 0,
      textPresentReplacedMetadataColumn: false,
    });
    expect(summary.text.computed).toBe(summary.text.unique);
    expect(summary.features.numeric).toContain('text_present');
    const used = JSON.parse(fs.readFileSync(path.join(result.runDir, 'config_used.json'), 'utf8'));
    expect(used.textModel).toMatchObject({ dir: modelDir, dim: 8, column: 'title' });
    expect(used.textModel.identity).toMatch(/^[0-9a-f]{64}$/);
    expect(used.versions['@huggingface/transformers']).toMatch(/^4\./);

    // The title carries the signal: Ridge on the text vectors beats the mean clearly.
    const board = Object.fromEntries(result.leaderboard.map((r) => [r.model, r]));
    expect(board.ridge!.val.r2_log).toBeGreaterThan(0.5);
    expect(board.ridge!.val.rmse_log).toBeLessThan(board.mean!.val.rmse_log * 0.7);
    const slices = JSON.parse(fs.readFileSync(path.join(result.runDir, 'slice_metrics.json'), 'utf8'));
    expect(slices.column).toBe('text_present');
    expect(Object.keys(slices.models.ridge.val).sort()).toEqual(['text_present=0', 'text_present=1']);

    // A second run: every title comes from the cache, the predictions are identical.
    const again = await runSuite(config, home, quiet);
    const summary2 = JSON.parse(fs.readFileSync(path.join(again.runDir, 'data_summary.json'), 'utf8'));
    expect(summary2.text).toMatchObject({ computed: 0, cached: summary.text.unique });
    expect(fs.readFileSync(path.join(again.runDir, 'predictions/test.csv'), 'utf8')).toBe(
      fs.readFileSync(path.join(result.runDir, 'predictions/test.csv'), 'utf8'),
    );

    // Saved models score a video as the run did; a new title is embedded the same way.
    const lines = fs
      .readFileSync(path.join(result.runDir, 'predictions/test.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .filter((l) => l.startsWith('ridge,'));
    for (const line of lines.slice(0, 4)) {
      const [, videoId, , yPred] = line.split(',');
      expect((await predictVideo(result.runDir, 'ridge', videoId!)).yPred).toBeCloseTo(Number(yPred), 10);
    }
    const [, videoId, , yPred] = lines.find((l) => titles[Number(l.split(',')[1]!.slice(1))]!.trim())!.split(',');
    const own = titles[Number(videoId!.slice(1))]!;
    expect((await predictVideo(result.runDir, 'ridge', videoId!, { title: own })).yPred).toBeCloseTo(Number(yPred), 10);
    const retitled = await predictVideo(result.runDir, 'ridge', videoId!, { title: 'unbelievable bread baking tricks' });
    expect(Math.abs(retitled.yPred - Number(yPred))).toBeGreaterThan(1e-3);
    // The same new title on another video moves it by the same text contribution (Ridge is linear).
    const other = lines.map((l) => l.split(',')[1]!).find((id) => id !== videoId && titles[Number(id.slice(1))]!.trim())!;
    const otherBase = await predictVideo(result.runDir, 'ridge', other);
    const otherRetitled = await predictVideo(result.runDir, 'ridge', other, { title: 'unbelievable bread baking tricks' });
    const ownNoText = await predictVideo(result.runDir, 'ridge', videoId!, { title: '' });
    const otherNoText = await predictVideo(result.runDir, 'ridge', other, { title: '' });
    expect(retitled.yPred - ownNoText.yPred).toBeCloseTo(otherRetitled.yPred - otherNoText.yPred, 9);
    expect(otherBase.yPred).not.toBe(otherRetitled.yPred);

    // The run's model folder changed afterwards: predictions refuse rather than mix models.
    const moved = path.join(root, 'tiny-bert-moved');
    fs.renameSync(modelDir, moved);
    try {
      buildTinyBert(modelDir, { seed: 1234 });
      await expect(predictVideo(result.runDir, 'ridge', videoId!, { title: 'a cat' })).rejects.toThrow(
        /text model folder .*tiny-bert changed since run suite-/,
      );
    } finally {
      fs.rmSync(modelDir, { recursive: true, force: true });
      fs.renameSync(moved, modelDir);
    }
  }, 240_000);

  it('appends text vectors to given embeddings and replaces a metadata text_present', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'append-'));
    writeHorizonFixture(dir, 60);
    // Add a title column (every 4th missing) to the horizon table, which has its own text_present.
    const rnd = mulberry32(3);
    const csv = fs.readFileSync(path.join(dir, 'meta.csv'), 'utf8').trim().split('\n');
    fs.writeFileSync(
      path.join(dir, 'meta.csv'),
      [csv[0] + ',title', ...csv.slice(1).map((l) => `${l},${Number(l.slice(4, 8)) % 4 === 0 ? '' : csvQuote(titleFor(1, rnd))}`)].join(
        '\n',
      ) + '\n',
    );
    const config = textConfig(dir, {
      embeddings: { path: 'emb.npy', ids: 'ids.txt' },
      filter: { horizon_days: 7 },
      dedupe: { by: 'video_id', latest: 'captured_at' },
      models: ['mean', 'ridge'],
    });
    const result = await runSuite(config, path.join(dir, 'home'), quiet);
    const summary = JSON.parse(fs.readFileSync(path.join(result.runDir, 'data_summary.json'), 'utf8'));
    expect(summary.embeddings.dim).toBe(8);
    expect(summary.embeddingDim).toBe(16);
    expect(summary.text).toMatchObject({ dim: 8, present: 45, absent: 15, textPresentReplacedMetadataColumn: true });
  }, 120_000);

  it('fails before embedding when the text column is missing or numeric', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'bad-'));
    await writeTextFixture(dir, 20);
    await expect(runSuite(textConfig(dir, { text: { column: 'titel', model: modelDir } }), path.join(dir, 'home'), quiet)).rejects.toThrow(
      /meta\.csv has no text column "titel" \(text\.column\); its columns: video_id, channel_id, duration, title/,
    );
    await expect(
      runSuite(textConfig(dir, { text: { column: 'duration', model: modelDir } }), path.join(dir, 'home'), quiet),
    ).rejects.toThrow(/text\.column "duration" .* is numeric/);
    await expect(
      runSuite(textConfig(dir, { text: { column: 'title', model: path.join(dir, 'no-model') } }), path.join(dir, 'home'), quiet),
    ).rejects.toThrow(/no-model does not exist/);
    expect(fs.existsSync(path.join(dir, 'home', 'runs', 'suite')) ? fs.readdirSync(path.join(dir, 'home', 'runs', 'suite')) : []).toEqual(
      [],
    );
  }, 60_000);
});

describe('suite.embedText', () => {
  it('writes .npz (ids, text, text_present) and .npy + ids that read back as suite embeddings', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'embed-'));
    const { titles, ids } = await writeTextFixture(dir, 40);
    const home = path.join(dir, 'home');
    fs.mkdirSync(path.join(dir, 'out'));
    const npz = path.join(dir, 'out', 'titles.npz');
    const res = await runEmbedText(quiet, home, {
      input: path.join(dir, 'meta.csv'),
      column: 'title',
      idColumn: 'video_id',
      model: modelDir,
      out: npz,
      overwrite: false,
      batchSize: 8,
    });
    expect(res).toMatchObject({ out: npz, idsFile: null, rows: 40, dim: 8, present: titles.filter((t) => t.trim()).length, cached: 0 });
    const expected = await embedTexts(titles, { modelDir, homeRoot: home });
    expect(expected.stats.computed).toBe(0); // the job filled the same cache
    const back = readNpzEmbeddings(npz);
    expect(back.ids).toEqual(ids);
    back.data.forEach((x, i) => expect(x).toBe(expected.vectors[i]));
    if (pythonHas('numpy')) {
      const py = JSON.parse(
        runPython(
          'import sys, json, numpy as np\nz = np.load(sys.argv[1])\nprint(json.dumps({"ids": z["ids"].tolist(), "shape": list(z["text"].shape), "dtype": str(z["text"].dtype), "present": z["text_present"].tolist(), "norms": np.linalg.norm(z["text"], axis=1).tolist()}))',
          [npz],
        ),
      );
      expect(py.ids).toEqual(ids);
      expect(py).toMatchObject({ shape: [40, 8], dtype: 'float32' });
      expect(py.present).toEqual(titles.map((t) => (t.trim() ? 1 : 0)));
      py.norms.forEach((nrm: number, i: number) => expect(nrm).toBeCloseTo(titles[i]!.trim() ? 1 : 0, 5));
    }
    const npy = path.join(dir, 'titles.npy');
    const res2 = await runEmbedText(quiet, home, {
      input: path.join(dir, 'meta.csv'),
      column: 'title',
      idColumn: 'video_id',
      model: modelDir,
      out: npy,
      overwrite: false,
      batchSize: 8,
    });
    expect(res2).toMatchObject({ idsFile: path.join(dir, 'titles.ids.txt'), computed: 0 });
    expect(Array.from(readNpyWithIds(npy, res2.idsFile!).data)).toEqual(Array.from(back.data));

    // The same video with two different titles is refused, naming it.
    fs.appendFileSync(path.join(dir, 'meta.csv'), `v000,UC0,10,"another title",5\n`);
    await expect(
      runEmbedText(quiet, home, {
        input: path.join(dir, 'meta.csv'),
        column: 'title',
        idColumn: 'video_id',
        model: modelDir,
        out: npz,
        overwrite: true,
        batchSize: 8,
      }),
    ).rejects.toThrow(/video "v000" has two different title values/);
  }, 120_000);

  it('runs from the CLI as a job, then a suite run with "text" through the CLI reuses its cache', async () => {
    const dir = tempDir('textsuite-cli');
    await writeTextFixture(dir, 60);
    const home = tempDir();
    const emb = await runCli(
      [
        '--home',
        home,
        '--json',
        'suite',
        'embed-text',
        '--metadata',
        path.join(dir, 'meta.csv'),
        '--column',
        'title',
        '--model',
        modelDir,
        '--out',
        path.join(dir, 'titles.npz'),
      ],
      { timeoutMs: 120_000 },
    );
    expect(emb.code, emb.stderr).toBe(0);
    const out = JSON.parse(emb.stdout);
    expect(out).toMatchObject({ rows: 60, dim: 8, cached: 0, out: path.join(dir, 'titles.npz') });
    expect(out.computed).toBeGreaterThan(0);

    fs.writeFileSync(
      path.join(dir, 'suite.json'),
      JSON.stringify({
        metadata: 'meta.csv',
        text: { column: 'title', model: modelDir },
        guestColumn: 'channel_id',
        models: ['mean', 'ridge'],
        bootstrap: 20,
      }),
    );
    const run = await runCli(['--home', home, '--json', 'suite', 'run', path.join(dir, 'suite.json')], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(JSON.parse(run.stdout).runDir, 'data_summary.json'), 'utf8'));
    expect(summary.text).toMatchObject({ computed: 0, cached: out.computed });

    const missing = await runCli(
      [
        '--home',
        home,
        '--json',
        'suite',
        'embed-text',
        '--metadata',
        path.join(dir, 'meta.csv'),
        '--column',
        'title',
        '--model',
        path.join(dir, 'nowhere'),
        '--out',
        path.join(dir, 'x.npz'),
      ],
      { timeoutMs: 60_000 },
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stderr + missing.stdout).toMatch(/nowhere does not exist.*huggingface-cli download/);
  }, 240_000);
});
