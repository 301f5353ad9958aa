import type { StateCreator } from 'zustand';
import type { Codebook, Coder, CodingFrame, QueueFilter } from '../../shared/coding';
import type { Store } from './index';

export interface QueueCounts {
  assigned: number;
  done: number;
  flagged: number;
  recode: number;
}

export interface CodingSlice {
  codebook: Codebook | null;
  coders: Coder[];
  /** Who is coding in this window (remembered per machine). */
  coderId: string | null;
  filter: QueueFilter;
  queue: CodingFrame[];
  counts: QueueCounts | null;
  /** The frame on screen. */
  currentFrameId: string | null;
  /** Keys pressed for the current frame and not saved yet: a draft is never a code. */
  draft: Record<string, string>;
  saving: boolean;
  setCodebook(codebook: Codebook): void;
  setCoders(coders: Coder[]): void;
  setCoderId(coderId: string | null): void;
  setFilter(filter: QueueFilter): void;
  setQueue(frames: CodingFrame[], counts: QueueCounts | null): void;
  showFrame(frameId: string | null): void;
  setDraft(draft: Record<string, string>): void;
  setSaving(saving: boolean): void;
  replaceFrame(frame: CodingFrame): void;
}

export const createCodingSlice: StateCreator<Store, [], [], CodingSlice> = (set) => ({
  codebook: null,
  coders: [],
  coderId: null,
  filter: 'uncoded',
  queue: [],
  counts: null,
  currentFrameId: null,
  draft: {},
  saving: false,
  setCodebook: (codebook) => set({ codebook }),
  setCoders: (coders) => set({ coders }),
  setCoderId: (coderId) => set({ coderId, queue: [], counts: null, currentFrameId: null, draft: {} }),
  setFilter: (filter) => set({ filter }),
  setQueue: (queue, counts) => set({ queue, counts }),
  showFrame: (currentFrameId) => set({ currentFrameId, draft: {} }),
  setDraft: (draft) => set({ draft }),
  setSaving: (saving) => set({ saving }),
  replaceFrame: (frame) => set((s) => ({ queue: s.queue.map((f) => (f.frameId === frame.frameId ? frame : f)) })),
});
