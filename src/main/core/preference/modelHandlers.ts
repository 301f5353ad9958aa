import { FramelabError, isErrorCode } from '../../../shared/errors';
import { PreferenceTrainResult } from '../../../shared/preferenceWorkflow';
import { expectedList, getSnapshot, listSnapshots, runCorrelations, saveExpectedList } from './correlationRuns';
import { eligibleRatings } from './eligibility';
import { activatePreferenceModel, activePreferenceModel, listPreferenceModels } from './registry';
import { scoreAllToCsv, scoreAnalysisFile, scoresByVideo, scoreVideo } from './scoring';
import { preferenceStatus } from './status';
import type { HandlerGroup } from '../api/types';

type PreferenceModelMethods =
  | 'preference.eligibility'
  | 'preference.correlate'
  | 'preference.expected.get'
  | 'preference.expected.set'
  | 'preference.snapshots.list'
  | 'preference.snapshots.get'
  | 'preference.train'
  | 'preference.models.list'
  | 'preference.activate'
  | 'preference.status'
  | 'preference.score'
  | 'preference.scores'
  | 'preference.scoreAll';

/** The Preferences area's models: eligibility, correlations, training (a job), versions, status and scores. */
export const preferenceModelHandlers: HandlerGroup<PreferenceModelMethods> = {
  'preference.eligibility': (input, core) => eligibleRatings(core.db, input).report,
  'preference.correlate': (input, core) => {
    const result = runCorrelations(core.db, input);
    core.events.emit({ type: 'data.changed', topics: ['preference'] });
    return result;
  },
  'preference.expected.get': (_input, core) => expectedList(core.db),
  'preference.expected.set': ({ expected }, core) => {
    const saved = saveExpectedList(core.db, expected);
    core.events.emit({ type: 'data.changed', topics: ['preference'] });
    return saved;
  },
  'preference.snapshots.list': ({ limit }, core) => ({ snapshots: listSnapshots(core.db, limit) }),
  'preference.snapshots.get': ({ id }, core) => getSnapshot(core.db, id),
  // Training is the `preference.train` job (progress, cancel; the owner registers the model in
  // the transaction that marks it succeeded); this waits for it. The app starts it with jobs.start.
  'preference.train': async (input, core) => {
    const started = core.jobs.start('preference.train', input);
    const job = await core.jobs.waitFor(started.id);
    if (job.status !== 'succeeded') {
      const code = job.error && isErrorCode(job.error.code) ? job.error.code : 'JOB_FAILED';
      throw new FramelabError(code, job.error?.message ?? `The training ${job.status} (job ${job.id}).`, { jobId: job.id });
    }
    return PreferenceTrainResult.parse(job.result);
  },
  'preference.models.list': (_input, core) => ({
    models: listPreferenceModels(core.db),
    active: activePreferenceModel(core.db)?.id ?? null,
  }),
  'preference.activate': ({ id }, core) => {
    const model = activatePreferenceModel(core.db, id);
    core.events.emit({ type: 'data.changed', topics: ['preference'] });
    return model;
  },
  'preference.status': (_input, core) => preferenceStatus(core.db, core.home),
  'preference.score': (input, core) =>
    input.videoId !== undefined
      ? scoreVideo(core.db, core.home, input.videoId, input.modelId)
      : scoreAnalysisFile(core.db, core.home, input.file!, input.modelId),
  'preference.scores': ({ modelId }, core) => scoresByVideo(core.db, core.home, modelId),
  'preference.scoreAll': (input, core) => scoreAllToCsv(core.db, core.home, input),
};
