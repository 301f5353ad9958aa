import { projectIcrReport } from '../icr/project';
import type { HandlerGroup } from './types';

export const icrHandlers: HandlerGroup<'icr.report'> = {
  'icr.report': (input, core) => projectIcrReport(core.db, input),
};
