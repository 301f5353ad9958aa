/**
 * A tiny BERT-like model folder, built by the tests themselves (nothing is downloaded): the
 * layout transformers.js loads for feature extraction — config.json, tokenizer.json (a
 * WordPiece tokenizer with BERT's normalizer, pre-tokenizer and [CLS] … [SEP] template),
 * tokenizer_config.json and onnx/model.onnx with BERT's input and output names.
 *
 * The graph, with seeded weights (hidden size H, vocabulary V):
 *   x   = word[input_ids] + type[token_type_ids]                       [b, s, H]
 *   m   = [[0], [1]][attention_mask]                                   [b, s, 1]
 *   ctx = mean_s(x · m) / mean_s(m)      (masked mean over the sequence)  [b, 1, H]
 *   out = tanh((x + ctx) W + bias)       = last_hidden_state           [b, s, H]
 * The masked context makes every token depend on the others (as attention does), so padding
 * that leaked through the mask would change the results; `referenceForward` in the Python
 * oracle of the tests computes the same thing in float64.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GraphBuilder } from '../../src/main/core/vision/onnx/graphBuilder';
import { mulberry32 } from '../../src/main/core/random';

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Words and subwords: enough to exercise ##-continuations, [UNK], accents and punctuation. */
export const WORDS = [
  'the',
  'a',
  'cat',
  'dog',
  'sat',
  'on',
  'mat',
  'video',
  'how',
  'to',
  'make',
  'bread',
  'un',
  '##believ',
  '##able',
  'play',
  '##ing',
  '##ed',
  '##s',
  'fast',
  'best',
  'top',
  '10',
  'cafe',
  'tips',
  'and',
  'tricks',
  'my',
  'day',
  'in',
  'life',
  'is',
  'this',
  'real',
  '!',
  ',',
  '.',
  '?',
  "'",
  's',
  '#',
  'shorts',
  'bake',
  '##r',
  'morning',
  'routine',
] as const;

export interface TinyBertWeights {
  hidden: number;
  vocab: string[];
  /** V × H, row-major. */
  word: number[];
  /** 2 × H. */
  type: number[];
  /** H × H (input dim × output dim). */
  w: number[];
  bias: number[];
}

export interface TinyBertOptions {
  hidden?: number;
  seed?: number;
  /** tokenizer_config.json's model_max_length (truncation, in tokens incl. [CLS] and [SEP]). */
  maxLength?: number;
  /** Extra words appended to the vocabulary (changes the tokenizer, hence the model identity). */
  extraWords?: string[];
}

function seededWeights(hidden: number, vocab: string[], seed: number): TinyBertWeights {
  const random = mulberry32(seed);
  // Round through float32 so the Python oracle and the graph hold exactly the same numbers.
  const draw = (n: number, scale: number) => Array.from({ length: n }, () => Math.fround((random() * 2 - 1) * scale));
  return {
    hidden,
    vocab,
    word: draw(vocab.length * hidden, 1),
    type: draw(2 * hidden, 0.5),
    w: draw(hidden * hidden, 0.8),
    bias: draw(hidden, 0.2),
  };
}

function tokenizerJson(vocab: string[]): object {
  const ids = Object.fromEntries(vocab.map((t, i) => [t, i]));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ids['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ids['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

function modelOnnx(weights: TinyBertWeights): Uint8Array {
  const { hidden: H, vocab } = weights;
  const f32 = (shape: number[], data: number[]) => ({ dtype: 'float32' as const, shape, data: Float32Array.from(data) });
  const g = new GraphBuilder('tiny_bert');
  const ids = g.input('input_ids', ['batch', 'sequence'], 'int64');
  const mask = g.input('attention_mask', ['batch', 'sequence'], 'int64');
  const types = g.input('token_type_ids', ['batch', 'sequence'], 'int64');
  const word = g.initializer('embeddings.word_embeddings.weight', f32([vocab.length, H], weights.word));
  const type = g.initializer('embeddings.token_type_embeddings.weight', f32([2, H], weights.type));
  // Gathering from [[0], [1]] turns the int64 mask into a float [b, s, 1] without int constants.
  const maskTable = g.initializer('mask_table', f32([2, 1], [0, 1]));
  const w = g.initializer('dense.weight', f32([H, H], weights.w));
  const bias = g.initializer('dense.bias', f32([H], weights.bias));
  const x = g.node('Add', [g.node('Gather', [word, ids], 'word_vectors'), g.node('Gather', [type, types], 'type_vectors')], 'x');
  const m = g.node('Gather', [maskTable, mask], 'mask_f');
  // ReduceMean keeps `axes` as an attribute in opset 17 (ReduceSum moved it to an input).
  const sumX = g.node('ReduceMean', [g.node('Mul', [x, m], 'x_masked')], 'x_mean', { axes: [1], keepdims: 1 });
  const sumM = g.node('ReduceMean', [m], 'mask_mean', { axes: [1], keepdims: 1 });
  const ctx = g.node('Div', [sumX, sumM], 'context');
  const h = g.node('Add', [x, ctx], 'h');
  const z = g.node('Add', [g.node('MatMul', [h, w], 'hw'), bias], 'z');
  const out = g.node('Tanh', [z], 'last_hidden_state');
  g.output(out, ['batch', 'sequence', H]);
  return g.encode({ opset: 17, producerName: 'framelab-tests', producerVersion: '1' });
}

/** Writes the model folder `dir` and returns its weights (for the reference computation). */
export function buildTinyBert(dir: string, options: TinyBertOptions = {}): TinyBertWeights {
  const hidden = options.hidden ?? 8;
  const maxLength = options.maxLength ?? 32;
  const vocab = [...SPECIAL_TOKENS, ...WORDS, ...(options.extraWords ?? [])];
  const weights = seededWeights(hidden, vocab, options.seed ?? 7);
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  // Truncation length lives in tokenizer_config.json (model_max_length), as in exported models.
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab), null, 2));
  fs.writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify(
      {
        tokenizer_class: 'BertTokenizer',
        do_lower_case: true,
        model_max_length: maxLength,
        cls_token: '[CLS]',
        sep_token: '[SEP]',
        pad_token: '[PAD]',
        unk_token: '[UNK]',
        mask_token: '[MASK]',
        clean_up_tokenization_spaces: true,
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify(
      {
        model_type: 'bert',
        architectures: ['BertModel'],
        hidden_size: hidden,
        num_hidden_layers: 1,
        num_attention_heads: 1,
        intermediate_size: hidden,
        vocab_size: vocab.length,
        max_position_embeddings: maxLength,
        type_vocab_size: 2,
        pad_token_id: 0,
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, 'onnx', 'model.onnx'), modelOnnx(weights));
  return weights;
}
