import { FramelabError, isErrorCode } from '../../../shared/errors';
import { AnalysesImportReport } from '../../../shared/preference';
import { analysesSummary, analysisView } from './analyses';
import { listCurrentRatings, ratingHistory, ratingQueue, saveRating } from './ratings';
import { exportRatings, importRatings } from './ratingsFile';
import { listRatingConflicts } from './ratingsSync';
import type { HandlerGroup } from '../api/types';

type PreferenceDataMethods =
  | 'preference.analyses.import'
  | 'preference.analyses.summary'
  | 'preference.analyses.get'
  | 'preference.ratings.save'
  | 'preference.ratings.list'
  | 'preference.ratings.queue'
  | 'preference.ratings.history'
  | 'preference.ratings.import'
  | 'preference.ratings.export'
  | 'preference.ratings.conflicts';

/** The Preferences area's data: analyses (imported by a job) and ratings (append-only). */
export const preferenceDataHandlers: HandlerGroup<PreferenceDataMethods> = {
  // The import is the `preference.analyses.import` job (read in a job process, written here in
  // one transaction); this waits for it. Refused files come back in the report, not as an error.
  'preference.analyses.import': async (input, core) => {
    const started = core.jobs.start('preference.analyses.import', input);
    const job = await core.jobs.waitFor(started.id);
    if (job.status !== 'succeeded') {
      const code = job.error && isErrorCode(job.error.code) ? job.error.code : 'JOB_FAILED';
      throw new FramelabError(code, job.error?.message ?? `The import ${job.status} (job ${job.id}).`, { jobId: job.id });
    }
    return AnalysesImportReport.parse(job.result);
  },
  'preference.analyses.summary': (_input, core) => analysesSummary(core.db),
  'preference.analyses.get': ({ videoId }, core) => analysisView(core.db, videoId),
  'preference.ratings.save': (input, core) => {
    const saved = saveRating(core.db, input);
    core.events.emit({ type: 'data.changed', topics: ['ratings'] });
    return saved;
  },
  'preference.ratings.list': (input, core) => listCurrentRatings(core.db, input),
  'preference.ratings.queue': (input, core) => ratingQueue(core.db, input),
  'preference.ratings.history': ({ videoId }, core) => ratingHistory(core.db, videoId),
  'preference.ratings.import': ({ file }, core) => {
    const report = importRatings(core.db, file);
    if (report.added > 0) core.events.emit({ type: 'data.changed', topics: ['ratings'] });
    return report;
  },
  'preference.ratings.export': (input, core) => exportRatings(core.db, input),
  'preference.ratings.conflicts': ({ limit }, core) => ({ conflicts: listRatingConflicts(core.db, limit) }),
};
