import { FramelabError } from '../../../shared/errors';
import { checkLabels } from './labels';

/**
 * Inverse-frequency class weights for one training fold. docs/reference.md §2 says only "inverse-
 * frequency", so this is scikit-learn's "balanced" formula: w_c = n / (k · n_c), with n the
 * training frames and k the classes present among them (compute_class_weight's n_classes is
 * the labels found in y). With k counting present classes the weights average 1 over the
 * training frames (Σ_c n_c · w_c = n), so the loss keeps the scale of an unweighted one.
 *
 * A class with no frame in this fold gets weight 0 instead of n / 0: it cannot be a target in
 * this fold's loss, so its weight is never used, and 0 keeps the vector finite (an Infinity
 * would not survive JSON, nor the trip to the trainer).
 */
export function classWeights(labels: readonly number[], classCount: number): number[] {
  checkLabels(labels, classCount, 'training label');
  if (labels.length === 0) throw new FramelabError('INVALID_INPUT', 'Class weights need at least one training label.');
  const counts = new Array<number>(classCount).fill(0);
  for (const y of labels) counts[y]!++;
  const present = counts.filter((n) => n > 0).length;
  return counts.map((n) => (n > 0 ? labels.length / (present * n) : 0));
}
