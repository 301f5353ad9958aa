import { FramelabError } from '../../../shared/errors';

/**
 * XGBoost's trees read from its JSON model, and brute-force partial dependence computed on
 * them exactly, without asking XGBoost for 400 predictions of every row.
 *
 * Brute force sets feature a to gₐ and b to g_b in every row, predicts, and averages. For one
 * tree and one row, the leaf reached depends on (gₐ, g_b) only at the nodes that split on a or
 * b; such a node sends a prefix of the (ascending) grid values left — those below its float32
 * threshold, as XGBoost compares — and the rest right. So one walk of the tree per row, carrying
 * the rectangle of grid indices still alive, reaches each leaf with the rectangle of grid
 * points that land there; the leaf value is added to those points' running predictions. The
 * running predictions are float32 sums from base_score in tree order, which is what XGBoost's
 * CPU predictor computes (bit for bit: a float64 sum would differ by ~3e-7 relative, a bias
 * from float32 rounding, enough to matter against a 1e-6 comparison with sklearn). The work is
 * n · trees · (walk + grid) instead of XGBoost's n · grid · trees · depth plus a matrix of
 * n · grid rows to build.
 */

export interface XgbTree {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  /** Split threshold (float32) at a split node, leaf value at a leaf (XGBoost stores both in one field). */
  value: Float32Array;
  defaultLeft: Uint8Array;
}

export interface XgbTrees {
  /** base_score as float32, as XGBoost adds it. */
  baseScore: number;
  numFeature: number;
  trees: XgbTree[];
}

interface JsonTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
  categories_nodes?: number[];
}

const unsupported = (what: string): FramelabError =>
  new FramelabError('INTERNAL', `partial dependence reads plain regression trees; this XGBoost model has ${what}.`);

/**
 * Parses XGBoost ≥ 1.6's JSON model (Booster.save('json')). Only what squared-error gbtree
 * regression uses is accepted (identity link, one target, numeric splits), so the walk below
 * computes what XGBoost's predictor computes.
 */
export function parseXgboostJson(bytes: Uint8Array): XgbTrees {
  const doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  const learner = doc?.learner;
  const objective = learner?.objective?.name;
  if (objective !== 'reg:squarederror')
    throw unsupported(`the objective ${JSON.stringify(objective)} (only reg:squarederror has an identity link)`);
  const booster = learner.gradient_booster;
  if (booster?.name !== 'gbtree') throw unsupported(`the booster ${JSON.stringify(booster?.name)}`);
  const param = learner.learner_model_param ?? {};
  if ((param.num_target ?? '1') !== '1') throw unsupported(`${param.num_target} targets`);
  const trees = (booster.model.trees as JsonTree[]).map((t, k) => {
    if (t.categories_nodes?.length) throw unsupported(`categorical splits (tree ${k})`);
    return {
      left: Int32Array.from(t.left_children),
      right: Int32Array.from(t.right_children),
      feature: Int32Array.from(t.split_indices),
      value: Float32Array.from(t.split_conditions),
      defaultLeft: Uint8Array.from(t.default_left),
    };
  });
  return { baseScore: Math.fround(Number(param.base_score)), numFeature: Number(param.num_feature), trees };
}

/** One axis of the grid: a feature index and its grid values, sorted ascending. */
export interface GridAxis {
  feature: number;
  values: readonly number[];
}

/** Entries of the walk's explicit stack: node, a-range [a0, a1), b-range [b0, b1). */
const FIELDS = 5;

/** How each node of a tree routes rows for one grid (see treeGridAverage). */
interface Routing {
  /** 0 reads the row, 1 splits on a, 2 on b, 3 always left (fixed feature), 4 always right, −1 leaf. */
  kind: Int8Array;
  /** For kinds 1 and 2: grid indices below `cut` go left. */
  cut: Int32Array;
}

function routing(
  tree: XgbTree,
  t: number,
  p: number,
  a: number,
  ga: Float32Array,
  b: number,
  gb: Float32Array,
  fixed: ReadonlyMap<number, number>,
): Routing {
  const nodes = tree.left.length;
  const kind = new Int8Array(nodes);
  const cut = new Int32Array(nodes);
  for (let k = 0; k < nodes; k++) {
    if (tree.left[k] === -1) {
      kind[k] = -1;
      continue;
    }
    const f = tree.feature[k]!;
    const thr = tree.value[k]!;
    if (f === a) {
      kind[k] = 1;
      cut[k] = countBelow(ga, thr);
    } else if (f === b) {
      kind[k] = 2;
      cut[k] = countBelow(gb, thr);
    } else if (fixed.has(f)) {
      kind[k] = goesLeft(Math.fround(fixed.get(f)!), thr, tree.defaultLeft[k]!) ? 3 : 4;
    } else if (f >= p) {
      throw new FramelabError('INTERNAL', `partial dependence: tree ${t} splits on feature ${f}, beyond the ${p} columns given.`);
    }
  }
  return { kind, cut };
}

/**
 * The brute-force 2-D partial dependence average on the trees: values[i·|b| + j] = mean over
 * rows of the prediction with feature a = a.values[i], b = b.values[j] and every feature in
 * `fixed` set to its value. `x` is row-major float32 n × p. `tick(rowsDone)` is awaited every
 * few rows (cancellation, progress).
 */
export async function treeGridAverage(
  model: XgbTrees,
  x: Float32Array,
  n: number,
  p: number,
  a: GridAxis,
  b: GridAxis,
  fixed: ReadonlyMap<number, number>,
  tick: (rowsDone: number) => Promise<void>,
): Promise<Float64Array> {
  if (a.feature === b.feature || fixed.has(a.feature) || fixed.has(b.feature))
    throw new FramelabError('INVALID_INPUT', 'partial dependence needs distinct features for its axes and slice.');
  for (const axis of [a, b]) {
    if (axis.values.some((v, i) => i > 0 && !(v > axis.values[i - 1]!)))
      throw new FramelabError('INTERNAL', 'partial dependence: grid values must be strictly ascending.');
  }
  const na = a.values.length;
  const nb = b.values.length;
  const ga = Float32Array.from(a.values);
  const gb = Float32Array.from(b.values);
  const routes = model.trees.map((tree, t) => routing(tree, t, p, a.feature, ga, b.feature, gb, fixed));
  const stack = new Int32Array(Math.max(1, ...model.trees.map((t) => t.left.length)) * FIELDS);
  // One row's predictions at every grid point, accumulated as XGBoost does: float32, from
  // base_score, tree by tree (a Float32Array store rounds a float64 sum of two float32 values
  // exactly as a float32 addition would). Their sum over rows is kept in float64.
  const acc = new Float32Array(na * nb);
  const total = new Float64Array(na * nb);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    acc.fill(model.baseScore);
    for (let t = 0; t < model.trees.length; t++) {
      const tree = model.trees[t]!;
      const { kind, cut } = routes[t]!;
      put(stack, 0, 0, 0, na, 0, nb);
      let top = FIELDS;
      while (top > 0) {
        top -= FIELDS;
        let node = stack[top]!;
        const a0 = stack[top + 1]!;
        const a1 = stack[top + 2]!;
        const b0 = stack[top + 3]!;
        const b1 = stack[top + 4]!;
        // Follow the splits every grid point takes the same way without touching the stack.
        for (;;) {
          const k = kind[node]!;
          if (k === 0)
            node = goesLeft(x[row + tree.feature[node]!]!, tree.value[node]!, tree.defaultLeft[node]!)
              ? tree.left[node]!
              : tree.right[node]!;
          else if (k === 3) node = tree.left[node]!;
          else if (k === 4) node = tree.right[node]!;
          else break;
        }
        const k = kind[node]!;
        if (k === -1) {
          const v = tree.value[node]!;
          for (let ia = a0; ia < a1; ia++) {
            for (let c = ia * nb + b0, end = ia * nb + b1; c < end; c++) acc[c]! += v;
          }
          continue;
        }
        // A split on a keeps grid indices [a0, min(a1, c)) on the left and [max(a0, c), a1) on
        // the right (likewise for b); an empty side is not walked.
        const c = cut[node]!;
        const lo = k === 1 ? a0 : b0;
        const hi = k === 1 ? a1 : b1;
        if (c < hi) {
          if (k === 1) put(stack, top, tree.right[node]!, Math.max(lo, c), hi, b0, b1);
          else put(stack, top, tree.right[node]!, a0, a1, Math.max(lo, c), hi);
          top += FIELDS;
        }
        if (c > lo) {
          if (k === 1) put(stack, top, tree.left[node]!, lo, Math.min(hi, c), b0, b1);
          else put(stack, top, tree.left[node]!, a0, a1, lo, Math.min(hi, c));
          top += FIELDS;
        }
      }
    }
    for (let c = 0; c < acc.length; c++) total[c]! += acc[c]!;
    if ((i & 31) === 31) await tick(i + 1);
  }
  for (let c = 0; c < total.length; c++) total[c]! /= n;
  return total;
}

function put(stack: Int32Array, at: number, node: number, a0: number, a1: number, b0: number, b1: number): void {
  stack[at] = node;
  stack[at + 1] = a0;
  stack[at + 2] = a1;
  stack[at + 3] = b0;
  stack[at + 4] = b1;
}

/** XGBoost's rule: a missing value takes the node's default direction, else value < threshold goes left. */
function goesLeft(value: number, threshold: number, defaultLeft: number): boolean {
  return Number.isNaN(value) ? defaultLeft === 1 : value < threshold;
}

/** How many of the ascending values are below the threshold (all float32, compared as XGBoost does). */
function countBelow(sorted: Float32Array, threshold: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
