import { coverage } from './coverage';
import { projectReportContext, writeReport } from './exportReport';
import { projectIcrReport } from './project';
import { freshAnnotationsSource } from '../sync/source';
import { fileOutput } from '../workspace/outputPaths';
import type { HandlerGroup } from '../api/types';

export const icrHandlers: HandlerGroup<'icr.report' | 'icr.coverage' | 'icr.export'> = {
  'icr.report': async (input, core) => {
    const source = input.fresh ? (await freshAnnotationsSource(core, `the ${input.dimension} reliability report`)).source : undefined;
    return projectIcrReport(core.db, input, source);
  },
  'icr.coverage': ({ dimension }, core) => coverage(core.db, dimension),
  'icr.export': ({ format, out, overwrite, ...input }, core) => {
    // The path is checked before the report is computed (a bootstrap can take seconds).
    fileOutput(out, { extensions: [format], overwrite });
    return writeReport(projectReportContext(core.db, core.home, input), format, out, core.pdfPrinter, overwrite);
  },
};
