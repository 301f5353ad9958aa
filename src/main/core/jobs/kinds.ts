import type { FinetuneRunState } from '../../../shared/finetune';
import type { JobKind, JobParams, JobResult } from '../../../shared/jobs';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { runAnnotationsImport } from '../annotations/importAnnotations';
import { runImport } from '../media/importVideos';
import { runSampling } from '../media/sampleFrames';
import { runFinetune } from '../finetune/job';
import { runInfer } from '../infer/job';
import type { InferCheckpoint } from '../../../shared/infer';
import { runModelExport } from '../models/exportModel';
import { runModelImport } from '../models/importModel';
import { runModelPredict } from '../models/predict';
import { runSuite } from '../suite/runs/run';
import { runEmbedText } from '../suite/text/embedTextJob';
import { runSuiteScore } from '../suite/runs/scoreMany';
import { runIntegrityCheck, type IntegrityCheckpoint } from '../workspace/integrity';
import { runAnalysesImport } from '../preference/importAnalyses';
import { runAnalysis } from '../analysis/run';
import { runPreferenceTrain } from '../preference/trainJob';
import type { JobContext } from './context';

/**
 * Implementations of the job kinds declared in src/shared/jobs.ts. They run inside a job
 * process with a read-only database; their result goes back to the owner, which writes it.
 */
export interface JobEnvironment<K extends JobKind> {
  db: Db;
  home: HomePaths;
  params: JobParams<K>;
}

type Implementations = {
  [K in JobKind]: (ctx: JobContext<never>, env: JobEnvironment<K>) => Promise<JobResult<K>>;
};

export const jobImplementations: Implementations = {
  'workspace.integrity': (ctx, { db, home, params }) => runIntegrityCheck(ctx as JobContext<IntegrityCheckpoint>, db, home, params),
  'annotations.import': (ctx, { db, home, params }) => runAnnotationsImport(ctx, db, home, params),
  'media.import': (ctx, { db, params }) => runImport(ctx, db, params),
  'frames.sample': (ctx, { db, home, params }) => runSampling(ctx, db, home, params),
  'models.import': (ctx, { db, home, params }) => runModelImport(ctx, db, home, params),
  'models.predict': (ctx, { db, home, params }) => runModelPredict(ctx, db, home, params),
  'models.export': (ctx, { db, home, params }) => runModelExport(ctx, db, home, params),
  'finetune.run': (ctx, { db, home, params }) => runFinetune(ctx as JobContext<FinetuneRunState>, db, home, params),
  'infer.run': (ctx, { db, home, params }) => runInfer(ctx as JobContext<InferCheckpoint>, db, home, params),
  // The run folder is the result (immutable files under the home); nothing goes to the database.
  // The owner registers its models (jobs/apply.ts).
  'suite.run': (ctx, { home, params }) => runSuite(params.config, home.root, ctx, params.configFile, params.rerunOf ?? null),
  // Writes the output file and the home's text-embedding cache; nothing goes to the database.
  'suite.embedText': (ctx, { home, params }) => runEmbedText(ctx, home.root, params),
  // Reads a run folder (named directly or through the suite registry), writes the predictions CSV.
  'suite.score': (ctx, { db, home, params }) => runSuiteScore(ctx, db, home.root, params),
  // Reads and checks the analyses files; the owner stores them (jobs/apply.ts).
  'preference.analyses.import': (ctx, { db, params }) => runAnalysesImport(ctx, db, params),
  // Writes the model file (content-hashed under the home); the owner registers it (jobs/apply.ts).
  'preference.train': (ctx, { db, home, params }) => runPreferenceTrain(ctx, db, home, params),
  // The run folder is the result (immutable files under the home); nothing goes to the database.
  // A partial folder whose job is no longer active is a leftover of a killed job process.
  'analysis.run': (ctx, { db, home, params }) =>
    runAnalysis(params, home.root, ctx, {
      isJobActive: (jobId) => {
        const row = db.prepare('SELECT status FROM jobs WHERE id = ?').get(jobId) as { status: string } | undefined;
        return row?.status === 'queued' || row?.status === 'running';
      },
    }),
};
