/**
 * A sentence encoder over @huggingface/transformers' feature-extraction pipeline, loaded from
 * a local model folder only: remote models off, local files only, no file or browser cache
 * (the folder is the single source, nothing is copied beside the library), and a fetch that
 * refuses, so a missing file fails loudly instead of reaching for the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import { FramelabError } from '../../../../shared/errors';
import { checkModelFolder, HOW_TO_GET_A_MODEL } from './modelFolder';

export interface TextEncoder {
  dir: string;
  dim: number;
  /** One forward pass over `texts` (non-empty strings): unit vectors, row-major n × dim. */
  embed(texts: string[]): Promise<Float32Array>;
  /** The tokenizer alone, as `embed` runs it: each text's token ids (no padding). */
  tokenize(texts: string[]): number[][];
  /** How many forward passes this encoder has run. */
  readonly calls: number;
  dispose(): Promise<void>;
}

let offline = false;

/**
 * Loads transformers.js (on first use only: it pulls in onnxruntime, which every process that
 * merely imports the suite code, like the CLI and the owner, should not pay for) and points it
 * at local folders only; idempotent.
 */
async function offlineTransformers(): Promise<typeof import('@huggingface/transformers')> {
  const transformers = await import('@huggingface/transformers');
  if (offline) return transformers;
  const { env, LogLevel } = transformers;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.useCustomCache = false;
  env.logLevel = LogLevel.ERROR;
  env.fetch = async (url: string | URL) => {
    throw new FramelabError('INVALID_INPUT', `text embeddings never download; something asked for ${String(url)}. ${HOW_TO_GET_A_MODEL}`);
  };
  offline = true;
  return transformers;
}

interface TokenTensor {
  data: BigInt64Array;
  dims: number[];
}

/**
 * The truncation length: the tokenizer's model_max_length, lowered to sentence-transformers'
 * max_seq_length when the folder has its sentence_bert_config.json (256 for all-MiniLM-L6-v2),
 * so long texts are cut where sentence-transformers cuts them.
 */
function maxLengthOf(dir: string, tokenizerMax: number): number {
  const st = path.join(dir, 'sentence_bert_config.json');
  const stMax = fs.existsSync(st) ? Number((JSON.parse(fs.readFileSync(st, 'utf8')) as { max_seq_length?: unknown }).max_seq_length) : NaN;
  const max = Math.min(Number.isFinite(stMax) && stMax > 0 ? stMax : Infinity, tokenizerMax);
  return Number.isFinite(max) ? max : 512;
}

/**
 * transformers.js truncates the finished sequence, dropping the closing [SEP]; BERT and
 * sentence-transformers keep it ([CLS] + the first max − 2 tokens + [SEP]). A full row that
 * does not end in [SEP] was cut, so its last token becomes [SEP] again.
 */
function restoreSep(ids: TokenTensor, mask: TokenTensor, sep: bigint): void {
  const [rows, len] = ids.dims as [number, number];
  for (let r = 0; r < rows; r++) {
    const last = r * len + len - 1;
    if (mask.data[last] === 1n && ids.data[last] !== sep) ids.data[last] = sep;
  }
}

/** Mean over real tokens (attention mask 1), then L2 normalisation, in float64. */
function meanPoolNormalise(hidden: { data: Float32Array; dims: number[] }, mask: TokenTensor): Float32Array {
  const [rows, len, dim] = hidden.dims as [number, number, number];
  const out = new Float32Array(rows * dim);
  const acc = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    let count = 0;
    for (let t = 0; t < len; t++) {
      if (mask.data[r * len + t] === 0n) continue;
      count++;
      const at = (r * len + t) * dim;
      for (let k = 0; k < dim; k++) acc[k]! += hidden.data[at + k]!;
    }
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += (acc[k]! / count) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < dim; k++) out[r * dim + k] = acc[k]! / count / norm;
  }
  return out;
}

export async function loadTextEncoder(dir: string): Promise<TextEncoder> {
  checkModelFolder(dir);
  const { pipeline } = await offlineTransformers();
  let extractor: FeatureExtractionPipeline;
  try {
    // An absolute path is not a hub model id, so transformers.js reads `${dir}/${file}` as is.
    extractor = await pipeline('feature-extraction', dir, { dtype: 'fp32', device: 'cpu', local_files_only: true });
  } catch (e) {
    throw new FramelabError('INVALID_INPUT', `could not load the text model in ${dir}: ${(e as Error).message}`);
  }
  const { tokenizer, model } = extractor;
  const maxLength = maxLengthOf(dir, tokenizer.model_max_length);
  const sepId = (tokenizer as unknown as { sep_token_id?: number }).sep_token_id;
  const tokenize = (texts: string[]) => {
    const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: maxLength }) as Record<string, TokenTensor>;
    if (sepId !== undefined && sepId !== null) restoreSep(inputs.input_ids!, inputs.attention_mask!, BigInt(sepId));
    return inputs;
  };
  let calls = 0;
  let dim = -1;
  const encoder: TextEncoder = {
    dir,
    get dim() {
      return dim;
    },
    get calls() {
      return calls;
    },
    async embed(texts) {
      calls++;
      const inputs = tokenize(texts);
      const outputs = (await model(inputs)) as Record<string, { data: Float32Array; dims: number[] } | undefined>;
      const hidden = outputs.last_hidden_state ?? outputs.token_embeddings;
      if (!hidden || hidden.dims.length !== 3 || hidden.dims[0] !== texts.length) {
        throw new FramelabError(
          'INVALID_INPUT',
          `the text model in ${dir} must output last_hidden_state [batch, tokens, hidden]; it gave ${Object.keys(outputs).join(', ')}.`,
        );
      }
      dim = hidden.dims[2]!;
      return meanPoolNormalise(hidden, inputs.attention_mask!);
    },
    tokenize(texts) {
      const { input_ids: ids, attention_mask: mask } = tokenize(texts);
      const len = ids!.dims[1]!;
      return texts.map((_, r) =>
        Array.from(ids!.data.subarray(r * len, (r + 1) * len), Number).filter((_, t) => mask!.data[r * len + t] === 1n),
      );
    },
    dispose: () => extractor.dispose(),
  };
  // One probe fixes the output width before any real batch (and checks the graph runs).
  await encoder.embed(['a']);
  calls = 0;
  return encoder;
}
