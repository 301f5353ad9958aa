import type { StateCreator } from 'zustand';
import type { SyncStatus } from '../../shared/sync';
import type { Store } from './index';

export interface SyncSlice {
  /** Where the annotations stand against the bucket; pushed by core as `sync.status` events. */
  syncStatus: SyncStatus | null;
  setSyncStatus(status: SyncStatus): void;
}

export const createSyncSlice: StateCreator<Store, [], [], SyncSlice> = (set) => ({
  syncStatus: null,
  setSyncStatus: (syncStatus) => set({ syncStatus }),
});
