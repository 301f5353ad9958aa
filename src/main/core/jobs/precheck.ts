/**
 * Owner-side: cheap checks of a job's parameters before it is queued (a path that is not a
 * regular file, a mapping that names no category), so bad input fails at once with its
 * error instead of as a failed job a second later. They read no large file; the job runs
 * the same checks again when it starts (the input may change meanwhile).
 */
import type { JobKind, JobParams } from '../../../shared/jobs';
import { checkImportInput } from '../annotations/planImport';
import { checkAnalysesInput } from '../preference/importAnalyses';
import { checkAnalysisInput } from '../analysis/config';
import type { Db } from '../db/open';
import { checkJobOutputs } from './outputChecks';

type Prechecks = { [K in JobKind]?: (params: JobParams<K>, env: { db: Db }) => void };

const jobPrechecks: Prechecks = {
  'annotations.import': (params, { db }) => void checkImportInput(db, params),
  'preference.analyses.import': (params) => checkAnalysesInput(params),
  'analysis.run': (params) => void checkAnalysisInput(params),
};

/** Throws the kind's FramelabError when its parameters cannot work; kinds without a check pass. */
export function precheckJob<K extends JobKind>(kind: K, params: JobParams<K>, env: { db: Db }): void {
  const check = jobPrechecks[kind] as ((params: JobParams<K>, env: { db: Db }) => void) | undefined;
  check?.(params, env);
  // Paths the job will write (a file that exists without overwrite, a hidden folder) are refused now, not after its work.
  checkJobOutputs(kind, params);
}
