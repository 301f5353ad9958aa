import { exportAnnotations } from '../annotations/exportAnnotations';
import { importAnnotations } from '../annotations/importAnnotations';
import { listRecode } from '../annotations/recode';
import type { HandlerGroup } from './types';

type AnnotationsMethods = 'annotations.import' | 'annotations.export' | 'recode.list';

export const annotationsHandlers: HandlerGroup<AnnotationsMethods> = {
  // Bad rows come back in the report (not as a thrown error), so the UI can list every one.
  'annotations.import': (input, core) => {
    const report = importAnnotations(core.db, core.home, input);
    if (report.errors.length === 0) {
      core.events.emit({ type: 'data.changed', topics: ['codes', 'frames', 'coders', 'videos', 'assignments'] });
    }
    return report;
  },
  'annotations.export': ({ out }, core) => exportAnnotations(core.db, out),
  'recode.list': ({ coderId }, core) => ({ entries: listRecode(core.db, coderId) }),
};
