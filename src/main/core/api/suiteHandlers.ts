import { listRuns } from '../suite/run';
import type { HandlerGroup } from './types';

/** Suite runs are folders under the home (immutable once written); training runs as a job. */
export const suiteHandlers: HandlerGroup<'suite.runs'> = {
  'suite.runs': (input, core) => ({ runs: listRuns(core.home.root).slice(0, input.limit) }),
};
