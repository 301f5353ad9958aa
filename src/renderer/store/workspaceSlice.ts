import type { StateCreator } from 'zustand';
import type { DoctorReport, WorkspaceSummary } from '../../shared/api';
import type { Store } from './index';

export interface WorkspaceSlice {
  summary: WorkspaceSummary | null;
  doctor: DoctorReport | null;
  setSummary(summary: WorkspaceSummary): void;
  setDoctor(doctor: DoctorReport): void;
}

export const createWorkspaceSlice: StateCreator<Store, [], [], WorkspaceSlice> = (set) => ({
  summary: null,
  doctor: null,
  setSummary: (summary) => set({ summary }),
  setDoctor: (doctor) => set({ doctor }),
});
