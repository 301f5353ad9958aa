import type { Input } from '../../shared/api';
import { client } from '../api/client';

/**
 * The Analysis screen's API calls. The screens call these, never the client: every screen reads and
 * writes through the store's actions. Failures reject as the core wrote them; the caller
 * notifies or shows them in its form.
 */

/**
 * One analysis run for its screen: the config as run, the data summary, versions, every result, and
 * the partial-dependence grids with their values.
 */
export const analysisRunDetail = (input: Input<'analysis.runDetail'>) => client().call('analysis.runDetail', input);

/**
 * Write a finished analysis run's regression tables as journals print them (csv: long and wide;
 * html; tex with booktabs) plus focal_interactions_full.csv and focal_interactions_pivot.csv into a
 * folder; never replacing a file unless overwrite.
 */
export const exportAnalysis = (input: Input<'analysis.export'>) => client().call('analysis.export', input);

/**
 * Finished outcome-analysis runs (run folders under the home), newest first, each in brief; a run
 * itself is the analysis.run job (jobs.start).
 */
export const listAnalysisRuns = (input: Input<'analysis.runs'>) => client().call('analysis.runs', input);

/**
 * A table's columns (with its joins) for the Analysis screen's pickers: type, missing and distinct
 * values, and where each column comes from; fits nothing.
 */
export const readAnalysisColumns = (input: Input<'analysis.columns'>) => client().call('analysis.columns', input);
