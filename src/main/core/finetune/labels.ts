import { FramelabError } from '../../../shared/errors';

/** Class labels are indices into the model's classes: integers in [0, classCount). */
export function checkLabels(labels: readonly number[], classCount: number, what: string): void {
  if (!Number.isInteger(classCount) || classCount < 1) {
    throw new FramelabError('INVALID_INPUT', `A classifier needs at least one class; got ${classCount}.`);
  }
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classCount) {
      throw new FramelabError('INVALID_INPUT', `A ${what} must be a class index from 0 to ${classCount - 1}; item ${i} is ${y}.`);
    }
  }
}
