import { doctorReport } from '../doctor/report';
import type { HandlerGroup } from './types';

export const appHandlers: HandlerGroup<'app.info' | 'doctor.report'> = {
  'app.info': (_input, core) => core.info,
  'doctor.report': (_input, core) => doctorReport(core.home.root),
};
