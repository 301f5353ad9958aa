import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { listRuns, suiteRunsDir } from '../suite/run';
import { predictAnyVideo } from '../suite/newVideo';
import type { HandlerGroup } from './types';

/** Suite runs are folders under the home (immutable once written); training runs as a job. */
export const suiteHandlers: HandlerGroup<'suite.runs' | 'suite.predict'> = {
  'suite.runs': (input, core) => ({ runs: listRuns(core.home.root).slice(0, input.limit) }),
  // A single score re-reads the run's data (DuckDB + embeddings): seconds, not minutes, so it
  // runs here rather than as a job. Batch scoring belongs in a job.
  'suite.predict': async (input, core) => {
    const runDir = path.join(suiteRunsDir(core.home.root), input.runId);
    if (!fs.existsSync(path.join(runDir, 'result.json'))) throw new FramelabError('NOT_FOUND', `no suite run "${input.runId}"; see \`framelab suite runs\`.`);
    const { features, metadata, embeddings, embedding } = input;
    return predictAnyVideo(runDir, input.model, input.videoId, { features, metadata, embeddings, embedding });
  },
};
