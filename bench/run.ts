/**
 * `npm run bench`: each benchmark measures Framelab and a reference in the same run and
 * prints the ratio (ours / reference; lower is better). Absolute numbers vary by machine,
 * ratios much less. No benchmark fails a build: they inform.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '../src/shared/client';
import { createHttpTransport } from '../src/shared/httpTransport';
import { handlers } from '../src/main/core/api/handlers';
import { openCore, type Core } from '../src/main/core/core';
import { nodeForkLauncher } from '../src/main/core/jobs/launcher';
import { startServer } from '../src/main/core/server/server';
import { storeFile } from '../src/main/core/workspace/files';
import { analysisBench, describeAnalysis } from './analysis';
import { annotationsImportBench } from './annotationsImport';
import { codingLatency } from './codingLatency';
import { describeLoocv, finetuneLoocvBench } from './finetuneLoocv';
import { icrBench } from './icr';
import { describeInfer, inferPipelineBench } from './inferPipeline';
import { ortInferenceBench } from './ortInference';
import { preferenceModelBench } from './preferenceModel';
import { describeResize, resizeBench } from './resize';
import { benchSize } from './size';
import { suiteGbdtBench } from './suiteGbdt';
import { suiteRidgeBench } from './suiteRidge';
import { textEmbeddingBench } from './textEmbeddings';
import { trainStepBench } from './trainStep';

interface Result {
  name: string;
  ours: number;
  reference: number;
  unit: string;
  referenceName: string;
}

async function timeIt(fn: () => Promise<void> | void, repeats: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!; // median, in ms
}

/** The integrity job (fork, read-only DB, streaming sha256, progress) against coreutils' sha256sum over the same files. */
async function integrityVsSha256sum(core: Core): Promise<Result> {
  const files: string[] = [];
  for (let i = 0; i < 16; i++) {
    const rel = `bench/file_${i}.bin`;
    storeFile(core.db, core.home, rel, 'bench', crypto.randomBytes(16 * 2 ** 20));
    files.push(path.join(core.home.filesDir, rel));
  }
  const ours = await timeIt(async () => {
    const job = core.jobs.start('workspace.integrity', {});
    const done = await core.jobs.waitFor(job.id);
    if (done.status !== 'succeeded') throw new Error(`integrity job ${done.status}`);
  }, 3);
  const reference = await timeIt(() => {
    const run = spawnSync('sha256sum', files);
    if (run.status !== 0) throw new Error('sha256sum failed');
  }, 3);
  return { name: 'integrity check, 16 × 16 MiB', ours, reference, unit: 'ms', referenceName: 'sha256sum' };
}

/** One API call through browser mode (auth, validation, dispatch) against a bare node:http JSON echo. */
async function apiCallVsBareHttp(core: Core): Promise<Result> {
  const server = await startServer({ core, handlers, port: 0, rendererDir: os.tmpdir() });
  const client = createClient(createHttpTransport({ baseUrl: server.url, token: server.token }));
  const bare = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(JSON.stringify({ ok: true, value: { name: 'x' } })));
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  const calls = 200;
  const ours = await timeIt(async () => {
    for (let i = 0; i < calls; i++) await client.call('app.info');
  }, 3);
  const reference = await timeIt(async () => {
    for (let i = 0; i < calls; i++) await (await fetch(bareUrl, { method: 'POST', body: '{}' })).json();
  }, 3);
  await server.close();
  await new Promise((r) => bare.close(r));
  return { name: `${calls} API calls over HTTP`, ours, reference, unit: 'ms', referenceName: 'bare node:http echo' };
}

/** Starting a job process until it reports ready and finishes a no-file check, against spawning a bare `node -e ""`. */
async function jobStartVsBareNode(core: Core): Promise<Result> {
  const ours = await timeIt(async () => {
    const job = core.jobs.start('workspace.integrity', { hashFiles: false });
    await core.jobs.waitFor(job.id);
  }, 5);
  const reference = await timeIt(() => void spawnSync(process.execPath, ['-e', '']), 5);
  return { name: 'job round trip (database-only check)', ours, reference, unit: 'ms', referenceName: 'spawn node -e ""' };
}

async function main() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-bench-'));
  const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
  const results: Result[] = [];
  try {
    results.push(await jobStartVsBareNode(core));
    results.push(await apiCallVsBareHttp(core));
    results.push(await integrityVsSha256sum(core));
  } finally {
    core.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
  const csv = await annotationsImportBench();
  // Rates: the ratio is reference time / our time inverted, i.e. how many times slower than a bare parse.
  results.push({
    name: 'annotations.csv import, 10,000 rows (rows/s)',
    ours: csv.importRowsPerS,
    reference: csv.parseRowsPerS,
    unit: 'rows/s',
    referenceName: 'plain split parse',
  });
  const icr = icrBench();
  results.push(
    {
      name: `ICR: all statistics + ${icr.resamples} bootstrap, ${icr.codes} codes`,
      ours: icr.oursMs,
      reference: icr.naiveBootstrapExtrapolatedMs,
      unit: 'ms',
      referenceName: `naive per-pair (extrapolated from ${icr.naiveMeasuredResamples})`,
    },
    {
      name: `ICR: all statistics once, ${icr.codes} codes`,
      ours: icr.oursPointMs,
      reference: icr.naiveOnceMs,
      unit: 'ms',
      referenceName: 'naive per-pair (measured)',
    },
  );
  const latency = await codingLatency();
  results.push(
    {
      name: `coding: key → next frame painted, p50 (${latency.frames})`,
      ours: latency.p50,
      reference: latency.floorP50,
      unit: 'ms',
      referenceName: 'image-swap floor',
    },
    {
      name: `coding: key → next frame painted, p95 (${latency.frames})`,
      ours: latency.p95,
      reference: latency.floorP95,
      unit: 'ms',
      referenceName: 'image-swap floor',
    },
  );
  const ortBench = await ortInferenceBench();
  if (ortBench) {
    // A rate: the ratio above 1 means faster than the reference.
    results.push({
      name: `ResNet-50 inference, batch ${ortBench.batchSize}, ${ortBench.threads} threads, ORT ${ortBench.provider} (images/s)`,
      ours: ortBench.ortImagesPerS,
      reference: ortBench.torchImagesPerS,
      unit: 'images/s',
      referenceName: 'python3-torch eval',
    });
  } else {
    console.log('ResNet-50 inference: skipped (/usr/bin/python3 cannot import torchvision)');
  }
  const step = await trainStepBench();
  if ('skipped' in step) {
    console.log(`ResNet-50 train step: skipped (${step.skipped})`);
  } else {
    results.push({
      name: `ResNet-50 layer4+fc train step, batch ${step.batch}, Adam, ${step.threads} threads`,
      ours: step.addonMs,
      reference: step.torchMs,
      unit: 'ms',
      referenceName: 'python3-torch',
    });
  }
  // 1 fold × 2 epochs per side keeps this to about two minutes; `node --import tsx bench/finetuneLoocv.ts 2 2` times more.
  const loocv = await finetuneLoocvBench(1, 2);
  if ('skipped' in loocv) {
    console.log(`LOOCV fine-tuning: skipped (${loocv.skipped})`);
  } else {
    for (const line of describeLoocv(loocv)) console.log(line);
    results.push({
      name: `LOOCV fine-tuning epoch, ${loocv.frames} frames, ${loocv.threads} threads (s/epoch)`,
      ours: loocv.framelabS,
      reference: loocv.labS,
      unit: 's',
      referenceName: "python3-torch, the lab's way",
    });
  }
  // Model-input preprocessing per frame, native vs JS vs Pillow (a few seconds); `node --import tsx bench/resize.ts [frames]` alone.
  const resize = await resizeBench(30);
  for (const line of describeResize(resize)) console.log(line);
  for (const row of resize.rows) {
    if (row.nativeMs === null) continue;
    if (row.pillowMs !== null) {
      results.push({
        name: `resize + crop + normalise, ${row.label} (ms/frame)`,
        ours: row.nativeMs,
        reference: row.pillowMs,
        unit: 'ms',
        referenceName: 'Pillow + numpy',
      });
    }
    results.push({
      name: `resize + crop + normalise, ${row.label} (ms/frame)`,
      ours: row.nativeMs,
      reference: row.jsMs,
      unit: 'ms',
      referenceName: 'the JS fallback',
    });
  }
  // 2 portrait clips × 10 s (20 frames, two ResNet-50s, 2 workers); `node --import tsx bench/inferPipeline.ts` runs the 3 × 20 s.
  const infer = await inferPipelineBench(2, 10);
  if ('skipped' in infer) {
    console.log(`batch inference: skipped (${infer.skipped})`);
  } else {
    for (const line of describeInfer(infer)) console.log(line);
    // A rate: the ratio is the share of model-only speed the whole pipeline keeps.
    results.push(
      {
        name: `batch inference, ${infer.frames} portrait frames, end to end (frames/s)`,
        ours: infer.endToEndFps,
        reference: infer.modelOnlyFps,
        unit: 'frames/s',
        referenceName: 'model only, same frames',
      },
      {
        name: `decoding ${infer.frames} sampled frames, CPU`,
        ours: infer.oursDecodeCpuMs,
        reference: Math.min(infer.fullDecodeCpuMs, infer.seekDecodeCpuMs),
        unit: 'ms',
        referenceName: 'the cheaper ffmpeg CLI (full decode or seek per frame)',
      },
    );
  }
  // 3,000 × 384 by default (about a minute); FRAMELAB_BENCH_RIDGE=10000x1536 is the size (several minutes).
  const ridge = suiteRidgeBench(...benchSize('RIDGE', [3000, 384]));
  if ('skipped' in ridge) {
    console.log(`suite Ridge 5-fold: skipped (${ridge.skipped})`);
  } else {
    console.log(`suite Ridge 5-fold: MSE ours ${ridge.mseOurs} · sklearn ${ridge.mseSklearn}`);
    results.push({
      name: `suite Ridge 5-fold CV (inner 5-fold alpha grid), ${ridge.n} × ${ridge.p}, ${ridge.threads} threads`,
      ours: ridge.oursS,
      reference: ridge.sklearnS,
      unit: 's',
      referenceName: 'sklearn GridSearchCV(Pipeline)',
    });
  }
  // 3,000 × 384 by default; FRAMELAB_BENCH_GBDT=10000x1536 is the lab's size.
  const gbdt = suiteGbdtBench(...benchSize('GBDT', [3000, 384]));
  if ('skipped' in gbdt) {
    console.log(`suite gbdt: skipped (${gbdt.skipped})`);
  } else {
    console.log(
      `suite gbdt: held-out RMSE ours ${gbdt.oursRmse.toFixed(4)} (${gbdt.oursRounds} rounds) · Python ${gbdt.referenceRmse.toFixed(4)} (${gbdt.referenceRounds} rounds)`,
    );
    results.push({
      name: `suite gbdt (PCA 128 + XGBoost, early stopping), ${gbdt.n} × ${gbdt.d}, ${gbdt.threads} threads`,
      ours: gbdt.oursS,
      reference: gbdt.referenceS,
      unit: 's',
      referenceName: 'sklearn PCA + xgb.train',
    });
  }
  // 1,000 ratings by default; FRAMELAB_BENCH_PREFERENCE=5000x170 is the size.
  const preference = preferenceModelBench(benchSize('PREFERENCE', [1000, 170])[0]);
  if ('skipped' in preference) {
    console.log(`preference model: skipped (${preference.skipped})`);
  } else {
    console.log(
      `preference model: CV MAE Ridge ours ${preference.ridgeMaeOurs.toFixed(6)} · sklearn ${preference.ridgeMaeSklearn.toFixed(6)}; forest ours ${preference.forestMaeOurs.toFixed(4)} · sklearn ${preference.forestMaeSklearn.toFixed(4)}; sklearn forest on every core ${preference.forestSklearnAllCoresS.toFixed(1)} s`,
    );
    const size = `${preference.n} ratings × ${preference.rawFeatures} raw features`;
    results.push({
      name: `preference flatten + correlate + 5-fold Ridge, ${size}`,
      ours: preference.ridgeOursS,
      reference: preference.ridgeSklearnS,
      unit: 's',
      referenceName: 'python + sklearn',
    });
    results.push({
      name: `preference 5-fold random forest, ${size}, ${preference.threads} threads`,
      ours: preference.forestOursS,
      reference: preference.forestSklearnS,
      unit: 's',
      referenceName: 'sklearn RandomForestRegressor()',
    });
  }
  // Issue 18's size (15,000 videos); `node --import tsx bench/analysis.ts [n]` runs it alone.
  const analysis = await analysisBench(15000);
  if ('skipped' in analysis) {
    console.log(`outcome analysis: skipped (${analysis.skipped})`);
  } else {
    for (const line of describeAnalysis(analysis)) console.log(line);
    results.push(
      {
        name: `analysis: ${analysis.olsModels} OLS models with HC3, ${analysis.n} rows`,
        ours: analysis.olsOursS,
        reference: analysis.olsStatsmodelsS,
        unit: 's',
        referenceName: 'statsmodels smf.ols(...).fit(cov_type="HC3")',
      },
      {
        name: `analysis: NB2 on views, ${analysis.n} rows`,
        ours: analysis.nbOursS,
        reference: analysis.nbStatsmodelsS,
        unit: 's',
        referenceName: 'statsmodels NegativeBinomial fit(method="newton")',
      },
      {
        name: `analysis: 20 × 20 partial dependence, ${analysis.n} rows, 300 trees`,
        ours: analysis.pdpOursS,
        reference: analysis.pdpSklearnS,
        unit: 's',
        referenceName: 'sklearn partial_dependence(brute), xgboost',
      },
    );
  }
  const text = await textEmbeddingBench();
  console.log(
    `text embeddings (${text.model}, batch ${text.batchSize}): tokenisation ${(100 * text.tokenisationShare).toFixed(0)}% of the time; cached re-run ${text.cachedTextsPerS.toFixed(0)} texts/s`,
  );
  // A rate against the tokenizer alone on the same batches: the ratio equals tokenisation's share of the time.
  results.push({
    name: `text embeddings, ${text.texts} titles (texts/s)`,
    ours: text.textsPerS,
    reference: text.tokenizerTextsPerS,
    unit: 'texts/s',
    referenceName: 'tokenizer alone',
  });
  for (const r of results) {
    console.log(
      `${r.name.padEnd(40)} ours ${r.ours.toFixed(1).padStart(8)} ${r.unit} · ${r.referenceName} ${r.reference.toFixed(1).padStart(8)} ${r.unit} · ratio ${(r.ours / r.reference).toFixed(2)}`,
    );
  }
}

await main();
