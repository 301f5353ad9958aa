import { AnnotationsImportReport } from '../../../shared/annotations';
import { FramelabError, isErrorCode } from '../../../shared/errors';
import { exportAnnotations } from './exportAnnotations';
import { listRecode } from './recode';
import type { HandlerGroup } from '../api/types';

type AnnotationsMethods = 'annotations.import' | 'annotations.export' | 'recode.list';

export const annotationsHandlers: HandlerGroup<AnnotationsMethods> = {
  // The import is the `annotations.import` job (read in a job process, written here in one
  // transaction); this waits for it, for callers that want the report in one call. Bad rows
  // come back in the report (not as a thrown error), so the UI can list every one.
  'annotations.import': async (input, core) => {
    const started = core.jobs.start('annotations.import', input);
    const job = await core.jobs.waitFor(started.id);
    if (job.status !== 'succeeded') {
      const code = job.error && isErrorCode(job.error.code) ? job.error.code : 'JOB_FAILED';
      throw new FramelabError(code, job.error?.message ?? `The import ${job.status} (job ${job.id}).`, { jobId: job.id });
    }
    return AnnotationsImportReport.parse(job.result);
  },
  'annotations.export': ({ out, overwrite }, core) => exportAnnotations(core.db, out, overwrite),
  'recode.list': ({ coderId }, core) => ({ entries: listRecode(core.db, coderId) }),
};
