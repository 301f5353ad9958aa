import { annotationsHandlers } from './annotationsHandlers';
import { appHandlers } from './appHandlers';
import { codingHandlers } from './codingHandlers';
import { jobsHandlers } from './jobsHandlers';
import { mediaHandlers } from './mediaHandlers';
import type { Handlers } from './types';
import { workspaceHandlers } from './workspaceHandlers';

/** Feature groups merged into the one map every transport serves. */
export const handlerGroups = { appHandlers, jobsHandlers, workspaceHandlers, codingHandlers, mediaHandlers, annotationsHandlers };

export const handlers: Handlers = { ...appHandlers, ...jobsHandlers, ...workspaceHandlers, ...codingHandlers, ...mediaHandlers, ...annotationsHandlers };
