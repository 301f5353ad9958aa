import type { Input } from '../../shared/api';
import type { PreferenceModelSummary } from '../../shared/preferenceWorkflow';
import { client } from '../api/client';
import { useStore } from './index';
import { notifyError } from './notifyError';

/** What the app sends with a training: the job's params (defaults filled by the job's schema). */
export interface TrainOptions {
  kind: 'ridge' | 'random_forest';
  top: number;
  prune: number | null;
  notes: string;
  minRatings: number;
  multiOutput: boolean;
}

export const DEFAULT_TRAIN: TrainOptions = { kind: 'ridge', top: 50, prune: null, notes: '', minRatings: 200, multiOutput: false };

/** Starts the preference.train job (never activates on its own) and returns its id, or null when the start was refused (notified). */
export async function startTraining(options: TrainOptions): Promise<string | null> {
  try {
    const { job } = await client().call('jobs.start', { kind: 'preference.train', params: { ...options, activateIfAdvised: false } });
    useStore.getState().upsertJob(job);
    return job.id;
  } catch (err) {
    notifyError(err);
    return null;
  }
}

/** Makes a model the active one; the previous active model stays stored. */
export async function activateModel(id: string): Promise<PreferenceModelSummary | null> {
  try {
    // The tables and the status show it: no notice.
    return await client().call('preference.activate', { id });
  } catch (err) {
    notifyError(err);
    return null;
  }
}

// Calls a screen makes for itself (it keeps the answer, or shows a refusal in its form or as a
// notice): each rejects as the core wrote it.

/**
 * Correlations of every model feature with the owner's overall rating (r, p as scipy's pearsonr, BH
 * q, the spec's tiers), the top 20 each way and the expected list checked; stored as a snapshot
 * with the rating count.
 */
export const correlate = (input: Input<'preference.correlate'>) => client().call('preference.correlate', input);

/** One correlation snapshot's full report as it was stored. */
export const getSnapshot = (input: Input<'preference.snapshots.get'>) => client().call('preference.snapshots.get', input);

/**
 * The score of every video with an analysis of the model's version (active model unless modelId),
 * keyed by video_id; no model: model null and no scores.
 */
export const loadVideoScores = (input: Input<'preference.scores'>) => client().call('preference.scores', input);

/**
 * Score every analysed video into a CSV (video_id, model, analysis_version, score, confidence,
 * coverage, top factors); never replacing a file unless overwrite.
 */
export const scoreAll = (input: Input<'preference.scoreAll'>) => client().call('preference.scoreAll', input);

/**
 * Score one video's stored analysis or an analysis file (import format) with the active model or
 * modelId: score 0–10, confidence, the top 5 factors.
 */
export const scoreVideo = (input: Input<'preference.score'>) => client().call('preference.score', input);

/** Replace the expected correlations (feature and direction each; the previous lists are kept as history). */
export const setExpected = (input: Input<'preference.expected.set'>) => client().call('preference.expected.set', input);
