import type { FeatureDrift } from '../../../shared/preferenceModel';
import type { PreferenceStatus } from '../../../shared/preferenceWorkflow';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { currentAnalyses } from './analyses';
import { listSnapshots } from './correlationRuns';
import { featureDrift } from './drift';
import { eligibleRatings } from './eligibility';
import { flattenAnalyses } from './flatten';
import { activePreferenceModel, listPreferenceModels, loadPreferenceModel, trainingVideosOf } from './registry';
import { maeOn, retrainAdvice } from './triggers';

/**
 * Where the lab is on the spec's ladder (§8) and whether a retrain is due (§9). Advice only:
 * a due retrain is one click (the `preference.train` job), never automatic.
 *
 * "Since the model was trained" is by video, not by clock: the eligible owner ratings of
 * videos the active model did not learn from (machines' clocks and synced ratings cannot make
 * a rating count twice or vanish). Drift compares the active model's strongest features on its
 * training videos with every other analysed video of its version (the videos it scores now,
 * rated or not), from DRIFT_MIN_VIDEOS of them: a PSI over a handful of rows is noise.
 */
export const LADDER = [
  { ratings: 100, step: 'correlations only: the top 20 positive and negative, the expected list checked, a snapshot; no model yet' },
  { ratings: 200, step: 'first model: Ridge, stored as v1.0, activated if its MAE is below 0.20' },
  { ratings: 300, step: 'retrain and compare with v1.0; consider pruning (drop |r| < 0.1)' },
  { ratings: 500, step: 'random forest vs Ridge, the better kept (v2.0 if significantly better); consider multi-output sub-scores' },
] as const;

export const DRIFT_MIN_VIDEOS = 20;
/** Drift is measured on the active model's this many strongest features (by training |r|). */
export const DRIFT_TOP_FEATURES = 10;

export function preferenceStatus(db: Db, home: HomePaths): PreferenceStatus {
  const active = activePreferenceModel(db);
  const { records, report } = eligibleRatings(
    db,
    active ? { analysisVersion: active.analysisVersion, minFeatures: active.minFeatures } : {},
  );
  const n = report.eligible;
  const ladder = LADDER.map((l) => ({ ...l, reached: n >= l.ratings }));
  const reached = ladder.filter((l) => l.reached).at(-1);
  const nextRung = ladder.find((l) => !l.reached);
  const now = reached
    ? `${n} eligible owner ratings: ${reached.step}.`
    : `${n} eligible owner ratings: keep rating; correlations start at ${LADDER[0].ratings}.`;

  let retrain: PreferenceStatus['retrain'] = null;
  if (active) {
    const model = loadPreferenceModel(home, active);
    const trained = new Set(trainingVideosOf(db, active.id));
    const fresh = records.filter((r) => !trained.has(r.videoId));
    const recentMae = fresh.length
      ? maeOn(
          model,
          flattenAnalyses(fresh.map((r) => r.analysis)),
          fresh.map((r) => r.overall),
        )
      : null;

    const analyses = currentAnalyses(db, active.analysisVersion).filter(
      (a) => a.featureCount !== null && a.featureCount >= active.minFeatures,
    );
    const trainRows = analyses.flatMap((a, i) => (trained.has(a.videoId) ? [i] : []));
    const newRows = analyses.flatMap((a, i) => (trained.has(a.videoId) ? [] : [i]));
    let drift: FeatureDrift[] = [];
    if (newRows.length >= DRIFT_MIN_VIDEOS && trainRows.length > 0) {
      const strongest = [...model.selected]
        .sort((a, b) => Math.abs(b.r) - Math.abs(a.r))
        .slice(0, DRIFT_TOP_FEATURES)
        .map((s) => s.feature);
      drift = featureDrift(model, flattenAnalyses(analyses.map((a) => a.analysis)), trainRows, newRows, strongest);
    }
    const advice = retrainAdvice({ newRatings: fresh.length, recentMae, model: active.metrics, drift });
    retrain = { ...advice, newRatings: fresh.length, recentMae, drift };
  }
  return {
    eligibility: report,
    ladder,
    now,
    next: nextRung ? { ratings: nextRung.ratings, step: nextRung.step, needed: nextRung.ratings - n } : null,
    models: listPreferenceModels(db).length,
    active,
    retrain,
    lastSnapshot: listSnapshots(db, 1)[0] ?? null,
  };
}
