import type { PreferenceModelSummary } from '../../../../shared/preferenceWorkflow';
import { client } from '../../../api/client';
import { useStore } from '../../../store';
import { notifyError } from '../../../store/notifyError';

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
