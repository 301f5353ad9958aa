import { FramelabError } from '../../../shared/errors';
import type { FeatureDrift, ModelMetrics, PreferenceModel } from '../../../shared/preferenceModel';
import { mae } from '../suite/models/metrics';
import { DRIFT_THRESHOLD } from './drift';
import type { FlatTable } from './flatten';
import { predictModel } from './model';

/**
 * The spec's rules for when to retrain (§9) and which model to activate (§8, issue 19 item 6)
 * as pure advice: the app shows it and a person acts on it; nothing here retrains or activates.
 * MAE on the 0–1 scale throughout, as the metrics.
 */
export const RETRAIN_NEW_RATINGS = 50;
export const RETRAIN_MAE_DEGRADATION = 0.05;
export const FIRST_MODEL_RATINGS = 200;
export const FIRST_MODEL_MAE = 0.2;

/** MAE (0–1) of a model on ratings it was not trained on (e.g. those made since it was trained). */
export function maeOn(model: PreferenceModel, table: FlatTable, overall: ArrayLike<number>): number {
  if (overall.length !== table.rows.length)
    throw new FramelabError('INVALID_INPUT', `${overall.length} ratings for ${table.rows.length} analyses.`);
  if (!overall.length) throw new FramelabError('INVALID_INPUT', 'no ratings to measure the model on.');
  return mae(
    Float64Array.from(overall, (v) => v / 10),
    predictModel(model, table),
  );
}

export interface RetrainAdvice {
  due: boolean;
  /** One sentence per trigger that fired. */
  reasons: string[];
}

/**
 * Due when ≥ 50 owner ratings came since the active model was trained, when its MAE on those
 * ratings is worse than its own (the spec's `mae`) by more than 0.05, or when a feature's
 * PSI exceeds 0.1. `recentMae` null: no ratings since.
 */
export function retrainAdvice(input: {
  newRatings: number;
  recentMae: number | null;
  model: ModelMetrics;
  drift: readonly FeatureDrift[];
}): RetrainAdvice {
  const reasons: string[] = [];
  if (input.newRatings >= RETRAIN_NEW_RATINGS)
    reasons.push(`${input.newRatings} owner ratings since the model was trained (≥ ${RETRAIN_NEW_RATINGS}).`);
  if (input.recentMae !== null && input.recentMae - input.model.mae > RETRAIN_MAE_DEGRADATION) {
    reasons.push(
      `MAE on the ratings since training is ${input.recentMae.toFixed(3)}, worse than the model's ${input.model.mae.toFixed(3)} by more than ${RETRAIN_MAE_DEGRADATION}.`,
    );
  }
  const drifted = input.drift.filter((d) => d.psi > DRIFT_THRESHOLD);
  if (drifted.length)
    reasons.push(`feature drift (PSI > ${DRIFT_THRESHOLD}): ${drifted.map((d) => `${d.feature} ${d.psi.toFixed(2)}`).join(', ')}.`);
  return { due: reasons.length > 0, reasons };
}

export interface ActivationAdvice {
  activate: boolean;
  reason: string;
}

/**
 * Whether to activate a newly trained model: with no active model, the spec's first-model
 * rule (at least 200 ratings and MAE < .20); otherwise only when its CV MAE beats the active
 * model's by more than the new model's fold sd (a better figure within the folds' noise is no
 * evidence of a better model).
 */
export function activationAdvice(
  candidate: { metrics: ModelMetrics; trainingRows: number },
  active: { metrics: ModelMetrics } | null,
): ActivationAdvice {
  const m = candidate.metrics;
  if (!active) {
    if (candidate.trainingRows < FIRST_MODEL_RATINGS)
      return { activate: false, reason: `${candidate.trainingRows} ratings; the first model is activated from ${FIRST_MODEL_RATINGS}.` };
    if (!(m.mae < FIRST_MODEL_MAE)) return { activate: false, reason: `MAE ${m.mae.toFixed(3)} is not below ${FIRST_MODEL_MAE}.` };
    return { activate: true, reason: `first model: ${candidate.trainingRows} ratings, MAE ${m.mae.toFixed(3)} < ${FIRST_MODEL_MAE}.` };
  }
  const gain = active.metrics.cv_mae - m.cv_mae;
  if (gain > m.cv_mae_std)
    return {
      activate: true,
      reason: `CV MAE ${m.cv_mae.toFixed(3)} beats the active ${active.metrics.cv_mae.toFixed(3)} by ${gain.toFixed(3)} > its fold sd ${m.cv_mae_std.toFixed(3)}.`,
    };
  return {
    activate: false,
    reason: `CV MAE ${m.cv_mae.toFixed(3)} vs the active ${active.metrics.cv_mae.toFixed(3)}: a gain of ${gain.toFixed(3)} is within the fold sd ${m.cv_mae_std.toFixed(3)}.`,
  };
}
