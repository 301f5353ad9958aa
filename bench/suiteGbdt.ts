/**
 * The suite's gbdt on n × d embeddings plus two metadata columns, with the lab's recipe
 * (lr 0.05, depth 6, ≤ 500 rounds, min_child_weight 20, early stopping 30): prints the time of
 * the PCA projection (fit on the training rows + projecting every row), the boosting rounds
 * (ms per round) and the held-out RMSE. Usage:
 * node --import tsx bench/suiteGbdt.ts [n] [d] [threads]   (default 10000 1536, threads = cores)
 */
import os from 'node:os';
import { mulberry32 } from '../src/main/core/random';
import { fitGbdt } from '../src/main/core/suite/gbdt';
import type { FeatureSource } from '../src/main/core/suite/preprocess';
import { fitProjection, projectRows } from '../src/main/core/suite/projection';

const n = Number(process.argv[2] ?? 10000);
const d = Number(process.argv[3] ?? 1536);
const threads = Number(process.argv[4] ?? os.availableParallelism());
const rnd = mulberry32(1);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const emb = new Float64Array(n * d).map(() => gauss());
const duration = new Float64Array(n).map(() => 10 + 50 * rnd());
const subs = new Float64Array(n).map(() => Math.exp(8 + 2 * gauss()));
const y = new Float64Array(n).map((_, i) => 8 + 0.04 * duration[i]! + 0.5 * emb[i * d]! - 0.3 * emb[i * d + 1]! + 0.2 * Math.log(subs[i]!) + 0.5 * gauss());
const src: FeatureSource = {
  table: { source: 'bench', rowCount: n, columns: new Map([['duration', { kind: 'numeric', values: duration }], ['subs', { kind: 'numeric', values: subs }]]) },
  embeddings: emb,
  embeddingDim: d,
};
const train = Array.from({ length: Math.round(n * 0.85) }, (_, i) => i);
const test = Array.from({ length: n - train.length }, (_, i) => train.length + i);
const secs = (t: bigint) => (Number(process.hrtime.bigint() - t) / 1e9).toFixed(2);

let t = process.hrtime.bigint();
const projection = fitProjection(emb, d, train);
const fitS = secs(t);
t = process.hrtime.bigint();
projectRows(projection, emb, d, Array.from({ length: n }, (_, i) => i));
console.log(`projection ${d} → ${projection.outputDim}: fit on ${train.length} rows ${fitS} s, project ${n} rows ${secs(t)} s`);

t = process.hrtime.bigint();
const fit = fitGbdt(src, train, y, { numeric: ['duration', 'subs'], categorical: [] }, { seed: 1, threads });
const total = Number(process.hrtime.bigint() - t) / 1e9;
const pred = fit.predict(src, test);
const rmse = Math.sqrt(pred.reduce((a, v, i) => a + (v - y[test[i]!]!) ** 2, 0) / test.length);
console.log(`gbdt (threads ${threads}): ${total.toFixed(2)} s in all, ${fit.roundsTrained} rounds (best ${fit.bestIteration + 1}), ${fit.featureCount} features, test RMSE ${rmse.toFixed(4)}`);
