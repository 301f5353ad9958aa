/**
 * Owner-side: what a job kind's result changes in the database. The supervisor runs a kind's
 * `apply` in the owner process, in the same SQLite transaction that marks the job succeeded,
 * so a result is either fully written or not at all (a throw fails the job, nothing saved).
 * Job processes never import this module: they only compute and report.
 */
import type { DataTopic } from '../../../shared/events';
import type { JobKind, JobResult } from '../../../shared/jobs';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { applyAnnotationsImport } from '../annotations/importWrites';
import { applyImport, applySample } from '../media/writes';
import { registerModel } from '../models/registry';
import { applyAnalysesImport } from '../preference/importAnalyses';
import { applyPreferenceTrain } from '../preference/trainJob';
import { registerSuiteRun } from '../suite/runs/registry';

export interface ApplyEnvironment {
  db: Db;
  home: HomePaths;
  jobId: string;
}

export interface JobApplier<K extends JobKind> {
  /** Writes the result; returns the result to store (it may amend what changed meanwhile). */
  apply(result: JobResult<K>, env: ApplyEnvironment): JobResult<K>;
  /** What screens should refetch once it is written. */
  topics: DataTopic[];
}

type Appliers = { [K in JobKind]?: JobApplier<K> };

export const jobAppliers: Appliers = {
  // The plan is written and dropped: the stored result is the report.
  'annotations.import': {
    apply: (result, { db, home }) => applyAnnotationsImport(db, home, result),
    topics: ['codes', 'frames', 'coders', 'videos', 'assignments', 'workspace'],
  },
  'media.import': { apply: (result, { db }) => applyImport(db, result), topics: ['videos'] },
  // The plan is written and dropped: the stored result is the report.
  'preference.analyses.import': { apply: (result, { db }) => applyAnalysesImport(db, result), topics: ['analyses'] },
  // The trained model becomes the next preference@v version (activated only when asked and advised).
  'preference.train': { apply: (result, { db, home, jobId }) => applyPreferenceTrain(db, home, jobId, result), topics: ['preference'] },
  'frames.sample': { apply: (result, { db, home }) => applySample(db, home, result), topics: ['frames', 'videos', 'workspace'] },
  // A split run's models become the next versions of their names (suite_7d_ridge@vN).
  'suite.run': {
    apply: (result, { db, jobId }) => ({ ...result, registered: registerSuiteRun(db, result, jobId).map((m) => m.id) }),
    topics: ['models'],
  },
  'models.import': {
    apply: (result, { db }) => ({ ...result, registered: registerModel(db, result.model) }),
    topics: ['models', 'workspace'],
  },
  'finetune.run': {
    // The new version is registered only when the comparison decided to save it.
    apply: (result, { db }) => {
      if (result.staged) registerModel(db, result.staged);
      return result;
    },
    topics: ['models', 'workspace'],
  },
};

export interface Applied {
  result: unknown;
  topics: DataTopic[];
}

/**
 * Applies a validated result of `kind`. Call it inside a transaction; kinds without an
 * applier pass their result through unchanged.
 */
export function applyJobResult<K extends JobKind>(kind: K, result: JobResult<K>, env: ApplyEnvironment): Applied {
  const applier = jobAppliers[kind] as JobApplier<K> | undefined;
  if (!applier) return { result, topics: [] };
  return { result: applier.apply(result, env), topics: applier.topics };
}
