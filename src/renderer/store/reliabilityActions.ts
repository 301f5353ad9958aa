import type { Input } from '../../shared/api';
import { client } from '../api/client';

/**
 * The Reliability screen's API calls (agreement, gold, adjudication). The screens call these, never the client: every screen reads and
 * writes through the store's actions. Failures reject as the core wrote them; the caller
 * notifies or shows them in its form.
 */

/** The lead's decision on a disagreement (replaces an earlier one; all are kept). */
export const adjudicate = (input: Input<'gold.adjudicate'>) => client().call('gold.adjudicate', input);

/**
 * Write a gold snapshot as CSV (frame_id, video_id, timestamp_s, dimension, code, source, note);
 * never replacing a file unless overwrite.
 */
export const exportGold = (input: Input<'gold.export'>) => client().call('gold.export', input);

/**
 * Write the reliability report of a dimension as HTML, PDF, JSON or CSV (figures); never replacing
 * a file unless overwrite.
 */
export const exportIcr = (input: Input<'icr.export'>) => client().call('icr.export', input);

/** What explains a report: overlap frames, coded by all, missing codes per coder and queued. */
export const icrCoverage = (input: Input<'icr.coverage'>) => client().call('icr.coverage', input);

/** Inter-coder reliability of one dimension on the project's codes (frames as units, videos as groups). */
export const icrReport = (input: Input<'icr.report'>) => client().call('icr.report', input);

/** Frames the coders coded differently on a dimension, optionally one category pair. */
export const listDisagreements = (input: Input<'gold.disagreements'>) => client().call('gold.disagreements', input);

/** Gold snapshots, newest first. */
export const listGold = (input: Input<'gold.list'>) => client().call('gold.list', input);

/** Freeze a dimension's gold set (agreed + adjudicated frames) under a new id. */
export const snapshotGold = (input: Input<'gold.snapshot'>) => client().call('gold.snapshot', input);
