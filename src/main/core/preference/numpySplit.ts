import { FramelabError } from '../../../shared/errors';

/**
 * The spec's hold-out split, `train_test_split(X, y, test_size=0.2, random_state=42)`, row for
 * row: sklearn draws `np.random.RandomState(42).permutation(n)` and takes the first
 * ceil(0.2·n) as test, the next n − ceil(0.2·n) as train. RandomState is MT19937 seeded by
 * init_genrand, and its shuffle is Fisher–Yates from the end with `random_interval` (a
 * 32-bit draw masked to the smallest covering power of two, redrawn while above the bound).
 * Reproduced here so a split reported by Framelab is the one the lab's script would make.
 */
class Mt19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
      mt[i] = mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  next32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** numpy's random_interval for max < 2³². */
function randomInterval(rng: Mt19937, max: number): number {
  if (max === 0) return 0;
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  mask >>>= 0;
  for (;;) {
    const value = (rng.next32() & mask) >>> 0;
    if (value <= max) return value;
  }
}

/** `np.random.RandomState(seed).permutation(n)`. */
export function numpyPermutation(n: number, seed: number): number[] {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new FramelabError('INVALID_INPUT', `a numpy seed is a whole number from 0 to 2^32 − 1; got ${seed}.`);
  const rng = new Mt19937(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i >= 1; i--) {
    const j = randomInterval(rng, i);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** sklearn's `train_test_split(range(n), test_size, random_state=seed)` indices (in sklearn's order). */
export function trainTestSplit(n: number, testSize = 0.2, seed = 42): { train: number[]; test: number[] } {
  if (!(testSize > 0 && testSize < 1))
    throw new FramelabError('INVALID_INPUT', `the hold-out share must be between 0 and 1; got ${testSize}.`);
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  if (nTrain < 1 || nTest < 1)
    throw new FramelabError('INVALID_INPUT', `${n} ratings are too few for a ${Math.round(testSize * 100)} % hold-out split.`);
  const perm = numpyPermutation(n, seed);
  return { test: perm.slice(0, nTest), train: perm.slice(nTest, nTest + nTrain) };
}
