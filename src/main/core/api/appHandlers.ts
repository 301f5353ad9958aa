import { doctorReport } from '../doctor/report';
import { stageExportFolder } from '../exports/downloads';
import type { HandlerGroup } from './types';

export const appHandlers: HandlerGroup<'app.info' | 'doctor.report' | 'exports.stage'> = {
  'app.info': (_input, core) => core.info,
  'doctor.report': (_input, core) => doctorReport(core.home.root),
  'exports.stage': (_input, core) => ({ dir: stageExportFolder(core.home) }),
};
