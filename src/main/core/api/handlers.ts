import { appHandlers } from './appHandlers';
import { jobsHandlers } from './jobsHandlers';
import type { Handlers } from './types';
import { workspaceHandlers } from './workspaceHandlers';

/** Feature groups merged into the one map every transport serves. */
export const handlerGroups = { appHandlers, jobsHandlers, workspaceHandlers };

export const handlers: Handlers = { ...appHandlers, ...jobsHandlers, ...workspaceHandlers };
