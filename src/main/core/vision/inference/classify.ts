/** Logits → probabilities and a predicted class, per item of a batch. */

export interface Prediction {
  /** Index into the model's classes (sidecar order). */
  classIndex: number;
  /** The softmax probability of that class. */
  confidence: number;
}

export interface Classification {
  numClasses: number;
  /** [n, numClasses], row-major, as the model returned them. */
  logits: Float32Array;
  /** [n, numClasses]; each row sums to 1. */
  probabilities: Float32Array;
  predictions: Prediction[];
}

/** Row-wise softmax, shifted by the row's maximum so large logits cannot overflow. */
export function softmaxRows(logits: Float32Array, numClasses: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let row = 0; row < logits.length; row += numClasses) {
    let max = -Infinity;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, logits[row + c]!);
    let sum = 0;
    for (let c = 0; c < numClasses; c++) sum += Math.exp(logits[row + c]! - max);
    for (let c = 0; c < numClasses; c++) out[row + c] = Math.exp(logits[row + c]! - max) / sum;
  }
  return out;
}

/** The first index of each row's largest value, with that value. */
export function argmaxRows(values: Float32Array, numClasses: number): Prediction[] {
  const out: Prediction[] = [];
  for (let row = 0; row < values.length; row += numClasses) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (values[row + c]! > values[row + best]!) best = c;
    out.push({ classIndex: best, confidence: values[row + best]! });
  }
  return out;
}

export function classifyLogits(logits: Float32Array, numClasses: number): Classification {
  if (numClasses <= 0 || logits.length % numClasses !== 0) {
    throw new Error(`classifyLogits: ${logits.length} logits do not split into rows of ${numClasses}`);
  }
  const probabilities = softmaxRows(logits, numClasses);
  return { numClasses, logits, probabilities, predictions: argmaxRows(probabilities, numClasses) };
}
