import { projectIcrReport } from './project';
import { freshAnnotationsSource } from '../sync/source';
import type { HandlerGroup } from '../api/types';

export const icrHandlers: HandlerGroup<'icr.report'> = {
  'icr.report': async (input, core) => {
    const source = input.fresh ? (await freshAnnotationsSource(core, `the ${input.dimension} reliability report`)).source : undefined;
    return projectIcrReport(core.db, input, source);
  },
};
