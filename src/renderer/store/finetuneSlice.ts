import type { StateCreator } from 'zustand';
import type { Store } from './index';

/** The Fine-tune area: which run is open (null: the form for a new one). */
export interface FinetuneSlice {
  finetuneRunId: string | null;
  openFinetuneRun(jobId: string | null): void;
}

export const createFinetuneSlice: StateCreator<Store, [], [], FinetuneSlice> = (set) => ({
  finetuneRunId: null,
  openFinetuneRun: (finetuneRunId) => set({ finetuneRunId }),
});
