import type { PreferenceTrainParams, PreferenceTrainResult } from '../../../shared/preferenceWorkflow';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import type { JobContext } from '../jobs/context';
import { eligibleRatings, requireRatings } from './eligibility';
import { preferenceData, trainPreferenceModel } from './evaluate';
import { disposeModel } from './model';
import { registerPreferenceModel, stagePreferenceModel } from './registry';

/**
 * The `preference.train` job: in the job process (read-only database) the eligible ratings
 * are evaluated (80/20 hold-out, 5-fold CV, sub-scores with --multi-output, error analysis)
 * and the final model fitted on all of them and written content-hashed under the home; the
 * owner then registers it as the next version (`applyPreferenceTrain`, in the transaction
 * that marks the job succeeded, so a failed or cancelled training stores nothing).
 */
export async function runPreferenceTrain(
  ctx: JobContext<never>,
  db: Db,
  home: HomePaths,
  params: PreferenceTrainParams,
): Promise<PreferenceTrainResult> {
  ctx.progress(0, 'Reading the eligible ratings');
  const { records, report } = eligibleRatings(db, { analysisVersion: params.analysisVersion, minFeatures: params.minFeatures });
  requireRatings(report, params.minRatings, 'training a preference model');
  ctx.log('info', `${records.length} eligible owner ratings (analysis ${report.analysisVersion}, feature_count ≥ ${report.minFeatures}).`);
  const data = preferenceData(records);
  ctx.throwIfCancelled();
  const { model, evaluation } = trainPreferenceModel(
    data,
    { kind: params.kind, top: params.top, prune: params.prune },
    {
      subScores: params.multiOutput ? 'multi-output' : 'none',
      // The last 5 % is writing the model.
      progress: (fraction, stage) => ctx.progress(0.95 * fraction, stage),
      throwIfCancelled: () => ctx.throwIfCancelled(),
    },
  );
  try {
    ctx.throwIfCancelled();
    ctx.progress(0.96, 'Writing the model');
    const file = stagePreferenceModel(home, model);
    const metrics = evaluation.overall.metrics;
    return {
      model: '',
      activated: false,
      advice: { activate: false, reason: 'decided when the model is registered' },
      parent: null,
      metrics,
      features: model.selected.length,
      ratings: records.length,
      kind: params.kind,
      overall: evaluation.overall,
      subScores: evaluation.subScores,
      errors: evaluation.errors,
      notes: evaluation.notes,
      eligibility: report,
      staged: {
        ...file,
        kind: params.kind,
        options: model.options,
        metrics,
        features: model.selected.length,
        trainingRatings: records.length,
        trainingVideos: records.map((r) => r.videoId),
        trainedThrough: records.reduce((latest, r) => (r.ratedAt > latest ? r.ratedAt : latest), ''),
        analysisVersion: report.analysisVersion!,
        minFeatures: report.minFeatures,
        notes: params.notes,
        activateIfAdvised: params.activateIfAdvised,
      },
    };
  } finally {
    disposeModel(model);
  }
}

/** Owner side: the model becomes the next version; the advice is applied only when asked. */
export function applyPreferenceTrain(db: Db, home: HomePaths, jobId: string, result: PreferenceTrainResult): PreferenceTrainResult {
  const registered = registerPreferenceModel(db, home, result.staged, { jobId, activateIfAdvised: result.staged.activateIfAdvised });
  return {
    ...result,
    model: registered.model.id,
    activated: registered.activated,
    advice: registered.advice,
    parent: registered.model.parentId,
  };
}
