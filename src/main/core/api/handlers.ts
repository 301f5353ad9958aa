import { analysisExportHandlers } from '../analysis/exportHandlers';
import { analysisHandlers } from '../analysis/handlers';
import { annotationsHandlers } from '../annotations/handlers';
import { appHandlers } from './appHandlers';
import { codingHandlers } from '../coding/handlers';
import { finetuneHandlers } from '../finetune/handlers';
import { goldHandlers } from '../gold/handlers';
import { icrHandlers } from '../icr/handlers';
import { inferHandlers } from '../infer/handlers';
import { jobsHandlers } from '../jobs/handlers';
import { mediaHandlers } from '../media/handlers';
import { syncHandlers } from '../sync/handlers';
import { modelsHandlers } from '../models/handlers';
import { preferenceDataHandlers } from '../preference/dataHandlers';
import { preferenceModelHandlers } from '../preference/modelHandlers';
import { suiteHandlers } from '../suite/handlers';
import type { Handlers } from './types';
import { workspaceHandlers } from '../workspace/handlers';

/** Feature groups merged into the one map every transport serves. */
export const handlerGroups = {
  analysisExportHandlers,
  appHandlers,
  jobsHandlers,
  workspaceHandlers,
  codingHandlers,
  mediaHandlers,
  annotationsHandlers,
  icrHandlers,
  goldHandlers,
  syncHandlers,
  modelsHandlers,
  finetuneHandlers,
  suiteHandlers,
  inferHandlers,
  preferenceDataHandlers,
  preferenceModelHandlers,
  analysisHandlers,
};

export const handlers: Handlers = {
  ...analysisExportHandlers,
  ...appHandlers,
  ...jobsHandlers,
  ...workspaceHandlers,
  ...codingHandlers,
  ...mediaHandlers,
  ...annotationsHandlers,
  ...icrHandlers,
  ...goldHandlers,
  ...syncHandlers,
  ...modelsHandlers,
  ...finetuneHandlers,
  ...suiteHandlers,
  ...inferHandlers,
  ...preferenceDataHandlers,
  ...preferenceModelHandlers,
  ...analysisHandlers,
};
