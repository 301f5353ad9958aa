import { analysisExportHandlers } from './analysisExportHandlers';
import { analysisHandlers } from './analysisHandlers';
import { annotationsHandlers } from './annotationsHandlers';
import { appHandlers } from './appHandlers';
import { codingHandlers } from './codingHandlers';
import { finetuneHandlers } from './finetuneHandlers';
import { goldHandlers } from './goldHandlers';
import { icrHandlers } from './icrHandlers';
import { inferHandlers } from './inferHandlers';
import { jobsHandlers } from './jobsHandlers';
import { mediaHandlers } from './mediaHandlers';
import { syncHandlers } from './syncHandlers';
import { modelsHandlers } from './modelsHandlers';
import { preferenceDataHandlers } from './preferenceDataHandlers';
import { preferenceModelHandlers } from './preferenceModelHandlers';
import { suiteHandlers } from '../suite/handlers';
import type { Handlers } from './types';
import { workspaceHandlers } from './workspaceHandlers';

/** Feature groups merged into the one map every transport serves. */
export const handlerGroups = { analysisExportHandlers, appHandlers, jobsHandlers, workspaceHandlers, codingHandlers, mediaHandlers, annotationsHandlers, icrHandlers, goldHandlers, syncHandlers, modelsHandlers, finetuneHandlers, suiteHandlers, inferHandlers, preferenceDataHandlers, preferenceModelHandlers, analysisHandlers };

export const handlers: Handlers = { ...analysisExportHandlers, ...appHandlers, ...jobsHandlers, ...workspaceHandlers, ...codingHandlers, ...mediaHandlers, ...annotationsHandlers, ...icrHandlers, ...goldHandlers, ...syncHandlers, ...modelsHandlers, ...finetuneHandlers, ...suiteHandlers, ...inferHandlers, ...preferenceDataHandlers, ...preferenceModelHandlers, ...analysisHandlers };
