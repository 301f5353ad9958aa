import { doctorReport } from '../doctor/report';
import { stageExportFolder } from '../exports/downloads';
import { createOutputFolder } from '../workspace/outputPaths';
import type { HandlerGroup } from './types';

export const appHandlers: HandlerGroup<'app.info' | 'doctor.report' | 'exports.stage' | 'exports.createFolder'> = {
  'app.info': (_input, core) => core.info,
  'doctor.report': (_input, core) => doctorReport(core.home.root),
  'exports.stage': (_input, core) => ({ dir: stageExportFolder(core.home) }),
  'exports.createFolder': (input) => ({ dir: createOutputFolder(input.path) }),
};
