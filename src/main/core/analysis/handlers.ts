import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { analysisColumns, loadAnalysisData } from './data';
import { analysisRunDetail, listAnalysisRuns } from './runs';
import { regularFile, regularFolder } from '../workspace/inputPaths';
import type { HandlerGroup } from '../api/types';

/** A path from the API: absolute (the owner may run in another folder than the caller). */
function absolute(p: string, field: string): string {
  if (!path.isAbsolute(p))
    throw new FramelabError('INVALID_INPUT', `${field}: "${p}" is a relative path; give an absolute path.`, { field });
  return path.normalize(p);
}

/**
 * Analysis runs are folders under the home (immutable once written); a run itself is the
 * `analysis.run` job (jobs.start). Reading a table's columns for the screen's pickers loads it
 * through DuckDB here: seconds, and it fits nothing.
 */
export const analysisHandlers: HandlerGroup<'analysis.runs' | 'analysis.runDetail' | 'analysis.columns'> = {
  // A damaged run folder does not hide the others; the owner's log says which one and why.
  'analysis.runs': (input, core) => ({
    runs: listAnalysisRuns(core.home.root, (runId, message) =>
      console.warn(`[framelab] analysis run ${runId} left out of the list: ${message}`),
    ).slice(0, input.limit),
  }),
  'analysis.runDetail': (input, core) => analysisRunDetail(core.home.root, input.runId),
  'analysis.columns': async (input) => {
    const data = regularFile(absolute(input.data, 'data'), 'analysis data table');
    const joins = input.joins.map((j, i) => {
      const p = absolute(j.path, `joins.${i}.path`);
      if (j.kind === 'table') regularFile(p, `table of joins.${i}`);
      else regularFolder(p, `batch-inference output folder of joins.${i}`);
      return { ...j, path: p };
    });
    const loaded = await loadAnalysisData({ data, id: input.id ?? (joins.length ? 'video_id' : null), joins });
    return { rows: loaded.table.rowCount, columns: analysisColumns(loaded) };
  },
};
