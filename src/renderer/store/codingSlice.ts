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
  /** The loaded window of the queue: whole pages, in queue order (the queue comes a page at a time). */
  queue: CodingFrame[];
  /** Index of queue[0] in the whole filtered queue. */
  queueOffset: number;
  /** Frames in the whole filtered queue, when last loaded. */
  queueTotal: number;
  /** The core has frames after the window. */
  moreAfter: boolean;
  counts: QueueCounts | null;
  /** The frame on screen. */
  currentFrameId: string | null;
  /** Keys pressed for the current frame and not saved yet: a draft is never a code. */
  draft: Record<string, string>;
  /** A save the coder waits for (the last frame of the window or tab: what comes next depends on it). */
  saving: boolean;
  /** Frames whose save is in flight while the coder is already on the next one: not saved until committed. */
  pendingSaves: string[];
  /** How the frame is shown: null fits it to the view; a number is screen pixels per image pixel (1 is 1:1). */
  zoom: number | null;
  /** The frame's offset from the view's centre, in screen pixels, while zoomed in. */
  pan: { x: number; y: number };
  /** The tab whose last frame was just saved: the view moved on to the Uncoded tab. */
  tabFinished: QueueFilter | null;
  setCodebook(codebook: Codebook): void;
  setCoders(coders: Coder[]): void;
  setCoderId(coderId: string | null): void;
  setFilter(filter: QueueFilter): void;
  setQueue(frames: CodingFrame[], counts: QueueCounts | null, window?: { offset: number; total: number; moreAfter: boolean }): void;
  showFrame(frameId: string | null): void;
  setDraft(draft: Record<string, string>): void;
  setSaving(saving: boolean): void;
  replaceFrame(frame: CodingFrame): void;
  setView(zoom: number | null, pan: { x: number; y: number }): void;
  setTabFinished(filter: QueueFilter | null): void;
}

const FIT = { zoom: null, pan: { x: 0, y: 0 } };

export const createCodingSlice: StateCreator<Store, [], [], CodingSlice> = (set) => ({
  codebook: null,
  coders: [],
  coderId: null,
  filter: 'uncoded',
  queue: [],
  queueOffset: 0,
  queueTotal: 0,
  moreAfter: false,
  counts: null,
  currentFrameId: null,
  draft: {},
  saving: false,
  pendingSaves: [],
  ...FIT,
  tabFinished: null,
  setCodebook: (codebook) => set({ codebook }),
  setCoders: (coders) => set({ coders }),
  setCoderId: (coderId) =>
    set({ coderId, queue: [], queueOffset: 0, queueTotal: 0, moreAfter: false, counts: null, currentFrameId: null, draft: {} }),
  setFilter: (filter) => set({ filter, tabFinished: null }),
  setQueue: (queue, counts, window) =>
    set({
      queue,
      counts,
      queueOffset: window?.offset ?? 0,
      queueTotal: window?.total ?? queue.length,
      moreAfter: window?.moreAfter ?? false,
    }),
  // Each frame starts fitted: a zoom and pan chosen for one frame mean nothing on the next;
  // and the "last frame of the tab" line was about the frame the coder has left.
  showFrame: (currentFrameId) =>
    set((s) => (s.currentFrameId === currentFrameId ? { draft: {} } : { currentFrameId, draft: {}, tabFinished: null, ...FIT })),
  setDraft: (draft) => set({ draft }),
  setSaving: (saving) => set({ saving }),
  replaceFrame: (frame) => set((s) => ({ queue: s.queue.map((f) => (f.frameId === frame.frameId ? frame : f)) })),
  setView: (zoom, pan) => set({ zoom, pan }),
  setTabFinished: (tabFinished) => set({ tabFinished }),
});
