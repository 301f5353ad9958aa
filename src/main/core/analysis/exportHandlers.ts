import { exportRun } from './exportRun';
import { analysisRunDirOf } from './runs';
import type { HandlerGroup } from '../api/types';

/** `analysis.export`: a finished run's tables into a folder the caller chose (outputPaths rules). */
export const analysisExportHandlers: HandlerGroup<'analysis.export'> = {
  'analysis.export': ({ runId, format, out, overwrite }, core) =>
    exportRun(analysisRunDirOf(core.home.root, runId), format, out, overwrite),
};
