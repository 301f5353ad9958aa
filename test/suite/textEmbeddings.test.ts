import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedTexts, encoderFor, releaseTextEncoders } from '../../src/main/core/suite/text/textEmbeddings';
import { textCacheRoot } from '../../src/main/core/suite/text/cache';
import { modelIdentity } from '../../src/main/core/suite/text/modelFolder';
import { pythonHas, runPython } from '../helpers/python';
import { buildTinyBert, type TinyBertWeights } from './tinyBert';

/**
 * The oracle: BERT's basic tokenizer + greedy longest-match WordPiece, written from the
 * original BERT tokenization rules (clean, lowercase, strip accents, split punctuation, ##
 * continuations, [UNK] for a word that cannot be covered, truncation to max_len − 2), and the
 * tiny graph's forward pass, mean pooling over real tokens and L2 normalisation in float64.
 */
const ORACLE_PY = String.raw`
import json, sys, unicodedata
import numpy as np
d = json.load(open(sys.argv[1]))
vocab = {t: i for i, t in enumerate(d['vocab'])}
H, max_len = d['hidden'], d['maxLength']
def is_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126: return True
    return unicodedata.category(ch).startswith('P')
def basic(text):
    text = ''.join(' ' if unicodedata.category(c) == 'Zs' or c in '\t\n\r' else c for c in text
                   if not (ord(c) == 0 or ord(c) == 0xfffd or (unicodedata.category(c).startswith('C') and c not in '\t\n\r')))
    out = []
    for tok in text.strip().split():
        tok = ''.join(c for c in unicodedata.normalize('NFD', tok.lower()) if unicodedata.category(c) != 'Mn')
        cur = ''
        for c in tok:
            if is_punct(c):
                if cur: out.append(cur)
                out.append(c); cur = ''
            else: cur += c
        if cur: out.append(cur)
    return out
def wordpiece(word):
    if len(word) > 100: return ['[UNK]']
    pieces, start = [], 0
    while start < len(word):
        end, cur = len(word), None
        while start < end:
            sub = word[start:end] if start == 0 else '##' + word[start:end]
            if sub in vocab: cur = sub; break
            end -= 1
        if cur is None: return ['[UNK]']
        pieces.append(cur); start = end
    return pieces
def encode(text):
    toks = [p for w in basic(text) for p in wordpiece(w)][:max_len - 2]
    return [vocab['[CLS]']] + [vocab[t] for t in toks] + [vocab['[SEP]']]
word = np.array(d['word'], dtype=np.float64).reshape(len(vocab), H)
typ = np.array(d['type'], dtype=np.float64).reshape(2, H)
W = np.array(d['w'], dtype=np.float64).reshape(H, H)
b = np.array(d['bias'], dtype=np.float64)
ids_out, vecs = [], []
for text in d['texts']:
    ids = encode(text)
    x = word[ids] + typ[0]
    h = x + x.mean(axis=0)
    out = np.tanh(h @ W + b)
    v = out.mean(axis=0)
    ids_out.append(ids); vecs.append((v / np.linalg.norm(v)).tolist())
print(json.dumps({'ids': ids_out, 'vectors': vecs}))
`;

const TEXTS = [
  'Unbelievable cats!',
  'How to make bread, FAST?',
  'Café tips and tricks',
  'my morning routine #shorts',
  'the dog sat on the mat. the cat played!',
  'Is this real?? unbelievably playing bakers',
  'top 10 best videos',
  'zebra',
  'A',
  // 61 tokens: truncated to model_max_length (32, with [CLS] and [SEP]).
  'the cat sat on the mat, '.repeat(10),
];

function oracle(weights: TinyBertWeights, texts: string[], maxLength: number): { ids: number[][]; vectors: number[][] } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'textemb-oracle-')), 'in.json');
  fs.writeFileSync(file, JSON.stringify({ ...weights, texts, maxLength }));
  return JSON.parse(runPython(ORACLE_PY, [file]));
}

let root: string;
let modelDir: string;
let weights: TinyBertWeights;
const newHome = () => fs.mkdtempSync(path.join(root, 'home-'));

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-textemb-'));
  modelDir = path.join(root, 'tiny-bert');
  weights = buildTinyBert(modelDir, { maxLength: 32 });
});
afterAll(async () => {
  await releaseTextEncoders();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('text embeddings from a local model folder', () => {
  it("tokenizes like BERT's WordPiece (hand-checked) and the oracle", async () => {
    const encoder = await encoderFor(modelIdentity(modelDir));
    const id = (t: string) => weights.vocab.indexOf(t);
    // "Unbelievable cats!" → [CLS] un ##believ ##able cat ##s ! [SEP]; "zebra" has no cover → [UNK].
    const pythonIds = pythonHas('numpy') ? oracle(weights, TEXTS, 32).ids : null;
    const ids = (text: string) => encoder.tokenize([text])[0]!;
    expect(ids('Unbelievable cats!')).toEqual(['[CLS]', 'un', '##believ', '##able', 'cat', '##s', '!', '[SEP]'].map(id));
    expect(ids('Café tips')).toEqual(['[CLS]', 'cafe', 'tips', '[SEP]'].map(id));
    expect(ids('zebra')).toEqual(['[CLS]', '[UNK]', '[SEP]'].map(id));
    if (pythonIds) TEXTS.forEach((t, i) => expect(ids(t), t).toEqual(pythonIds[i]));
    // Cut like BERT: [CLS] + the first 30 tokens + [SEP] (transformers.js alone would drop [SEP]).
    const long = ids(TEXTS.at(-1)!);
    expect(long).toHaveLength(32);
    expect(long.at(-1)).toBe(id('[SEP]'));
    // Padded in a batch, each text still has exactly its own tokens.
    expect(encoder.tokenize(['zebra', 'Unbelievable cats!'])).toEqual([ids('zebra'), ids('Unbelievable cats!')]);
    expect(encoder.dim).toBe(8);
  }, 60_000);

  it.skipIf(!pythonHas('numpy'))(
    'equals the numpy reference to 1e-6, unit norm, batch-independent',
    async () => {
      const ref = oracle(weights, TEXTS, 32);
      const home = newHome();
      const batched = await embedTexts(TEXTS, { modelDir, homeRoot: home, batchSize: 4 });
      expect(batched.dim).toBe(8);
      TEXTS.forEach((_, i) => {
        const v = batched.vectors.subarray(i * 8, (i + 1) * 8);
        v.forEach((x, k) => expect(Math.abs(x - ref.vectors[i]![k]!), `text ${i} dim ${k}`).toBeLessThan(1e-6));
        expect(Math.hypot(...v)).toBeCloseTo(1, 6);
      });
      // Padding must not change anything: one text at a time (no padding) in a fresh cache.
      const single = await embedTexts(TEXTS, { modelDir, homeRoot: newHome(), batchSize: 1 });
      expect(single.stats.batches).toBe(TEXTS.length);
      single.vectors.forEach((x, i) => expect(Math.abs(x - batched.vectors[i]!)).toBeLessThan(1e-6));
    },
    60_000,
  );

  it.skipIf(!pythonHas('numpy'))(
    'truncates where sentence_bert_config.json says (max_seq_length), keeping [SEP]',
    async () => {
      const dir = path.join(root, 'tiny-bert-st');
      const w = buildTinyBert(dir);
      fs.writeFileSync(path.join(dir, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 12, do_lower_case: false }));
      const res = await embedTexts(TEXTS, { modelDir: dir, homeRoot: newHome() });
      const ref = oracle(w, TEXTS, 12);
      expect(ref.ids.at(-1)).toHaveLength(12);
      res.vectors.forEach((x, i) => expect(Math.abs(x - ref.vectors[Math.floor(i / 8)]![i % 8]!)).toBeLessThan(1e-6));
      expect(modelIdentity(dir).identity).not.toBe(modelIdentity(modelDir).identity);
    },
    60_000,
  );

  it('empty or missing text gives a zero vector and present 0, without a model call', async () => {
    const res = await embedTexts(['', null, '   ', undefined, 'the cat'], { modelDir, homeRoot: newHome() });
    expect(Array.from(res.present)).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(res.vectors.subarray(0, 32)).every((x) => x === 0)).toBe(true);
    expect(Math.hypot(...res.vectors.subarray(32, 40))).toBeCloseTo(1, 6);
    expect(res.stats).toMatchObject({ texts: 5, present: 1, unique: 1, computed: 1, batches: 1 });
  }, 60_000);

  it('caches by text hash and model: a re-run computes only new texts; a changed model starts over', async () => {
    const home = newHome();
    const first = await embedTexts(TEXTS.slice(0, 5), { modelDir, homeRoot: home, batchSize: 2 });
    expect(first.stats).toMatchObject({ computed: 5, cached: 0, batches: 3 });
    const cacheDirs = fs.readdirSync(textCacheRoot(home));
    expect(cacheDirs).toHaveLength(1);
    const bin = path.join(textCacheRoot(home), cacheDirs[0]!, 'vectors.bin');
    expect(fs.statSync(bin).size).toBe(5 * (32 + 8 * 4));

    // Same texts again (and a duplicate): nothing sent to the model, the file untouched.
    const again = await embedTexts([...TEXTS.slice(0, 5), TEXTS[0]!], { modelDir, homeRoot: home, batchSize: 2 });
    expect(again.stats).toMatchObject({ computed: 0, cached: 5, batches: 0 });
    expect(fs.statSync(bin).size).toBe(5 * (32 + 8 * 4));
    expect(Array.from(again.vectors.subarray(0, 40))).toEqual(Array.from(first.vectors));
    expect(Array.from(again.vectors.subarray(40))).toEqual(Array.from(first.vectors.subarray(0, 8)));

    // Two new texts among old ones: only those two are computed.
    const more = await embedTexts(TEXTS, { modelDir, homeRoot: home, batchSize: 32 });
    expect(more.stats).toMatchObject({ computed: TEXTS.length - 5, cached: 5, batches: 1 });
    expect(fs.statSync(bin).size).toBe(TEXTS.length * (32 + 8 * 4));

    // A torn last record (a crash mid-append) is dropped, and the rest still serves.
    fs.appendFileSync(bin, Buffer.alloc(7));
    const afterCrash = await embedTexts(TEXTS, { modelDir, homeRoot: home });
    expect(afterCrash.stats.computed).toBe(0);
    expect(fs.statSync(bin).size).toBe(TEXTS.length * (32 + 8 * 4));

    // Different weights in a copy of the folder (same tokenizer): a new identity, a new cache.
    const other = path.join(root, 'tiny-bert-reseeded');
    buildTinyBert(other, { seed: 99 });
    expect(modelIdentity(other).identity).not.toBe(modelIdentity(modelDir).identity);
    const changed = await embedTexts(TEXTS, { modelDir: other, homeRoot: home });
    expect(changed.stats.computed).toBe(TEXTS.length);
    expect(fs.readdirSync(textCacheRoot(home))).toHaveLength(2);
    expect(Math.abs(changed.vectors[0]! - more.vectors[0]!)).toBeGreaterThan(1e-4);

    // Changing only the tokenizer (one more vocabulary word) also changes the identity.
    const retok = path.join(root, 'tiny-bert-retok');
    buildTinyBert(retok, { extraWords: ['zebra'] });
    expect(modelIdentity(retok).identity).not.toBe(modelIdentity(modelDir).identity);
  }, 120_000);

  it('reports progress per batch and stops between batches when cancelled, keeping what it computed', async () => {
    const home = newHome();
    const seen: [number, number][] = [];
    await embedTexts(TEXTS.slice(0, 7), { modelDir, homeRoot: home, batchSize: 3, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([
      [0, 7],
      [3, 7],
      [6, 7],
      [7, 7],
    ]);

    const other = newHome();
    let checks = 0;
    const cancel = () => {
      if (++checks > 2) throw new Error('cancelled by the test');
    };
    await expect(embedTexts(TEXTS, { modelDir, homeRoot: other, batchSize: 2, throwIfCancelled: cancel })).rejects.toThrow(
      'cancelled by the test',
    );
    // Two batches were done before the cancel: a resumed run computes only the rest.
    const resumed = await embedTexts(TEXTS, { modelDir, homeRoot: other, batchSize: 2 });
    expect(resumed.stats).toMatchObject({ cached: 4, computed: TEXTS.length - 4 });
  }, 60_000);

  it('names the folder and the missing file, and says how to get a model', async () => {
    const home = newHome();
    await expect(embedTexts(['x'], { modelDir: path.join(root, 'nope'), homeRoot: home })).rejects.toThrow(
      /nope does not exist.*huggingface-cli download sentence-transformers\/all-MiniLM-L6-v2/,
    );
    const partial = path.join(root, 'partial');
    buildTinyBert(partial);
    fs.rmSync(path.join(partial, 'onnx', 'model.onnx'));
    await expect(embedTexts(['x'], { modelDir: partial, homeRoot: home })).rejects.toThrow(
      /partial is incomplete: .*onnx\/model\.onnx is missing.*--local-dir DIR/,
    );
    fs.rmSync(path.join(partial, 'tokenizer.json'));
    await expect(embedTexts(['x'], { modelDir: partial, homeRoot: home })).rejects.toThrow(/tokenizer\.json, .*model\.onnx are missing/);
  });

  it('never touches the network: works with fetch and proxies pointing nowhere', async () => {
    const realFetch = globalThis.fetch;
    let fetched = 0;
    globalThis.fetch = (async () => {
      fetched++;
      throw new Error('network is off in this test');
    }) as typeof fetch;
    const saved = { https: process.env.HTTPS_PROXY, http: process.env.HTTP_PROXY };
    process.env.HTTPS_PROXY = process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    try {
      await releaseTextEncoders(); // load the model again, under the blocked network
      const fresh = path.join(root, 'tiny-bert-offline');
      buildTinyBert(fresh, { seed: 3 });
      const res = await embedTexts(['the cat sat', 'dog'], { modelDir: fresh, homeRoot: newHome() });
      expect(res.stats.computed).toBe(2);
      expect(fetched).toBe(0);
    } finally {
      globalThis.fetch = realFetch;
      process.env.HTTPS_PROXY = saved.https;
      process.env.HTTP_PROXY = saved.http;
      if (saved.https === undefined) delete process.env.HTTPS_PROXY;
      if (saved.http === undefined) delete process.env.HTTP_PROXY;
    }
  }, 60_000);
});
