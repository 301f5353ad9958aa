/**
 * Text embeddings per second: the suite's path (transformers.js tokenizer → onnxruntime-node →
 * mean pooling + L2, batches of 32, written to the home's cache) on synthetic titles, against
 * the tokenizer alone on the same batches, measured in the same run — so the printout shows
 * both the rate and how much of it is tokenisation. A re-run served from the cache is timed
 * too. No python onnxruntime or sentence-transformers here to compare with.
 *
 * The model is the tests' tiny BERT (hidden 8) unless FRAMELAB_BENCH_TEXT_MODEL names a real
 * folder (e.g. all-MiniLM-L6-v2 fetched with huggingface-cli); nothing is downloaded.
 *
 *   node --import tsx bench/textEmbeddings.ts [texts]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { embedTexts, encoderFor, releaseTextEncoders } from '../src/main/core/suite/text/textEmbeddings';
import { modelIdentity } from '../src/main/core/suite/text/modelFolder';
import { mulberry32 } from '../src/main/core/random';
import { buildTinyBert, WORDS } from '../test/suite/tinyBert';

export interface TextEmbeddingBenchResult {
  model: string;
  texts: number;
  batchSize: number;
  /** Cold: nothing cached, every text through the model. */
  textsPerS: number;
  tokenizerTextsPerS: number;
  /** Tokenizer time / full embedding time. */
  tokenisationShare: number;
  cachedTextsPerS: number;
}

function titles(n: number): string[] {
  const rnd = mulberry32(17);
  const words = WORDS.filter((w) => !w.startsWith('##'));
  // Titles of 3–16 words, with suffixes the WordPiece splits and a few unknown words.
  return Array.from(
    { length: n },
    (_, i) =>
      Array.from({ length: 3 + Math.floor(rnd() * 14) }, () =>
        rnd() < 0.1 ? 'zebrastripe' : words[Math.floor(rnd() * words.length)]! + (rnd() < 0.2 ? 'ing' : ''),
      ).join(' ') + ` #${i}`,
  );
}

export async function textEmbeddingBench(count = 2000, batchSize = 32): Promise<TextEmbeddingBenchResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-bench-text-'));
  try {
    const real = process.env.FRAMELAB_BENCH_TEXT_MODEL;
    const modelDir = real ? path.resolve(real) : path.join(tmp, 'tiny-bert');
    if (!real) buildTinyBert(modelDir, { hidden: 8, maxLength: 64 });
    const texts = titles(count);
    const home = path.join(tmp, 'home');
    // Load once outside the timing (the model load is a one-off per process).
    const encoder = await encoderFor(modelIdentity(modelDir));

    let start = process.hrtime.bigint();
    const cold = await embedTexts(texts, { modelDir, homeRoot: home, batchSize });
    const coldS = Number(process.hrtime.bigint() - start) / 1e9;
    if (cold.stats.computed !== count) throw new Error(`expected ${count} computed texts, got ${cold.stats.computed}`);

    // The tokenizer alone, on the same batches in the same order (longest first).
    const sorted = [...texts].sort((a, b) => b.length - a.length);
    start = process.hrtime.bigint();
    for (let i = 0; i < sorted.length; i += batchSize) encoder.tokenize(sorted.slice(i, i + batchSize));
    const tokS = Number(process.hrtime.bigint() - start) / 1e9;

    start = process.hrtime.bigint();
    const warm = await embedTexts(texts, { modelDir, homeRoot: home, batchSize });
    const warmS = Number(process.hrtime.bigint() - start) / 1e9;
    if (warm.stats.computed !== 0) throw new Error('the re-run should be served from the cache');

    return {
      model: real ? path.basename(modelDir) : `tiny BERT (hidden 8, ${encoder.dim}-d)`,
      texts: count,
      batchSize,
      textsPerS: count / coldS,
      tokenizerTextsPerS: count / tokS,
      tokenisationShare: tokS / coldS,
      cachedTextsPerS: count / warmS,
    };
  } finally {
    await releaseTextEncoders();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await textEmbeddingBench(Number(process.argv[2] ?? 2000));
  console.log(JSON.stringify(r, null, 2));
}
