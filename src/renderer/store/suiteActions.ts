import type { Input } from '../../shared/api';
import { client } from '../api/client';

/**
 * The Suite screen's API calls. The screens call these, never the client: every screen reads and
 * writes through the store's actions. Failures reject as the core wrote them; the caller
 * notifies or shows them in its form.
 */

/** Make a suite model version its name's active one (what the bare name means in score and predict). */
export const activateSuiteModel = (input: Input<'suite.models.activate'>) => client().call('suite.models.activate', input);

/** Suite runs side by side: metrics per model in each run and the config fields that differ. */
export const compareSuiteRuns = (input: Input<'suite.compare'>) => client().call('suite.compare', input);

/** Registered suite models (<name>@v<N>), each bound to its run, horizon, feature-set hash and data fingerprint. */
export const listSuiteModels = (input: Input<'suite.models'>) => client().call('suite.models', input);

/** Finished suite runs (run folders under the home), newest first, each with its leaderboard. */
export const listSuiteRuns = (input: Input<'suite.runs'>) => client().call('suite.runs', input);

/**
 * Dry run of the data step of a suite config (filter, dedupe, join, feature choice with the reason
 * for each excluded column); trains nothing.
 */
export const previewSuiteDataset = (input: Input<'suite.dataset.preview'>) => client().call('suite.dataset.preview', input);

/** Per-epoch training curves of a running (or stopped) suite.run job so far. */
export const suiteLiveCurves = (input: Input<'suite.liveCurves'>) => client().call('suite.liveCurves', input);

/**
 * One suite run for its screen: config, data summary, leaderboard with intervals, slices, curves,
 * importance, predicted-vs-actual points.
 */
export const suiteRunDetail = (input: Input<'suite.runDetail'>) => client().call('suite.runDetail', input);
