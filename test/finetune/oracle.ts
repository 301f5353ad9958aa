import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../src/main/core/random';
import { PYTHON, pythonHas, runPython } from '../helpers/python';

/** The Python oracles these tests need, probed once; a missing one skips only its checks. */
// One probe when all are there (the usual case: each probe is a Python start-up).
const ALL = pythonHas('numpy', 'scipy.stats', 'sklearn.metrics', 'sklearn.utils.class_weight');
export const HAVE_SKLEARN = ALL || pythonHas('numpy', 'sklearn.metrics', 'sklearn.utils.class_weight');
export const HAVE_SCIPY = ALL || pythonHas('scipy.stats');
export const missing = (module: string, pkg: string) =>
  `(SKIPPED: ${PYTHON} cannot import ${module}; install Debian's ${pkg}, as .ci/run does)`;

/** Runs `script` with the path of a JSON file holding `input` as sys.argv[1]; parses its stdout as JSON. */
export function python<T>(script: string, input: unknown): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-finetune-'));
  try {
    const file = path.join(dir, 'input.json');
    fs.writeFileSync(file, JSON.stringify(input));
    return JSON.parse(runPython(script, [file])) as T;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** n labels in [0, classCount), with class 0 more likely when `skew` > 0 (like the old POV model). */
export function randomLabels(random: () => number, n: number, classCount: number, skew = 0): number[] {
  return Array.from({ length: n }, () => (random() < skew ? 0 : Math.floor(random() * classCount)));
}

/** A seeded random true/prediction pair: sizes, skew and a sometimes-copied truth vary with the seed. */
export function randomCase(seed: number, options: { maxN?: number; maxClasses?: number } = {}) {
  const random = mulberry32(seed);
  const classCount = 1 + Math.floor(random() * (options.maxClasses ?? 6));
  const n = 1 + Math.floor(random() * (options.maxN ?? 60));
  const yTrue = randomLabels(random, n, classCount, random() * 0.5);
  const accuracy = random();
  const yPred = yTrue.map((t) => (random() < accuracy ? t : Math.floor(random() * classCount)));
  return { classCount, yTrue, yPred };
}
